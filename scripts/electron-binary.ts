// Finds Electron's binary without triggering its first-launch download as a side effect; can try
// that download once, with a time limit. Used by `npm start` and the e2e Electron project.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

function electronDir(): string {
  return dirname(require.resolve('electron/package.json'));
}

/** The binary if it is already on disk; never downloads. */
export function findElectronBinary(): ElectronBinary {
  const dir = electronDir();
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { ok: false, reason: "Electron's binary has not been downloaded" };
  }
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary)
    ? { ok: true, path: binary }
    : { ok: false, reason: `Electron's binary is missing at ${binary}` };
}

/** Runs Electron's own installer once (it downloads the binary) and reports what happened. */
export function downloadElectronBinary(timeoutMs = 120_000): ElectronBinary {
  const result = spawnSync(process.execPath, [join(electronDir(), 'install.js')], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  if (result.status === 0) return findElectronBinary();
  const output = `${result.stderr ?? ''}\n${result.stdout ?? ''}`;
  const line =
    output
      .split('\n')
      .map((l) => l.trim())
      .find((l) => /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|error/i.test(l)) ??
    (result.error ? String(result.error.message) : `exit code ${result.status}`);
  return { ok: false, reason: `Electron's binary could not be downloaded (${line})` };
}

export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform !== 'linux') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}
