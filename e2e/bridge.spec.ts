// The typed bridge end to end: the app frame shows real data from app.info, settings round-trip
// through the contract, and a bad argument comes back as BAD_INPUT naming the field.

import { expect, saveScreenshot, test } from './fixtures.ts';

test('the app frame shows navigation and real data from app.info', async ({ app, dataDir }) => {
  const nav = app.getByRole('navigation', { name: 'Main navigation' });
  for (const name of ['Calls', 'Insights', 'Feedback', 'Settings']) {
    await expect(nav.getByRole('button', { name })).toBeVisible();
  }
  await expect(app.getByTestId('status-bar')).toContainText(dataDir);
  await app.getByRole('button', { name: 'Settings' }).click();
  await expect(app.getByTestId('about')).toContainText(dataDir);
  await expect(app.getByTestId('about')).toContainText(/Node|Electron/);
  // Settings before any profile exists (the workspace spec shows it with one).
  await saveScreenshot(app, 'settings-no-profile-light');
});

test('settings round-trip through the bridge and survive a reload', async ({ app }) => {
  await app.keyboard.press('Alt+4');
  await app.getByLabel('Theme').selectOption('dark');
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  await app.getByLabel('Language').selectOption('zh-CN');
  await expect(app.getByRole('navigation', { name: '主导航' })).toBeVisible();
  await app.reload();
  await expect(app.getByRole('button', { name: '设置' })).toBeVisible();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  // No profile yet: the first-run screen, in Chinese and dark.
  await saveScreenshot(app, 'onboarding-zh-dark');
});

test('a bad argument is rejected with BAD_INPUT naming the field', async ({ app }) => {
  await expect(app.getByRole('button', { name: 'Calls' })).toBeVisible();
  const outcome = await app.evaluate(() =>
    // @ts-expect-error -- 'purple' is not a theme: the contract's schema must refuse it.
    window.crystal!.settings.set({ theme: 'purple' }),
  );
  expect(outcome.ok).toBe(false);
  if (outcome.ok) return;
  expect(outcome.error.code).toBe('BAD_INPUT');
  expect(outcome.error.message).toContain('theme');
  expect(outcome.error.details).toEqual({ fields: ['theme'] });

  const unknownField = await app.evaluate(() =>
    // @ts-expect-error -- settings have no 'volume' field.
    window.crystal!.settings.set({ volume: 11 }),
  );
  expect(unknownField.ok).toBe(false);
  if (!unknownField.ok) expect(unknownField.error.message).toContain('volume');

  // The good value still goes through, so the refusal above was about the value alone.
  const good = await app.evaluate(() => window.crystal!.settings.set({ theme: 'light' }));
  expect(good).toEqual({ ok: true, value: { language: 'system', theme: 'light' } });
});
