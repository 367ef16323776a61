// The calls list at 10^6 matches: an archive of a million listed calls (recorded through the
// store as a sync records a list answer) is scrolled end to end in Chromium. End, Home, Page
// Down and the arrows reach every row; dragging the scrollbar to the bottom shows the last call;
// the wheel moves by its own distance; and Tab reaches the list wherever it was scrolled.

import type { Locator } from '@playwright/test';
import { join } from 'node:path';
import { DATABASE_FILE } from '../src/main/core/app-core.ts';
import { createCallArchiveStore, openDatabase } from '../src/main/store/index.ts';
import { DEFAULT_APPID } from '../src/simulator/index.ts';
import { electronSkipReason, expect, test as base } from './fixtures.ts';

const CALLS = 1_000_000;
const ROW_HEIGHT = 44;

/** A million finished calls, two seconds apart, ending a week ago (older than the API keeps). */
function seedListedCalls(dataDir: string): void {
  const db = openDatabase({ file: join(dataDir, DATABASE_FILE) });
  try {
    const archive = createCallArchiveStore(db);
    const last = Math.floor(Date.now() / 1000) - 7 * 86_400;
    const batch = 20_000;
    for (let from = 0; from < CALLS; from += batch) {
      const items = [];
      for (let i = from; i < from + batch; i++) {
        const created = last - (CALLS - 1 - i) * 2;
        items.push({
          call_id: `e2e${i.toString(16).padStart(21, '0')}`,
          cname: `room-${i % 5000}`,
          created_ts: created,
          destroyed_ts: created + 600,
          finished: true,
        });
      }
      archive.recordListed(DEFAULT_APPID, items, Date.now());
    }
  } finally {
    db.close();
  }
}

const test = base.extend<{ dataDir: string }>({
  dataDir: async ({ dataDir, hostKind }, use) => {
    // Not for a host that will be skipped: the seeding takes a while.
    if (hostKind === 'browser' || electronSkipReason() === null) seedListedCalls(dataDir);
    await use(dataDir);
  },
});

/** The row the list's keys act on (its aria-activedescendant). */
async function activeRow(list: Locator): Promise<Locator> {
  const id = await list.getAttribute('aria-activedescendant');
  expect(id).not.toBeNull();
  return list.locator(`[id="${id}"]`);
}

async function expectInView(list: Locator, row: Locator): Promise<void> {
  const view = (await list.boundingBox())!;
  const box = (await row.boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(view.y - 1);
  expect(box.y + box.height).toBeLessThanOrEqual(view.y + view.height + 1);
}

/** The index of the first row wholly in view. */
async function firstRowInView(list: Locator): Promise<number> {
  return list.evaluate((viewport) => {
    const top = viewport.getBoundingClientRect().top;
    const rows = [...viewport.querySelectorAll<HTMLElement>('[role="option"]')];
    const inView = rows
      .filter((row) => row.getBoundingClientRect().top >= top - 1)
      .map((row) => Number(row.dataset['index']));
    return Math.min(...inView);
  });
}

test('a list of a million calls scrolls to every row, by keyboard, scrollbar and wheel', async ({
  app,
}) => {
  test.setTimeout(120_000);
  await app.getByRole('button', { name: 'Try with demo data' }).click();
  await expect(app.getByTestId('call-summary')).toHaveText('1,000,000 calls', { timeout: 30_000 });
  const list = app.getByRole('listbox', { name: 'Calls found' });
  await expect(list.getByRole('option').first()).toHaveAttribute('data-call-id', /.+/);

  // The wheel moves the list by its own distance (10 rows), not by the scaled scrollbar's.
  await list.hover();
  await app.mouse.wheel(0, 10 * ROW_HEIGHT);
  await expect.poll(() => firstRowInView(list)).toBe(10);

  // End: the last of the million, in view and loaded.
  await list.focus();
  await app.keyboard.press('End');
  let row = await activeRow(list);
  await expect(row).toHaveAttribute('aria-posinset', String(CALLS));
  await expect(row).toHaveAttribute('data-call-id', `e2e${'0'.repeat(21)}`);
  await expectInView(list, row);

  // Page Up, then back down with the arrow: still the rows next to the end.
  await app.keyboard.press('PageUp');
  row = await activeRow(list);
  const page = Number(await row.getAttribute('data-index'));
  expect(page).toBeLessThan(CALLS - 1);
  expect(page).toBeGreaterThan(CALLS - 30);
  await expectInView(list, row);
  await app.keyboard.press('ArrowDown');
  await expect(await activeRow(list)).toHaveAttribute('data-index', String(page + 1));

  // Home: the first (newest) call.
  await app.keyboard.press('Home');
  row = await activeRow(list);
  await expect(row).toHaveAttribute('aria-posinset', '1');
  await expectInView(list, row);

  // The scrollbar dragged to the middle, then to the bottom: the rows there are shown.
  await list.evaluate((viewport) => {
    viewport.scrollTop = (viewport.scrollHeight - viewport.clientHeight) / 2;
  });
  await expect.poll(() => firstRowInView(list)).toBeGreaterThan(CALLS / 2 - 100);
  expect(await firstRowInView(list)).toBeLessThan(CALLS / 2 + 100);
  await list.evaluate((viewport) => {
    viewport.scrollTop = viewport.scrollHeight;
  });
  const last = list.locator(`[data-index="${CALLS - 1}"]`);
  await expect(last).toHaveAttribute('data-call-id', /.+/);
  await expectInView(list, last);

  // The focused row (the first) is far out of view now; Tab still reaches the list, on a row in
  // view, and the keys go on from there.
  await app.getByRole('searchbox', { name: 'Search calls' }).focus();
  await app.getByRole('button', { name: 'Export CSV' }).focus();
  await app.keyboard.press('Tab');
  await expect(list).toBeFocused();
  row = await activeRow(list);
  await expectInView(list, row);
  const from = Number(await row.getAttribute('data-index'));
  expect(from).toBeGreaterThan(CALLS - 20);
  await app.keyboard.press('ArrowUp');
  await expect(await activeRow(list)).toHaveAttribute('data-index', String(from - 1));
});
