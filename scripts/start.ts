// `npm start`: builds the app, then opens it in Electron; where Electron's binary cannot be had
// (or there is no display) it serves the same app in the browser host and says why in one line.

import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { downloadElectronBinary, findElectronBinary, hasDisplay } from './electron-binary.ts';

const root = resolve(import.meta.dirname, '..');
const passThrough = process.argv.slice(2);

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function startBrowserHost(reason: string): void {
  console.log(`Opening the browser host instead of the desktop window: ${reason}.`);
  const child = spawn(process.execPath, ['src/host/main.ts', ...passThrough], {
    cwd: root,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code) => process.exit(code ?? 0));
}

console.log('Building Crystal Desk…');
run(process.execPath, [
  resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'),
  'build',
  '--logLevel',
  'warn',
]);

if (process.env.CRYSTAL_DESK_HOST === 'browser') {
  startBrowserHost('CRYSTAL_DESK_HOST=browser is set');
} else if (!hasDisplay()) {
  const binary = findElectronBinary();
  const also = binary.ok ? '' : `, and ${binary.reason}`;
  startBrowserHost(`there is no display (DISPLAY and WAYLAND_DISPLAY are unset)${also}`);
} else {
  let binary = findElectronBinary();
  if (!binary.ok) {
    console.log(`${binary.reason}; trying to download it once…`);
    binary = downloadElectronBinary();
  }
  if (!binary.ok) {
    startBrowserHost(binary.reason);
  } else {
    const started = Date.now();
    const child = spawn(binary.path, ['.', ...passThrough], { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => {
      // A window that dies at once (missing system libraries, no GPU) falls back too.
      if (code !== 0 && Date.now() - started < 5000) {
        startBrowserHost(`Electron exited at start with code ${code}`);
      } else process.exit(code ?? 0);
    });
  }
}
