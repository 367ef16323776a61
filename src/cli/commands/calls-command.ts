// `crystal-desk calls [--query Q] [--from T --to T] [--limit N]`: searches the archive offline
// (no request is sent), newest first, as a table or --json.

import { CallSearchSchema, type CallSummary } from '../../shared/archive-types.ts';
import { describeIssues } from '../../main/core/schema-issues.ts';
import { createCallSearch } from '../../main/store/index.ts';
import { ARCHIVE_FLAGS, ARCHIVE_HELP, openDataDir } from '../cli-connection.ts';
import { runCommand, type CommandIo, type FlagValues } from '../cli-command-runner.ts';
import { parseTimeRange } from '../cli-time.ts';
import type { CliCommand } from '../main.ts';

export const CALLS_HELP = `Usage: crystal-desk calls [--query TEXT] [--from TIME] [--to TIME] [flags]

Searches the archive (offline: no API request). Text matches part of a channel name (any
length: "三年" finds 数学课-三年级二班), a call id or a uid.

  --query TEXT           channel name, call id or uid
  --from TIME, --to TIME start range: ISO 8601 (UTC unless an offset is given), now, -3d, -6h
  --finished | --running only finished / only running calls
  --platform NAME        a user on this platform (calls archived with details)
  --issues               only calls with quality issues
  --appid APP            only this App ID (default: every App ID in the archive)
  --oldest               oldest first (default newest first)
  --limit N              at most N calls (default 50, at most 500)
${ARCHIVE_HELP}`;

const FLAGS = {
  ...ARCHIVE_FLAGS,
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

async function runCalls(values: FlagValues<typeof FLAGS>, io: CommandIo): Promise<number> {
  if (values.finished && values.running) return io.usage('Use --finished or --running, not both.');
  const now = Date.now();
  const parsed = CallSearchSchema.safeParse({
    appid: values.appid,
    query: values.query,
    ...parseTimeRange(values, now),
    finished: values.finished ? true : values.running ? false : undefined,
    platform: values.platform,
    hasIssues: values.issues ? true : undefined,
    sort: values.oldest ? 'oldest' : 'newest',
    limit: values.limit === undefined ? undefined : Number(values.limit),
  });
  if (!parsed.success) return io.usage(describeIssues(parsed.error.issues));
  const db = openDataDir(values);
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
  run: (argv) => runCommand(argv, { flags: FLAGS, help: CALLS_HELP }, runCalls),
};
