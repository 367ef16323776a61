import { describe, expect, it } from 'vitest';
import {
  columnsFromPairs,
  mergeSeries,
  packColumn,
  packTs,
  unpackTs,
  unpackValues,
} from './series-codec.ts';

describe('series codec', () => {
  it('packs columns into BLOBs and back', () => {
    const { ts, values } = columnsFromPairs([
      [1700000000, 1.5],
      [1700000002, 2.25],
    ]);
    expect([...unpackTs(packTs(ts))]).toEqual([1700000000, 1700000002]);
    expect([...unpackValues(packColumn(values))]).toEqual([1.5, 2.25]);
  });

  it('stores a regular series’ times as start, step and count whatever its length', () => {
    const ts = Float64Array.from({ length: 5400 }, (_, i) => 1_700_000_000 + 2 * i);
    const blob = packTs(ts);
    expect(blob.byteLength).toBe(16);
    expect(unpackTs(blob)).toEqual(ts);
    for (const short of [Float64Array.of(), Float64Array.of(1_700_000_000)]) {
      expect(unpackTs(packTs(short))).toEqual(short);
    }
  });

  it('stores irregular whole seconds in 4 bytes a point, anything else exactly as Float64', () => {
    const gappy = Float64Array.of(1_700_000_000, 1_700_000_002, 1_700_000_004, 1_700_000_030);
    expect(packTs(gappy).byteLength).toBe(4 * (gappy.length + 1));
    expect(unpackTs(packTs(gappy))).toEqual(gappy);
    for (const odd of [
      Float64Array.of(1.5, 3, 4.5, 9),
      Float64Array.of(-2, 0, 2, 8),
      Float64Array.of(0, 2 ** 32, 2 ** 33),
    ]) {
      expect(unpackTs(packTs(odd))).toEqual(odd);
    }
  });

  it('sorts pairs and keeps one point per timestamp', () => {
    const c = columnsFromPairs([
      [4, 40],
      [2, 20],
      [4, 41],
    ]);
    expect([...c.ts]).toEqual([2, 4]);
    expect([...c.values]).toEqual([20, 41]);
  });

  it('merges chunks that share an edge sample and re-fetches without duplicates', () => {
    const a = columnsFromPairs([
      [0, 1],
      [2, 2],
      [4, 3],
    ]);
    const b = columnsFromPairs([
      [4, 30],
      [6, 4],
    ]);
    const merged = mergeSeries(a, b);
    expect([...merged.ts]).toEqual([0, 2, 4, 6]);
    expect([...merged.values]).toEqual([1, 2, 30, 4]);
    expect([...mergeSeries(merged, a).ts]).toEqual([0, 2, 4, 6]);
  });
});
