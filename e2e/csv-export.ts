// A CSV export as each host delivers it: the browser host serves a download; Electron writes the
// file where its save dialog said, so under Electron the dialog is stubbed in the main process to
// answer a fresh temporary folder (with the suggested file name), and that file is read back.

import type { ElectronApplication, Page } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from './fixtures.ts';

export interface ExportedCsv {
  /** The file's name (the download's suggested name, or the one the dialog suggested). */
  name: string;
  bytes: Buffer;
  /** Where Electron saved it; null for a browser download. */
  savedTo: string | null;
}

const SAVED_KEY = '__crystalDeskE2eSavedTo';

/** Runs `start` (the click on an "Export CSV" button) and returns the CSV the host delivered. */
export async function exportCsv(
  { app, electronApp }: { app: Page; electronApp: ElectronApplication | null },
  start: () => Promise<void>,
): Promise<ExportedCsv> {
  if (electronApp === null) {
    const downloading = app.waitForEvent('download');
    await start();
    const download = await downloading;
    const path = await download.path();
    return { name: download.suggestedFilename(), bytes: readFileSync(path), savedTo: null };
  }
  const folder = mkdtempSync(join(tmpdir(), 'crystal-desk-save-'));
  await electronApp.evaluate(
    ({ dialog }, { folder, key }) => {
      const answer = (...args: unknown[]) => {
        // showSaveDialog([window,] options)
        const options = (args.length > 1 ? args[1] : args[0]) as { defaultPath?: string };
        const name = (options.defaultPath ?? 'export.csv').split(/[\\/]/).pop()!;
        const filePath = `${folder}${folder.includes('\\') ? '\\' : '/'}${name}`;
        (globalThis as Record<string, unknown>)[key] = filePath;
        return Promise.resolve({ canceled: false, filePath });
      };
      dialog.showSaveDialog = answer as typeof dialog.showSaveDialog;
    },
    { folder, key: SAVED_KEY },
  );
  await start();
  const latest = app.getByTestId('exports').getByTestId('export').first();
  await expect(latest).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  const savedTo = await electronApp.evaluate(
    (_electron, key) => (globalThis as Record<string, unknown>)[key] as string | undefined,
    SAVED_KEY,
  );
  expect(savedTo, 'the save dialog was asked').toBeDefined();
  return {
    name: savedTo!.split(/[\\/]/).pop()!,
    bytes: readFileSync(savedTo!),
    savedTo: savedTo!,
  };
}
