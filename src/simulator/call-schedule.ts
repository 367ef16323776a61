// When each channel holds a call: a pure function of (seed, channel, slot), enumerated lazily for a
// time range, plus call ids that encode where a call lives. Knows nothing of users or metrics.

import {
  diurnalFactor,
  MAX_CHANNELS,
  SHORT_CALL_SEC,
  type ChannelCatalogue,
  type ChannelSpec,
} from './channel-catalogue.ts';
import { createRandom, hash32 } from './prng.ts';

export interface ScheduledCall {
  callId: string;
  channel: ChannelSpec;
  slot: number;
  /** First join (Unix seconds). */
  createdTs: number;
  /** Last leave as scheduled (Unix seconds); may lie after "now" while the call runs. */
  destroyedTs: number;
}

const BURST_TAG = 0x62757273;
/** One timetabled hour in this many is a burst hour (about four a day). */
const BURST_EVERY = 6;

/** A burst hour: every scheduled channel starts a call at HH:00:00 exactly. */
export function isBurstHour(seed: number, hourIndex: number): boolean {
  return hash32(seed, BURST_TAG, hourIndex) % BURST_EVERY === 0;
}

/** The call in one slot of one channel, if any. */
export function callInSlot(
  catalogue: ChannelCatalogue,
  channel: ChannelSpec,
  slot: number,
): ScheduledCall | undefined {
  const p = channel.profile;
  const slotStart = slot * p.slotSec;
  const rng = createRandom(hash32(catalogue.seed, channel.key, slot));
  let offset: number;
  if (channel.kind === 'scheduled' && isBurstHour(catalogue.seed, slot)) {
    offset = 0;
  } else {
    if (rng.next() >= p.activity * diurnalFactor(slotStart)) return undefined;
    offset = rng.int(0, p.maxStartOffsetSec);
  }
  const range = rng.chance(p.shortCallShare) ? SHORT_CALL_SEC : p.durationSec;
  const createdTs = slotStart + offset;
  const duration = Math.min(rng.int(range[0], range[1]), slotStart + p.slotSec - 1 - createdTs);
  return {
    callId: encodeCallId(catalogue.seed, channel.index, slot),
    channel,
    slot,
    createdTs,
    destroyedTs: createdTs + duration,
  };
}

/** Newest first by start; calls starting in the same second ordered by call id. */
export function compareNewestFirst(a: ScheduledCall, b: ScheduledCall): number {
  if (a.createdTs !== b.createdTs) return b.createdTs - a.createdTs;
  return a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : 0;
}

/**
 * Every call whose start lies in [startTs, endTs] (both inclusive), optionally in one channel,
 * newest first. Only the slots that can hold such a start are generated.
 */
export function callsStartedBetween(
  catalogue: ChannelCatalogue,
  startTs: number,
  endTs: number,
  cname?: string,
): ScheduledCall[] {
  const channels =
    cname === undefined
      ? catalogue.channels
      : [catalogue.byName.get(cname)].filter((c) => c !== undefined);
  const calls: ScheduledCall[] = [];
  for (const channel of channels) {
    const len = channel.profile.slotSec;
    for (let slot = Math.floor(startTs / len); slot <= Math.floor(endTs / len); slot++) {
      const call = callInSlot(catalogue, channel, slot);
      if (call !== undefined && call.createdTs >= startTs && call.createdTs <= endTs)
        calls.push(call);
    }
  }
  return calls.sort(compareNewestFirst);
}

/** The call a call id names, or undefined when no such call exists. */
export function findCall(catalogue: ChannelCatalogue, callId: string): ScheduledCall | undefined {
  const decoded = decodeCallId(catalogue.seed, callId);
  if (decoded === undefined) return undefined;
  const channel = catalogue.channels[decoded.channelIndex];
  if (channel === undefined) return undefined;
  return callInSlot(catalogue, channel, decoded.slot);
}

export const CALL_ID_PATTERN = /^[0-9a-f]{24}$/;

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

/** Masks the payload with the seed and the call's own check digits, so ids look unrelated. */
function mask(seed: number, check: string): string {
  const k = parseInt(check.slice(0, 8), 16);
  return (hex8(hash32(seed, k, 1)) + hex8(hash32(seed, k, 2))).slice(0, 12);
}

function xorHex(a: string, b: string): string {
  let out = '';
  for (let i = 0; i < a.length; i++) {
    out += (parseInt(a[i] ?? '0', 16) ^ parseInt(b[i] ?? '0', 16)).toString(16);
  }
  return out;
}

function checkPart(seed: number, channelIndex: number, slot: number): string {
  return (
    hex8(hash32(seed, channelIndex, slot, 1)) +
    hex8(hash32(seed, channelIndex, slot, 2)).slice(0, 4)
  );
}

/**
 * 24 lowercase hex digits like the vendor's ids: 12 of check (a hash of seed, channel, slot) then
 * 12 of payload (channel index and slot, masked by seed and check). Opaque to clients, decodable
 * here, and a made-up id fails the check.
 */
export function encodeCallId(seed: number, channelIndex: number, slot: number): string {
  if (channelIndex >= MAX_CHANNELS || slot >= 0x100000000) {
    throw new RangeError(`channel ${channelIndex}, slot ${slot} do not fit in a call id`);
  }
  const payload = channelIndex.toString(16).padStart(4, '0') + slot.toString(16).padStart(8, '0');
  const check = checkPart(seed, channelIndex, slot);
  return check + xorHex(payload, mask(seed, check));
}

export function decodeCallId(
  seed: number,
  callId: string,
): { channelIndex: number; slot: number } | undefined {
  if (!CALL_ID_PATTERN.test(callId)) return undefined;
  const check = callId.slice(0, 12);
  const payload = xorHex(callId.slice(12), mask(seed, check));
  const channelIndex = parseInt(payload.slice(0, 4), 16);
  const slot = parseInt(payload.slice(4), 16);
  if (checkPart(seed, channelIndex, slot) !== check) return undefined;
  return { channelIndex, slot };
}
