import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DATABASE_FILE } from '../../main/core/app-core.ts';
import { createCallArchiveStore, openDatabase } from '../../main/store/index.ts';
import { HOSTILE_CHANNEL_NAMES } from '../../simulator/index.ts';
import { exportCommand } from './export-command.ts';

describe('crystal-desk export', () => {
  let dir: string;
  const out: string[] = [];
  const err: string[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crystal-desk-cli-export-'));
    const db = openDatabase({ file: join(dir, DATABASE_FILE) });
    createCallArchiveStore(db).recordListed(
      'app1',
      HOSTILE_CHANNEL_NAMES.map((cname, i) => ({
        call_id: `call-${i}`,
        cname,
        created_ts: 1_760_000_000 + i * 3600,
        destroyed_ts: 1_760_001_800 + i * 3600,
        finished: true,
      })),
      Date.now(),
    );
    db.close();
    out.length = 0;
    err.length = 0;
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the calls a search finds, hostile channel names intact', async () => {
    const file = join(dir, 'calls.csv');
    const code = await exportCommand.run([
      '--kind',
      'calls',
      '--out',
      file,
      '--data-dir',
      dir,
      '--json',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(out.join(''))).toEqual({
      kind: 'calls',
      file,
      rows: HOSTILE_CHANNEL_NAMES.length,
    });
    const rows = parse(readFileSync(file), { bom: true }) as string[][];
    const names = rows.slice(1).map((r) => r[1]!.replace(/^'(?=[=+\-@\t\r])/, ''));
    expect(names).toEqual([...HOSTILE_CHANNEL_NAMES]);
  });

  it('narrows kind calls by time and query', async () => {
    const file = join(dir, 'some.csv');
    const code = await exportCommand.run([
      '--kind',
      'calls',
      '--out',
      file,
      '--data-dir',
      dir,
      '--from',
      '2025-10-09T08:53:20Z',
      '--to',
      '2025-10-09T10:53:20Z',
    ]);
    expect(code).toBe(0);
    const rows = parse(readFileSync(file), { bom: true }) as string[][];
    expect(rows.slice(1).map((r) => r[0])).toEqual(['call-0', 'call-1', 'call-2']);
    expect(err.join('')).toMatch(/Wrote 3 rows/);
  });

  it('explains usage mistakes with exit code 2, and a call the archive lacks with 1', async () => {
    expect(await exportCommand.run(['--kind', 'pie', '--out', 'x.csv'])).toBe(2);
    expect(await exportCommand.run(['--kind', 'report', '--out', 'x.csv'])).toBe(2);
    expect(await exportCommand.run(['--kind', 'calls'])).toBe(2);
    const file = join(dir, 'r.csv');
    expect(
      await exportCommand.run([
        '--kind',
        'report',
        '--call',
        'call-3',
        '--out',
        file,
        '--data-dir',
        dir,
      ]),
    ).toBe(1);
    expect(err.join('')).toMatch(/no details of call call-3/);
  });
});
