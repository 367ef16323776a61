// Usage and the archive end to end on demo data: Insights' "Fetch usage" fills the days the API
// reports (a chart with real days and a table), a second click sends nothing; the calls filter
// bar's Channel and User ID narrow the list; Settings → Data shows the file's size and counts,
// and deleting old calls is counted first (a dry run) and confirmed with that count.
// Screenshots: Insights with usage (light, dark), the filter bar, and the Data section (light,
// dark).

import type { Page } from '@playwright/test';
import { expect, saveScreenshot, test } from './fixtures.ts';

async function chooseTheme(app: Page, theme: 'light' | 'dark'): Promise<void> {
  await app.keyboard.press('Alt+4');
  await app.getByLabel('Theme').selectOption(theme);
  await expect(app.locator('html')).toHaveAttribute('data-theme', theme);
}

test('an agent fetches usage on Insights, filters calls and prunes the archive', async ({
  app,
}) => {
  test.setTimeout(120_000);
  await app.getByRole('button', { name: 'Try with demo data' }).click();
  await expect(app.getByRole('searchbox', { name: 'Search calls' })).toBeVisible();

  // Insights starts empty and says how to fill it.
  await app.keyboard.press('Alt+2');
  await expect(app.getByRole('heading', { name: 'Insights' })).toBeVisible();
  await expect(app.getByText('No usage figures yet')).toBeVisible();
  await expect(app.getByText(/Choose “Fetch usage”/)).toBeVisible();

  const fetchUsage = app.getByRole('button', { name: 'Fetch usage' });
  await fetchUsage.click();
  const outcome = app.getByTestId('usage-refresh-outcome');
  await expect(outcome).toContainText(/Added usage for \d+ days?\./, { timeout: 30_000 });
  const chart = app.getByTestId('usage-chart');
  await expect(chart).toHaveAttribute('data-drawn', 'true');
  await expect(chart.locator('canvas')).toHaveCount(1);
  const days = Number(await chart.getAttribute('data-points'));
  expect(days).toBeGreaterThanOrEqual(3);
  const rows = app.getByTestId('usage-table').locator('tbody tr');
  await expect(rows).toHaveCount(days);
  // Real figures in every cell (users, sessions, channels).
  for (const row of await rows.all()) {
    await expect(row.locator('td')).toHaveText([/^[\d,]+$/, /^[\d,]+$/, /^[\d,]+$/]);
  }
  await saveScreenshot(app, 'insights-usage-light');

  // Nothing is missing now: the second click sends no request and says so.
  await fetchUsage.click();
  await expect(outcome).toContainText('Usage is up to date');
  await expect(rows).toHaveCount(days);

  await chooseTheme(app, 'dark');
  await app.keyboard.press('Alt+2');
  await expect(chart).toHaveAttribute('data-drawn', 'true');
  await saveScreenshot(app, 'insights-usage-dark');
  await chooseTheme(app, 'light');

  // Some calls in the archive: sync the last 10 minutes with a few details.
  await app.keyboard.press('Alt+1');
  const sync = app.getByTestId('sync-panel');
  await sync.getByLabel('Time range').selectOption('10m');
  await sync.getByLabel('Details requests at most').fill('3');
  await sync.getByRole('button', { name: 'Sync', exact: true }).click();
  const list = app.getByRole('listbox', { name: 'Calls found' });
  const first = list.getByRole('option').first();
  await expect(first).toHaveAttribute('data-call-id', /.+/, { timeout: 60_000 });

  // Channel (exact name) and User ID narrow the list.
  const channel = (await first.locator('.channel').textContent())!.trim();
  await app.getByLabel('Channel', { exact: true }).fill(channel);
  const channels = () =>
    list
      .getByRole('option')
      .locator('.channel')
      .allTextContents()
      .then((names) => [...new Set(names.map((n) => n.trim()))]);
  await expect.poll(channels).toEqual([channel]);
  await app.getByLabel('User ID').fill('x1');
  await expect(app.getByText(/A user ID is a whole number/)).toBeVisible();
  await saveScreenshot(app, 'calls-filters-light');
  await app.getByLabel('User ID').fill('4294967295');
  await expect(app.getByRole('heading', { name: 'No calls match' })).toBeVisible();
  await app.getByLabel('User ID').fill('');
  await app.getByLabel('Channel', { exact: true }).fill('');

  // Deleting waits while a sync writes calls: let it finish (or wait for running calls).
  await expect(sync.getByTestId('sync-job')).toHaveAttribute('data-state', /^(done|waiting)$/, {
    timeout: 60_000,
  });

  // Settings → Data: the file's size and what it holds.
  await app.keyboard.press('Alt+4');
  const data = app.getByTestId('archive-data');
  await expect(data.getByRole('heading', { name: 'Data' })).toBeVisible();
  const size = data.getByTestId('archive-size');
  await expect(size).toHaveText(/\d.*(B|kB|KB|MB|GB)/);
  expect(Number(await size.getAttribute('data-bytes'))).toBeGreaterThan(0);
  const calls = Number((await data.getByTestId('archive-calls').textContent())!.replace(/\D/g, ''));
  expect(calls).toBeGreaterThan(0);

  // Every call started before tomorrow: the dry run counts them all and deletes nothing.
  await data.getByLabel('Calls that started before').selectOption('custom');
  const tomorrow = await app.evaluate(() => {
    const d = new Date(Date.now() + 86_400_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  });
  await data.getByLabel('Date', { exact: true }).fill(tomorrow);
  await data.getByRole('button', { name: 'Delete old calls…' }).click();
  const confirm = data.getByTestId('prune-confirm');
  await expect(confirm).toContainText(/Calls to delete: [\d,]+, started before/);
  const counted = Number(
    /Calls to delete: ([\d,]+)/.exec((await confirm.textContent())!)![1]!.replace(/,/g, ''),
  );
  expect(counted).toBeGreaterThanOrEqual(calls);
  await expect(data.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await data.scrollIntoViewIfNeeded();
  await saveScreenshot(app, 'settings-data-light');
  await data.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  // Nothing was deleted (the sync may have added calls meanwhile).
  await app.keyboard.press('Alt+1');
  await app.keyboard.press('Alt+4');
  await expect(data.getByTestId('archive-calls')).toHaveText(/\d/);
  const after = Number((await data.getByTestId('archive-calls').textContent())!.replace(/\D/g, ''));
  expect(after).toBeGreaterThanOrEqual(counted);

  // Deleting for real: the count and the sizes before and after are reported.
  await app.keyboard.press('Alt+4');
  await data.getByLabel('Calls that started before').selectOption('custom');
  await data.getByLabel('Date', { exact: true }).fill(tomorrow);
  await data.getByRole('button', { name: 'Delete old calls…' }).click();
  await data.getByRole('button', { name: /^Delete [\d,]+ calls?$/ }).click();
  await expect(data.getByTestId('prune-status')).toContainText(
    /Deleted [\d,]+ calls\. The data file went from .+ to .+\./,
    { timeout: 30_000 },
  );
  await chooseTheme(app, 'dark');
  await data.scrollIntoViewIfNeeded();
  await saveScreenshot(app, 'settings-data-dark');
});
