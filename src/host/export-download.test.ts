import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CALLS_HEADER } from '../main/export/calls-csv.ts';
import type { BrowserHost } from './browser-host.ts';
import { startTestHost, type StartedHost } from './browser-host-test-fixture.ts';

describe('browser host CSV downloads', () => {
  let started: StartedHost;
  let host: BrowserHost;

  beforeEach(async () => {
    started = await startTestHost();
    host = started.host;
  });
  afterEach(() => started.close());

  const rpc = async (method: string, body: unknown) => {
    const response = await started.rpc(method, body);
    return (await response.json()) as { ok: boolean; value?: any; error?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads loose JSON
  };

  it('serves an export started with target "download" once, to the session token only', async () => {
    const started = await rpc('export.start', { kind: 'calls', target: 'download', params: {} });
    expect(started).toMatchObject({ ok: true, value: { kind: 'calls', target: 'download' } });
    const path = started.value.downloadPath as string;

    expect((await fetch(`${host.origin}${path}?token=wrong`)).status).toBe(401);
    const response = await fetch(`${host.origin}${path}?token=${encodeURIComponent(host.token)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="calls-/);
    const rows = parse(Buffer.from(await response.arrayBuffer()), { bom: true }) as string[][];
    expect(rows).toEqual([[...CALLS_HEADER]]);

    const again = await fetch(`${host.origin}${path}?token=${encodeURIComponent(host.token)}`);
    expect(again.status).toBe(404);
  });

  it('refuses target "file" where there is no save dialog, and bad export arguments by field', async () => {
    expect(await rpc('export.start', { kind: 'calls', target: 'file' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
    const bad = await rpc('export.start', { kind: 'report', target: 'download', params: {} });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(bad.error.message).toMatch(/params\.callId/);
  });
});
