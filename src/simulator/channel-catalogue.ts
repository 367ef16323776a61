// The simulated app's channels: names (some hostile on purpose), kinds and how often each kind
// holds calls. Pure data derived from (seed, calls per day); it does not generate calls itself.

import { createRandom, hash32 } from './prng.ts';

export type ChannelKind = 'busy' | 'scheduled' | 'classroom' | 'marathon' | 'hostile';

export interface KindProfile {
  /**
   * Time is cut into slots of this length per channel; a slot holds at most one call, which starts
   * and ends inside it. So calls of one channel never overlap, and a call is found by looking only
   * at the slots its start can fall in.
   */
  slotSec: number;
  /** Chance that a slot holds a call at the busiest hour (scaled by the daily curve). */
  activity: number;
  /** Latest start of a call after its slot begins (seconds). */
  maxStartOffsetSec: number;
  /** Duration range of a normal call (seconds). */
  durationSec: readonly [number, number];
  /** Share of calls that last only a few minutes (SHORT_CALL_SEC). */
  shortCallShare: number;
  /** Number of students (besides the one teacher) in a normal class. */
  students: readonly [number, number];
  /** Share of calls with a large class: more users than one details response lists. */
  bigClassShare: number;
  /** Share of calls with a Linux server user (a cloud recorder). */
  recorderShare: number;
}

export const SHORT_CALL_SEC: readonly [number, number] = [120, 480];
export const BIG_CLASS_STUDENTS: readonly [number, number] = [10, 16];

export const KIND_PROFILES: Record<ChannelKind, KindProfile> = {
  // A drop-in channel with back-to-back one-to-two-minute calls: ~20 calls an hour at peak, far
  // more than one list response holds.
  busy: {
    slotSec: 170,
    activity: 0.95,
    maxStartOffsetSec: 20,
    durationSec: [60, 140],
    shortCallShare: 0,
    students: [1, 2],
    bigClassShare: 0,
    recorderShare: 0.05,
  },
  // Timetabled classes; at "burst hours" every scheduled channel starts at HH:00:00 exactly, so
  // more calls than one list response holds start within the same second.
  scheduled: {
    slotSec: 3600,
    activity: 0.55,
    maxStartOffsetSec: 900,
    durationSec: [1500, 2640],
    shortCallShare: 0.1,
    students: [3, 8],
    bigClassShare: 0.2,
    recorderShare: 0.5,
  },
  classroom: {
    slotSec: 3600,
    activity: 0.7,
    maxStartOffsetSec: 1200,
    durationSec: [1200, 2340],
    shortCallShare: 0.2,
    students: [1, 6],
    bigClassShare: 0.1,
    recorderShare: 0.25,
  },
  // Long sessions (3 h 10 min to 5 h): longer than one details response may hold.
  marathon: {
    slotSec: 21600,
    activity: 0.85,
    maxStartOffsetSec: 1800,
    durationSec: [11400, 18000],
    shortCallShare: 0,
    students: [1, 3],
    bigClassShare: 0,
    recorderShare: 0.6,
  },
  hostile: {
    slotSec: 7200,
    activity: 0.6,
    maxStartOffsetSec: 1800,
    durationSec: [600, 4800],
    shortCallShare: 0.2,
    students: [1, 5],
    bigClassShare: 0.1,
    recorderShare: 0.2,
  },
};

/** Relative activity per UTC hour: a Chinese school day (08:00–21:00 CST) is busiest. */
export const DIURNAL_BY_UTC_HOUR: readonly number[] = [
  0.8, 0.9, 1, 1, 0.9, 0.8, 0.9, 1, 1, 1, 1, 0.9, 0.8, 0.6, 0.4, 0.25, 0.15, 0.1, 0.1, 0.1, 0.15,
  0.25, 0.4, 0.6,
];

export function diurnalFactor(unixSec: number): number {
  return DIURNAL_BY_UTC_HOUR[Math.floor(unixSec / 3600) % 24] ?? 1;
}

/**
 * Channel names a client must survive: CJK, emoji, right-to-left text, commas, quotes, newlines,
 * a very long name, names a spreadsheet would run as formulas, markup.
 */
export const HOSTILE_CHANNEL_NAMES: readonly string[] = [
  '数学课-三年级二班',
  '英语口语 🎉🔥 小组',
  'שיעור עברית למתחילים',
  'درس اللغة العربية',
  'physics, grade 10, section B',
  'the "quoted" room, with comma',
  "teacher's room; O'Brien",
  'line one\nline two',
  'tab\there\r\nand crlf',
  `long-${'很长的频道名称-very-long-channel-name-'.repeat(8)}end`,
  '=HYPERLINK("http://example.com","click me")',
  '+SUM(A1:A9)',
  '-2+3',
  '@SUM(1,2)',
  '<script>alert("x")</script>',
  'C:\\path\\to;semi',
  'zero\u200bwidth and cafe\u0301',
];

export interface ChannelSpec {
  index: number;
  cname: string;
  kind: ChannelKind;
  profile: KindProfile;
  /** Stable per-channel hash (teacher uid, student pool). */
  key: number;
}

export interface ChannelCatalogue {
  seed: number;
  channels: readonly ChannelSpec[];
  byName: ReadonlyMap<string, ChannelSpec>;
  /** Longest slot of any channel: no call lasts longer (seconds). */
  maxCallSec: number;
}

/** A call id holds the channel index in 4 hex digits (call-schedule.ts), so at most this many. */
export const MAX_CHANNELS = 0x10000;

const FIXED_COUNTS: Record<Exclude<ChannelKind, 'classroom'>, number> = {
  busy: 2,
  scheduled: 14,
  marathon: 2,
  hostile: HOSTILE_CHANNEL_NAMES.length,
};

const MEAN_DIURNAL = DIURNAL_BY_UTC_HOUR.reduce((a, b) => a + b, 0) / DIURNAL_BY_UTC_HOUR.length;

/** Expected calls a day of one channel of a kind (burst hours ignored). */
export function expectedCallsPerDay(kind: ChannelKind): number {
  const p = KIND_PROFILES[kind];
  return (86400 / p.slotSec) * p.activity * MEAN_DIURNAL;
}

const SUBJECTS = ['math', 'english', 'physics', 'chem', 'music', 'art', 'chinese', 'coding'];

/**
 * Builds the channel list. `callsPerDay` is approximate: the channels the edge cases need (busy,
 * scheduled, marathon, hostile: about 840 calls a day) are always there; ordinary classrooms are
 * added until the expected total reaches `callsPerDay` (at least 4 of them).
 */
export function buildChannelCatalogue(seed: number, callsPerDay: number): ChannelCatalogue {
  const rng = createRandom(hash32(seed, 0x6e616d65));
  const fixedExpected = (Object.keys(FIXED_COUNTS) as Array<keyof typeof FIXED_COUNTS>).reduce(
    (sum, kind) => sum + FIXED_COUNTS[kind] * expectedCallsPerDay(kind),
    0,
  );
  const classrooms = Math.max(
    4,
    Math.round((callsPerDay - fixedExpected) / expectedCallsPerDay('classroom')),
  );

  const specs: Array<{ cname: string; kind: ChannelKind }> = [];
  for (let i = 0; i < FIXED_COUNTS.busy; i++) {
    specs.push({ cname: i === 0 ? 'office-hours-lobby' : `quick-check-in-${i}`, kind: 'busy' });
  }
  for (let i = 0; i < FIXED_COUNTS.scheduled; i++) {
    const subject = SUBJECTS[i % SUBJECTS.length] ?? 'class';
    specs.push({ cname: `sched-${subject}-${String(i + 1).padStart(2, '0')}`, kind: 'scheduled' });
  }
  for (let i = 0; i < FIXED_COUNTS.marathon; i++) {
    specs.push({
      cname: i === 0 ? 'study-hall-marathon' : `exam-proctoring-${i}`,
      kind: 'marathon',
    });
  }
  for (const cname of HOSTILE_CHANNEL_NAMES) specs.push({ cname, kind: 'hostile' });
  for (let i = 0; i < classrooms; i++) {
    const style = rng.int(0, 3);
    const n = rng.int(1000, 9999);
    const cname =
      style === 0
        ? // the vendor's example style: a long number
          `1505${rng.int(1000000, 9999999)}${String(i).padStart(3, '0')}`
        : style === 1
          ? `${rng.pick(SUBJECTS)}_g${rng.int(1, 9)}_${n}_${i}`
          : style === 2
            ? `room-${n}-${i}`
            : `class${String(i).padStart(4, '0')}-${rng.pick(SUBJECTS)}`;
    specs.push({ cname, kind: 'classroom' });
  }
  if (specs.length > MAX_CHANNELS) {
    throw new RangeError(
      `${specs.length} channels do not fit in call ids (at most ${MAX_CHANNELS})`,
    );
  }

  const channels = specs.map((s, index) => ({
    index,
    cname: s.cname,
    kind: s.kind,
    profile: KIND_PROFILES[s.kind],
    key: hash32(seed, 0x6368616e, index),
  }));
  const byName = new Map(channels.map((c) => [c.cname, c]));
  const maxCallSec = Math.max(...Object.values(KIND_PROFILES).map((p) => p.slotSec));
  return { seed, channels, byName, maxCallSec };
}
