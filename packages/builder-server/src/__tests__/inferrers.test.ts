import { describe, expect, it } from 'vitest';
import { DatetimeFormatInferrer, matchesFormat } from '../datetime-inferrer.js';
import { SchemaInferenceError, SchemaInferrer } from '../schema-inferrer.js';

function infer(records: Array<Record<string, unknown>>, pk: string[][] = [], cursor: string[][] = []) {
  const inferrer = new SchemaInferrer(pk, cursor);
  for (const record of records) inferrer.accumulate(record);
  return inferrer.schema();
}

describe('SchemaInferrer', () => {
  it('gives nothing before a record', () => {
    expect(new SchemaInferrer().schema()).toBeUndefined();
  });

  it('makes every field nullable and every number a number', () => {
    expect(infer([{ a: 1, b: 1.5, c: 'x', d: true }])).toEqual({
      $schema: 'http://json-schema.org/schema#',
      type: 'object',
      properties: {
        a: { type: ['number', 'null'] },
        b: { type: ['number', 'null'] },
        c: { type: ['string', 'null'] },
        d: { type: ['boolean', 'null'] },
      },
    });
  });

  it('merges the types seen at one field, sorted, null last', () => {
    expect(infer([{ a: 'x' }, { a: 1 }, { a: null }])?.properties).toEqual({ a: { type: ['number', 'string', 'null'] } });
  });

  it('drops fields only ever null', () => {
    expect(infer([{ a: null, b: 1 }])?.properties).toEqual({ b: { type: ['number', 'null'] } });
  });

  it('folds an object-or-null into a nullable object and describes nested objects and arrays', () => {
    const schema = infer([
      { o: { x: 1 }, l: [{ k: 'a' }, { j: 2 }], s: [] },
      { o: null, l: [], s: ['a', 1] },
    ]);
    expect(schema?.properties).toEqual({
      o: { type: ['object', 'null'], properties: { x: { type: ['number', 'null'] } } },
      l: {
        type: ['array', 'null'],
        items: { type: ['object', 'null'], properties: { k: { type: ['string', 'null'] }, j: { type: ['number', 'null'] } } },
      },
      s: { type: ['array', 'null'], items: { type: ['number', 'string', 'null'] } },
    });
  });

  it('keeps anyOf when a field holds a scalar and a structure', () => {
    expect(infer([{ a: 1 }, { a: [1] }])?.properties).toEqual({
      a: { anyOf: [{ type: 'number' }, { type: 'array', items: { type: 'number' } }] },
    });
  });

  it('makes the primary key and cursor required and not null, nested too', () => {
    const schema = infer([{ id: 1, meta: { updated: 'x' } }], [['id']], [['meta', 'updated']]);
    expect(schema).toEqual({
      $schema: 'http://json-schema.org/schema#',
      type: 'object',
      required: ['id', 'meta'],
      properties: {
        id: { type: 'number' },
        meta: { type: 'object', required: ['updated'], properties: { updated: { type: 'string' } } },
      },
    });
  });

  it('reports a key field the records lack, with the schema', () => {
    const inferrer = new SchemaInferrer([['nope']]);
    inferrer.accumulate({ id: 1 });
    try {
      inferrer.schema();
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SchemaInferenceError);
      expect((error as SchemaInferenceError).message).toMatch(/nope/);
      expect((error as SchemaInferenceError).schema.properties).toEqual({ id: { type: ['number', 'null'] } });
    }
  });
});

describe('DatetimeFormatInferrer', () => {
  it('proposes the first matching format per top-level field', () => {
    const inferrer = new DatetimeFormatInferrer();
    inferrer.accumulate({
      a: '2024-01-01T00:00:00Z',
      b: 1700000000,
      c: 1700000000000,
      d: '2024-01-01 10:00:00',
      e: 'hello',
      f: 12345,
      g: '2024-02-30',
      h: '31/12/2024 10:00',
      i: '2024-05',
      j: '2024-01-01T00:00:00.123Z',
      k: '2024-01-01T00:00:00.123+0000',
      l: '1700000000',
      m: 1700000000.5,
      n: true,
      o: '2024-01-01',
    });
    expect(inferrer.formats()).toEqual({
      a: '%Y-%m-%dT%H:%M:%SZ',
      b: '%s',
      c: '%ms',
      d: '%Y-%m-%d %H:%M:%S',
      h: '%d/%m/%Y %H:%M',
      i: '%Y-%m',
      j: '%Y-%m-%dT%H:%M:%S.%fZ',
      k: '%Y-%m-%dT%H:%M:%S.%f%z',
      l: '%s',
      o: '%Y-%m-%d',
    });
  });

  it('drops a field when a later record does not match its format or lacks it', () => {
    const inferrer = new DatetimeFormatInferrer();
    inferrer.accumulate({ a: '2024-01-01', b: '2024-01-01', c: '2024-01-01' });
    inferrer.accumulate({ a: '2024-01-02', b: '2024-01-02T00:00:00Z' });
    expect(inferrer.formats()).toEqual({ a: '%Y-%m-%d' });
  });

  it('matches as strptime does', () => {
    expect(matchesFormat('2024-1-5', '%Y-%m-%d')).toBe(true);
    expect(matchesFormat('2024-13-01', '%Y-%m-%d')).toBe(false);
    expect(matchesFormat('2024-02-29', '%Y-%m-%d')).toBe(true);
    expect(matchesFormat('2023-02-29', '%Y-%m-%d')).toBe(false);
    expect(matchesFormat('2024-01-01t00:00:00z', '%Y-%m-%dT%H:%M:%SZ')).toBe(true);
  });
});
