// `crystal-desk calls [--query Q] [--from T --to T] [--limit N]`: searches the archive offline
// (no request is sent), newest first, as a table or --json.

import { parseArgs } from 'node:util';
import { CallSearchSchema, type CallSummary } from '../../shared/archive-types.ts';
import { createCallSearch } from '../../main/store/index.ts';
import { CONNECTION_FLAGS, openDataDir } from '../cli-connection.ts';
import { runCommand, type CommandIo } from '../cli-command-runner.ts';
import { attachRelativeTimes, parseTimeFlag } from '../cli-time.ts';
import type { CliCommand } from '../main.ts';

export const CALLS_HELP = `Usage: crystal-desk calls [--query TEXT] [--from TIME] [--to TIME] [flags]

Searches the archive (offline: no API request). Text matches a channel name (prefix or
substring, 3+ characters for substrings), a call id or a uid.

  --query TEXT           channel name, call id or uid
  --from TIME, --to TIME start range: ISO 8601 (UTC unless an offset is given), now, -3d, -6h
  --finished | --running only finished / only running calls
  --platform NAME        a user on this platform (calls archived with details)
  --issues               only calls with quality issues
  --appid APP            only this App ID (default: every App ID in the archive)
  --oldest               oldest first (default newest first)
  --limit N              at most N calls (default 50, at most 500)
  --data-dir DIR         data folder (default: the app's, or CRYSTAL_DESK_DATA_DIR)
  --json                 machine-readable output
  -h, --help             show this help`;

const FLAGS = {
  'data-dir': CONNECTION_FLAGS['data-dir'],
  appid: CONNECTION_FLAGS.appid,
  json: CONNECTION_FLAGS.json,
  help: CONNECTION_FLAGS.help,
  query: { type: 'string', short: 'q' },
  from: { type: 'string' },
  to: { type: 'string' },
  finished: { type: 'boolean' },
  running: { type: 'boolean' },
  platform: { type: 'string' },
  issues: { type: 'boolean' },
  oldest: { type: 'boolean' },
  limit: { type: 'string' },
} as const;

function row(c: CallSummary): string {
  const start = new Date(c.createdTs * 1000).toISOString().replace('.000Z', 'Z');
  const minutes = c.finished ? `${Math.round((c.destroyedTs - c.createdTs) / 60)} min` : 'running';
  // Channel names may hold newlines or tabs: show them escaped so one call stays one line.
  const cname = JSON.stringify(c.cname).slice(1, -1);
  return [
    start,
    minutes.padStart(8),
    c.archive.padEnd(7),
    `${c.issueCount} issues`.padStart(10),
    c.callId,
    cname,
  ].join('  ');
}

async function runCalls(argv: string[], io: CommandIo): Promise<number> {
  const args = attachRelativeTimes(argv, ['from', 'to']);
  const { values } = parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false });
  if (values.help) {
    io.out(CALLS_HELP);
    return 0;
  }
  if (values.finished && values.running) return io.usage('Use --finished or --running, not both.');
  const now = Date.now();
  const parsed = CallSearchSchema.safeParse({
    appid: values.appid,
    query: values.query,
    fromTs: values.from === undefined ? undefined : parseTimeFlag('from', values.from, now),
    toTs: values.to === undefined ? undefined : parseTimeFlag('to', values.to, now),
    finished: values.finished ? true : values.running ? false : undefined,
    platform: values.platform,
    hasIssues: values.issues ? true : undefined,
    sort: values.oldest ? 'oldest' : 'newest',
    limit: values.limit === undefined ? undefined : Number(values.limit),
  });
  if (!parsed.success) {
    return io.usage(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const { db } = openDataDir(values);
  try {
    const result = createCallSearch(db).search(parsed.data);
    if (values.json) {
      io.out(JSON.stringify(result));
    } else {
      for (const c of result.calls) io.out(row(c));
      io.err(`${result.calls.length} of ${result.total ?? '?'} matching calls shown.`);
    }
    return 0;
  } finally {
    db.close();
  }
}

export const callsCommand: CliCommand = {
  summary: 'search the archive (offline)',
  run: (argv) => runCommand(argv, runCalls),
};
