import { describe, expect, it } from 'vitest';
import {
  columnsFromPairs,
  mergeSeries,
  packColumn,
  unpackTs,
  unpackValues,
} from './series-codec.ts';

describe('series codec', () => {
  it('packs columns into BLOBs and back', () => {
    const { ts, values } = columnsFromPairs([
      [1700000000, 1.5],
      [1700000002, 2.25],
    ]);
    expect([...unpackTs(packColumn(ts))]).toEqual([1700000000, 1700000002]);
    expect([...unpackValues(packColumn(values))]).toEqual([1.5, 2.25]);
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
