// Finds quality issues in one call's users and metric series, from the one thresholds table, and
// says on which side each lies. Pure: no storage, no clock; the archive stores what it returns.

import type {
  CallUser,
  IssueSide,
  MetricSeries,
  QualityIssue,
} from '../../shared/archive-types.ts';
import {
  QUALITY_THRESHOLDS,
  SENDER_UPLINK_BLAME_LOSS,
  SENDING_VIDEO_MIN_FPS,
  UPLINK_MID_FOR,
  VIDEO_UPLINK_LOSS_MID,
  type QualityThreshold,
} from '../../shared/quality-thresholds.ts';

const SYSTEM_CPU = 20002;
const SEND_FPS = 20008;
const CPU_LIMIT = QUALITY_THRESHOLDS.find((t) => t.kind === 'highCpu')?.limit ?? 90;

interface Stretch {
  from: number;
  to: number;
  peak: number;
}

/**
 * Runs of bad samples no further apart than maxGapSec that last at least minDurationSec; a
 * sample stands for one sampling interval, so a run of n samples lasts (last - first) + interval.
 */
export function findStretches(
  ts: Float64Array,
  values: Float32Array,
  isBad: (i: number) => boolean,
  rule: Pick<QualityThreshold, 'compare' | 'minDurationSec' | 'maxGapSec'>,
  intervalSec: number,
): Stretch[] {
  const out: Stretch[] = [];
  let start = -1;
  let last = -1;
  let peak = 0;
  const close = (): void => {
    if (start < 0) return;
    const from = ts[start] ?? 0;
    const to = ts[last] ?? 0;
    if (to - from + intervalSec >= rule.minDurationSec) out.push({ from, to, peak });
    start = -1;
  };
  for (let i = 0; i < ts.length; i++) {
    if (!isBad(i)) continue;
    const t = ts[i] ?? 0;
    const v = values[i] ?? 0;
    if (start >= 0 && t - (ts[last] ?? 0) > rule.maxGapSec) close();
    if (start < 0) {
      start = i;
      peak = v;
    } else {
      peak = rule.compare === 'above' ? Math.max(peak, v) : Math.min(peak, v);
    }
    last = i;
  }
  close();
  return out;
}

/** All series of one uid for a set of mids with peer 0 (a user may have several sessions). */
function ownSeriesOf(
  series: readonly MetricSeries[],
  sidsOfUid: ReadonlySet<string>,
  mids: readonly number[],
): MetricSeries[] {
  return series.filter((s) => s.peerUid === 0 && mids.includes(s.mid) && sidsOfUid.has(s.sid));
}

/** Highest and mean value of these series inside [from, to]; undefined without samples there. */
function within(
  list: readonly MetricSeries[],
  from: number,
  to: number,
): { max: number; mean: number } | undefined {
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (const s of list) {
    for (let i = 0; i < s.ts.length; i++) {
      const t = s.ts[i] ?? 0;
      if (t < from || t > to) continue;
      const v = s.values[i] ?? 0;
      max = Math.max(max, v);
      sum += v;
      n++;
    }
  }
  return n === 0 ? undefined : { max, mean: sum / n };
}

function valueAt(
  list: readonly MetricSeries[],
  t: number,
  toleranceSec: number,
): number | undefined {
  for (const s of list) {
    // Series are sorted by ts: binary search the nearest sample.
    let lo = 0;
    let hi = s.ts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((s.ts[mid] ?? 0) < t) lo = mid + 1;
      else hi = mid;
    }
    for (const i of [lo - 1, lo]) {
      const st = s.ts[i];
      if (st !== undefined && Math.abs(st - t) <= toleranceSec) return s.values[i];
    }
  }
  return undefined;
}

export interface DetectInput {
  users: readonly CallUser[];
  series: readonly MetricSeries[];
  sampleIntervalSec: number;
}

export function detectIssues({ users, series, sampleIntervalSec }: DetectInput): QualityIssue[] {
  const uidOfSid = new Map(users.map((u) => [u.sid, u.uid]));
  const sidsByUid = new Map<number, Set<string>>();
  for (const u of users) {
    const set = sidsByUid.get(u.uid) ?? new Set<string>();
    set.add(u.sid);
    sidsByUid.set(u.uid, set);
  }
  const none = new Set<string>();
  const issues: QualityIssue[] = [];

  for (const rule of QUALITY_THRESHOLDS) {
    for (const s of series) {
      if (!rule.mids.includes(s.mid)) continue;
      if ((rule.scope === 'own') !== (s.peerUid === 0)) continue;
      const uid = uidOfSid.get(s.sid);
      if (uid === undefined) continue;
      const senderSids = sidsByUid.get(s.peerUid) ?? none;
      const senderFps =
        rule.kind === 'lowReceiveFps' ? ownSeriesOf(series, senderSids, [SEND_FPS]) : [];
      const isBad = (i: number): boolean => {
        const v = s.values[i] ?? 0;
        const bad = rule.compare === 'above' ? v > rule.limit : v < rule.limit;
        if (!bad || rule.kind !== 'lowReceiveFps') return bad;
        // A receiver sees few frames because the sender sends few: not a receiving problem.
        const sent = valueAt(senderFps, s.ts[i] ?? 0, sampleIntervalSec);
        return sent !== undefined && sent >= SENDING_VIDEO_MIN_FPS;
      };
      for (const stretch of findStretches(s.ts, s.values, isBad, rule, sampleIntervalSec)) {
        issues.push({
          kind: rule.kind,
          sid: s.sid,
          uid,
          peerUid: s.peerUid,
          mid: s.mid,
          side: sideOf(rule, s, stretch, series, senderSids, sidsByUid.get(uid) ?? none),
          fromTs: stretch.from,
          toTs: stretch.to,
          peak: stretch.peak,
        });
      }
    }
  }
  return mergeIssues(issues).sort((a, b) => a.fromTs - b.fromTs || a.uid - b.uid || a.mid - b.mid);
}

/**
 * Joins issues of the same user, peer, metric and side that lie no further apart than their
 * rule's mergeGapSec (sessions of one uid included): one issue spans them all, with the worst
 * peak. Issues that differ in any of these stay apart. Order of the result: by key, then time.
 */
export function mergeIssues(
  issues: readonly QualityIssue[],
  rules: readonly QualityThreshold[] = QUALITY_THRESHOLDS,
): QualityIssue[] {
  const byKey = new Map<string, QualityIssue[]>();
  for (const issue of issues) {
    const key = `${issue.uid}\u0000${issue.peerUid}\u0000${issue.mid}\u0000${issue.side}`;
    const list = byKey.get(key) ?? [];
    list.push(issue);
    byKey.set(key, list);
  }
  const out: QualityIssue[] = [];
  for (const list of byKey.values()) {
    list.sort((a, b) => a.fromTs - b.fromTs || a.toTs - b.toTs);
    let current: QualityIssue | undefined;
    for (const issue of list) {
      const rule = rules.find((r) => r.kind === issue.kind);
      if (current !== undefined && issue.fromTs - current.toTs <= (rule?.mergeGapSec ?? 0)) {
        current.toTs = Math.max(current.toTs, issue.toTs);
        current.peak =
          rule?.compare === 'below'
            ? Math.min(current.peak, issue.peak)
            : Math.max(current.peak, issue.peak);
        continue;
      }
      current = { ...issue };
      out.push(current);
    }
  }
  return out;
}

function sideOf(
  rule: QualityThreshold,
  s: MetricSeries,
  stretch: Stretch,
  series: readonly MetricSeries[],
  senderSids: ReadonlySet<string>,
  ownSids: ReadonlySet<string>,
): IssueSide {
  if (rule.kind === 'uplinkLoss') return 'sender-uplink';
  if (rule.kind === 'highCpu') return 'device';
  const uplink = ownSeriesOf(series, senderSids, [UPLINK_MID_FOR[s.mid] ?? VIDEO_UPLINK_LOSS_MID]);
  // The mean, not the peak: one lost burst on the sender's side does not explain a long stretch.
  const senderLoss = within(uplink, stretch.from, stretch.to);
  if (senderLoss !== undefined && senderLoss.mean > SENDER_UPLINK_BLAME_LOSS) {
    return 'sender-uplink';
  }
  if (rule.kind !== 'endToEndLoss') {
    const cpu = within(ownSeriesOf(series, ownSids, [SYSTEM_CPU]), stretch.from, stretch.to);
    if (cpu !== undefined && cpu.max > CPU_LIMIT) return 'device';
  }
  return senderLoss === undefined ? 'unknown' : 'receiver-downlink';
}
