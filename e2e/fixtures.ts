// Test fixtures that give every spec an `app` page, whichever host the project runs against:
// the browser host (a real `node src/host/main.ts` process, driven in Debian's Chromium) or the
// Electron shell (Playwright's Electron support), each with a fresh data folder.

import {
  test as base,
  chromium,
  _electron,
  type ElectronApplication,
  type Page,
} from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findElectronBinary, hasDisplay } from '../scripts/electron-binary.ts';

export type HostKind = 'browser' | 'electron';

const ROOT = resolve(import.meta.dirname, '..');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots');

// Flags for a closed network: no background connections, no first-run work.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface HostProcess {
  url: string;
  child: ChildProcess;
}

function startHostProcess(dataDir: string): Promise<HostProcess> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ['src/host/main.ts', '--port', '0', '--data-dir', dataDir],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`browser host did not start:\n${output}`)),
      20_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise({ url: match[1], child });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser host exited with ${code}:\n${output}`));
    });
  });
}

/** Why the Electron host cannot run here, or null when it can. */
export function electronSkipReason(): string | null {
  const binary = findElectronBinary();
  if (!binary.ok) return `Electron host skipped: ${binary.reason}`;
  return hasDisplay() ? null : 'Electron host skipped: there is no display';
}

export interface HostFixtures {
  /** The app's window, whichever host runs it. */
  app: Page;
  /** The data folder the host was started with (fresh per test). */
  dataDir: string;
  /** The Electron app under the electron project (main-process access, e.g. to stub dialogs). */
  electronApp: ElectronApplication | null;
}

export const test = base.extend<HostFixtures, { hostKind: HostKind }>({
  hostKind: ['browser', { option: true, scope: 'worker' }],

  dataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'crystal-desk-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },

  electronApp: async ({ hostKind, dataDir }, use, testInfo) => {
    if (hostKind !== 'electron') return use(null);
    const reason = electronSkipReason();
    testInfo.skip(reason !== null, reason ?? '');
    const binary = findElectronBinary();
    if (!binary.ok) return;
    const electronApp = await _electron.launch({
      executablePath: binary.path,
      args: ['.', `--data-dir=${dataDir}`],
      cwd: ROOT,
    });
    await use(electronApp);
    await electronApp.close();
  },

  app: async ({ hostKind, dataDir, electronApp }, use) => {
    if (hostKind === 'electron') {
      if (electronApp) await use(await electronApp.firstWindow());
      return;
    }
    const host = await startHostProcess(dataDir);
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.url);
    await use(page);
    await browser.close();
    host.child.kill('SIGTERM');
  },
});

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

export { expect } from '@playwright/test';
