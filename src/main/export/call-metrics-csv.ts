// The "metrics" export: one call's raw metric samples in long form, one row per sample, series by
// series (user, metric, peer), each in time order. Rows are generated lazily from the series.

import type { CallDetail, MetricSeries } from '../../shared/archive-types.ts';
import { metricInfo } from '../../shared/metrics.ts';
import type { CsvRow } from './csv-writer.ts';
import { isoFromUnix } from './csv-time.ts';
import { fileNamePart, type CsvTable } from './export-sources.ts';
import { shortestFloat32 } from './float32-decimal.ts';

export const METRICS_HEADER = [
  'time',
  'time (Unix s)',
  'uid',
  'peer uid',
  'mid',
  'metric',
  'unit',
  'value',
] as const;

function* seriesRows(series: MetricSeries, uid: number | null): Generator<CsvRow> {
  const info = metricInfo(series.mid);
  const name = info?.key ?? `mid ${series.mid}`;
  const unit = info?.unit ?? '';
  for (let i = 0; i < series.ts.length; i++) {
    const ts = series.ts[i] ?? 0;
    yield [
      isoFromUnix(ts),
      ts,
      uid,
      series.peerUid,
      series.mid,
      name,
      unit,
      shortestFloat32(series.values[i] ?? Number.NaN),
    ];
  }
}

export function callMetricsTable(detail: CallDetail): CsvTable {
  const uidOfSid = new Map(detail.users.map((u) => [u.sid, u.uid]));
  const ordered = [...detail.series].sort(
    (a, b) =>
      (uidOfSid.get(a.sid) ?? 0) - (uidOfSid.get(b.sid) ?? 0) ||
      a.mid - b.mid ||
      a.peerUid - b.peerUid ||
      (a.ts[0] ?? 0) - (b.ts[0] ?? 0),
  );
  let rowsTotal = 0;
  for (const s of ordered) rowsTotal += s.ts.length;
  function* rows(): Generator<CsvRow> {
    for (const s of ordered) yield* seriesRows(s, uidOfSid.get(s.sid) ?? null);
  }
  return {
    fileName: `call-${fileNamePart(detail.callId)}-metrics.csv`,
    header: METRICS_HEADER,
    rowsTotal,
    rows: rows(),
  };
}
