import { describe, expect, it } from 'vitest';
import type { CallUser, MetricSeries, QualityIssue } from '../../shared/archive-types.ts';
import { QUALITY_THRESHOLDS } from '../../shared/quality-thresholds.ts';
import { detectIssues, mergeIssues } from './issue-detector.ts';

const T = 1_790_000_000;

function user(sid: string, uid: number): CallUser {
  return {
    sid,
    uid,
    network: 'Wi-Fi',
    platform: 'iOS',
    speaker: true,
    sdkVersion: '4',
    deviceType: 'x',
    joinTs: T,
    leaveTs: T + 120,
    finished: true,
  };
}

/** A 2-second series over 120 s, `bad` inside [from, to], `good` elsewhere. */
function series(
  sid: string,
  mid: number,
  peerUid: number,
  good: number,
  bad: number,
  from = -1,
  to = -1,
): MetricSeries {
  const n = 60;
  const ts = new Float64Array(n);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    ts[i] = T + i * 2;
    values[i] = ts[i]! >= T + from && ts[i]! <= T + to ? bad : good;
  }
  return { sid, mid, peerUid, ts, values };
}

const users = [user('teacher', 1), user('student', 2)];

describe('quality issue detection', () => {
  it('blames end-to-end loss on the sender when the sender loses packets on its uplink', () => {
    const issues = detectIssues({
      users,
      sampleIntervalSec: 2,
      series: [
        series('teacher', 20017, 0, 1, 25, 20, 40),
        series('student', 20018, 1, 2, 28, 20, 40),
      ],
    });
    expect(
      issues.map((i) => [i.kind, i.uid, i.peerUid, i.side, i.fromTs - T, i.toTs - T, i.peak]),
    ).toEqual([
      ['uplinkLoss', 1, 0, 'sender-uplink', 20, 40, 25],
      ['endToEndLoss', 2, 1, 'sender-uplink', 20, 40, 28],
    ]);
  });

  it('puts end-to-end loss without sender uplink loss on the receiver downlink', () => {
    const issues = detectIssues({
      users,
      sampleIntervalSec: 2,
      series: [series('teacher', 20017, 0, 1, 1), series('student', 20018, 1, 2, 20, 50, 70)],
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      kind: 'endToEndLoss',
      uid: 2,
      peerUid: 1,
      side: 'receiver-downlink',
    });
  });

  it('ignores stretches shorter than the threshold table says', () => {
    const issues = detectIssues({
      users,
      sampleIntervalSec: 2,
      // Two bad samples: 4 s of data, under the 6 s minimum.
      series: [series('student', 20018, 1, 2, 30, 20, 22)],
    });
    expect(issues).toEqual([]);
  });

  it('reports high CPU on the device and low received frame rate only while the sender sends', () => {
    const issues = detectIssues({
      users,
      sampleIntervalSec: 2,
      series: [
        series('student', 20002, 0, 30, 97, 10, 40),
        series('teacher', 20008, 0, 15, 15),
        series('student', 20010, 1, 15, 3, 10, 40),
        series('teacher', 20017, 0, 0, 0),
      ],
    });
    expect(issues.map((i) => [i.kind, i.side])).toEqual([
      ['highCpu', 'device'],
      ['lowReceiveFps', 'device'],
    ]);
    const paused = detectIssues({
      users,
      sampleIntervalSec: 2,
      series: [series('teacher', 20008, 0, 0, 0), series('student', 20010, 1, 0, 0)],
    });
    expect(paused).toEqual([]);
  });

  it('reports a flapping uplink as one issue spanning its stretches, with the worst peak', () => {
    // Bad in three 6-second stretches, each followed by 6 s of normal figures (3 good samples).
    const s = series('teacher', 20017, 0, 1, 0);
    for (const [from, peak] of [
      [20, 18],
      [32, 31],
      [44, 22],
    ] as const) {
      for (let t = from; t <= from + 4; t += 2) s.values[t / 2] = peak;
    }
    const issues = detectIssues({ users, sampleIntervalSec: 2, series: [s] });
    expect(issues.map((i) => [i.kind, i.uid, i.fromTs - T, i.toTs - T, i.peak])).toEqual([
      ['uplinkLoss', 1, 20, 48, 31],
    ]);
  });
});

describe('merging issue stretches', () => {
  const gap = QUALITY_THRESHOLDS.find((r) => r.kind === 'endToEndLoss')!.mergeGapSec;
  const base: QualityIssue = {
    kind: 'endToEndLoss',
    sid: 'student',
    uid: 2,
    peerUid: 1,
    mid: 20018,
    side: 'sender-uplink',
    fromTs: T,
    toTs: T + 6,
    peak: 20,
  };
  const at = (fromTs: number, toTs: number, more: Partial<QualityIssue> = {}): QualityIssue => ({
    ...base,
    fromTs: T + fromTs,
    toTs: T + toTs,
    ...more,
  });
  const spans = (issues: QualityIssue[]) =>
    issues.map((i) => [i.uid, i.peerUid, i.mid, i.side, i.fromTs - T, i.toTs - T, i.peak]);

  it('joins stretches no further apart than the rule says, keeping the highest peak', () => {
    const merged = mergeIssues([
      at(0, 6, { peak: 20 }),
      at(6 + gap, 20 + gap, { peak: 45 }),
      at(20 + 2 * gap, 30 + 2 * gap, { peak: 12 }),
    ]);
    expect(spans(merged)).toEqual([[2, 1, 20018, 'sender-uplink', 0, 30 + 2 * gap, 45]]);
  });

  it('keeps stretches further apart than the gap as separate issues', () => {
    const merged = mergeIssues([at(0, 6), at(6 + gap + 1, 20 + gap)]);
    expect(spans(merged)).toEqual([
      [2, 1, 20018, 'sender-uplink', 0, 6, 20],
      [2, 1, 20018, 'sender-uplink', 7 + gap, 20 + gap, 20],
    ]);
  });

  it('never joins stretches of another uid, peer, metric or side', () => {
    const merged = mergeIssues([
      at(0, 6),
      at(8, 12, { uid: 3, sid: 'other' }),
      at(8, 12, { peerUid: 4 }),
      at(8, 12, { mid: 20016 }),
      at(8, 12, { side: 'receiver-downlink' }),
    ]);
    expect(merged).toHaveLength(5);
    expect(merged.every((i) => i.toTs - i.fromTs <= 6)).toBe(true);
  });

  it('joins sessions of one uid and keeps the lowest value for a "below" rule', () => {
    const fps = (fromTs: number, toTs: number, sid: string, peak: number): QualityIssue => ({
      ...at(fromTs, toTs),
      kind: 'lowReceiveFps',
      mid: 20010,
      side: 'receiver-downlink',
      sid,
      peak,
    });
    const merged = mergeIssues([fps(0, 10, 'a', 4), fps(14, 30, 'b', 1), fps(32, 40, 'b', 5)]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ sid: 'a', fromTs: T, toTs: T + 40, peak: 1 });
  });
});
