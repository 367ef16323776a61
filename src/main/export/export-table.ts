// Turns an export request (kind + params) into a table ready to stream, loading what it needs
// from the archive. Fails early, before any file is touched, when the call is not there.

import { AppError } from '../../shared/errors.ts';
import type { ParsedExportRequest } from '../../shared/export-types.ts';
import { callMetricsTable } from './call-metrics-csv.ts';
import { callReportTable } from './call-report-csv.ts';
import { callsTable } from './calls-csv.ts';
import type { CsvTable, ExportSources } from './export-sources.ts';

export async function exportTable(
  request: Pick<ParsedExportRequest, 'kind' | 'params'>,
  sources: ExportSources,
  nowMs: number,
): Promise<CsvTable> {
  if (request.kind === 'calls') return callsTable(sources, request.params, nowMs);
  const { callId, appid } = request.params as { callId: string; appid?: string };
  const detail = await sources.getCall({ callId, appid });
  if (!detail) throw new AppError('NOT_FOUND', `call ${callId} is not in the archive`);
  if (detail.archive === 'listed') {
    throw new AppError(
      'NOT_FOUND',
      `the archive holds no details of call ${callId} yet: open the call to fetch them first`,
    );
  }
  return request.kind === 'report' ? callReportTable(detail) : callMetricsTable(detail);
}
