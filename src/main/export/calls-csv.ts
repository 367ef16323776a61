// The "calls" export: every call of an archive search (all pages), one row per call.

import type { CallSummary } from '../../shared/archive-types.ts';
import { CallsExportParamsSchema, type CallsExportParams } from '../../shared/export-types.ts';
import type { CsvRow } from './csv-writer.ts';
import { isoFromUnix, isoOrEmpty } from './csv-time.ts';
import type { CsvTable, ExportSources } from './export-sources.ts';

export const CALLS_HEADER = [
  'call id',
  'channel',
  'start',
  'start (Unix s)',
  'end',
  'end (Unix s)',
  'duration (s)',
  'finished',
  'users',
  'issues',
  'archived',
] as const;

/** Rows fetched per search page while exporting. */
export const CALLS_PAGE_SIZE = 500;

export function callRow(call: CallSummary): CsvRow {
  const ended = call.destroyedTs > 0;
  return [
    call.callId,
    call.cname,
    isoFromUnix(call.createdTs),
    call.createdTs,
    isoOrEmpty(call.destroyedTs),
    ended ? call.destroyedTs : null,
    ended ? call.destroyedTs - call.createdTs : null,
    call.finished,
    call.userCount,
    call.issueCount,
    call.archive,
  ];
}

function stamp(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

export async function callsTable(
  sources: ExportSources,
  params: CallsExportParams,
  nowMs: number,
): Promise<CsvTable> {
  const query = { ...CallsExportParamsSchema.parse(params), limit: CALLS_PAGE_SIZE };
  const first = await sources.searchCalls(query);
  async function* rows(): AsyncGenerator<CsvRow> {
    let page = first;
    for (;;) {
      for (const call of page.calls) yield callRow(call);
      if (page.nextCursor === null || page.calls.length === 0) return;
      page = await sources.searchCalls({ ...query, cursor: page.nextCursor });
    }
  }
  return {
    fileName: `calls-${stamp(nowMs)}.csv`,
    header: CALLS_HEADER,
    rowsTotal: first.total,
    rows: rows(),
  };
}
