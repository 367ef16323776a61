import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallSearchResult, CallSummary } from '../../shared/archive-types.ts';
import { callsTable } from './calls-csv.ts';
import { writeCsv, type CsvRow } from './csv-writer.ts';
import { writeTableToFile } from './export-file.ts';
import type { ExportSources } from './export-sources.ts';
import { neutraliseCell } from './formula-neutraliser.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crystal-csv-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function csvText(header: string[], rows: CsvRow[]): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeCsv({ header, rows, out });
  return Buffer.concat(chunks).toString('utf8');
}

/** A search over `total` synthetic calls, generated page by page (nothing kept). */
function syntheticSource(total: number): ExportSources {
  const call = (i: number): CallSummary => ({
    appid: 'app',
    callId: `call-${i}`,
    cname: i % 7 === 0 ? `=HYPERLINK("x",${i})` : `频道 ${i}, "room"`,
    createdTs: 1_700_000_000 + i,
    destroyedTs: 1_700_000_600 + i,
    finished: true,
    archive: 'listed',
    userCount: i % 5,
    issueCount: 0,
    listedAtMs: 0,
    detailsAtMs: null,
  });
  return {
    searchCalls(query): CallSearchResult {
      const start = query.cursor === undefined ? 0 : Number(query.cursor);
      const end = Math.min(total, start + query.limit);
      const calls: CallSummary[] = [];
      for (let i = start; i < end; i++) calls.push(call(i));
      return {
        calls,
        total: query.cursor === undefined ? total : null,
        nextCursor: end < total ? String(end) : null,
      };
    },
    getCall: () => undefined,
  };
}

describe('formula neutraliser', () => {
  it('prefixes cells a spreadsheet would run with a single quote', () => {
    for (const payload of ['=1+1', '+SUM(A1)', '-2+3', '@SUM(1,2)', '\tcmd', '\rcmd']) {
      expect(neutraliseCell(payload)).toBe(`'${payload}`);
    }
    for (const safe of ['', 'plain', "'already", '数学课', ' =not first', 'a=b']) {
      expect(neutraliseCell(safe)).toBe(safe);
    }
  });
});

describe('CSV writer', () => {
  it('writes formula payloads inert and keeps negative numbers as numbers', async () => {
    const text = await csvText(
      ['text', 'number'],
      [
        ['=HYPERLINK("http://evil","x")', -2.5],
        ['+1', -1],
        ['-2+3', 0],
        ['@SUM(1,2)', 3],
        ['\tTAB', -0.001],
        ['\rCR', 1e21],
      ],
    );
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = parse(text, { bom: true }) as string[][];
    expect(rows.slice(1)).toEqual([
      [`'=HYPERLINK("http://evil","x")`, '-2.5'],
      [`'+1`, '-1'],
      [`'-2+3`, '0'],
      [`'@SUM(1,2)`, '3'],
      [`'\tTAB`, '-0.001'],
      [`'\rCR`, '1e+21'],
    ]);
    // Every text cell starts with the quote; numbers are bare (no quote, no double quotes).
    expect(text).toContain('\r\n"\'=HYPERLINK(""http://evil"",""x"")",-2.5\r\n');
  });

  it('quotes per RFC 4180 and keeps text in any script intact', async () => {
    const cells = ['a,b', 'say "hi"', 'line\nbreak', 'cr\r\nlf', '英语 🎉', 'عربى', ''];
    const text = await csvText(
      ['c'],
      cells.map((c) => [c]),
    );
    const rows = parse(text, { bom: true }) as string[][];
    expect(rows.slice(1).map((r) => r[0])).toEqual(cells);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('streams a 10^6-row export to a file in flat memory', async () => {
    const total = 1_000_000;
    const table = await callsTable(syntheticSource(total), {}, Date.now());
    const out = join(dir, 'big.csv');
    // Live memory after a full collection, so garbage not yet collected does not count.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const live = () => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const baseline = live();
    let peakGrowth = 0;
    let reports = 0;
    const rows = await writeTableToFile(table, out, {
      onProgress: () => {
        if (reports++ % 10 === 0) peakGrowth = Math.max(peakGrowth, live() - baseline);
      },
    });
    expect(rows).toBe(total);
    expect(reports).toBeGreaterThan(100);
    // The file is ~90 MB; holding it (or its rows) in memory would grow live memory far past this.
    expect(peakGrowth).toBeLessThan(16 * 1024 * 1024);

    let lines = 0;
    let bytes = 0;
    for await (const chunk of createReadStream(out) as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 0x0a) lines++;
    }
    expect(bytes).toBeGreaterThan(50 * 1024 * 1024);
    expect(lines).toBe(total + 1);
  });

  it('stops on cancel with CANCELLED and leaves no file behind', async () => {
    const table = await callsTable(syntheticSource(200_000), {}, Date.now());
    const controller = new AbortController();
    const out = join(dir, 'cancelled.csv');
    let seen = 0;
    await expect(
      writeTableToFile(table, out, {
        signal: controller.signal,
        onProgress: ({ rowsDone, rowsTotal }) => {
          seen = rowsDone;
          expect(rowsTotal).toBe(200_000);
          if (rowsDone > 10_000) controller.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toBeLessThan(200_000);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
