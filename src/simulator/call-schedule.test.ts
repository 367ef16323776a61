// Call ids at the largest load: the catalogue of --calls-per-day's maximum fits the id encoding,
// its ids are 24 lowercase hex digits and name their calls; a larger load is refused up front.

import { describe, expect, it } from 'vitest';
import { buildChannelCatalogue, MAX_CHANNELS } from './channel-catalogue.ts';
import {
  CALL_ID_PATTERN,
  callsStartedBetween,
  decodeCallId,
  encodeCallId,
  findCall,
} from './call-schedule.ts';
import { parseSimulatorArgs } from './cli.ts';
import { seedHash } from './prng.ts';
import { MAX_CALLS_PER_DAY, resolveOptions } from './simulator-options.ts';

const SEED = seedHash('ids');
const DAY_START = Date.UTC(2025, 4, 14) / 1000;

describe('call ids at the maximum calls per day', () => {
  const catalogue = buildChannelCatalogue(SEED, MAX_CALLS_PER_DAY);
  const last = catalogue.channels[catalogue.channels.length - 1]!;

  it('builds a catalogue whose channel indexes fit in a call id', () => {
    expect(catalogue.channels.length).toBeLessThanOrEqual(MAX_CHANNELS);
    expect(last.index).toBe(catalogue.channels.length - 1);
  });

  it("gives the last channel's calls 24-hex-digit ids that decode back to the call", () => {
    const calls = callsStartedBetween(catalogue, DAY_START, DAY_START + 86400, last.cname);
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) {
      expect(c.callId).toMatch(CALL_ID_PATTERN);
      expect(decodeCallId(SEED, c.callId)).toEqual({ channelIndex: last.index, slot: c.slot });
      expect(findCall(catalogue, c.callId)).toEqual(c);
    }
  });

  it('encodes the largest channel index and refuses one beyond it', () => {
    const id = encodeCallId(SEED, MAX_CHANNELS - 1, 12345678);
    expect(id).toMatch(CALL_ID_PATTERN);
    expect(decodeCallId(SEED, id)).toEqual({ channelIndex: MAX_CHANNELS - 1, slot: 12345678 });
    expect(() => encodeCallId(SEED, MAX_CHANNELS, 0)).toThrow(RangeError);
  });

  it('refuses a catalogue with more channels than call ids can address', () => {
    expect(() => buildChannelCatalogue(SEED, 700_000)).toThrow(/do not fit in call ids/);
  });

  it('refuses calls per day above the maximum, naming the flag and the maximum', () => {
    expect(resolveOptions({ callsPerDay: MAX_CALLS_PER_DAY }).callsPerDay).toBe(MAX_CALLS_PER_DAY);
    expect(() => resolveOptions({ callsPerDay: MAX_CALLS_PER_DAY + 1 })).toThrow(
      new RegExp(`--calls-per-day.*${MAX_CALLS_PER_DAY}`),
    );
    expect(() => parseSimulatorArgs(['--calls-per-day', String(MAX_CALLS_PER_DAY + 1)])).toThrow(
      new RegExp(`--calls-per-day.*at most ${MAX_CALLS_PER_DAY}`),
    );
  });
});
