import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallDetail, CallSearchResult, CallSummary } from '../../shared/archive-types.ts';
import type { ExportProgress } from '../../shared/export-types.ts';
import { ExportRequestSchema } from '../../shared/export-types.ts';
import { serveExportDownload } from './export-download.ts';
import { createExportService, type ExportServiceDeps } from './export-jobs.ts';
import type { ExportSources } from './export-sources.ts';

const CHANNEL = '数学课, "三年级" 🎉';

function call(i: number): CallSummary {
  return {
    appid: 'app',
    callId: `call-${i}`,
    cname: i === 0 ? CHANNEL : `room ${i}`,
    createdTs: 1_700_000_000 + i * 60,
    destroyedTs: i % 2 === 0 ? 1_700_000_600 + i * 60 : 0,
    finished: i % 2 === 0,
    archive: 'listed',
    userCount: 0,
    issueCount: 0,
    listedAtMs: 0,
    detailsAtMs: null,
  };
}

function sources(total: number): ExportSources {
  return {
    searchCalls(query): CallSearchResult {
      const start = Number(query.cursor ?? 0);
      const end = Math.min(total, start + query.limit);
      return {
        calls: Array.from({ length: end - start }, (_, k) => call(start + k)),
        total: query.cursor === undefined ? total : null,
        nextCursor: end < total ? String(end) : null,
      };
    },
    getCall: ({ callId }): CallDetail | undefined =>
      callId === 'listed-only'
        ? {
            ...call(1),
            users: [],
            issues: [],
            series: [],
            detailsFromTs: null,
            detailsToTs: null,
            notes: [],
          }
        : undefined,
  };
}

let dir: string;
const progress: ExportProgress[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crystal-export-jobs-'));
  progress.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const service = (extra: Partial<ExportServiceDeps> = {}, total = 1000) =>
  createExportService({
    sources: sources(total),
    onProgress: (p) => progress.push(p),
    ...extra,
  });

const request = (target: 'file' | 'download', params: Record<string, unknown> = {}) =>
  ExportRequestSchema.parse({ kind: 'calls', target, params });

async function serve(
  handler: Parameters<typeof createServer>[1],
): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('export service', () => {
  it('saves to the path the host chose and reports progress to the end', async () => {
    const path = join(dir, 'chosen.csv');
    const suggested: string[] = [];
    const exports = service({
      chooseFile: (name) => {
        suggested.push(name);
        return Promise.resolve(path);
      },
    });
    const started = await exports.start(request('file', { query: 'room' }));
    expect(started).toMatchObject({
      kind: 'calls',
      target: 'file',
      downloadPath: null,
      savedTo: path,
    });
    expect(suggested[0]).toMatch(/^calls-\d{8}-\d{6}\.csv$/);
    await exports.idle();
    const last = progress.at(-1)!;
    expect(last).toMatchObject({
      id: started!.id,
      state: 'done',
      rowsDone: 1000,
      rowsTotal: 1000,
      savedTo: path,
    });
    expect(progress.filter((p) => p.state === 'running').length).toBeGreaterThan(2);
    const rows = parse(readFileSync(path), { bom: true }) as string[][];
    expect(rows).toHaveLength(1001);
    expect(rows[1]?.[1]).toBe(CHANNEL);
    // A running call has no end, duration or "true".
    expect(rows[2]?.slice(4, 8)).toEqual(['', '', '', 'false']);
  });

  it('returns null when the agent dismisses the save dialog, and refuses "file" where no dialog exists', async () => {
    const dismissed = service({ chooseFile: () => Promise.resolve(undefined) });
    expect(await dismissed.start(request('file'))).toBeNull();
    await expect(service().start(request('file'))).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a call the archive has not fetched details for', async () => {
    const exports = service();
    await expect(
      exports.start(
        ExportRequestSchema.parse({
          kind: 'report',
          target: 'download',
          params: { callId: 'nope' },
        }),
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      exports.start(
        ExportRequestSchema.parse({
          kind: 'metrics',
          target: 'download',
          params: { callId: 'listed-only' },
        }),
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no details/) });
  });

  it('cancels a running file export: state cancelled, no file left', async () => {
    const path = join(dir, 'big.csv');
    const exports = service({ chooseFile: () => Promise.resolve(path) }, 300_000);
    const started = await exports.start(request('file'));
    await vi.waitFor(() => expect(progress.some((p) => p.rowsDone > 0)).toBe(true));
    expect(exports.cancel(started!.id)).toBe(true);
    await exports.idle();
    expect(progress.at(-1)).toMatchObject({ state: 'cancelled' });
    expect(progress.at(-1)?.rowsDone).toBeLessThan(300_000);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(exports.cancel(started!.id)).toBe(false);
  });

  it('serves a download once over HTTP with the file name in any script', async () => {
    const exports = service();
    const started = await exports.start(request('download'));
    expect(started?.downloadPath).toBe(`/export/${started?.id}`);
    expect(progress.at(-1)).toMatchObject({ state: 'waiting' });
    const { server, url } = await serve((req, res) => {
      const id = (req.url ?? '').slice('/export/'.length);
      void serveExportDownload(exports, id, req, res).then((served) => {
        if (!served) res.writeHead(404).end();
      });
    });
    try {
      const response = await fetch(`${url}${started!.downloadPath}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toMatch(
        /^attachment; filename="calls-\d{8}-\d{6}\.csv"; filename\*=UTF-8''calls-/,
      );
      const body = Buffer.from(await response.arrayBuffer());
      const rows = parse(body, { bom: true }) as string[][];
      expect(rows).toHaveLength(1001);
      expect(rows[1]?.[1]).toBe(CHANNEL);
      await exports.idle();
      expect(progress.at(-1)).toMatchObject({ state: 'done', rowsDone: 1000 });
      // Claimable once.
      expect((await fetch(`${url}${started!.downloadPath}`)).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('drops a download nobody collects, and one the agent cancels', async () => {
    const timers: Array<() => void> = [];
    const exports = service({
      timers: { setTimeout: (fn) => timers.push(fn), clearTimeout: () => {} },
    });
    const uncollected = await exports.start(request('download'));
    timers[0]!();
    expect(progress.at(-1)).toMatchObject({ id: uncollected!.id, state: 'cancelled' });
    expect(exports.claimDownload(uncollected!.id)).toBeUndefined();

    const cancelled = await exports.start(request('download'));
    expect(exports.cancel(cancelled!.id)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ id: cancelled!.id, state: 'cancelled' });
    expect(exports.claimDownload(cancelled!.id)).toBeUndefined();
  });
});
