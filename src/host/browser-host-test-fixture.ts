// Test fixture for the browser host: an app core over a temp data dir and a started host serving
// a stub renderer on a free loopback port. Used by tests only.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppCore, type AppCore } from '../main/core/app-core.ts';
import { startBrowserHost, type BrowserHost } from './browser-host.ts';

export interface StartedHost {
  core: AppCore;
  host: BrowserHost;
  /** POSTs a contract call with the session token (or the given one). */
  rpc(method: string, body: unknown, token?: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestHost(): Promise<StartedHost> {
  const dir = mkdtempSync(join(tmpdir(), 'crystal-desk-host-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Crystal Desk</title>');
  const core = createAppCore({ dataDir: join(dir, 'data'), host: 'browser' });
  const host = await startBrowserHost({ core, rendererDir });
  return {
    core,
    host,
    rpc: (method, body, token = host.token) =>
      fetch(`${host.origin}/rpc/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    async close() {
      await host.close();
      core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
