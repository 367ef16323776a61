// Who is in a call and what goes wrong in it: sessions (one per join) with their devices and media
// settings, and the incidents that shape the metrics. Pure function of (seed, call).

import type { ChannelCatalogue } from './channel-catalogue.ts';
import { BIG_CLASS_STUDENTS } from './channel-catalogue.ts';
import type { ScheduledCall } from './call-schedule.ts';
import {
  pickDevice,
  pickNetwork,
  type DeviceProfile,
  type Network,
  type Platform,
} from './device-catalogue.ts';
import { createRandom, hash32, type Random } from './prng.ts';

export type Role = 'teacher' | 'student' | 'server';

export interface SessionPlan {
  sid: string;
  uid: number;
  role: Role;
  platform: Platform;
  network: Network;
  /** A phone or tablet (an app or a mobile browser): never on a wired network. */
  mobile: boolean;
  /** Sends audio and video. Listeners and server users do not. */
  speaker: boolean;
  sdkVersion: string;
  deviceType: string;
  joinTs: number;
  /** Scheduled leave; may lie after "now" while the call runs. */
  leaveTs: number;
  /** Noise key for this session's series. */
  key: number;
  tier: number;
  sdkCpuBase: number;
  systemCpuBase: number;
  audioKbps: number;
  videoKbps: number;
  fps: number;
  width: number;
  height: number;
  uplinkLossBase: number;
  downlinkLossBase: number;
}

export type IncidentKind = 'uplink' | 'downlink' | 'cpu' | 'network_switch';

/**
 * Something that goes wrong for one session during [fromTs, toTs]:
 * - uplink: the sender's uplink loses `severity` % of packets; every receiver of that sender
 *   sees it as end-to-end loss, lower bitrate and frame rate, and freezes;
 * - downlink: the receiver loses `severity` % from every sender; senders' uplink is fine;
 * - cpu: the device's system CPU sits at `severity` %; it captures, sends and renders fewer frames
 *   and its renders freeze;
 * - network_switch: at fromTs the session moves to `toNetwork` and its send bitrate is scaled by
 *   `severity` (toTs is the session's end); a few seconds of loss mark the switch itself.
 */
export interface Incident {
  kind: IncidentKind;
  sid: string;
  uid: number;
  fromTs: number;
  toTs: number;
  severity: number;
  toNetwork?: Network;
}

export interface CallPlan {
  call: ScheduledCall;
  /** Every session, by join time ascending (sid breaks ties). */
  sessions: SessionPlan[];
  incidents: Incident[];
}

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0').toUpperCase();

interface Resolution {
  width: number;
  height: number;
  kbps: number;
}

const TEACHER_RESOLUTIONS: readonly Resolution[] = [
  { width: 1280, height: 720, kbps: 1130 },
  { width: 960, height: 540, kbps: 910 },
];
const STUDENT_RESOLUTIONS: readonly Resolution[] = [
  { width: 640, height: 360, kbps: 400 },
  { width: 480, height: 360, kbps: 320 },
  { width: 320, height: 240, kbps: 200 },
];

const LOSS_BY_NETWORK: Record<Network, number> = { Wired: 0.1, 'Wi-Fi': 0.4, '5G': 0.6, '4G': 1 };

function makeSession(
  rng: Random,
  seed: number,
  callKey: number,
  index: number,
  role: Role,
  uid: number,
  joinTs: number,
  leaveTs: number,
  speaker: boolean,
  /** A reconnect: the same device as this earlier session, maybe on another network. */
  reconnectOf?: SessionPlan,
): SessionPlan {
  const device: DeviceProfile =
    reconnectOf === undefined
      ? pickDevice(rng, role)
      : {
          platform: reconnectOf.platform,
          deviceType: reconnectOf.deviceType,
          sdkVersion: reconnectOf.sdkVersion,
          network: pickNetwork(rng, reconnectOf),
          tier: reconnectOf.tier,
          mobile: reconnectOf.mobile,
        };
  const res: Resolution =
    reconnectOf === undefined
      ? rng.pick(role === 'teacher' ? TEACHER_RESOLUTIONS : STUDENT_RESOLUTIONS)
      : { width: reconnectOf.width, height: reconnectOf.height, kbps: reconnectOf.videoKbps };
  const key = hash32(seed, callKey, index, 0x73657373);
  return {
    sid: hex8(hash32(key, 1)) + hex8(hash32(key, 2)) + hex8(hash32(key, 3)) + hex8(hash32(key, 4)),
    uid,
    role,
    platform: device.platform,
    network: device.network,
    mobile: device.mobile,
    speaker,
    sdkVersion: device.sdkVersion,
    deviceType: device.deviceType,
    joinTs,
    leaveTs,
    key,
    tier: device.tier,
    sdkCpuBase: 4 + (1 - device.tier) * 14,
    systemCpuBase: 15 + (1 - device.tier) * 35,
    audioKbps: rng.int(24, 48),
    videoKbps: res.kbps,
    fps: role === 'teacher' ? rng.pick([15, 24, 30]) : 15,
    width: res.width,
    height: res.height,
    uplinkLossBase: LOSS_BY_NETWORK[device.network] * (0.5 + rng.next()),
    downlinkLossBase: LOSS_BY_NETWORK[device.network] * (0.5 + rng.next()),
  };
}

/** A stretch of `minSec`..`maxSec` (at most half the span) inside the middle of [fromTs, toTs]. */
function stretchWithin(
  rng: Random,
  fromTs: number,
  toTs: number,
  minSec: number,
  maxSec: number,
): [number, number] {
  const len = toTs - fromTs;
  const dur = Math.max(1, Math.min(rng.int(minSec, maxSec), Math.floor(len / 2)));
  const start =
    fromTs + Math.floor(len * 0.15) + rng.int(0, Math.max(0, Math.floor(len * 0.7) - dur));
  return [start, Math.min(toTs, start + dur)];
}

export function planCall(catalogue: ChannelCatalogue, call: ScheduledCall): CallPlan {
  const { seed } = catalogue;
  const channel = call.channel;
  const p = channel.profile;
  const callKey = hash32(seed, channel.index, call.slot);
  const rng = createRandom(hash32(callKey, 0x706c616e));
  const dur = call.destroyedTs - call.createdTs;
  const sessions: SessionPlan[] = [];
  let index = 0;

  const teacherUid = 100000 + (channel.key % 900000);
  sessions.push(
    makeSession(
      rng,
      seed,
      callKey,
      index++,
      'teacher',
      teacherUid,
      call.createdTs,
      call.destroyedTs,
      true,
    ),
  );

  const big = rng.chance(p.bigClassShare);
  const [minStudents, maxStudents] = big ? BIG_CLASS_STUDENTS : p.students;
  const studentCount = rng.int(minStudents, maxStudents);
  // Students come from a per-channel pool, so the same children recur in a classroom.
  const pool = Array.from(
    { length: 24 },
    (_, j) => 100000000 + (hash32(channel.key, j) % 900000000),
  );
  const speakersWanted = big ? 3 : studentCount;
  for (let s = 0; s < studentCount; s++) {
    const pick = rng.int(s, pool.length - 1);
    const uid = pool[pick] ?? 0;
    pool[pick] = pool[s] ?? 0;
    pool[s] = uid;
    const speaker = s < speakersWanted && rng.chance(big ? 1 : 0.85);
    const late = rng.chance(0.1);
    const joinTs =
      call.createdTs + rng.int(1, Math.max(1, Math.floor(late ? dur / 2 : Math.min(300, dur / 4))));
    let leaveTs = call.destroyedTs - rng.int(0, Math.floor(dur / 5));
    leaveTs = Math.min(call.destroyedTs, Math.max(leaveTs, joinTs + 10));
    if (leaveTs - joinTs > 120 && rng.chance(0.15)) {
      // A reconnect: two sessions for one uid, a short gap between, maybe on another network.
      const cut = joinTs + Math.floor((leaveTs - joinTs) * (0.3 + 0.4 * rng.next()));
      const back = cut + rng.int(2, 20);
      const first = makeSession(rng, seed, callKey, index++, 'student', uid, joinTs, cut, speaker);
      sessions.push(
        first,
        // The same device reconnects: only the network may change.
        makeSession(rng, seed, callKey, index++, 'student', uid, back, leaveTs, speaker, first),
      );
    } else {
      sessions.push(
        makeSession(rng, seed, callKey, index++, 'student', uid, joinTs, leaveTs, speaker),
      );
    }
  }

  if (rng.chance(p.recorderShare)) {
    const joinTs = Math.min(call.destroyedTs, call.createdTs + rng.int(1, 5));
    sessions.push(
      makeSession(
        rng,
        seed,
        callKey,
        index,
        'server',
        999000000 + rng.int(0, 999),
        joinTs,
        call.destroyedTs,
        false,
      ),
    );
  }

  sessions.sort((a, b) => a.joinTs - b.joinTs || (a.sid < b.sid ? -1 : 1));
  return { call, sessions, incidents: planIncidents(rng, sessions, dur) };
}

function planIncidents(rng: Random, sessions: readonly SessionPlan[], dur: number): Incident[] {
  const incidents: Incident[] = [];
  const people = sessions.filter((s) => s.role !== 'server' && s.leaveTs - s.joinTs >= 20);
  const senders = people.filter((s) => s.speaker);
  const minSec = dur < 300 ? 16 : 40;
  const maxSec = dur < 300 ? 40 : 300;
  const add = (kind: IncidentKind, s: SessionPlan, severity: number, toNetwork?: Network): void => {
    const [fromTs, toTs] = stretchWithin(rng, s.joinTs, s.leaveTs, minSec, maxSec);
    incidents.push({
      kind,
      sid: s.sid,
      uid: s.uid,
      fromTs,
      toTs,
      severity,
      ...(toNetwork ? { toNetwork } : {}),
    });
  };
  if (senders.length > 0 && rng.chance(0.55)) add('uplink', rng.pick(senders), rng.int(12, 35));
  if (people.length > 0 && rng.chance(0.3)) add('downlink', rng.pick(people), rng.int(8, 25));
  if (people.length > 0) {
    const weakest = people.reduce((a, b) => (b.tier < a.tier ? b : a));
    if (rng.chance(weakest.tier < 0.4 ? 0.5 : 0.15)) add('cpu', weakest, rng.int(90, 100));
  }
  // Only phones and tablets move between Wi-Fi and a mobile network.
  const switchers = people.filter((s) => s.mobile);
  if (switchers.length > 0 && rng.chance(0.3)) {
    const s = rng.pick(switchers);
    const toNetwork: Network = s.network === 'Wi-Fi' ? rng.pick<Network>(['4G', '5G']) : 'Wi-Fi';
    const at = s.joinTs + Math.floor((s.leaveTs - s.joinTs) * (0.3 + 0.4 * rng.next()));
    incidents.push({
      kind: 'network_switch',
      sid: s.sid,
      uid: s.uid,
      fromTs: at,
      toTs: s.leaveTs,
      severity: toNetwork === 'Wi-Fi' ? 1.5 : 0.55,
      toNetwork,
    });
  }
  return incidents;
}
