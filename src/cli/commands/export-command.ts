// `crystal-desk export --kind calls|report|metrics --out FILE`: writes a CSV export from the
// archive (offline: no API request), with progress on a terminal. The CSV itself is the export
// module's business.

import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EXPORT_KINDS, ExportRequestSchema } from '../../shared/export-types.ts';
import { AppError } from '../../shared/errors.ts';
import { describeIssues } from '../../main/core/schema-issues.ts';
import { createExportService } from '../../main/export/index.ts';
import { createCallArchiveStore, createCallSearch } from '../../main/store/index.ts';
import {
  SCOPE_HELP,
  SEARCH_FLAGS,
  SEARCH_HELP,
  scopeAppid,
  searchQueryOf,
} from '../call-search-flags.ts';
import { ARCHIVE_FLAGS, ARCHIVE_HELP, UsageError, openDataDir } from '../cli-connection.ts';
import { runCommand, type CommandIo, type FlagValues } from '../cli-command-runner.ts';
import type { CliCommand } from '../main.ts';

export const EXPORT_HELP = `Usage: crystal-desk export --kind calls|report|metrics --out FILE [flags]

Writes a CSV file (UTF-8 with BOM, RFC 4180) from the archive (offline: no API request).

  --kind calls           one row per call: the calls that "crystal-desk calls" finds with the
                         same flags (every match, oldest first), or with --call ID that call
  --kind report          one call (--call ID), one row per user with a summary of every metric
  --kind metrics         one call's (--call ID) raw metric samples, one row per sample
  --out FILE             where to write (its folder must exist; the file is replaced only once
                         the export is complete)

Kind calls filters (report and metrics take --call only):
${SEARCH_HELP}
${SCOPE_HELP}
${ARCHIVE_HELP}`;

const FLAGS = {
  ...ARCHIVE_FLAGS,
  ...SEARCH_FLAGS,
  kind: { type: 'string' },
  out: { type: 'string', short: 'o' },
} as const;

/** Search flags that only kind calls takes. */
const CALLS_ONLY = ['query', 'from', 'to', 'finished', 'running', 'platform', 'issues'] as const;

function checkFolder(out: string): void {
  const folder = dirname(resolve(out));
  if (!existsSync(folder)) {
    throw new UsageError(
      `The folder ${folder} does not exist: create it first, or choose another --out.`,
    );
  }
  if (!statSync(folder).isDirectory()) {
    throw new UsageError(`${folder} is not a folder: choose another --out.`);
  }
}

async function runExport(values: FlagValues<typeof FLAGS>, io: CommandIo): Promise<number> {
  const kind = values.kind;
  if (kind === undefined || !(EXPORT_KINDS as readonly string[]).includes(kind)) {
    return io.usage(`--kind must be one of: ${EXPORT_KINDS.join(', ')}.`);
  }
  if (values.out === undefined || values.out === '') return io.usage('--out FILE is required.');
  const out = values.out;
  const forCall = kind !== 'calls';
  if (forCall && values.call === undefined) return io.usage(`--kind ${kind} needs --call ID.`);
  const stray = CALLS_ONLY.filter((flag) => values[flag] !== undefined);
  if (forCall && stray.length > 0) {
    return io.usage(
      `${stray.map((f) => `--${f}`).join(', ')} apply to --kind calls only (report and metrics take --call ID).`,
    );
  }
  // Checked before the data folder is opened: a mistake leaves nothing behind.
  const search = forCall
    ? undefined
    : searchQueryOf(values, { appid: values.appid, sort: 'oldest' }, Date.now());
  checkFolder(out);

  const db = openDataDir(values);
  try {
    const appid = scopeAppid(values, db);
    let params: Record<string, unknown> = { callId: values.call, appid };
    if (search !== undefined) {
      // Paging is the exporter's business.
      const { cursor: _cursor, limit: _limit, offset: _offset, ...filters } = search;
      params = { ...filters, appid };
    }
    const parsed = ExportRequestSchema.safeParse({ kind, target: 'file', params });
    if (!parsed.success) return io.usage(describeIssues(parsed.error.issues));
    const archive = createCallArchiveStore(db);
    const calls = createCallSearch(db);
    if (search !== undefined && values.call !== undefined) {
      const found = calls.search({ ...search, appid, limit: 1 });
      if (found.total === 0) {
        throw new AppError(
          'NOT_FOUND',
          `Call ${values.call} is not in the archive${appid === undefined ? '' : ` of App ID ${appid}`} (or does not match the other filters).`,
        );
      }
    }
    const exports = createExportService({
      sources: {
        searchCalls: (query) => calls.search(query),
        // Without a scope, the call of that id listed last (whatever its App ID).
        getCall: ({ appid: app, callId }) => archive.getCall(app, callId, true),
      },
    });
    let shown = -1;
    const result = await exports.exportToFile(parsed.data, out, {
      onProgress: ({ rowsDone, rowsTotal }) => {
        if (!io.isTTY || values.json || !rowsTotal) return;
        const percent = Math.floor((rowsDone / rowsTotal) * 100);
        if (percent === shown) return;
        shown = percent;
        process.stderr.write(`\rExporting: ${rowsDone} of ${rowsTotal} rows (${percent} %)`);
      },
    });
    if (shown >= 0) process.stderr.write('\n');
    if (values.json) io.out(JSON.stringify({ kind, file: out, rows: result.rows }));
    else io.err(`Wrote ${result.rows} rows to ${out}.`);
    return 0;
  } finally {
    db.close();
  }
}

export const exportCommand: CliCommand = {
  summary: 'export calls, a call report or its raw metrics to CSV (offline)',
  run: (argv) => runCommand(argv, { flags: FLAGS, help: EXPORT_HELP }, runExport),
};
