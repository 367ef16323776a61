import { describe, expect, it } from 'vitest';
import type { CallUser, MetricSeries } from '../../shared/archive-types.ts';
import { detectIssues } from './issue-detector.ts';

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
});
