import { describe, expect, it } from 'vitest';
import { createNormalizer, defaultConvert, normalizeRecord } from './schema-normalization.js';

describe('defaultConvert (TypeTransformer.default_convert)', () => {
  it.each<[string, unknown, Record<string, unknown>, unknown]>([
    ['int to string', 1, { type: 'string' }, '1'],
    ['float to string', 1.5, { type: 'string' }, '1.5'],
    ['small float to string (Python repr)', 0.00001, { type: 'string' }, '1e-05'],
    ['bool to string', true, { type: 'string' }, 'True'],
    ['null to string when null is not allowed', null, { type: 'string' }, 'None'],
    ['null kept when allowed', null, { type: ['null', 'string'] }, null],
    ['object to string (Python repr)', { a: 1, b: 'x' }, { type: 'string' }, "{'a': 1, 'b': 'x'}"],
    ['list to string', [1, 'a'], { type: 'string' }, "[1, 'a']"],
    ['string to integer', '42', { type: 'integer' }, 42],
    ['padded string to integer', ' -7 ', { type: ['integer', 'null'] }, -7],
    ['underscored string to integer', '1_000', { type: 'integer' }, 1000],
    ['float string to integer fails', '1.5', { type: 'integer' }, '1.5'],
    ['float to integer truncates', 1.7, { type: 'integer' }, 1],
    ['bool to integer', true, { type: 'integer' }, 1],
    ['garbage to integer fails', 'abc', { type: 'integer' }, 'abc'],
    ['null to integer fails', null, { type: 'integer' }, null],
    ['string to number', '1.25', { type: 'number' }, 1.25],
    ['exponent string to number', '1e3', { type: 'number' }, 1000],
    ['leading-dot string to number', '.5', { type: 'number' }, 0.5],
    ['garbage to number fails', '1.2.3', { type: 'number' }, '1.2.3'],
    ['object to number fails', { a: 1 }, { type: 'number' }, { a: 1 }],
    ['"yes" to boolean', 'yes', { type: 'boolean' }, true],
    ['"OFF" to boolean', ' OFF ', { type: 'boolean' }, false],
    ['"maybe" to boolean fails', 'maybe', { type: 'boolean' }, 'maybe'],
    ['0 to boolean', 0, { type: 'boolean' }, false],
    ['null to boolean', null, { type: 'boolean' }, false],
    ['non-empty list to boolean', [0], { type: 'boolean' }, true],
    ['two types: unchanged', '1', { type: ['integer', 'string'] }, '1'],
    ['no type: unchanged', '1', {}, '1'],
    ['object type: unchanged', '1', { type: 'object' }, '1'],
    ['scalar wrapped in an array', 'x', { type: 'array' }, ['x']],
    ['scalar wrapped when items.type is a list', 3, { type: 'array', items: { type: ['integer'] } }, [3]],
    ['scalar not wrapped when items.type is a string (CDK set() quirk)', 3, { type: 'array', items: { type: 'integer' } }, 3],
    ['null wrapped in an array', null, { type: 'array' }, [null]],
    ['object not wrapped', { a: 1 }, { type: 'array' }, { a: 1 }],
  ])('%s', (_, value, schema, expected) => {
    expect(defaultConvert(value, schema)).toEqual(expected);
  });
});

describe('normalizeRecord', () => {
  const schema = {
    type: 'object',
    definitions: { amount: { type: ['null', 'number'] } },
    properties: {
      id: { type: 'integer' },
      name: { type: ['null', 'string'] },
      price: { $ref: '#/definitions/amount' },
      active: { type: 'boolean' },
      tags: { type: 'array', items: { type: 'string' } },
      owner: { type: 'object', properties: { age: { type: 'integer' } } },
      lines: { type: 'array', items: { type: 'object', properties: { qty: { type: 'integer' } } } },
      anything: {},
    },
  };

  it('casts nested values and leaves unknown keys alone', () => {
    const warnings: string[] = [];
    const record = normalizeRecord(
      {
        id: '12',
        name: 5,
        price: '9.99',
        active: 'true',
        tags: [1, true, null],
        owner: { age: '40', extra: '1' },
        lines: [{ qty: '2' }, { qty: 'x' }],
        anything: '1',
        unknown: '2',
      },
      schema,
      (message) => warnings.push(message),
    );
    expect(record).toEqual({
      id: 12,
      name: '5',
      price: 9.99,
      active: true,
      tags: ['1', 'True', 'None'],
      owner: { age: 40, extra: '1' },
      lines: [{ qty: 2 }, { qty: 'x' }],
      anything: '1',
      unknown: '2',
    });
    expect(warnings).toEqual(["Failed to transform value from type 'string' to type 'integer' at path: 'lines.1.qty'"]);
  });

  it('does not cast the root and warns on a failed cast', () => {
    const warnings: string[] = [];
    normalizeRecord({ id: 'abc' }, { type: 'object', properties: { id: { type: ['null', 'integer'] } } }, (m) => warnings.push(m));
    expect(warnings).toEqual(["Failed to transform value from type 'string' to type '['null', 'integer']' at path: 'id'"]);
  });

  it('createNormalizer: None and schema-less pass records through', () => {
    const record = { id: '1' };
    expect(createNormalizer('None', schema).normalize(record)).toEqual({ id: '1' });
    expect(createNormalizer('Default').normalize(record)).toEqual({ id: '1' });
    expect(createNormalizer('Default', {}).normalize(record)).toEqual({ id: '1' });
    expect(createNormalizer('Default', schema).normalize({ id: '1' })).toEqual({ id: 1 });
    expect(createNormalizer('Default').normalize({ id: '1' }, schema)).toEqual({ id: 1 });
  });
});

describe('integers beyond 2^53 (BigInt)', () => {
  it.each<[string, unknown, Record<string, unknown>, unknown]>([
    ['big int to string gives its digits', 12345678901234567890n, { type: 'string' }, '12345678901234567890'],
    ['negative big int to string', -9007199254740993n, { type: ['null', 'string'] }, '-9007199254740993'],
    ['big int stays an integer', 12345678901234567890n, { type: 'integer' }, 12345678901234567890n],
    ['digit string to integer is exact', '18446744073709551615', { type: 'integer' }, 18446744073709551615n],
    ['big int to number is a float, as Python float() makes it', 9007199254740993n, { type: 'number' }, 9007199254740992],
    ['big int to boolean by truthiness', 12345678901234567890n, { type: 'boolean' }, true],
    ['a lone big int where an array is declared', 12345678901234567890n, { type: 'array', items: { type: ['integer'] } }, [12345678901234567890n]],
  ])('%s', (_name, value, schema, expected) => {
    expect(defaultConvert(value, schema)).toEqual(expected);
  });

  it('a big int is an integer for the type check (no warning); a number field casts it with float()', () => {
    const warnings: string[] = [];
    const record = { id: 12345678901234567890n, n: -9007199254740993n, s: 12345678901234567890n, any: [9007199254740993n] };
    const schema = {
      type: 'object',
      properties: { id: { type: 'integer' }, n: { type: 'number' }, s: { type: 'string' }, any: { type: 'array', items: { type: ['integer', 'number'] } } },
    };
    expect(normalizeRecord(record, schema, (message) => warnings.push(message))).toEqual({
      id: 12345678901234567890n,
      n: -9007199254740992,
      s: '12345678901234567890',
      any: [9007199254740993n],
    });
    expect(warnings).toEqual([]);
  });
});
