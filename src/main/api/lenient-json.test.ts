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
});
