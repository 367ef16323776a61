// Seeded hashing and small random streams: the simulator's only source of randomness, so all it
// generates is a pure function of (seed, inputs). Not cryptographic; not for anything secret.

/** Murmur3's 32-bit finaliser: a cheap, well-mixed bijection on uint32. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash of two integers; the hot path of per-sample noise (no rest-array allocation). */
export function hash2(a: number, b: number): number {
  return mix32((a ^ Math.imul(b | 0, 0x9e3779b1) ^ 0x7f4a7c15) >>> 0);
}

/** Hash of any number of integers, order-sensitive. */
export function hash32(...parts: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    // Split large integers (timestamps, slot numbers stay below 2^53) into two 32-bit halves.
    const hi = Math.floor(p / 4294967296);
    h = hash2(h, p >>> 0);
    if (hi !== 0) h = hash2(h, hi);
  }
  return h;
}

/** FNV-1a over UTF-16 code units, then mixed. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h >>> 0);
}

/** A uint32 hash mapped to [0, 1). */
export function unit(h: number): number {
  return h / 4294967296;
}

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight: `[[value, weight], ...]`. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T;
}

/** A mulberry32 stream seeded with a uint32. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('pick from an empty list');
      return item;
    },
    weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [value, w] of items) {
        r -= w;
        if (r < 0) return value;
      }
      const last = items[items.length - 1];
      if (last === undefined) throw new RangeError('weighted pick from an empty list');
      return last[0];
    },
  };
}

/** A seed given as text or number, reduced to a uint32. Numeric strings and numbers agree. */
export function seedHash(seed: string | number): number {
  return hashString(`crystal-desk-simulator:${String(seed)}`);
}
