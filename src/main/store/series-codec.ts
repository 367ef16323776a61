// Compact storage of one metric series: timestamps as a Float64 BLOB and values as a Float32 BLOB
// (12 bytes a point), and the merge of a stored series with newly fetched points.

export interface SeriesColumns {
  ts: Float64Array;
  values: Float32Array;
}

/** A copy of the array's bytes (a Buffer over the same memory would change with the array). */
export function packColumn(column: Float64Array | Float32Array): Buffer {
  return Buffer.from(column.buffer.slice(column.byteOffset, column.byteOffset + column.byteLength));
}

function aligned(blob: Uint8Array): ArrayBuffer {
  // SQLite hands back Buffers that may sit at any offset of a shared pool: copy to align.
  return blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength) as ArrayBuffer;
}

export function unpackTs(blob: Uint8Array): Float64Array {
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
