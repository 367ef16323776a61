// Feedback and exports end to end on demo data: a call's "Report issue" pre-fills the composer
// (channel, teacher uid, the chart cursor's time) → filed → in the outbox at once → delivered to
// the demo simulator → the status bar's count back to zero; a refused form keeps the draft and
// sends nothing; and the call detail's CSV export arrives (BOM, header, channel) as a download in
// the browser host, or under Electron in the file its save dialog (stubbed) chose. A report that
// cannot reach the API puts "Offline" in the status bar on every screen until one gets through.

import { createServer, type AddressInfo } from 'node:net';
import { DEFAULT_APPID, DEFAULT_CREDENTIALS, startSimulator } from '../src/simulator/index.ts';
import { expectCursorAt } from './chart-cursor.ts';
import { exportCsv } from './csv-export.ts';
import { expect, saveScreenshot, test } from './fixtures.ts';

test('a report filed from a call is delivered, and the call exports to CSV', async ({
  app,
  electronApp,
}) => {
  test.setTimeout(120_000);
  await app.getByRole('button', { name: 'Try with demo data' }).first().click();
  await expect(app.getByRole('searchbox', { name: 'Search calls' })).toBeVisible();
  await app.getByLabel('Time range').selectOption('10m');
  await app.getByLabel('Details requests at most').fill('3');
  await app.getByRole('button', { name: 'Sync', exact: true }).click();
  // The first calls archived in full (with issues) are enough; the sync may go on waiting for
  // calls still running.
  await app.getByLabel('Issues').selectOption('yes');
  const first = app.getByRole('listbox', { name: 'Calls found' }).getByRole('option').first();
  await first.click({ timeout: 60_000 });
  const detail = app.getByTestId('call-detail');
  await expect(detail).toBeVisible();

  // Choose an issue: the charts' cursor moves to it, and the report takes that time.
  const issue = app.getByTestId('issue-list').getByRole('button').first();
  const fromTs = Number(await issue.getAttribute('data-from-ts'));
  await issue.click();
  await expectCursorAt(detail, issue);
  const channel = (await app.locator('#call-title').textContent())!.trim();

  await detail.getByRole('button', { name: 'Report issue' }).click();
  const composer = app.getByTestId('feedback-composer');
  await expect(composer).toBeVisible();
  await expect(composer.getByLabel('Channel')).toHaveValue(channel);
  await expect(composer.getByLabel('Teacher uid')).toHaveValue(/^\d+$/);
  const time = await composer.getByLabel('Time of the problem (optional)').inputValue();
  expect(await app.evaluate((v) => Math.floor(new Date(v).getTime() / 1000), time)).toBe(fromTs);
  await expect(composer.getByTestId('composer-prefilled')).toContainText(channel);

  await composer.getByRole('radio', { name: 'Complaint' }).check();
  await composer.getByLabel('Comments (optional)').fill('Video froze for the students at 10:40.');
  await composer.getByRole('button', { name: 'File report' }).click();

  const report = app.getByTestId('outbox').getByTestId('outbox-report').first();
  await expect(report).toContainText(channel);
  await expect(report).toContainText('Complaint');
  await expect(composer.getByLabel('Channel')).toHaveValue('');
  await expect(report).toHaveAttribute('data-status', 'sent', { timeout: 30_000 });
  await expect(report.getByTestId('outbox-status-label')).toHaveText('Sent');
  await expect(app.getByTestId('outbox-count')).toHaveAttribute('data-waiting', '0');
  await expect(app.getByTestId('outbox-count').getByRole('button')).toHaveCount(0);
  await saveScreenshot(app, 'feedback-light');

  await app.evaluate(() => window.crystal!.settings.set({ theme: 'dark' }));
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  await saveScreenshot(app, 'feedback-dark');
  await app.evaluate(() => window.crystal!.settings.set({ theme: 'light', language: 'zh-CN' }));
  await expect(app.getByRole('heading', { name: '发件箱' })).toBeVisible();
  await saveScreenshot(app, 'feedback-zh-light');
  await app.evaluate(() => window.crystal!.settings.set({ language: 'en' }));
  await expect(app.getByRole('heading', { name: 'Outbox' })).toBeVisible();

  // Back to the call: its report as CSV (a download, or the file Electron's dialog chose).
  await app.keyboard.press('Alt+1');
  await expect(detail).toBeVisible();
  // The call as it was left: its cursor is still at the issue (so is a report's time).
  await expectCursorAt(detail, issue);
  await expect(issue).toHaveAttribute('aria-pressed', 'true');
  const callReport = await exportCsv({ app, electronApp }, () =>
    detail.getByRole('button', { name: 'Export CSV' }).click(),
  );
  expect(callReport.name).toMatch(/\.csv$/);
  const csv = callReport.bytes;
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.subarray(3).toString('utf8').split(/\r?\n/);
  expect(lines[0]).toContain('channel');
  expect(lines[0]).toContain('uid');
  expect(lines.slice(1).join('\n')).toContain(channel);
  const exported = app.getByTestId('exports').getByTestId('export').first();
  await expect(exported).toHaveAttribute('data-state', 'done');
  // Where it went: the path chosen in the save dialog, or the download's name.
  await expect(exported).toContainText(`to ${callReport.savedTo ?? callReport.name}`);
  await expect(exported).toContainText(/Exported \d+ rows to/);
  await saveScreenshot(app, 'export-done-light');
  await app.evaluate(() => window.crystal!.settings.set({ theme: 'dark' }));
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  await saveScreenshot(app, 'export-done-dark');
  await app.evaluate(() => window.crystal!.settings.set({ theme: 'light' }));

  // The calls list exports its current search (calls with issues), every page of it.
  await detail.getByRole('button', { name: 'All calls' }).click();
  const calls = await exportCsv({ app, electronApp }, () =>
    app.getByRole('button', { name: 'Export CSV' }).click(),
  );
  const callsCsv = calls.bytes.toString('utf8');
  expect(callsCsv.startsWith('\ufeff')).toBe(true);
  expect(callsCsv).toContain(channel);
  await expect(app.getByTestId('export').first()).toContainText('Calls (this search)');
});

test('an invalid report shows why next to the fields and sends nothing; a kept draft waits for credentials', async ({
  app,
}) => {
  // No profile yet: the form still checks itself, and a refused submit keeps the draft.
  await expect(app.getByTestId('onboarding')).toBeVisible();
  await app.keyboard.press('Alt+3');
  const composer = app.getByTestId('feedback-composer');
  await expect(app.getByTestId('outbox')).toContainText('No reports filed yet');
  await expect(composer.getByTestId('composer-no-profile')).toBeVisible();

  const channel = composer.getByLabel('Channel');
  const teacher = composer.getByLabel('Teacher uid');
  const comments = composer.getByLabel('Comments (optional)');
  await teacher.fill('12.5');
  await comments.fill('Kept while I fix the form.');
  await composer.getByRole('button', { name: 'File report' }).click();

  await expect(channel).toHaveAttribute('aria-invalid', 'true');
  await expect(channel).toHaveAccessibleDescription('Enter the channel name.');
  await expect(channel).toBeFocused();
  await expect(teacher).toHaveAttribute('aria-invalid', 'true');
  await expect(teacher).toHaveAccessibleDescription(/whole number from 0 to 4294967295/);
  await expect(composer.getByRole('radiogroup', { name: 'Type' })).toHaveAccessibleDescription(
    'Choose a type.',
  );
  await expect(composer.getByRole('status')).toContainText('Nothing was sent');
  await expect(teacher).toHaveValue('12.5');
  await expect(comments).toHaveValue('Kept while I fix the form.');
  await saveScreenshot(app, 'feedback-invalid');
  const listed = await app.evaluate(() => window.crystal!.feedback.list({}));
  expect(listed.ok && listed.value.reports.length).toBe(0);

  // Fixing a field clears its message as it is typed.
  await channel.fill('class-42');
  await expect(channel).not.toHaveAttribute('aria-invalid', 'true');
  await teacher.fill('1001');
  await expect(teacher).not.toHaveAttribute('aria-invalid', 'true');
  await composer.getByRole('radio', { name: 'Help request' }).check();
  await composer.getByRole('button', { name: 'File report' }).click();
  await expect(composer.getByRole('alert')).toContainText('No credentials');
  await expect(channel).toHaveValue('class-42');
  await expect(comments).toHaveValue('Kept while I fix the form.');

  // A profile without its secret: the report is kept and waits for the credentials.
  await app.evaluate(() =>
    window.crystal!.profiles.create({ name: 'Support', appid: 'a1b2c3', customerId: 'cust' }),
  );
  await expect(composer.getByTestId('composer-no-profile')).toHaveCount(0);
  await composer.getByRole('button', { name: 'File report' }).click();
  const report = app.getByTestId('outbox-report').first();
  await expect(report).toContainText('class-42');
  await expect(report.getByTestId('outbox-status-label')).toHaveText('Waiting for credentials');
  await expect(report).toContainText('no Customer Certificate');
  const count = app.getByTestId('outbox-count');
  await expect(count).toHaveAttribute('data-waiting', '1');
  await expect(count.getByRole('button')).toHaveText('1 report waiting');
  await saveScreenshot(app, 'feedback-waiting');

  // The status bar's count opens the outbox; discarding (once confirmed) empties it.
  await app.keyboard.press('Alt+1');
  await count.getByRole('button', { name: '1 report waiting' }).click();
  // Discarding asks first; "Keep it" (focused) keeps the report.
  await report.getByRole('button', { name: 'Discard' }).click();
  const confirm = report.getByRole('group', { name: 'Discard this report? It will not be sent.' });
  await expect(confirm.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await saveScreenshot(app, 'feedback-discard-confirm-light');
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(report.getByRole('button', { name: 'Discard' })).toBeFocused();
  await expect(count).toHaveAttribute('data-waiting', '1');
  await report.getByRole('button', { name: 'Discard' }).click();
  await confirm.getByRole('button', { name: 'Discard report' }).click();
  await expect(app.getByTestId('outbox')).toContainText('No reports filed yet');
  await expect(count).toHaveAttribute('data-waiting', '0');
});

/** A loopback URL nothing listens on: connections to it are refused. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

test('the status bar says the API cannot be reached on every screen, until a report gets through', async ({
  app,
}) => {
  const simulator = await startSimulator({ port: 0 });
  try {
    await expect(app.getByTestId('onboarding')).toBeVisible();
    const offline = app.getByTestId('status-bar').getByTestId('offline');
    await expect(offline).toHaveCount(0);

    // An account whose API refuses connections, with its certificate for this session.
    const baseUrl = await refusedUrl();
    const profileId = await app.evaluate(
      async ({ baseUrl, appid, customerId, secret }) => {
        const crystal = window.crystal!;
        const created = await crystal.profiles.create({
          name: 'Unreachable',
          appid,
          customerId,
          baseUrl,
          activate: true,
        });
        if (!created.ok) throw new Error(created.error.message);
        await crystal.profiles.setSecret({ id: created.value.id, secret, sessionOnly: true });
        return created.value.id;
      },
      { baseUrl, appid: DEFAULT_APPID, ...DEFAULT_CREDENTIALS },
    );

    // A report that cannot be sent: kept, and the status bar says why on every screen.
    await app.keyboard.press('Alt+3');
    const composer = app.getByTestId('feedback-composer');
    await composer.getByLabel('Channel').fill('class-7');
    await composer.getByLabel('Teacher uid').fill('1001');
    await composer.getByRole('radio', { name: 'Help request' }).check();
    await composer.getByRole('button', { name: 'File report' }).click();
    const report = app.getByTestId('outbox-report').first();
    await expect(report).toHaveAttribute('data-status', 'queued');
    await expect(offline).toBeVisible({ timeout: 20_000 });
    await expect(offline).toHaveText('Offline: the API cannot be reached');
    await expect(app.getByTestId('network-status')).toHaveRole('status');
    await saveScreenshot(app, 'feedback-offline-light');
    for (const key of ['Alt+1', 'Alt+2', 'Alt+4']) {
      await app.keyboard.press(key);
      await expect(offline).toBeVisible();
    }

    // The API is back (the profile now points at it, which tells the outbox to try again): the
    // report gets through and the notice goes.
    await app.evaluate(({ id, baseUrl }) => window.crystal!.profiles.update({ id, baseUrl }), {
      id: profileId,
      baseUrl: simulator.url,
    });
    await app.keyboard.press('Alt+3');
    await expect(report).toHaveAttribute('data-status', 'sent', { timeout: 20_000 });
    await expect(offline).toHaveCount(0);
  } finally {
    await simulator.close();
  }
});
