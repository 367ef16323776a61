import { describe, expect, it } from 'vitest';
import type { QualityIssue } from '../../../shared/archive-types.ts';
import { groupIssues } from './issue-groups.ts';

const T = 1_790_000_000;

function issue(more: Partial<QualityIssue>): QualityIssue {
  return {
    kind: 'endToEndLoss',
    sid: 's',
    uid: 2,
    peerUid: 1,
    mid: 20018,
    side: 'sender-uplink',
    fromTs: T + 10,
    toTs: T + 40,
    peak: 20,
    ...more,
  };
}

describe('issue groups', () => {
  const uplinkVideo = issue({ kind: 'uplinkLoss', uid: 1, peerUid: 0, mid: 20017, fromTs: T + 8 });
  const uplinkAudio = issue({ kind: 'uplinkLoss', uid: 1, peerUid: 0, mid: 20015, fromTs: T + 8 });

  it('puts receivers’ issues blamed on a sender’s uplink under that uplink issue', () => {
    const effects = [
      issue({ uid: 2 }),
      issue({ uid: 3 }),
      issue({ uid: 3, kind: 'videoFreeze', mid: 20011, fromTs: T + 12 }),
      issue({ uid: 4, mid: 20016 }),
    ];
    const groups = groupIssues([...effects, uplinkAudio, uplinkVideo]);
    expect(groups.map((g) => [g.lead.mid, g.effects.length, g.receivers])).toEqual([
      [20015, 1, 1],
      [20017, 3, 2],
    ]);
    expect(groups.flatMap((g) => [g.lead, ...g.effects])).toHaveLength(6);
  });

  it('leaves alone what the uplink does not explain: other side, other sender, other time', () => {
    const groups = groupIssues([
      uplinkVideo,
      issue({ side: 'receiver-downlink' }),
      issue({ peerUid: 5 }),
      issue({ fromTs: T + 60, toTs: T + 80 }),
      issue({ kind: 'highCpu', uid: 1, peerUid: 0, mid: 20002, side: 'device' }),
    ]);
    expect(groups.map((g) => g.effects.length)).toEqual([0, 0, 0, 0, 0]);
    expect(groups.map((g) => g.lead.fromTs - T)).toEqual([8, 10, 10, 10, 60]);
  });

  it('gives a receiver’s issue to the uplink stretch it overlaps most', () => {
    const up = { kind: 'uplinkLoss', uid: 1, peerUid: 0, mid: 20017 } as const;
    const early = issue({ ...up, fromTs: T, toTs: T + 12 });
    const late = issue({ ...up, fromTs: T + 20, toTs: T + 50 });
    const groups = groupIssues([early, late, issue({ fromTs: T + 10, toTs: T + 45 })]);
    expect(groups.map((g) => [g.lead.fromTs - T, g.effects.length])).toEqual([
      [0, 0],
      [20, 1],
    ]);
  });
});
