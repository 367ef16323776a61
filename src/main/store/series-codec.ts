// Compact storage of one metric series, and the merge of a stored series with newly fetched points.
// Values are a Float32 BLOB (4 bytes a point). Timestamps (whole Unix seconds, one sample every few
// seconds) are a Uint32 BLOB led by its layout: a regular series, the usual case, is three numbers
// (start, step, count) whatever its length; an irregular one lists each second (4 bytes a point);
// anything else (fractions, out of range) keeps Float64 (8 bytes a point).

export interface SeriesColumns {
  ts: Float64Array;
  values: Float32Array;
}

/** A copy of the array's bytes (a Buffer over the same memory would change with the array). */
export function packColumn(column: Float64Array | Float32Array | Uint32Array): Buffer {
  return Buffer.from(column.buffer.slice(column.byteOffset, column.byteOffset + column.byteLength));
}

/** The first Uint32 of a timestamp BLOB: how the rest is laid out. */
const TS_REGULAR = 1;
const TS_SECONDS = 2;
/** Followed by one padding word, so the Float64s that come next are 8-byte aligned. */
const TS_FLOAT64 = 3;

const isWholeSecond = (t: number): boolean => Number.isInteger(t) && t >= 0 && t <= 0xffff_ffff;

/** Packs sorted timestamps in the smallest of the three layouts that holds them exactly. */
export function packTs(ts: Float64Array): Buffer {
  if (!ts.every(isWholeSecond)) {
    const out = new Float64Array(ts.length + 1);
    new Uint32Array(out.buffer, 0, 2).set([TS_FLOAT64, 0]);
    out.set(ts, 1);
    return packColumn(out);
  }
  const start = ts[0] ?? 0;
  const step = ts.length > 1 ? (ts[1] ?? 0) - start : 0;
  let regular = true;
  for (let i = 2; i < ts.length && regular; i++) regular = (ts[i] ?? 0) - (ts[i - 1] ?? 0) === step;
  if (regular) return packColumn(Uint32Array.of(TS_REGULAR, start, step, ts.length));
  const out = new Uint32Array(ts.length + 1);
  out[0] = TS_SECONDS;
  out.set(ts, 1);
  return packColumn(out);
}

function aligned(blob: Uint8Array): ArrayBuffer {
  // SQLite hands back Buffers that may sit at any offset of a shared pool: copy to align.
  return blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength) as ArrayBuffer;
}

export function unpackTs(blob: Uint8Array): Float64Array {
  const buffer = aligned(blob);
  const words = new Uint32Array(buffer);
  switch (words[0]) {
    case TS_REGULAR: {
      const [, start = 0, step = 0, count = 0] = words;
      const ts = new Float64Array(count);
      for (let i = 0; i < count; i++) ts[i] = start + i * step;
      return ts;
    }
    case TS_SECONDS:
      return Float64Array.from(words.subarray(1));
    case TS_FLOAT64:
      return new Float64Array(buffer, 8);
    default:
      throw new Error(`Unknown timestamp layout ${words[0]} in a stored metric series`);
  }
}

/** Timestamps as the first schema stored them (a bare Float64 BLOB); read by the migration only. */
export function unpackFloat64Ts(blob: Uint8Array): Float64Array {
  return new Float64Array(aligned(blob));
}

export function unpackValues(blob: Uint8Array): Float32Array {
  return new Float32Array(aligned(blob));
}

/** Columns from the API's [[ts, value], ...] pairs, sorted by ts, one point per ts (last wins). */
export function columnsFromPairs(kvs: ReadonlyArray<readonly [number, number]>): SeriesColumns {
  let sorted = true;
  for (let i = 1; i < kvs.length; i++) {
    if ((kvs[i]?.[0] ?? 0) <= (kvs[i - 1]?.[0] ?? 0)) {
      sorted = false;
      break;
    }
  }
  const pairs = sorted ? kvs : [...kvs].sort((a, b) => a[0] - b[0]);
  const ts = new Float64Array(pairs.length);
  const values = new Float32Array(pairs.length);
  let n = 0;
  for (const [t, v] of pairs) {
    if (n > 0 && ts[n - 1] === t) n--;
    ts[n] = t;
    values[n] = v;
    n++;
  }
  return { ts: ts.subarray(0, n), values: values.subarray(0, n) };
}

/**
 * Merges two sorted series into one sorted series without duplicate timestamps; where both have a
 * point at the same ts, the newer one (b) wins. Chunks that share an edge sample and re-fetches of
 * a running call therefore never duplicate points.
 */
export function mergeSeries(a: SeriesColumns, b: SeriesColumns): SeriesColumns {
  if (a.ts.length === 0) return b;
  if (b.ts.length === 0) return a;
  const ts = new Float64Array(a.ts.length + b.ts.length);
  const values = new Float32Array(ts.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.ts.length || j < b.ts.length) {
    const ta = i < a.ts.length ? (a.ts[i] ?? 0) : Infinity;
    const tb = j < b.ts.length ? (b.ts[j] ?? 0) : Infinity;
    if (ta < tb) {
      ts[n] = ta;
      values[n++] = a.values[i++] ?? 0;
    } else {
      if (ta === tb) i++;
      ts[n] = tb;
      values[n++] = b.values[j++] ?? 0;
    }
  }
  return { ts: ts.slice(0, n), values: values.slice(0, n) };
}
