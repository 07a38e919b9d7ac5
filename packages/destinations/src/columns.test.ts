import { describe, expect, it } from 'vitest';
import { coerceValue } from './coerce.js';
import { columnsFromJsonSchema, widenColumnType } from './columns.js';
import { stagingTableName } from './sql/sql-writer.js';

describe('columnsFromJsonSchema', () => {
  it('gives single-typed properties their type and everything else JSON', () => {
    expect(
      columnsFromJsonSchema({
        properties: {
          s: { type: ['null', 'string'] },
          d: { type: 'string', format: 'date-time' },
          i: { type: 'integer' },
          n: { type: 'number' },
          b: { type: 'boolean' },
          o: { type: 'object' },
          a: { type: 'array' },
          u: { type: ['string', 'integer'] },
          one: { oneOf: [{ type: 'string' }] },
          none: {},
          _airbyte_data: { type: 'string' },
        },
      }),
    ).toEqual([
      { name: 's', type: 'string' },
      { name: 'd', type: 'string' },
      { name: 'i', type: 'integer' },
      { name: 'n', type: 'number' },
      { name: 'b', type: 'boolean' },
      { name: 'o', type: 'json' },
      { name: 'a', type: 'json' },
      { name: 'u', type: 'json' },
      { name: 'one', type: 'json' },
      { name: 'none', type: 'json' },
    ]);
    expect(columnsFromJsonSchema({ type: 'object' })).toEqual([]);
  });
});

describe('widenColumnType', () => {
  it('widens, never narrows', () => {
    expect(widenColumnType('integer', 'number')).toBe('number');
    expect(widenColumnType('number', 'integer')).toBe('number');
    expect(widenColumnType('boolean', 'integer')).toBe('string');
    expect(widenColumnType('string', 'integer')).toBe('string');
    expect(widenColumnType('string', 'json')).toBe('json');
    expect(widenColumnType('json', 'string')).toBe('json');
    expect(widenColumnType('integer', 'integer')).toBe('integer');
  });
});

describe('coerceValue', () => {
  it('casts what a SQL cast would and refuses the rest', () => {
    expect(coerceValue(5, 'integer')).toBe(5n);
    expect(coerceValue('-12', 'integer')).toBe(-12n);
    expect(coerceValue(1.5, 'integer')).toBeUndefined();
    expect(coerceValue('9223372036854775808', 'integer')).toBeUndefined();
    expect(coerceValue('1e3', 'number')).toBe(1000);
    expect(coerceValue('', 'number')).toBeUndefined();
    expect(coerceValue('false', 'boolean')).toBe(false);
    expect(coerceValue(1, 'boolean')).toBeUndefined();
    expect(coerceValue({ a: 1 }, 'string')).toBe('{"a":1}');
    expect(coerceValue('text', 'json')).toBe('"text"');
    expect(coerceValue(undefined, 'integer')).toBeNull();
  });

});

describe('stagingTableName', () => {
  it('appends _airbyte_tmp, and stays within 63 bytes and distinct for long names', () => {
    expect(stagingTableName('users')).toBe('users_airbyte_tmp');
    const long = 'a'.repeat(70);
    const other = `${'a'.repeat(69)}b`;
    expect(Buffer.byteLength(stagingTableName(long))).toBeLessThanOrEqual(63);
    expect(stagingTableName(long)).not.toBe(stagingTableName(other));
    expect(stagingTableName(long).slice(0, 63)).not.toBe(long.slice(0, 63));
  });
});
