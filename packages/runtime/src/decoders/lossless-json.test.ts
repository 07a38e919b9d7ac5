import { describe, expect, it } from 'vitest';
import { parseJsonText } from './json.js';
import { mayHoldUnsafeInteger, parseJsonLossless } from './lossless-json.js';

describe('parseJsonLossless', () => {
  it('gives what JSON.parse gives for documents without unsafe integers', () => {
    const texts = [
      '{"a":1,"b":[true,false,null],"c":{"d":"x\\u00e9\\n\\"q\\""},"e":-0.5e-3,"f":1E2,"g":[]}',
      ' [ 1 , "two" , { } , [ ] ] ',
      '"\\ud83d\\ude00 \\/ \\\\"',
      '{"__proto__":{"polluted":true},"k":1,"k":2}',
      '9007199254740991',
      '-9007199254740991',
      '1234567890123456789.0',
      '1e21',
    ];
    for (const text of texts) {
      const lossless = parseJsonLossless(text);
      expect(lossless).toEqual(JSON.parse(text));
      expect(Object.keys(lossless as object)).toEqual(Object.keys(JSON.parse(text) as object));
    }
    expect(Object.getPrototypeOf(parseJsonLossless('{"__proto__":{"x":1}}'))).toBe(Object.prototype);
    expect(Object.is(parseJsonLossless('-0'), -0)).toBe(true);
  });

  it('gives BigInt for integers outside the safe range only', () => {
    expect(parseJsonLossless('[9007199254740991,9007199254740992,-9007199254740992,12345678901234567890]')).toEqual([
      9007199254740991,
      9007199254740992n,
      -9007199254740992n,
      12345678901234567890n,
    ]);
    expect(parseJsonLossless('{"a":{"b":[-18446744073709551615]}}')).toEqual({ a: { b: [-18446744073709551615n] } });
  });

  it('reads NaN, Infinity and -Infinity as null, like the Python-compatible JSON.parse path', () => {
    expect(parseJsonLossless('[NaN,Infinity,-Infinity,12345678901234567890]')).toEqual([null, null, null, 12345678901234567890n]);
  });

  it('rejects what JSON.parse rejects, naming the position', () => {
    for (const text of ['', '{', '[1,]', '{"a":1,}', '01', '1.', '1e', '-', '"abc', '{"a" 1}', "{'a':1}", 'tru', '[1] x', '"\t"', '"\\x"', '+1']) {
      expect(() => JSON.parse(text), text).toThrow(SyntaxError);
      expect(() => parseJsonLossless(text), text).toThrow(/at position \d+/);
    }
  });
});

describe('parseJsonText', () => {
  it('takes the lossless path only when a run of 16+ digits is present', () => {
    expect(mayHoldUnsafeInteger('{"id":123456789012345}')).toBe(false);
    // A run of 16 digits is found wherever it starts; 15 never is (every offset, against a regex).
    for (let offset = 0; offset < 40; offset += 1) {
      for (const run of [15, 16, 17]) {
        const text = `${'x'.repeat(offset)},${'7'.repeat(run)},1,"22"`;
        expect(mayHoldUnsafeInteger(text), `${offset}/${run}`).toBe(/\d{16}/.test(text));
      }
    }
    expect(mayHoldUnsafeInteger('{"id":1234567890123456}')).toBe(true);
    expect(parseJsonText('{"id":12345678901234567890,"x":NaN}')).toEqual({ id: 12345678901234567890n, x: null });
    expect(parseJsonText('{"id":123456789012345}')).toEqual({ id: 123456789012345 });
  });
});
