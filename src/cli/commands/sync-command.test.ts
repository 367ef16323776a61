import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA_PLAN, scalePlanRates } from '../../shared/api-limits.ts';
import { SYNC_NOTE_CODES, syncNoteEnglish, type SyncNote } from '../../shared/sync-notes.ts';
import { startSimulator, type SimulatorHandle } from '../../simulator/index.ts';
import { archiveProblems } from '../../main/store/archive-invariants.ts';
import { openDatabase } from '../../main/store/index.ts';
import { DATABASE_FILE } from '../../main/core/app-core.ts';

const BIN = join(import.meta.dirname, '../../../bin/crystal-desk.js');
const RATE_SCALE = 10;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Started {
  child: ChildProcess;
  done: Promise<Run>;
  /** The run so far, and whether it has exited. */
  now(): Run & { exited: boolean };
}

function cli(args: string[], env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const done = new Promise<Run>((resolve) =>
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return {
    child,
    done,
    now: () => ({
      code: exit?.code ?? null,
      signal: exit?.signal ?? null,
      stdout,
      stderr,
      exited: exit !== null,
    }),
  };
}

const POLL_MS = 50;
const MAX_POLLS = 600;

/**
 * Waits until the latest sync job in the data file has sent `count` list requests; fails with
 * the child's output if it exits first, and after MAX_POLLS looks.
 */
async function untilListed(file: string, count: number, run: Started): Promise<void> {
  for (let poll = 0; poll < MAX_POLLS; poll++) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    const seen = run.now();
    if (seen.exited) {
      throw new Error(
        `crystal-desk exited (code ${seen.code}) before ${count} list requests:\n${seen.stderr}`,
      );
    }
    try {
      const db = openDatabase({ file, readonly: true });
      const listed = db
        .prepare('SELECT list_requests FROM sync_jobs ORDER BY id DESC LIMIT 1')
        .pluck()
        .get() as number | undefined;
      db.close();
      if (listed !== undefined && listed >= count) return;
    } catch {
      // Not created yet.
    }
  }
  throw new Error(`No ${count} list requests after ${MAX_POLLS} looks:\n${run.now().stderr}`);
}

describe('crystal-desk sync', () => {
  let sim: SimulatorHandle;
  let dir: string;
  const now = Math.floor(Date.now() / 1000);
  const fromTs = now - 26 * 3600;
  const toTs = now - 2 * 3600;
  let account: string[];

  beforeAll(async () => {
    sim = await startSimulator({
      seed: 'cli-sync',
      callsPerDay: 800,
      plan: scalePlanRates(BETA_PLAN, RATE_SCALE),
    });
    dir = mkdtempSync(join(tmpdir(), 'crystal-desk-cli-'));
    account = [
      '--base-url',
      sim.url,
      '--appid',
      sim.appid,
      '--customer-id',
      sim.credentials.customerId,
      '--rate-scale',
      String(RATE_SCALE),
    ];
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses bad usage with exit code 2 and plain words', async () => {
    const missing = await cli(['sync', ...account, '--data-dir', join(dir, 'usage')]).done;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--from is required');
    const bad = await cli([
      'sync',
      '--from',
      'yesterday',
      ...account,
      '--data-dir',
      join(dir, 'usage'),
    ]).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a time');
  });

  it('fails with exit code 1 when no secret is available', async () => {
    const run = await cli(
      ['sync', '--from', '-1h', ...account, '--data-dir', join(dir, 'nosecret')],
      {
        CRYSTAL_DESK_SECRET: '',
      },
    ).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/CRYSTAL_DESK_SECRET/);
  });

  it('loses nothing committed when killed mid-sync, and a rerun completes the same job', async () => {
    const args = [
      'sync',
      '--from',
      String(new Date(fromTs * 1000).toISOString()),
      '--to',
      new Date(toTs * 1000).toISOString(),
      '--max-details',
      '15',
      '--json',
      ...account,
      '--data-dir',
      dir,
    ];
    const env = { CRYSTAL_DESK_SECRET: sim.credentials.secret };
    const first = cli(args, env);
    const file = join(dir, DATABASE_FILE);
    // Kill it once some list answers are committed.
    await untilListed(file, 15, first);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');

    const after = openDatabase({ file });
    const committed = after.prepare('SELECT call_id FROM calls').pluck().all() as string[];
    // Killed between two answers: every call is whole, as the last committed step left it.
    expect(archiveProblems(after)).toEqual([]);
    const job = after.prepare('SELECT id, state FROM sync_jobs').all() as Array<{
      id: number;
      state: string;
    }>;
    after.close();
    expect(committed.length).toBeGreaterThan(0);
    expect(job).toEqual([{ id: 1, state: 'running' }]);

    const rerun = await cli(args, env).done;
    expect(rerun.code, rerun.stderr).toBe(0);
    const status = JSON.parse(rerun.stdout) as {
      jobId: number;
      state: string;
      requests: { details: number };
      notes: Array<SyncNote & { text: string }>;
    };
    expect(status.jobId).toBe(1);
    expect(status.state).toBe('done');
    // Notes are codes with parameters, each with its English sentence for people reading.
    expect(status.notes.every((n) => SYNC_NOTE_CODES.includes(n.code))).toBe(true);
    for (const n of status.notes) expect(n.text).toBe(syncNoteEnglish(n));
    const budget = status.notes.find((n) => n.code === 'detailsBudget');
    expect(budget?.params).toEqual({ count: expect.any(Number) as number });
    expect(budget?.text).toMatch(/^Details budget: \d+ call\(s\) stay listed-only/);

    const db = openDatabase({ file });
    const ids = db
      .prepare('SELECT call_id FROM calls WHERE created_ts BETWEEN ? AND ?')
      .pluck()
      .all(fromTs, toTs) as string[];
    const full = db
      .prepare("SELECT id FROM calls WHERE archive = 'full'")
      .pluck()
      .all() as number[];
    const withoutUsers = db
      .prepare(
        "SELECT COUNT(*) FROM calls c WHERE archive = 'full' AND NOT EXISTS (SELECT 1 FROM call_users u WHERE u.call_rowid = c.id)",
      )
      .pluck()
      .get();
    // Details merged from chunks of the interrupted and the resumed run: no point twice.
    expect(archiveProblems(db)).toEqual([]);
    db.close();
    expect(committed.every((id) => ids.includes(id))).toBe(true);
    const have = new Set(ids);
    const crowdedDb = openDatabase({ file });
    const crowded = JSON.parse(
      crowdedDb.prepare('SELECT crowded FROM sync_jobs').pluck().get() as string,
    ) as Array<{ ts: number }>;
    crowdedDb.close();
    const missed = sim.truth({ startTs: fromTs, endTs: toTs }).filter((c) => !have.has(c.call_id));
    // Only calls in crowded seconds (reported) may be missed: see the sync engine's tests.
    expect(missed.every((c) => crowded.some((s) => s.ts === c.created_ts))).toBe(true);
    // The interrupted and resumed job archives exactly what one uninterrupted run of it does.
    const straightDir = join(dir, 'uninterrupted');
    const straight = await cli(
      args.map((a) => (a === dir ? straightDir : a)),
      env,
    ).done;
    expect(straight.code, straight.stderr).toBe(0);
    const straightDb = openDatabase({ file: join(straightDir, DATABASE_FILE), readonly: true });
    const straightIds = straightDb
      .prepare('SELECT call_id FROM calls WHERE created_ts BETWEEN ? AND ?')
      .pluck()
      .all(fromTs, toTs) as string[];
    straightDb.close();
    expect([...ids].sort()).toEqual([...straightIds].sort());
    expect(full.length).toBeGreaterThan(0);
    expect(withoutUsers).toBe(0);
    const rejected = Object.values(sim.stats().endpoints).reduce(
      (n, e) => n + e.rejected.rate_limited,
      0,
    );
    expect(rejected).toBe(0);
  });

  it('resumes an interrupted sync of a relative range (--from -26h) when the same command runs again', async () => {
    const dataDir = join(dir, 'relative');
    const args = [
      'sync',
      '--from',
      '-26h',
      '--max-details',
      '0',
      '--json',
      ...account,
      '--data-dir',
      dataDir,
    ];
    const env = { CRYSTAL_DESK_SECRET: sim.credentials.secret };
    const first = cli(args, env);
    await untilListed(join(dataDir, DATABASE_FILE), 10, first);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');

    // A moment later "-26h" and "now" are other times; the job is the same, its end extended.
    const rerun = await cli(args, env).done;
    expect(rerun.code, rerun.stderr).toBe(0);
    const status = JSON.parse(rerun.stdout) as { jobId: number; state: string; toTs: number };
    expect(status).toMatchObject({ jobId: 1, state: 'done' });
    const db = openDatabase({ file: join(dataDir, DATABASE_FILE), readonly: true });
    const jobs = db.prepare('SELECT id, to_ts FROM sync_jobs').all() as Array<{ id: number }>;
    db.close();
    expect(jobs).toEqual([{ id: 1, to_ts: status.toTs }]);
  });

  it('searches the archive offline with crystal-desk calls', async () => {
    const run = await cli([
      'calls',
      '--data-dir',
      dir,
      '--query',
      'sched-',
      '--limit',
      '3',
      '--json',
    ]).done;
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { calls: Array<{ cname: string }>; total: number };
    expect(result.calls).toHaveLength(3);
    expect(result.calls.every((c) => c.cname.startsWith('sched-'))).toBe(true);
    expect(result.total).toBeGreaterThan(3);
    const text = await cli(['calls', '--data-dir', dir, '--limit', '2']).done;
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split('\n')).toHaveLength(2);
  });
});
