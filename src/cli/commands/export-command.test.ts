import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DATABASE_FILE } from '../../main/core/app-core.ts';
import {
  createCallArchiveStore,
  createProfileStore,
  openDatabase,
} from '../../main/store/index.ts';
import { HOSTILE_CHANNEL_NAMES } from '../../simulator/index.ts';
import { callsCommand } from './calls-command.ts';
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
    // Another App ID's call, and a saved profile for app1 (no secret needed to read the archive).
    createCallArchiveStore(db).recordListed(
      'app2',
      [
        {
          call_id: 'other-1',
          cname: 'other school',
          created_ts: 1_700_000_000,
          destroyed_ts: 1_700_000_600,
          finished: true,
        },
      ],
      Date.now(),
    );
    createProfileStore(db).insert({
      id: 'p1',
      name: 'School A',
      kind: 'api',
      appid: 'app1',
      customerId: 'cust',
      baseUrl: 'https://api.agora.io',
      plan: 'beta',
      active: true,
      createdAt: 1,
      updatedAt: 1,
    });
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
      rows: HOSTILE_CHANNEL_NAMES.length + 1,
    });
    const rows = parse(readFileSync(file), { bom: true }) as string[][];
    const names = rows.slice(1).map((r) => r[1]!.replace(/^'(?=[=+\-@\t\r])/, ''));
    expect(names.filter((n) => n !== 'other school')).toEqual([...HOSTILE_CHANNEL_NAMES]);
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

  it('writes one call’s row with --kind calls --call ID', async () => {
    const file = join(dir, 'one.csv');
    const args = ['--kind', 'calls', '--call', 'call-2', '--out', file, '--data-dir', dir];
    expect(await exportCommand.run(args)).toBe(0);
    const rows = parse(readFileSync(file), { bom: true }) as string[][];
    expect(rows.slice(1).map((r) => r[0])).toEqual(['call-2']);
    const missing = ['--kind', 'calls', '--call', 'nope', '--out', file, '--data-dir', dir];
    expect(await exportCommand.run(missing)).toBe(1);
    expect(err.join('')).toMatch(/Call nope is not in the archive/);
  });

  it('scopes calls and export to a saved profile’s App ID with --profile', async () => {
    const file = join(dir, 'school-a.csv');
    const args = ['--kind', 'calls', '--profile', 'School A', '--out', file, '--data-dir', dir];
    expect(await exportCommand.run(args)).toBe(0);
    const rows = parse(readFileSync(file), { bom: true }) as string[][];
    expect(rows).toHaveLength(HOSTILE_CHANNEL_NAMES.length + 1);
    expect(rows.slice(1).map((r) => r[0])).not.toContain('other-1');

    out.length = 0;
    expect(await callsCommand.run(['--profile', 'p1', '--data-dir', dir, '--json'])).toBe(0);
    const found = JSON.parse(out.join('')) as { calls: Array<{ appid: string }>; total: number };
    expect(found.total).toBe(HOSTILE_CHANNEL_NAMES.length);
    expect(new Set(found.calls.map((c) => c.appid))).toEqual(new Set(['app1']));
    expect(await callsCommand.run(['--profile', 'Nobody', '--data-dir', dir])).toBe(2);
    expect(err.join('')).toMatch(/no profile named "Nobody".*"School A"/);
  });

  it('answers a usage mistake as data with --json', async () => {
    expect(await callsCommand.run(['--finished', '--running', '--json', '--data-dir', dir])).toBe(
      2,
    );
    expect(JSON.parse(out.join(''))).toEqual({
      error: { code: 'BAD_INPUT', message: 'Use --finished or --running, not both.' },
    });
  });

  it('names the missing folder of --out instead of failing on a temporary file', async () => {
    const folder = join(dir, 'no', 'such');
    const file = join(folder, 'calls.csv');
    expect(await exportCommand.run(['--kind', 'calls', '--out', file, '--data-dir', dir])).toBe(2);
    const said = err.join('');
    expect(said).toContain(`The folder ${folder} does not exist`);
    expect(said).not.toMatch(/ENOENT|\.part/);
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
