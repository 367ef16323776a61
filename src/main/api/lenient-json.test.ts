import { describe, expect, it } from 'vitest';
import { parseLenientJson } from './lenient-json.ts';

describe('lenient JSON', () => {
  it("accepts the vendor's feedback answer with its trailing comma", () => {
    expect(parseLenientJson('{\n"code": 200,\n"message": "",\n}')).toEqual({
      code: 200,
      message: '',
    });
    expect(parseLenientJson('{"a":[1,2,],"b":{"c":1 ,\n},}')).toEqual({ a: [1, 2], b: { c: 1 } });
  });

  it('keeps commas inside strings', () => {
    expect(parseLenientJson('{"m":"a,}","n":"\\",]",}')).toEqual({ m: 'a,}', n: '",]' });
  });

  it('refuses anything more lenient than a trailing comma', () => {
    for (const text of ['{,}', '[,]', '[1,,]', "{'a':1}", '{a:1}', '{"a":1} // c', '', '{"a":']) {
      expect(() => parseLenientJson(text), text).toThrow(SyntaxError);
    }
  });

  it('refuses a megabyte cut off mid-list, and repairs a megabyte of trailing commas', () => {
    const call = '{"call_id":"c","cname":"class, 101 ]","created_ts":1,"finished":true,}';
    const calls = Array<string>(14_000).fill(call).join(',\n ');
    const cut = `{"code":200,"has_more":true,"call_lists":[${calls}`;
    expect(cut.length).toBeGreaterThan(1_000_000);
    expect(() => parseLenientJson(cut)).toThrow(SyntaxError);
    const whole = parseLenientJson(`${cut},\n],}`) as { call_lists: unknown[] };
    expect(whole.call_lists).toHaveLength(14_000);
    expect(whole.call_lists[0]).toEqual({
      call_id: 'c',
      cname: 'class, 101 ]',
      created_ts: 1,
      finished: true,
    });
  });
});
