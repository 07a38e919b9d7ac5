import { describe, expect, it } from 'vitest';
import type { RunContext } from '../context.js';
import { BuildContext, type Builder } from '../factory/build-context.js';
import { silentLogger } from '../logging/logger.js';
import { SecretMasker } from '../logging/mask.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { transformationBuilders } from './builders.js';
import type { RecordContext, RecordTransformation } from './transformation.js';

function context(config: Record<string, unknown> = {}): BuildContext {
  const run: RunContext = {
    config,
    logger: silentLogger(),
    masker: new SecretMasker(),
    clock: () => 0,
    sleep: async () => {},
    http: { send: async () => Promise.reject(new Error('no http')), close: async () => {} },
    emit: () => {},
  };
  return new BuildContext(run, new Map<string, Builder>(Object.entries(transformationBuilders)), 'streams[0].transformations[0]');
}

function apply(
  model: Record<string, unknown>,
  record: Record<string, unknown>,
  recordContext: RecordContext = { stream_slice: {} },
  config: Record<string, unknown> = {},
): Record<string, unknown> {
  const transformation = context(config).component<RecordTransformation>(model);
  transformation.transform(record, recordContext);
  return record;
}

describe('AddFields', () => {
  const add = (fields: unknown[], extra: Record<string, unknown> = {}) => ({ type: 'AddFields', fields, ...extra });
  const field = (path: string[], value: string, valueType?: string) => ({ type: 'AddedFieldDefinition', path, value, value_type: valueType });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, unknown]>([
    ['a constant', add([field(['c'], 'static')]), { id: 1 }, { id: 1, c: 'static' }],
    ['a nested path', add([field(['a', 'b'], 'x')]), { id: 1 }, { id: 1, a: { b: 'x' } }],
    ['a value from the record', add([field(['copy'], "{{ record['id'] }}")]), { id: 7 }, { id: 7, copy: 7 }],
    ['a literal dict from the record', add([field(['m'], '{{ record.meta }}')]), { meta: { a: 1 } }, { meta: { a: 1 }, m: { a: 1 } }],
    ['a value from the slice', add([field(['p'], '{{ stream_slice.parent_id }}')]), {}, { p: 'P1' }],
    ['a value from the slice alias', add([field(['p'], '{{ stream_partition.parent_id }}')]), {}, { p: 'P1' }],
    ['a value from config', add([field(['shop'], '{{ config.shop }}')]), {}, { shop: 'acme' }],
    ['a value from parameters', add([{ ...field(['n'], '{{ parameters.name }}'), $parameters: { name: 'users' } }]), {}, { n: 'users' }],
    ['later fields see earlier ones', add([field(['a'], '1'), field(['b'], "{{ record['a'] + 1 }}")]), {}, { a: 1, b: 2 }],
    ['value_type string keeps digits as text', add([field(['s'], '{{ record.id }}', 'string')]), { id: 12 }, { id: 12, s: '12' }],
    ['value_type integer', add([field(['i'], "{{ '42' }}", 'integer')]), {}, { i: 42 }],
    ['value_type number keeps an int literal as text (CDK)', add([field(['n'], '42', 'number')]), {}, { n: '42' }],
    ['value_type number with a float literal', add([field(['n'], '4.5', 'number')]), {}, { n: 4.5 }],
    ['value_type boolean', add([field(['b'], '{{ true }}', 'boolean')]), {}, { b: true }],
    ['an expression as a string via value_type', add([field(['p'], '{{ 1 }}', 'string')]), {}, { p: '1' }],
    ['an expression evaluated as a number', add([field(['p'], '{{ 2 + 2 }}')]), {}, { p: 4 }],
    ['into an existing list', add([field(['k', '3'], 'v')]), { k: [0, 1] }, { k: [0, 1, null, 'v'] }],
    ['a list index path pads with null', add([field(['l', '2'], 'x')]), {}, { l: [null, null, 'x'] }],
  ])('adds %s', (_, model, record, expected) => {
    expect(apply(model, record, { stream_slice: { parent_id: 'P1' } }, { shop: 'acme' })).toEqual(expected);
  });

  it('applies the condition per record with value and record in context', () => {
    const model = add([field(['flag'], "{{ record['n'] * 2 }}")], { condition: '{{ value > 2 and record.keep }}' });
    expect(apply(model, { n: 2, keep: true })).toEqual({ n: 2, keep: true, flag: 4 });
    expect(apply(model, { n: 1, keep: true })).toEqual({ n: 1, keep: true });
    expect(apply(model, { n: 5, keep: false })).toEqual({ n: 5, keep: false });
  });

  it('the condition can use the path', () => {
    const model = add([field(['existing'], 'static')], { condition: '{{ path[0] not in record.keys() }}' });
    expect(apply(model, { k: 'v' })).toEqual({ k: 'v', existing: 'static' });
    expect(apply(model, { existing: 'kept' })).toEqual({ existing: 'kept' });
  });

  it('fails on writing through a scalar', () => {
    const model = add([field(['id', 'x'], '1')]);
    expect(() => apply(model, { id: 1 })).toThrowError(RuntimeError);
  });

  it.each([
    [add([field([], 'x')]), /non-empty 'path'/],
    [add([field(['a'], 'x', 'date')]), /value_type/],
    [{ type: 'AddFields' }, /'fields' must be a list/],
  ])('rejects bad models %#', (model, message) => {
    expect(() => context().component(model)).toThrow(message);
  });
});

describe('RemoveFields', () => {
  const remove = (field_pointers: unknown[], condition?: string) => ({ type: 'RemoveFields', field_pointers, condition });
  it.each<[string, Record<string, unknown>, Record<string, unknown>, unknown]>([
    ['a field', remove([['k1']]), { k1: 'v', k2: 'v' }, { k2: 'v' }],
    ['with wildcards', remove([['data', '*', 'secret']]), { data: [{ secret: 1, a: 1 }, { secret: 2 }] }, { data: [{ a: 1 }, {}] }],
    ['condition False removes nothing', remove([['**']], '{{ False }}'), { k1: 'v', k2: 'v' }, { k1: 'v', k2: 'v' }],
    ['condition True removes every leaf', remove([['**']], '{{ True }}'), { k1: 'v', k2: 'v' }, {}],
    [
      'property condition, recursively',
      remove([['**']], "{{ property == 'v1' }}"),
      { k1: 'v', k2: 'v1', k3: 'v1', k4: { k_nested: 'v1', k_nested2: 'v2' } },
      { k1: 'v', k4: { k_nested2: 'v2' } },
    ],
    [
      'property is integer',
      remove([['**']], '{{ property is integer }}'),
      { k1: 255, k2: 'some', k4: { k_nested: 123, k_nested2: 'v2' } },
      { k2: 'some', k4: { k_nested2: 'v2' } },
    ],
    ['property length', remove([['**']], '{{ property|length > 5 }}'), { k1: 'v', k2: 'long string' }, { k1: 'v' }],
  ])('removes %s', (_, model, record, expected) => {
    expect(apply(model, record)).toEqual(expected);
  });

  it('rejects pointers that are not lists', () => {
    expect(() => context().component(remove(['k1']))).toThrow(/field_pointers/);
  });
});

describe('KeysReplace', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, unknown]>([
    ['spaces', { type: 'KeysReplace', old: ' ', new: '_' }, { 'created time': 1, n: { 'user id': 2 }, l: [{ 'a b': 1 }] }, { created_time: 1, n: { user_id: 2 }, l: [{ 'a b': 1 }] }],
    ['from the record', { type: 'KeysReplace', old: '{{ record.prefix }}', new: '' }, { prefix: 'x_', x_a: 1 }, { prefix: 'x_', a: 1 }],
    ['a dollar sign literally', { type: 'KeysReplace', old: '-', new: '$&' }, { 'a-b': 1 }, { 'a$&b': 1 }],
  ])('replaces %s', (_, model, record, expected) => {
    expect(apply(model, record)).toEqual(expected);
  });
});

describe('other transformations through the builders', () => {
  it.each<[Record<string, unknown>, Record<string, unknown>, unknown]>([
    [{ type: 'KeysToLower' }, { AbC: 1 }, { abc: 1 }],
    [{ type: 'KeysToSnakeCase' }, { someKey: { InnerKey: 1 } }, { some_key: { inner_key: 1 } }],
    [{ type: 'FlattenFields' }, { a: { b: [1, 2] } }, { 'b.0': 1, 'b.1': 2 }],
    [{ type: 'FlattenFields', flatten_lists: false }, { a: { b: [1, 2] } }, { b: [1, 2] }],
    [
      { type: 'DpathFlattenFields', field_path: ['{{ parameters.field }}'], delete_origin_value: true, $parameters: { field: 'data' } },
      { id: 1, data: { a: 2 } },
      { id: 1, a: 2 },
    ],
    [
      { type: 'DpathFlattenFields', field_path: ['data'], key_transformation: { type: 'KeyTransformation', prefix: '{{ config.p }}' } },
      { data: { a: 2 } },
      { data: { a: 2 }, cfg_a: 2 },
    ],
  ])('%j', (model, record, expected) => {
    expect(apply(model, record, { stream_slice: {} }, { p: 'cfg_' })).toEqual(expected);
  });
});
