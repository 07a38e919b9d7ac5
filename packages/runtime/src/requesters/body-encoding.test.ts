import { describe, expect, it } from 'vitest';
import { pyString } from './http-requester.js';
import { pythonFormEncode, pythonJsonDumps, quotePlus } from './body-encoding.js';

describe('pythonJsonDumps (json.dumps defaults)', () => {
  it('separates with ", " and ": " and keeps key order', () => {
    expect(pythonJsonDumps({ b: 1, a: [1, 2, { c: null }], d: true, e: {} , f: [] })).toBe('{"b": 1, "a": [1, 2, {"c": null}], "d": true, "e": {}, "f": []}');
  });

  it('escapes non-ASCII and control characters as \\uXXXX (lower-case hex, surrogate pairs)', () => {
    expect(pythonJsonDumps('é😀\u007f\u0001"\\\n\t/')).toBe('"\\u00e9\\ud83d\\ude00\\u007f\\u0001\\"\\\\\\n\\t/"');
  });

  it('writes floats as Python repr; whole numbers as ints', () => {
    expect(pythonJsonDumps([1.5, 0.0001, 0.00001, 2.5e-5, 1e-7, -2, 1e16])).toBe('[1.5, 0.0001, 1e-05, 2.5e-05, 1e-07, -2, 10000000000000000]');
  });

  it('refuses NaN and Infinity, as allow_nan=False', () => {
    expect(() => pythonJsonDumps({ x: Number.NaN })).toThrow(/NaN/);
  });
});

describe('form encoding (requests + urlencode)', () => {
  it('quote_plus keeps only unreserved characters', () => {
    expect(quotePlus("a b*~'()!é/,")).toBe('a+b%2A~%27%28%29%21%C3%A9%2F%2C');
  });

  it('drops None values, repeats list items, and takes str() of scalars', () => {
    expect(pythonFormEncode({ a: 'x y', skip: null, list: [1, null, 'z'], flag: true, n: 2.5 }, pyString)).toBe(
      'a=x+y&list=1&list=z&flag=True&n=2.5',
    );
  });
});
