// Summarises one user's figures of one metric over a call: mean, 95th percentile, maximum, time
// beyond the quality threshold, and the number of quality issues. Pure arithmetic on the series.

import type { MetricSeries, QualityIssue } from '../../shared/archive-types.ts';
import { QUALITY_THRESHOLDS, type QualityThreshold } from '../../shared/quality-thresholds.ts';

export interface MetricSummary {
  mean: number | null;
  p95: number | null;
  max: number | null;
  /** Seconds with a sample beyond the threshold (any peer), or null when the metric has none. */
  beyondThresholdSec: number | null;
  issues: number;
}

export function thresholdFor(mid: number, peerUid: number): QualityThreshold | undefined {
  const scope = peerUid === 0 ? 'own' : 'peer';
  return QUALITY_THRESHOLDS.find((t) => t.mids.includes(mid) && t.scope === scope);
}

export function hasThreshold(mid: number): boolean {
  return QUALITY_THRESHOLDS.some((t) => t.mids.includes(mid));
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

/**
 * `series`: every series of the user and metric (own and per peer). A second counts once however
 * many peers were beyond the threshold in it.
 */
export function summariseMetric(
  mid: number,
  series: readonly MetricSeries[],
  issues: readonly QualityIssue[],
  sampleIntervalSec: number,
): MetricSummary {
  let count = 0;
  for (const s of series) count += s.values.length;
  const values = new Float64Array(count);
  let sum = 0;
  let at = 0;
  const badTimes = new Set<number>();
  for (const s of series) {
    const rule = thresholdFor(mid, s.peerUid);
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i] ?? 0;
      values[at++] = v;
      sum += v;
      if (rule && (rule.compare === 'above' ? v > rule.limit : v < rule.limit)) {
        badTimes.add(s.ts[i] ?? 0);
      }
    }
  }
  values.sort();
  return {
    mean: count === 0 ? null : sum / count,
    p95: percentile(values, 95),
    max: count === 0 ? null : (values[count - 1] ?? null),
    beyondThresholdSec: hasThreshold(mid) && count > 0 ? badTimes.size * sampleIntervalSec : null,
    issues: issues.filter((issue) => issue.mid === mid).length,
  };
}
