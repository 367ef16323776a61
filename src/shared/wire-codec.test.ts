import { describe, expect, it } from 'vitest';
import { decodeWire, encodeWire } from './wire-codec.ts';

describe('wire codec', () => {
  it('round-trips typed arrays as typed arrays inside ordinary JSON', () => {
    const value = {
      ts: new Float64Array([1.5, 2_000_000_000, -3]),
      values: new Float32Array([0.25, 18]),
      ids: new Int32Array([1001, -1]),
      plain: [1, 2, 3],
      text: '频道 "a"',
    };
    const back = decodeWire(encodeWire(value)) as typeof value;
    expect(back.ts).toBeInstanceOf(Float64Array);
    expect([...back.ts]).toEqual([1.5, 2_000_000_000, -3]);
    expect(back.values).toBeInstanceOf(Float32Array);
    expect([...back.values]).toEqual([0.25, 18]);
    expect([...back.ids]).toEqual([1001, -1]);
    expect(back.plain).toEqual([1, 2, 3]);
    expect(back.text).toBe('频道 "a"');
  });

  it('encodes a subarray view without the rest of its buffer', () => {
    const whole = new Float64Array([1, 2, 3, 4]);
    const back = decodeWire(encodeWire(whole.subarray(1, 3))) as Float64Array;
    expect([...back]).toEqual([2, 3]);
  });
});
