// Samples the quality model into the API's metric series: which (sid, mid, peer_uid) series exist
// and their [ts, value] points inside a window. Values come only from quality-model.ts.

import type { CallPlan, SessionPlan } from './call-plan.ts';
import {
  audioSendKbps,
  captureFps,
  received,
  sdkCpu,
  sendFps,
  systemCpu,
  uplinkLoss,
  videoSendKbps,
  videoSize,
  type ReceivedFigures,
  type SessionState,
} from './quality-model.ts';

/** One series; `kvs` is flat ([ts0, v0, ts1, v1, ...]) so large responses stay cheap to build. */
export interface GeneratedSeries {
  mid: number;
  peer_uid: number;
  kvs: number[];
}

export interface SessionMetrics {
  sid: string;
  data: GeneratedSeries[];
}

/** Every user's own figures (peer_uid 0). */
export const CPU_MIDS = [20001, 20002] as const;
/** A sender's own figures (peer_uid 0), only for sessions that send. */
export const SEND_MIDS = [20003, 20006, 20007, 20008, 20015, 20017, 20019, 20020] as const;
/** What a receiver sees from one sender (peer_uid = the sender's uid). */
export const RECEIVE_MIDS = [20004, 20005, 20009, 20010, 20011, 20013, 20016, 20018] as const;

const RECEIVE_FIELDS: Record<(typeof RECEIVE_MIDS)[number], keyof ReceivedFigures> = {
  20004: 'audioKbps',
  20005: 'audioFreezeMs',
  20009: 'videoKbps',
  20010: 'videoFps',
  20011: 'videoFreezeMs',
  20013: 'videoQuality',
  20016: 'audioLoss',
  20018: 'videoLoss',
};

function firstSample(from: number, interval: number): number {
  return Math.ceil(from / interval) * interval;
}

function localSeries(
  st: SessionState,
  from: number,
  to: number,
  interval: number,
): GeneratedSeries[] {
  const mids: number[] = st.s.speaker
    ? [...CPU_MIDS, ...SEND_MIDS].sort((a, b) => a - b)
    : [...CPU_MIDS];
  const cols = mids.map(() => [] as number[]);
  const push = (col: number, t: number, v: number): void => {
    const kvs = cols[col];
    if (kvs !== undefined) kvs.push(t, v);
  };
  const index = new Map(mids.map((m, i) => [m, i]));
  const at = (mid: number): number => index.get(mid) ?? -1;
  for (let t = firstSample(from, interval); t <= to; t += interval) {
    push(at(20001), t, sdkCpu(st, t));
    push(at(20002), t, systemCpu(st, t));
    if (!st.s.speaker) continue;
    const up = uplinkLoss(st, t);
    const [w, h] = videoSize(st, t);
    push(at(20003), t, audioSendKbps(st, t));
    push(at(20006), t, videoSendKbps(st, t));
    push(at(20007), t, captureFps(st, t));
    push(at(20008), t, sendFps(st, t));
    push(at(20015), t, Math.round(up));
    push(at(20017), t, Math.round(up * 1.1));
    push(at(20019), t, w);
    push(at(20020), t, h);
  }
  return mids.map((mid, i) => ({ mid, peer_uid: 0, kvs: cols[i] ?? [] }));
}

function peerSeries(
  receiver: SessionState,
  senders: readonly SessionState[],
  from: number,
  to: number,
  interval: number,
): GeneratedSeries[] {
  const cols = RECEIVE_MIDS.map(() => [] as number[]);
  for (const sender of senders) {
    const a = Math.max(from, sender.s.joinTs, receiver.s.joinTs);
    const b = Math.min(to, sender.s.leaveTs, receiver.s.leaveTs);
    for (let t = firstSample(a, interval); t <= b; t += interval) {
      const fig = received(sender, receiver, t);
      RECEIVE_MIDS.forEach((mid, i) => cols[i]?.push(t, fig[RECEIVE_FIELDS[mid]]));
    }
  }
  const peerUid = senders[0]?.s.uid ?? 0;
  return RECEIVE_MIDS.map((mid, i) => ({ mid, peer_uid: peerUid, kvs: cols[i] ?? [] }));
}

/**
 * Metrics of the `listed` sessions for samples in [fromTs, toTs] (both inclusive, on multiples of
 * `intervalSec`). Own series first (mid ascending), then one group per sender the session could
 * receive (by the sender's first join), merged over that sender's reconnects. Empty series are
 * left out; a session with no series at all still appears with `data: []`.
 */
export function generateMetrics(
  plan: CallPlan,
  states: ReadonlyMap<string, SessionState>,
  listed: readonly SessionPlan[],
  fromTs: number,
  toTs: number,
  intervalSec: number,
): SessionMetrics[] {
  const sendersByUid = new Map<number, SessionState[]>();
  for (const s of plan.sessions) {
    const st = states.get(s.sid);
    if (!s.speaker || st === undefined) continue;
    const list = sendersByUid.get(s.uid) ?? [];
    list.push(st);
    sendersByUid.set(s.uid, list);
  }
  return listed.map((s) => {
    const st = states.get(s.sid);
    if (st === undefined) return { sid: s.sid, data: [] };
    const from = Math.max(fromTs, s.joinTs);
    const to = Math.min(toTs, s.leaveTs);
    const data = localSeries(st, from, to, intervalSec);
    for (const [uid, senders] of sendersByUid) {
      if (uid === s.uid) continue;
      data.push(...peerSeries(st, senders, from, to, intervalSec));
    }
    return { sid: s.sid, data: data.filter((d) => d.kvs.length > 0) };
  });
}
