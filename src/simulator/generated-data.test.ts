// The generated world looks like a real app: durations, running calls, classrooms, platforms,
// networks, reconnects and incidents.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA_PLAN } from '../shared/api-limits.ts';
import { createWorld, startSimulator, type SimulatorHandle, type TruthCall } from './index.ts';

const NOW_MS = Date.UTC(2025, 4, 14, 10, 30, 0);
const NOW = NOW_MS / 1000;

let sim: SimulatorHandle;
let calls: TruthCall[];
beforeAll(async () => {
  sim = await startSimulator({ seed: 'data', clock: () => NOW_MS });
  calls = sim.truth({ startTs: NOW - 2 * 86400, endTs: NOW, includeSessions: true });
});
afterAll(() => sim.close());

const sessions = () => calls.flatMap((c) => c.sessions!);

describe('generated calls', () => {
  it('produces about the configured number of calls a day', () => {
    const day = calls.filter((c) => c.created_ts > NOW - 86400).length;
    expect(day).toBeGreaterThan(1500);
    expect(day).toBeLessThan(2600);
  });

  it('keeps about 840 edge-case calls a day, about 880 in all at --calls-per-day 1, as documented', () => {
    const world = createWorld({ seed: 'data', callsPerDay: 1 });
    const week = world.callsStartedBetween(NOW - 7 * 86400, NOW - 1);
    const edgeCases = week.filter((c) => c.channel.kind !== 'classroom');
    expect(edgeCases.length / 7).toBeGreaterThan(800);
    expect(edgeCases.length / 7).toBeLessThan(880);
    expect(week.length / 7).toBeGreaterThan(840);
    expect(week.length / 7).toBeLessThan(920);
  });

  it('has calls of a few minutes, calls over 3 hours, and calls still running', () => {
    const finished = calls.filter((c) => c.finished);
    const durations = finished.map((c) => c.destroyed_ts - c.created_ts);
    expect(durations.some((d) => d < 300)).toBe(true);
    expect(durations.some((d) => d > BETA_PLAN.maxDetailsSpanSec)).toBe(true);
    const running = calls.filter((c) => !c.finished);
    expect(running.length).toBeGreaterThan(5);
    expect(running.every((c) => c.destroyed_ts === 0)).toBe(true);
  });

  it('starts a call with its first join and ends it with its last leave', () => {
    for (const c of calls.filter((x) => x.finished)) {
      expect(Math.min(...c.sessions!.map((s) => s.join_ts))).toBe(c.created_ts);
      expect(Math.max(...c.sessions!.map((s) => s.leave_ts))).toBe(c.destroyed_ts);
    }
  });

  it('never overlaps two calls in one channel', () => {
    const byChannel = new Map<string, TruthCall[]>();
    for (const c of calls.filter((x) => x.finished))
      byChannel.set(c.cname, [...(byChannel.get(c.cname) ?? []), c]);
    for (const list of byChannel.values()) {
      const sorted = [...list].sort((a, b) => a.created_ts - b.created_ts);
      for (let i = 1; i < sorted.length; i++) {
        expect(sorted[i]!.created_ts).toBeGreaterThan(sorted[i - 1]!.destroyed_ts);
      }
    }
  });

  it('puts exactly one teacher in every classroom, with students and sometimes a server user', () => {
    for (const c of calls) expect(c.sessions!.filter((s) => s.role === 'teacher')).toHaveLength(1);
    expect(
      calls.filter((c) => c.sessions!.some((s) => s.role === 'server')).length,
    ).toBeGreaterThan(100);
    expect(
      calls.some(
        (c) => new Set(c.sessions!.filter((s) => s.role === 'student').map((s) => s.uid)).size > 10,
      ),
    ).toBe(true);
  });

  it('has users reconnecting (one uid, several sessions)', () => {
    expect(calls.some((c) => c.session_count > c.user_count)).toBe(true);
  });

  it('covers every platform, network kind, several SDK versions and plausible device types', () => {
    const all = sessions();
    expect(new Set(all.map((s) => s.platform))).toEqual(
      new Set(['Android', 'iOS', 'Windows', 'macOS', 'Web', 'Linux']),
    );
    expect(new Set(all.map((s) => s.network))).toEqual(new Set(['Wi-Fi', '4G', '5G', 'Wired']));
    expect(new Set(all.map((s) => s.sdk_version)).size).toBeGreaterThanOrEqual(8);
    for (const s of all.filter((x) => x.platform === 'Android'))
      expect(s.device_type).toMatch(/^Android \(/);
    for (const s of all.filter((x) => x.platform === 'iOS'))
      expect(s.device_type).toMatch(/^iOS \(/);
    for (const s of all.filter((x) => x.platform === 'Linux')) expect(s.speaker).toBe(false);
  });

  it('puts phones, tablets and mobile browsers on Wi-Fi or 4G/5G, and desktops on Wi-Fi or a cable', () => {
    const mobile = (s: { platform: string; device_type: string }): boolean =>
      s.platform === 'Android' || s.platform === 'iOS' || /\((Android|iOS)\b/.test(s.device_type);
    const all = sessions().filter((s) => s.platform !== 'Linux');
    const mobileBrowsers = all.filter((s) => s.platform === 'Web' && mobile(s));
    expect(mobileBrowsers.length).toBeGreaterThan(0);
    for (const s of all) {
      expect([s.device_type, s.network]).toEqual([
        s.device_type,
        expect.stringMatching(mobile(s) ? /^(Wi-Fi|4G|5G)$/ : /^(Wi-Fi|Wired)$/),
      ]);
    }
    const bySid = new Map(all.map((s) => [s.sid, s]));
    const switches = calls.flatMap((c) => c.incidents!).filter((i) => i.kind === 'network_switch');
    expect(switches.length).toBeGreaterThan(0);
    for (const i of switches) expect(mobile(bySid.get(i.sid)!)).toBe(true);
  });

  it('has incidents of every kind', () => {
    const kinds = new Set(calls.flatMap((c) => c.incidents!.map((i) => i.kind)));
    expect(kinds).toEqual(new Set(['uplink', 'downlink', 'cpu', 'network_switch']));
  });
});
