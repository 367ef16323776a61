// call/details: shape, the user and 3-hour caps, server users, delays, and metrics that agree
// with each other around incidents.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA_PLAN, ENDPOINT_PATHS } from '../shared/api-limits.ts';
import type { WireCallDetails } from '../shared/api-wire.ts';
import { METRICS } from '../shared/metrics.ts';
import {
  startSimulator,
  type SimulatorHandle,
  type TruthCall,
  type TruthIncident,
} from './index.ts';
import { call } from './test-http-client.ts';

const START_MS = Date.UTC(2025, 4, 14, 10, 30, 0);
const SPAN = BETA_PLAN.maxDetailsSpanSec;
const MAX_USERS = BETA_PLAN.maxUsersPerDetails;
const DELAY = BETA_PLAN.endpoints.callDetails.dataDelaySec;
const STEP = BETA_PLAN.sampleIntervalSec;

let now = START_MS;
let sim: SimulatorHandle;
let calls: TruthCall[];
beforeAll(async () => {
  sim = await startSimulator({ seed: 'details', callsPerDay: 1200, clock: () => now });
  calls = sim.truth({
    startTs: nowSec() - 2 * 86400,
    endTs: nowSec() - 4 * 3600,
    includeSessions: true,
  });
});
afterAll(() => sim.close());

function nowSec(): number {
  return Math.floor(now / 1000);
}

async function details(
  c: { call_id: string },
  startTs: number,
  endTs: number,
  extra: Record<string, string> = {},
): Promise<WireCallDetails> {
  now += 1000; // one second per request keeps the 1/s rate out of the way
  const res = await call(sim, ENDPOINT_PATHS.callDetails, {
    call_id: c.call_id,
    start_ts: startTs,
    end_ts: endTs,
    ...extra,
  });
  expect(res.status).toBe(200);
  return res.json<WireCallDetails>();
}

type Points = Array<[number, number]>;
function series(d: WireCallDetails, sid: string, mid: number, peer: number): Points {
  const m = d.metrics.find((x) => x.sid === sid);
  return m?.data.find((x) => x.mid === mid && x.peer_uid === peer)?.kvs ?? [];
}
const min = (xs: readonly number[]): number => xs.reduce((a, b) => Math.min(a, b), Infinity);
const max = (xs: readonly number[]): number => xs.reduce((a, b) => Math.max(a, b), -Infinity);
const mean = (xs: readonly number[]): number =>
  xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const inside = (p: Points, i: TruthIncident): number[] =>
  p.filter(([t]) => t >= i.from_ts && t <= i.to_ts).map(([, v]) => v);
const outside = (p: Points, i: TruthIncident): number[] =>
  p.filter(([t]) => t < i.from_ts - 10 || t > i.to_ts + 10).map(([, v]) => v);
/** Points away from every incident of the call, e.g. another sender's uplink trouble. */
const calm = (p: Points, incidents: readonly TruthIncident[]): number[] =>
  p
    .filter(([t]) => incidents.every((i) => t < i.from_ts - 10 || t > i.to_ts + 10))
    .map(([, v]) => v);
const people = (c: TruthCall) => c.sessions!.filter((s) => s.platform !== 'Linux');

describe('call/details shape', () => {
  it('lists users with every documented field and metrics only for those users', async () => {
    const c = calls.find((x) => people(x).length >= 3 && x.destroyed_ts - x.created_ts < SPAN)!;
    const d = await details(c, c.created_ts, c.destroyed_ts);
    expect(d).toMatchObject({ code: 200, message: '', call_id: c.call_id });
    expect(d.call_info.length).toBeGreaterThan(0);
    for (const u of d.call_info) {
      expect(Object.keys(u).sort()).toEqual([
        'cname',
        'device_type',
        'finished',
        'join_ts',
        'leave_ts',
        'network',
        'platform',
        'sdk_version',
        'sid',
        'speaker',
        'uid',
      ]);
      expect(u.cname).toBe(c.cname);
      expect(u.sid).toMatch(/^[0-9A-F]{32}$/);
    }
    expect(d.metrics.map((m) => m.sid).sort()).toEqual(d.call_info.map((u) => u.sid).sort());
  });

  it('samples every series every 2 seconds inside the session', async () => {
    const c = calls.find((x) => x.destroyed_ts - x.created_ts < SPAN && people(x).length >= 2)!;
    const d = await details(c, c.created_ts, c.destroyed_ts);
    const u = d.call_info[0]!;
    const cpu = series(d, u.sid, 20002, 0);
    expect(cpu.length).toBeGreaterThan(10);
    for (let i = 1; i < cpu.length; i++) expect(cpu[i]![0] - cpu[i - 1]![0]).toBe(STEP);
    expect(cpu[0]![0]).toBeGreaterThanOrEqual(u.join_ts);
    expect(cpu[cpu.length - 1]![0]).toBeLessThanOrEqual(u.leave_ts);
  });

  it('serves every mid of the catalogue, own figures with peer_uid 0 and received ones per sender', async () => {
    const seen = new Set<number>();
    for (const c of calls.filter((x) => x.destroyed_ts - x.created_ts < 3600).slice(0, 3)) {
      const d = await details(c, c.created_ts, c.destroyed_ts);
      const uids = new Set(d.call_info.map((u) => u.uid));
      for (const m of d.metrics) {
        for (const s of m.data) {
          seen.add(s.mid);
          if (s.peer_uid !== 0) {
            expect(s.peer_uid).not.toBe(d.call_info.find((u) => u.sid === m.sid)!.uid);
            expect(uids.has(s.peer_uid) || c.sessions!.some((x) => x.uid === s.peer_uid)).toBe(
              true,
            );
          }
        }
      }
    }
    expect([...seen].sort()).toEqual(METRICS.map((m) => m.mid).sort());
  });
});

describe('call/details limits', () => {
  it('lists at most 10 users, the latest joiners first', async () => {
    const c = calls.find(
      (x) => people(x).length > MAX_USERS && x.destroyed_ts - x.created_ts < SPAN,
    )!;
    expect(c).toBeDefined();
    const d = await details(c, c.created_ts, c.destroyed_ts);
    expect(d.call_info).toHaveLength(MAX_USERS);
    const expected = [...people(c)]
      .sort((a, b) => b.join_ts - a.join_ts || (a.sid < b.sid ? -1 : 1))
      .slice(0, MAX_USERS)
      .map((s) => s.sid);
    expect(d.call_info.map((u) => u.sid)).toEqual(expected);
    expect(d.metrics).toHaveLength(MAX_USERS);
  });

  it('leaves out Linux server users by default and includes them with exclude_server_user=false', async () => {
    const c = calls.find(
      (x) =>
        x.sessions!.some((s) => s.platform === 'Linux') &&
        people(x).length < MAX_USERS &&
        x.destroyed_ts - x.created_ts < SPAN,
    )!;
    const byDefault = await details(c, c.created_ts, c.destroyed_ts);
    expect(byDefault.call_info.some((u) => u.platform === 'Linux')).toBe(false);
    const explicit = await details(c, c.created_ts, c.destroyed_ts, {
      exclude_server_user: 'true',
    });
    expect(explicit.call_info).toEqual(byDefault.call_info);
    const all = await details(c, c.created_ts, c.destroyed_ts, { exclude_server_user: 'false' });
    const server = all.call_info.find((u) => u.platform === 'Linux');
    expect(server).toMatchObject({ speaker: false });
    expect(all.metrics.some((m) => m.sid === server!.sid && m.data.length > 0)).toBe(true);
  });

  it('holds at most 3 hours of data: a longer request gets its first 3 hours, the rest takes another', async () => {
    const c = calls.find((x) => x.destroyed_ts - x.created_ts > SPAN)!;
    expect(c).toBeDefined();
    const all = (d: WireCallDetails) =>
      d.metrics.flatMap((m) => m.data.flatMap((s) => s.kvs.map(([t]) => t)));
    const first = all(await details(c, c.created_ts, c.destroyed_ts));
    expect(min(first)).toBeGreaterThanOrEqual(c.created_ts);
    expect(max(first)).toBeLessThanOrEqual(c.created_ts + SPAN);
    expect(max(first)).toBeGreaterThan(c.created_ts + SPAN - 10);
    const second = all(await details(c, c.created_ts + SPAN, c.destroyed_ts));
    expect(min(second)).toBeGreaterThanOrEqual(c.created_ts + SPAN);
    expect(max(second)).toBeGreaterThan(c.destroyed_ts - 10);
  });

  it('answers 400 naming start_ts when the call started more than 3 days ago', async () => {
    const lookback = BETA_PLAN.endpoints.callDetails.lookbackSec!;
    now += 1000;
    const res = await call(sim, ENDPOINT_PATHS.callDetails, {
      call_id: calls[0]!.call_id,
      start_ts: nowSec() - lookback - 60,
      end_ts: nowSec(),
    });
    expect(res.status).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/^start_ts /);
  });

  it('answers 200 with no users and no metrics for a well-formed id that names no call', async () => {
    const id = calls[0]!.call_id;
    const forged = id.slice(0, 23) + (id[23] === '0' ? '1' : '0');
    const d = await details({ call_id: forged }, nowSec() - 3600, nowSec());
    expect(d).toEqual({ code: 200, message: '', call_id: forged, call_info: [], metrics: [] });
  });
});

describe('call/details over time', () => {
  it('has no data until 150 s after the call started', async () => {
    const c = calls.find((x) => x.destroyed_ts - x.created_ts > 600)!;
    const saved = now;
    now = (c.created_ts + DELAY - 1) * 1000 - 1000; // details() adds a second
    const early = await details(c, c.created_ts, c.created_ts + 3600);
    expect(early.call_info).toEqual([]);
    expect(early.metrics).toEqual([]);
    now = (c.created_ts + DELAY) * 1000 - 1000;
    const ready = await details(c, c.created_ts, c.created_ts + 3600);
    expect(ready.call_info.length).toBeGreaterThan(0);
    now = saved;
  });

  it('reports a running call with leave_ts 0, finished false and no samples after now', async () => {
    const c = calls.find((x) => x.destroyed_ts - x.created_ts > 1200)!;
    const saved = now;
    now = (c.created_ts + 600) * 1000 - 1000;
    const d = await details(c, c.created_ts, c.created_ts + 3600);
    const teacher = c.sessions!.find((s) => s.role === 'teacher')!;
    expect(d.call_info.find((u) => u.sid === teacher.sid)).toMatchObject({
      leave_ts: 0,
      finished: false,
    });
    const last = max(d.metrics.flatMap((m) => m.data.flatMap((s) => s.kvs.map(([t]) => t))));
    expect(last).toBeLessThanOrEqual(c.created_ts + 600);
    expect(d.call_info.every((u) => u.join_ts <= c.created_ts + 600)).toBe(true);
    now = saved;
  });
});

describe('metrics agree with each other', () => {
  const withIncident = (kind: TruthIncident['kind']) => {
    for (const c of calls) {
      if (people(c).length > MAX_USERS || c.destroyed_ts - c.created_ts > SPAN) continue;
      const i = c.incidents!.find((x) => x.kind === kind && x.to_ts - x.from_ts >= 30);
      if (!i) continue;
      const s = c.sessions!.find((x) => x.sid === i.sid)!;
      const others = people(c).filter(
        (x) => x.uid !== s.uid && x.join_ts < i.from_ts && x.leave_ts > i.to_ts,
      );
      if (others.length > 0 && (kind !== 'uplink' || s.speaker)) return { c, i, s, others };
    }
    throw new Error(`no call with a ${kind} incident`);
  };

  it("a sender uplink incident raises its uplink loss and every receiver's end-to-end loss and freezes from it", async () => {
    const { c, i, s, others } = withIncident('uplink');
    const d = await details(c, c.created_ts, c.destroyed_ts);
    const up = series(d, s.sid, 20015, 0);
    expect(mean(inside(up, i))).toBeGreaterThan(8);
    expect(mean(outside(up, i))).toBeLessThan(3);
    const upAt = new Map(up);
    const receivers = others.filter((o) => d.call_info.some((u) => u.sid === o.sid));
    expect(receivers.length).toBeGreaterThan(0);
    for (const r of receivers) {
      const e2e = series(d, r.sid, 20016, s.uid);
      expect(mean(inside(e2e, i))).toBeGreaterThan(8);
      for (const [t, v] of e2e) if (upAt.has(t)) expect(v).toBeGreaterThanOrEqual(upAt.get(t)!);
      const videoE2e = series(d, r.sid, 20018, s.uid);
      expect(mean(inside(videoE2e, i))).toBeGreaterThan(mean(outside(videoE2e, i)) + 5);
      const audioFreeze = series(d, r.sid, 20005, s.uid);
      expect(mean(inside(audioFreeze, i))).toBeGreaterThan(mean(outside(audioFreeze, i)) + 100);
      const videoFreeze = series(d, r.sid, 20011, s.uid);
      expect(mean(inside(videoFreeze, i))).toBeGreaterThan(mean(outside(videoFreeze, i)) + 100);
    }
  });

  it("a receiver downlink incident raises its end-to-end loss while senders' uplink stays low", async () => {
    const { c, i, s } = withIncident('downlink');
    const d = await details(c, c.created_ts, c.destroyed_ts);
    const senders = people(c).filter(
      (x) => x.speaker && x.uid !== s.uid && x.join_ts < i.from_ts && x.leave_ts > i.to_ts,
    );
    expect(senders.length).toBeGreaterThan(0);
    for (const snd of senders) {
      expect(mean(inside(series(d, s.sid, 20016, snd.uid), i))).toBeGreaterThan(6);
      expect(mean(inside(series(d, snd.sid, 20015, 0), i))).toBeLessThan(3);
    }
  });

  it('a CPU-saturated device shows high CPU, low frame rates and freezes', async () => {
    const { c, i, s } = withIncident('cpu');
    const d = await details(c, c.created_ts, c.destroyed_ts);
    const cpu = inside(series(d, s.sid, 20002, 0), i);
    expect(cpu.length).toBeGreaterThan(10);
    expect(min(cpu)).toBeGreaterThanOrEqual(84);
    expect(mean(outside(series(d, s.sid, 20002, 0), i))).toBeLessThan(75);
    if (s.speaker) {
      expect(max(inside(series(d, s.sid, 20007, 0), i))).toBeLessThanOrEqual(10);
      expect(mean(outside(series(d, s.sid, 20007, 0), i))).toBeGreaterThanOrEqual(14);
    }
    const received = d.metrics
      .find((m) => m.sid === s.sid)!
      .data.filter((x) => x.mid === 20011 && x.peer_uid !== 0);
    expect(received.length).toBeGreaterThan(0);
    for (const r of received) {
      const quiet = calm(r.kvs, c.incidents!);
      expect(quiet.length).toBeGreaterThan(0);
      expect(mean(inside(r.kvs, i))).toBeGreaterThan(mean(quiet) + 300);
    }
  });

  it('a network switch changes the send bitrate', async () => {
    const c = calls.find(
      (x) =>
        x.incidents!.some(
          (i) => i.kind === 'network_switch' && x.sessions!.find((s) => s.sid === i.sid)?.speaker,
        ) &&
        x.destroyed_ts - x.created_ts < SPAN &&
        people(x).length <= MAX_USERS,
    )!;
    const i = c.incidents!.find((x) => x.kind === 'network_switch')!;
    const d = await details(c, c.created_ts, c.destroyed_ts);
    const bitrate = series(d, i.sid, 20006, 0);
    const before = mean(bitrate.filter(([t]) => t < i.from_ts).map(([, v]) => v));
    const after = mean(bitrate.filter(([t]) => t > i.from_ts + 10).map(([, v]) => v));
    if (i.to_network === 'Wi-Fi') expect(after / before).toBeGreaterThan(1.2);
    else expect(after / before).toBeLessThan(0.8);
  });
});
