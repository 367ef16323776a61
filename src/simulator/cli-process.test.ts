// The simulator as `npm run simulator` starts it: a real child process running package.json's
// `simulator` script, queried over loopback HTTP, and the same answers after a restart.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { ENDPOINT_PATHS } from '../shared/api-limits.ts';
import type { WireCallListItem } from '../shared/api-wire.ts';
import { rawRequest, type RawResponse } from './test-http-client.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SEED = 'cli-process';
const CREDENTIALS = { customerId: 'proc-id', secret: 'proc-secret' };

interface Banner {
  url: string;
  customerId: string;
  secret: string;
  appid: string;
  authorization: string;
}

interface Running {
  child: ChildProcess;
  banner: Banner;
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** The `simulator` script's arguments after `node` (e.g. `src/simulator/cli.ts`). */
function simulatorScriptArgs(): string[] {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
    scripts: Record<string, string>;
  };
  const [command, ...args] = (pkg.scripts['simulator'] ?? '').split(/\s+/);
  expect(command).toBe('node');
  return args;
}

/** Spawns the script with this Node and resolves its first stdout line, parsed. */
function spawnSimulator(): Promise<Running> {
  const child = spawn(
    process.execPath,
    [
      ...simulatorScriptArgs(),
      '--port',
      '0',
      '--seed',
      SEED,
      '--credentials',
      `${CREDENTIALS.customerId}:${CREDENTIALS.secret}`,
      '--json',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve({ child, banner: JSON.parse(line) as Banner, exited });
    });
    child.once('error', reject);
    void exited.then((code) =>
      reject(new Error(`simulator exited (${code}) before printing; stderr: ${stderr}`)),
    );
  });
}

async function stop(running: Running): Promise<number | null> {
  running.child.kill('SIGTERM');
  return running.exited;
}

const basic = `Basic ${Buffer.from(`${CREDENTIALS.customerId}:${CREDENTIALS.secret}`).toString('base64')}`;
// A past hour: what it holds is a function of the seed alone, whatever the real clock says.
const endTs = Math.floor(Date.now() / 1000) - 6 * 3600;
const startTs = endTs - 3600;

function get(banner: Banner, path: string, params: Record<string, string | number>) {
  const url = new URL(path, banner.url);
  url.searchParams.set('appid', banner.appid);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
  return rawRequest(url, basic);
}

/** One list and the details of its first call, as raw bodies. */
async function sample(banner: Banner): Promise<{ list: RawResponse; details: RawResponse }> {
  const list = await get(banner, ENDPOINT_PATHS.callLists, { start_ts: startTs, end_ts: endTs });
  expect(list.status).toBe(200);
  const first = list.json<{ call_lists: WireCallListItem[] }>().call_lists[0]!;
  expect(first.finished).toBe(true);
  const details = await get(banner, ENDPOINT_PATHS.callDetails, {
    call_id: first.call_id,
    start_ts: first.created_ts,
    end_ts: first.destroyed_ts,
  });
  expect(details.status).toBe(200);
  return { list, details };
}

describe('the simulator script as a process', () => {
  it('prints its URL and credentials as one JSON line and answers the API over loopback', async () => {
    const running = await spawnSimulator();
    const { banner } = running;
    expect(banner).toMatchObject({ ...CREDENTIALS, authorization: basic });
    expect(banner.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { list, details } = await sample(banner);
    const calls = list.json<{ call_lists: WireCallListItem[] }>().call_lists;
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) expect(c.created_ts).toBeGreaterThanOrEqual(startTs);
    expect(details.json<{ call_info: unknown[] }>().call_info.length).toBeGreaterThan(0);
    expect(await stop(running)).toBe(0);
  });

  it('answers byte-identical lists and details after a restart with the same seed', async () => {
    const before = await spawnSimulator();
    const a = await sample(before.banner);
    expect(await stop(before)).toBe(0);
    await expect(
      rawRequest(new URL('/__sim/stats', before.banner.url), basic),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    const after = await spawnSimulator();
    const b = await sample(after.banner);
    expect(await stop(after)).toBe(0);

    expect(b.list.text).toBe(a.list.text);
    expect(b.details.text).toBe(a.details.text);
    expect(a.details.json<{ metrics: unknown[] }>().metrics.length).toBeGreaterThan(0);
  });
});
