// Turns a call's metric series into one chart per metric group for the selected users: uPlot's
// columnar data (series with different timestamps aligned by uPlot.join), a label per line
// (whose figure, seen from whom, which metric), a colour per user and a dash per metric, and the
// issue stretches to shade.

import uPlot from 'uplot';
import type { CallDetail, MetricSeries, QualityIssue } from '../../../shared/archive-types.ts';
import { METRICS, metricInfo, type MetricGroup } from '../../../shared/metrics.ts';

export const CHART_GROUPS: readonly MetricGroup[] = [
  'bitrate',
  'framerate',
  'freeze',
  'loss',
  'cpu',
  'resolution',
  'quality',
];

const PALETTE = [
  '#2f6fed',
  '#e8590c',
  '#2b8a3e',
  '#ae3ec9',
  '#0c8599',
  '#c2255c',
  '#5c940d',
  '#f08c00',
  '#5f3dc4',
  '#495057',
];
const DASHES: (number[] | undefined)[] = [undefined, [6, 3], [2, 3], [8, 3, 2, 3]];

export interface ChartLine {
  uid: number;
  peerUid: number;
  mid: number;
  /** Metric key of the catalogue (for the label's wording). */
  metricKey: string;
  color: string;
  dash: number[] | undefined;
}

export interface GroupChart {
  group: MetricGroup;
  unit: string;
  lines: ChartLine[];
  data: uPlot.AlignedData;
  shading: { from: number; to: number }[];
}

export function colorOf(uid: number, uids: readonly number[]): string {
  const index = uids.indexOf(uid);
  return PALETTE[(index < 0 ? uid : index) % PALETTE.length]!;
}

/** The uid of each session id. */
export function uidBySid(detail: CallDetail): Map<string, number> {
  return new Map(detail.users.map((u) => [u.sid, u.uid]));
}

/** Sessions of one uid for one metric and peer, concatenated in time with a gap between them. */
function mergeSessions(parts: MetricSeries[]): [number[], (number | null)[]] {
  const sorted = [...parts].sort((a, b) => (a.ts[0] ?? 0) - (b.ts[0] ?? 0));
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  for (const [i, part] of sorted.entries()) {
    if (i > 0 && part.ts.length > 0) {
      // An explicit gap between sessions, so the line does not join them.
      xs.push((xs[xs.length - 1]! + part.ts[0]!) / 2);
      ys.push(null);
    }
    for (let j = 0; j < part.ts.length; j++) {
      const x = part.ts[j]!;
      if (xs.length > 0 && x <= xs[xs.length - 1]!) continue;
      const y = part.values[j]!;
      xs.push(x);
      ys.push(Number.isFinite(y) ? y : null);
    }
  }
  return [xs, ys];
}

export function buildGroupCharts(
  detail: CallDetail,
  selected: ReadonlySet<number>,
  allUids: readonly number[],
): GroupChart[] {
  const uidOf = uidBySid(detail);
  const byLine = new Map<
    string,
    { uid: number; peerUid: number; mid: number; parts: MetricSeries[] }
  >();
  for (const s of detail.series) {
    const uid = uidOf.get(s.sid);
    if (uid === undefined || !selected.has(uid)) continue;
    if (s.peerUid !== 0 && !selected.has(s.peerUid)) continue;
    const key = `${uid}|${s.peerUid}|${s.mid}`;
    let line = byLine.get(key);
    if (line === undefined) {
      line = { uid, peerUid: s.peerUid, mid: s.mid, parts: [] };
      byLine.set(key, line);
    }
    line.parts.push(s);
  }

  const charts: GroupChart[] = [];
  for (const group of CHART_GROUPS) {
    const mids = METRICS.filter((m) => m.group === group).map((m) => m.mid);
    const lines = [...byLine.values()]
      .filter((l) => mids.includes(l.mid))
      .sort((a, b) => a.uid - b.uid || a.mid - b.mid || a.peerUid - b.peerUid);
    if (lines.length === 0) continue;
    const tables = lines.map((l) => mergeSessions(l.parts) as unknown as uPlot.AlignedData);
    const data = tables.length === 1 ? tables[0]! : uPlot.join(tables);
    const info = metricInfo(mids[0]!)!;
    charts.push({
      group,
      unit: info.unit,
      lines: lines.map((l) => ({
        uid: l.uid,
        peerUid: l.peerUid,
        mid: l.mid,
        metricKey: metricInfo(l.mid)?.key ?? String(l.mid),
        color: colorOf(l.uid, allUids),
        dash: DASHES[mids.indexOf(l.mid) % DASHES.length],
      })),
      data,
      shading: detail.issues
        .filter((i) => mids.includes(i.mid) && selected.has(i.uid))
        .map((i) => ({ from: i.fromTs, to: i.toTs })),
    });
  }
  return charts;
}

/** Issues in time order (then by uid), the order the issue list shows them. */
export function sortedIssues(issues: readonly QualityIssue[]): QualityIssue[] {
  return [...issues].sort((a, b) => a.fromTs - b.fromTs || a.uid - b.uid);
}
