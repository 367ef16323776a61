// `crystal-desk calls [--query Q] [--from T --to T] [--limit N]`: searches the archive offline
// (no request is sent), newest first, as a table or --json.

import type { CallSummary } from '../../shared/archive-types.ts';
import { createCallSearch } from '../../main/store/index.ts';
import {
  SCOPE_HELP,
  SEARCH_FLAGS,
  SEARCH_HELP,
  scopeAppid,
  searchQueryOf,
} from '../call-search-flags.ts';
import { ARCHIVE_FLAGS, ARCHIVE_HELP, openDataDir } from '../cli-connection.ts';
import { runCommand, type CommandIo, type FlagValues } from '../cli-command-runner.ts';
import type { CliCommand } from '../main.ts';

export const CALLS_HELP = `Usage: crystal-desk calls [--query TEXT] [--from TIME] [--to TIME] [flags]

Searches the archive (offline: no API request). Text matches part of a channel name (any
length: "三年" finds 数学课-三年级二班), a call id or a uid.

${SEARCH_HELP}
${SCOPE_HELP}
  --oldest               oldest first (default newest first)
  --limit N              at most N calls (default 50, at most 500)
${ARCHIVE_HELP}`;

const FLAGS = {
  ...ARCHIVE_FLAGS,
  ...SEARCH_FLAGS,
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
  // Checked before the data folder is opened: a mistake leaves nothing behind.
  const query = searchQueryOf(
    values,
    {
      appid: values.appid,
      sort: values.oldest ? 'oldest' : 'newest',
      limit: values.limit === undefined ? undefined : Number(values.limit),
    },
    Date.now(),
  );
  const db = openDataDir(values);
  try {
    const result = createCallSearch(db).search({ ...query, appid: scopeAppid(values, db) });
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
