import { describe, expect, it } from 'vitest';
import { stringifyJson } from './stringify-json.js';

describe('stringifyJson', () => {
  it('is JSON.stringify for values without BigInt', () => {
    const value = { a: [1, 'x', null, undefined, () => 1], b: undefined, c: new Date(0), d: { e: Number.NaN } };
    expect(stringifyJson(value)).toBe(JSON.stringify(value));
    expect(stringifyJson(undefined)).toBeUndefined();
  });

  it('writes BigInt as bare digits, with JSON.stringify rules for everything around it', () => {
    const value = {
      id: 12345678901234567890n,
      neg: -9007199254740993n,
      list: [1n, undefined, () => 1, { n: 2n }],
      skipped: undefined,
      when: new Date(0),
      'quo"te': 'a\nb',
      nan: Number.NaN,
    };
    expect(stringifyJson(value)).toBe(
      '{"id":12345678901234567890,"neg":-9007199254740993,"list":[1,null,null,{"n":2}],"when":"1970-01-01T00:00:00.000Z","quo\\"te":"a\\nb","nan":null}',
    );
    expect(stringifyJson(12345678901234567890n)).toBe('12345678901234567890');
  });

  it('still throws on a circular structure', () => {
    const cyclic: Record<string, unknown> = { id: 1n };
    cyclic.self = cyclic;
    expect(() => stringifyJson(cyclic)).toThrow(TypeError);
  });
});
