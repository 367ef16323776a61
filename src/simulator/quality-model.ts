// The state of each session at any second (packet loss, CPU, frame rate, bitrate), derived from
// its plan and the call's incidents, and the receiver-side figures that follow from a sender's and
// a receiver's state. One source for every mid, so related metrics always agree.

import type { CallPlan, Incident, SessionPlan } from './call-plan.ts';
import { hash2, unit } from './prng.ts';

export interface SessionState {
  s: SessionPlan;
  uplink: readonly Incident[];
  downlink: readonly Incident[];
  cpu: readonly Incident[];
  switches: readonly Incident[];
}

/** Seconds after a network switch during which packets are lost while the path re-forms. */
const SWITCH_SPIKE_SEC = 6;

export function sessionStates(plan: CallPlan): Map<string, SessionState> {
  const states = new Map<string, SessionState>();
  for (const s of plan.sessions) {
    const mine = plan.incidents.filter((i) => i.sid === s.sid);
    states.set(s.sid, {
      s,
      uplink: mine.filter((i) => i.kind === 'uplink'),
      downlink: mine.filter((i) => i.kind === 'downlink'),
      cpu: mine.filter((i) => i.kind === 'cpu'),
      switches: mine.filter((i) => i.kind === 'network_switch'),
    });
  }
  return states;
}

/** Deterministic noise in [0, 1) for (key, second). */
export function noise(key: number, t: number): number {
  return unit(hash2(key, t));
}

function active(incidents: readonly Incident[], t: number): Incident | undefined {
  for (const i of incidents) if (t >= i.fromTs && t <= i.toTs) return i;
  return undefined;
}

function inSwitchSpike(st: SessionState, t: number): boolean {
  for (const i of st.switches) if (t >= i.fromTs && t < i.fromTs + SWITCH_SPIKE_SEC) return true;
  return false;
}

/**
 * Packet loss (%) on one leg of a session's path, before rounding: its noisy base, an incident on
 * that leg, and the spike after a network switch. `salt` keeps each leg's noise its own.
 */
function legLoss(
  st: SessionState,
  t: number,
  base: number,
  incidents: readonly Incident[],
  salt: number,
): number {
  let loss = base * (0.3 + 1.4 * noise(st.s.key ^ (salt + 1), t));
  const incident = active(incidents, t);
  if (incident) loss += incident.severity * (0.85 + 0.3 * noise(st.s.key ^ (salt + 2), t));
  if (inSwitchSpike(st, t)) loss += 15;
  return Math.min(100, loss);
}

/** Sender-to-server packet loss (%), before rounding. */
export function uplinkLoss(st: SessionState, t: number): number {
  return legLoss(st, t, st.s.uplinkLossBase, st.uplink, 0x10);
}

/** Server-to-receiver packet loss (%), before rounding. */
export function downlinkLoss(st: SessionState, t: number): number {
  return legLoss(st, t, st.s.downlinkLossBase, st.downlink, 0x20);
}

export function cpuIncident(st: SessionState, t: number): Incident | undefined {
  return active(st.cpu, t);
}

export function systemCpu(st: SessionState, t: number): number {
  const hot = cpuIncident(st, t);
  if (hot) return Math.min(100, Math.round(hot.severity - 6 * noise(st.s.key ^ 0x31, t)));
  const wave = 5 * Math.sin(t / 300 + (st.s.key % 628) / 100);
  return Math.round(st.s.systemCpuBase + 10 * noise(st.s.key ^ 0x31, t) + wave);
}

export function sdkCpu(st: SessionState, t: number): number {
  if (cpuIncident(st, t)) return Math.round(55 + 20 * noise(st.s.key ^ 0x32, t));
  return Math.round(st.s.sdkCpuBase + 6 * noise(st.s.key ^ 0x32, t));
}

/** Bitrate factor from network switches so far (e.g. Wi-Fi → 4G: 0.55). */
export function networkScale(st: SessionState, t: number): number {
  let scale = 1;
  for (const i of st.switches) if (t >= i.fromTs) scale *= i.severity;
  return scale;
}

export function captureFps(st: SessionState, t: number): number {
  if (cpuIncident(st, t)) return 5 + Math.floor(5 * noise(st.s.key ^ 0x41, t));
  return st.s.fps - (noise(st.s.key ^ 0x41, t) < 0.1 ? 1 : 0);
}

export function sendFps(st: SessionState, t: number): number {
  const capture = captureFps(st, t);
  return Math.max(0, Math.round(capture * (1 - Math.min(0.5, uplinkLoss(st, t) / 60))));
}

export function audioSendKbps(st: SessionState, t: number): number {
  const hit = active(st.uplink, t) ? 0.85 : 1;
  return Math.round(st.s.audioKbps * (0.9 + 0.2 * noise(st.s.key ^ 0x51, t)) * hit);
}

export function videoSendKbps(st: SessionState, t: number): number {
  const lossFactor = 1 - Math.min(0.5, uplinkLoss(st, t) / 50);
  const cpuFactor = cpuIncident(st, t) ? 0.5 : 1;
  const n = 0.85 + 0.3 * noise(st.s.key ^ 0x52, t);
  return Math.round(st.s.videoKbps * networkScale(st, t) * n * lossFactor * cpuFactor);
}

/** Sent resolution: halved (to even pixels) while the network is much slower than at join. */
export function videoSize(st: SessionState, t: number): [number, number] {
  if (networkScale(st, t) < 0.8) {
    return [Math.round(st.s.width / 4) * 2, Math.round(st.s.height / 4) * 2];
  }
  return [st.s.width, st.s.height];
}

/** What a receiver sees from one sender at second t. */
export interface ReceivedFigures {
  audioKbps: number;
  audioFreezeMs: number;
  videoKbps: number;
  videoFps: number;
  videoFreezeMs: number;
  videoQuality: number;
  audioLoss: number;
  videoLoss: number;
}

/**
 * End-to-end loss = the sender's uplink loss + the receiver's downlink loss (+ a little noise),
 * so it is never below the sender's uplink loss; freezes, received frame rate and bitrate follow
 * from it, and from the receiver's CPU.
 */
export function received(sender: SessionState, receiver: SessionState, t: number): ReceivedFigures {
  const up = uplinkLoss(sender, t);
  const down = downlinkLoss(receiver, t);
  const n = noise(receiver.s.key ^ sender.s.key ^ 0x61, t);
  const audioLoss = Math.min(100, up + down + 0.5 * n);
  const videoLoss = Math.min(100, 1.1 * (up + down) + 0.5 * n);
  const hot = cpuIncident(receiver, t) !== undefined;
  const audioFreezeMs =
    audioLoss < 5
      ? n < 0.02
        ? 60 + Math.round(n * 5000)
        : 0
      : Math.min(2000, Math.round((audioLoss - 4) * 45 * (0.7 + 0.6 * n)));
  const lossFreeze =
    videoLoss < 4
      ? n < 0.03
        ? 80 + Math.round(n * 4000)
        : 0
      : Math.round((videoLoss - 3) * 60 * (0.7 + 0.6 * n));
  const videoFreezeMs = Math.min(2000, lossFreeze + (hot ? 500 + Math.round(800 * n) : 0));
  const videoFps = Math.max(
    0,
    Math.round(sendFps(sender, t) * (1 - Math.min(0.8, videoLoss / 40)) * (hot ? 0.4 : 1)),
  );
  return {
    audioKbps: Math.round(audioSendKbps(sender, t) * (1 - audioLoss / 100)),
    audioFreezeMs,
    videoKbps: Math.round(videoSendKbps(sender, t) * (1 - videoLoss / 100)),
    videoFps,
    videoFreezeMs,
    videoQuality: Math.min(6, 1 + Math.floor(videoLoss / 6 + videoFreezeMs / 500)),
    audioLoss: Math.round(audioLoss),
    videoLoss: Math.round(videoLoss),
  };
}
