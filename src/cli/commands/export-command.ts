// `crystal-desk export --kind calls|report|metrics --out FILE`: writes a CSV export from the
// archive (offline: no API request), with progress on a terminal. The CSV itself is the export
// module's business.

import { EXPORT_KINDS, ExportRequestSchema } from '../../shared/export-types.ts';
import { describeIssues } from '../../main/core/schema-issues.ts';
import { createExportService } from '../../main/export/index.ts';
import { createCallArchiveStore, createCallSearch } from '../../main/store/index.ts';
import { ARCHIVE_FLAGS, ARCHIVE_HELP, openDataDir } from '../cli-connection.ts';
import { runCommand, type CommandIo, type FlagValues } from '../cli-command-runner.ts';
import { parseTimeRange } from '../cli-time.ts';
import type { CliCommand } from '../main.ts';

export const EXPORT_HELP = `Usage: crystal-desk export --kind calls|report|metrics --out FILE [flags]

Writes a CSV file (UTF-8 with BOM, RFC 4180) from the archive (offline: no API request).

  --kind calls           the calls a search finds, one row per call (all pages)
  --kind report          one call, one row per user with a summary of every metric
  --kind metrics         one call's raw metric samples, one row per sample
  --out FILE             where to write (replaced only once the export is complete)
  --call ID              the call (kinds report and metrics)
  --query TEXT           kind calls: channel name, call id or uid
  --from TIME, --to TIME kind calls: start range: ISO 8601 (UTC unless an offset is given),
                         now, -3d, -6h
  --appid APP            only this App ID (default: every App ID in the archive)
${ARCHIVE_HELP}`;

const FLAGS = {
  ...ARCHIVE_FLAGS,
  kind: { type: 'string' },
  out: { type: 'string', short: 'o' },
  call: { type: 'string' },
  query: { type: 'string', short: 'q' },
  from: { type: 'string' },
  to: { type: 'string' },
} as const;

async function runExport(values: FlagValues<typeof FLAGS>, io: CommandIo): Promise<number> {
  const kind = values.kind;
  if (kind === undefined || !(EXPORT_KINDS as readonly string[]).includes(kind)) {
    return io.usage(`--kind must be one of: ${EXPORT_KINDS.join(', ')}.`);
  }
  if (values.out === undefined || values.out === '') return io.usage('--out FILE is required.');
  const now = Date.now();
  const forCall = kind !== 'calls';
  if (forCall && values.call === undefined) return io.usage(`--kind ${kind} needs --call ID.`);
  if (forCall && (values.query ?? values.from ?? values.to) !== undefined) {
    return io.usage('--query, --from and --to apply to --kind calls only.');
  }
  if (!forCall && values.call !== undefined)
    return io.usage('--call applies to --kind report or metrics.');
  const parsed = ExportRequestSchema.safeParse({
    kind,
    target: 'file',
    params: forCall
      ? { callId: values.call, appid: values.appid }
      : {
          appid: values.appid,
          query: values.query,
          ...parseTimeRange(values, now),
          sort: 'oldest',
        },
  });
  if (!parsed.success) return io.usage(describeIssues(parsed.error.issues));

  const db = openDataDir(values);
  try {
    const archive = createCallArchiveStore(db);
    const search = createCallSearch(db);
    const exports = createExportService({
      sources: {
        searchCalls: (query) => search.search(query),
        getCall: ({ appid, callId }) =>
          archive.getCall(appid, callId, true) ?? archive.getCall(undefined, callId, true),
      },
    });
    let shown = -1;
    const result = await exports.exportToFile(parsed.data, values.out, {
      onProgress: ({ rowsDone, rowsTotal }) => {
        if (!io.isTTY || values.json || !rowsTotal) return;
        const percent = Math.floor((rowsDone / rowsTotal) * 100);
        if (percent === shown) return;
        shown = percent;
        process.stderr.write(`\rExporting: ${rowsDone} of ${rowsTotal} rows (${percent} %)`);
      },
    });
    if (shown >= 0) process.stderr.write('\n');
    if (values.json) io.out(JSON.stringify({ kind, file: values.out, rows: result.rows }));
    else io.err(`Wrote ${result.rows} rows to ${values.out}.`);
    return 0;
  } finally {
    db.close();
  }
}

export const exportCommand: CliCommand = {
  summary: 'export calls, a call report or its raw metrics to CSV (offline)',
  run: (argv) => runCommand(argv, { flags: FLAGS, help: EXPORT_HELP }, runExport),
};
