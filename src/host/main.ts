// Command-line entry of the browser host: `node src/host/main.ts [--port N] [--data-dir DIR]`.
// Prints the URL to open; runs until interrupted.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAppCore } from '../main/core/app-core.ts';
import { defaultDataDir } from '../main/core/data-dir.ts';
import { startBrowserHost } from './browser-host.ts';

export const RENDERER_DIR = resolve(import.meta.dirname, '../../out/renderer');

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    'renderer-dir': { type: 'string' },
    token: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(`Usage: node src/host/main.ts [--port N] [--data-dir DIR] [--renderer-dir DIR]

Serves Crystal Desk to a browser on 127.0.0.1 and prints the address to open.
  --port N            port to listen on (default: a free one)
  --data-dir DIR      where the app keeps its data (default: ${defaultDataDir()})
  --renderer-dir DIR  the built renderer (default: out/renderer; build it with npm run build)`);
  process.exit(0);
}

const rendererDir = values['renderer-dir'] ?? RENDERER_DIR;
if (!existsSync(resolve(rendererDir, 'index.html'))) {
  console.error(`No built renderer in ${rendererDir}. Run "npm run build" first.`);
  process.exit(1);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a whole number from 0 to 65535, not "${values.port}".`);
  process.exit(2);
}

const dataDir = values['data-dir'] ?? defaultDataDir();
const core = createAppCore({ dataDir, host: 'browser' });
const host = await startBrowserHost({
  core,
  rendererDir,
  port,
  ...(values.token ? { token: values.token } : {}),
});
console.log(`Crystal Desk is running in your browser at: ${host.url}`);
console.log(`Data folder: ${dataDir}`);

const shutdown = () => {
  void host.close().finally(() => {
    core.close();
    process.exit(0);
  });
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
