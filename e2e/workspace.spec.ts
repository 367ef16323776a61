// The agent's workspace end to end on demo data: first run → sync a short recent range → search →
// open a call (keyboard) → charts drawn from real series → choose an issue → the charts' cursor
// moves to its start; the language switch; and a failed connection test in plain words.
// Screenshots of every screen in both themes (and the call detail and Settings in Chinese) go to
// test-results/screenshots/.

import type { Locator, Page } from '@playwright/test';
import { DEFAULT_APPID, DEFAULT_CREDENTIALS, startSimulator } from '../src/simulator/index.ts';
import { expectCursorAt } from './chart-cursor.ts';
import { expect, saveScreenshot, test } from './fixtures.ts';

async function chooseTheme(app: Page, theme: 'light' | 'dark'): Promise<void> {
  await app.keyboard.press('Alt+4');
  await app.getByLabel('Theme').selectOption(theme);
  await expect(app.locator('html')).toHaveAttribute('data-theme', theme);
}

/** Scrolls the screen back to its top (choosing an issue scrolls the list to it). */
async function scrollToTop(app: Page): Promise<void> {
  await app.locator('main').evaluate((main) => main.scrollTo(0, 0));
}

declare global {
  interface Window {
    __syncPanelSeen?: { eta: string[]; progress: number[] };
  }
}

/**
 * Records what the sync panel shows while its job runs (the ETA, the bar's value), however
 * briefly it runs: a sync can move on to "waiting" between two looks from the test.
 */
async function watchSyncPanel(sync: Locator): Promise<void> {
  await sync.evaluate((panel) => {
    const seen = { eta: [] as string[], progress: [] as number[] };
    window.__syncPanelSeen = seen;
    const note = () => {
      const job = panel.querySelector('[data-testid="sync-job"]');
      if (job?.getAttribute('data-state') !== 'running') return;
      const eta = panel.querySelector('[data-testid="sync-eta"]')?.textContent?.trim();
      if (eta) seen.eta.push(eta);
      const value = panel.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow');
      if (value) seen.progress.push(Number(value));
    };
    new MutationObserver(note).observe(panel, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  });
}

async function expectChartsDrawn(detail: Locator): Promise<void> {
  const charts = detail.locator('figure[data-testid^="chart-"]');
  await expect(charts.first()).toHaveAttribute('data-drawn', 'true');
  expect(await charts.count()).toBeGreaterThanOrEqual(4);
  for (const chart of await charts.all()) {
    await expect(chart.locator('canvas')).toHaveCount(1);
    expect(Number(await chart.getAttribute('data-series-count'))).toBeGreaterThan(0);
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(0);
  }
}

test('an agent tries the demo, syncs, finds a call and follows an issue to its moment', async ({
  app,
}) => {
  test.setTimeout(120_000);
  await expect(app.getByTestId('onboarding')).toBeVisible();
  await saveScreenshot(app, 'onboarding-light');
  await app.getByRole('button', { name: 'Try with demo data' }).click();

  const search = app.getByRole('searchbox', { name: 'Search calls' });
  await expect(search).toBeVisible();
  await expect(app.getByTestId('profile-switcher').getByRole('combobox')).toHaveValue(/.+/);

  // Sync the last hour with a small details budget (the API serves 1 details request a second).
  const sync = app.getByTestId('sync-panel');
  await sync.getByLabel('Time range').selectOption('1h');
  await sync.getByLabel('Details requests at most').fill('6');
  await watchSyncPanel(sync);
  await sync.getByRole('button', { name: 'Sync', exact: true }).click();
  // A sync of recent calls ends "waiting" when some calls still run (it looks again later).
  await expect(sync.getByTestId('sync-job')).toHaveAttribute('data-state', /^(done|waiting)$/, {
    timeout: 60_000,
  });
  await expect(sync.getByTestId('sync-requests')).toContainText(/[1-9]\d* list · [1-9]\d* details/);
  // While it ran, the panel said when it should be done and the bar moved past 0.
  const seen = await app.evaluate(() => window.__syncPanelSeen!);
  expect(seen.eta.some((text) => /\d{1,2}:\d{2}/.test(text))).toBe(true);
  expect(Math.max(0, ...seen.progress)).toBeGreaterThan(0);
  await expect(app.getByRole('meter', { name: 'Call details' })).toHaveAttribute(
    'aria-valuenow',
    /^[1-9]\d*$/,
  );

  // Search: calls with issues, then by the channel name of the first one.
  await app.getByRole('combobox', { name: /^Issues/ }).selectOption('yes');
  const list = app.getByRole('listbox', { name: 'Calls found' });
  const first = list.getByRole('option').first();
  await expect(first).toHaveAttribute('data-call-id', /.+/);
  const callId = (await first.getAttribute('data-call-id'))!;
  const channel = (await first.locator('.channel').textContent())!;
  await search.fill(channel);
  const row = list.locator(`[data-call-id="${callId}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText('Archived in full');
  await expect(row).toContainText(/\d+ issues/);
  await expect(app.getByTestId('call-summary')).toContainText(/\d+ calls?/);
  await saveScreenshot(app, 'calls-light');

  // Open it from the keyboard: the list takes the focus, the arrow keys reach the row.
  await list.focus();
  await app.keyboard.press('Home');
  const index = Number(await row.getAttribute('data-index'));
  for (let i = 0; i < index; i++) await app.keyboard.press('ArrowDown');
  // The list's active descendant (the row the keys act on) is that call's row.
  const activeCallId = async () => {
    const id = await list.getAttribute('aria-activedescendant');
    return id === null ? null : app.locator(`[id="${id}"]`).getAttribute('data-call-id');
  };
  await expect.poll(activeCallId).toBe(callId);
  await app.keyboard.press('Enter');
  const detail = app.getByTestId('call-detail');
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(channel);
  await expect(detail.getByTestId('users-table').locator('tbody tr')).not.toHaveCount(0);
  await expect(detail.getByTestId('users-table')).toContainText(/teacher|student/);
  await expectChartsDrawn(detail);

  // Choosing an issue moves the charts' cursor to its start.
  const issues = detail.getByTestId('issue-list').getByRole('button');
  const issue = issues.last();
  const fromTs = (await issue.getAttribute('data-from-ts'))!;
  const cursor = detail.getByTestId('cursor-time');
  await expect(cursor).not.toHaveAttribute('data-cursor-ts', fromTs);
  await issue.click();
  await expectCursorAt(detail, issue);
  await expect(cursor).toContainText('Cursor at');
  await scrollToTop(app);
  await saveScreenshot(app, 'call-detail-light');

  // Dragging across one chart zooms them all; a double-click on another shows the whole call.
  const overlay = detail.getByTestId('chart-bitrate').locator('.u-over');
  const box = (await overlay.boundingBox())!;
  await app.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await app.mouse.down();
  await app.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
  await app.mouse.up();
  await expect(detail.getByText(/^Zoomed to/)).toBeVisible();
  await detail.getByTestId('chart-framerate').locator('.u-over').dblclick();
  await expect(detail.getByText(/^Zoomed to/)).toHaveCount(0);

  // The other screens, light.
  await app.keyboard.press('Alt+2');
  await expect(app.getByRole('heading', { name: 'Insights' })).toBeVisible();
  await expect(
    app.getByTestId('usage-chart').or(app.getByText('No usage figures yet')),
  ).toBeVisible();
  await saveScreenshot(app, 'insights-light');
  await app.keyboard.press('Alt+4');
  await expect(app.getByTestId('profile-list')).toContainText('Demo data');
  await saveScreenshot(app, 'settings-light');

  // And dark.
  await chooseTheme(app, 'dark');
  await saveScreenshot(app, 'settings-dark');
  await app.keyboard.press('Alt+2');
  await expect(app.getByRole('heading', { name: 'Insights' })).toBeVisible();
  await saveScreenshot(app, 'insights-dark');
  await app.keyboard.press('Alt+1');
  await expectChartsDrawn(detail);
  await issue.click();
  await expectCursorAt(detail, issue);
  await scrollToTop(app);
  await saveScreenshot(app, 'call-detail-dark');
  // Escape goes back to the list, to the row the call was opened from.
  await app.keyboard.press('Escape');
  await expect(list).toBeFocused();
  await expect.poll(activeCallId).toBe(callId);
  await saveScreenshot(app, 'calls-dark');

  // The call detail in Chinese (light): headings, legends and the cursor line translated.
  await app.evaluate(() => window.crystal!.settings.set({ theme: 'light', language: 'zh-CN' }));
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'light');
  await app.keyboard.press('Enter');
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(channel);
  await expect(detail.getByRole('heading', { name: '参与者' })).toBeVisible();
  await expectChartsDrawn(detail);
  await issue.click();
  await expectCursorAt(detail, issue);
  await scrollToTop(app);
  await saveScreenshot(app, 'call-detail-zh-light');
  await app.evaluate(() => window.crystal!.settings.set({ language: 'en' }));
});

test('the workspace speaks Simplified Chinese when asked, and English again', async ({ app }) => {
  await app.getByRole('button', { name: 'Try with demo data' }).click();
  await expect(app.getByRole('searchbox', { name: 'Search calls' })).toBeVisible();
  await app.keyboard.press('Alt+4');
  await app.getByLabel('Language').selectOption('zh-CN');
  await expect(app.getByRole('navigation', { name: '主导航' })).toBeVisible();
  await expect(app.getByRole('heading', { name: 'API 配置' })).toBeVisible();
  await saveScreenshot(app, 'settings-zh-light');
  await app.keyboard.press('Alt+1');
  await expect(app.getByRole('searchbox', { name: '搜索通话' })).toBeVisible();
  await expect(app.getByRole('button', { name: '同步', exact: true })).toBeVisible();
  await expect(app.getByRole('heading', { name: 'API 配额' })).toBeVisible();
  // The built-in demo profile is named in the UI's language (main stores it in English).
  await expect(
    app.getByTestId('profile-switcher').getByRole('combobox').locator('option:checked'),
  ).toHaveText('演示数据');
  await saveScreenshot(app, 'calls-zh-light');
  await app.keyboard.press('Alt+4');
  await app.getByLabel('语言').selectOption('en');
  await expect(app.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
});

test('a wrong certificate is reported in plain words by "Test connection"', async ({ app }) => {
  const simulator = await startSimulator({ port: 0 });
  try {
    await chooseTheme(app, 'dark');
    await app.keyboard.press('Alt+1');
    await expect(app.getByTestId('onboarding')).toBeVisible();
    await saveScreenshot(app, 'onboarding-dark');

    await app.getByRole('button', { name: 'Connect your account' }).click();
    const form = app.getByRole('region', { name: 'Connect your account' });
    await form.getByLabel('Name').fill('Wrong certificate');
    await form.getByLabel('App ID').fill(DEFAULT_APPID);
    await form.getByLabel('Customer ID').fill(DEFAULT_CREDENTIALS.customerId);
    await form.getByLabel('Customer Certificate').fill('not-the-certificate');
    await form.getByLabel('API base URL').fill(simulator.url);
    const save = form.getByRole('button', { name: 'Save and test connection' });
    await save.click();

    // Without a keychain (no Secret Service here), keep the certificate for this session.
    const outcome = form.getByTestId('connection-test');
    const sessionOnly = form.getByLabel('Keep it for this session only');
    await expect(outcome.or(sessionOnly)).toBeVisible();
    if (await sessionOnly.isVisible()) {
      await sessionOnly.check();
      await save.click();
    }
    await expect(outcome).toHaveText(
      'Connection failed: The API rejected the credentials. Check the Customer ID and Customer Certificate in Settings.',
    );
    // The certificate is never shown again: only that one is set.
    await expect(form.getByLabel('Customer Certificate')).toHaveValue('');
    await expect(form).toContainText('A certificate is set');
    await saveScreenshot(app, 'profile-form-error-dark');
    await app.evaluate(() => window.crystal!.settings.set({ theme: 'light' }));
    await expect(app.locator('html')).toHaveAttribute('data-theme', 'light');
    await saveScreenshot(app, 'profile-form-error-light');
  } finally {
    await simulator.close();
  }
});
