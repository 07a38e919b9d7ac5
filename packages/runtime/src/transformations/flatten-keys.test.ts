import { describe, expect, it } from 'vitest';
import { DpathFlattenFields, FlattenFields, flattenRecord } from './flatten-fields.js';
import { KeysToLower, KeysToSnakeCase, snakeCaseKey } from './keys.js';
import { RemoveFields } from './remove-fields.js';
import type { Condition, Template } from './templates.js';
import type { RecordContext } from './transformation.js';

const ctx: RecordContext = { stream_slice: {} };
const constant = (value: unknown): Template => ({ eval: () => value }) as unknown as Template;
const noCondition = { isEmpty: true, eval: () => true } as unknown as Condition;

describe('FlattenFields', () => {
  it.each<[string, boolean, Record<string, unknown>, Record<string, unknown>]>([
    ['flat stays flat', true, { FirstName: 'John', LastName: 'Doe' }, { FirstName: 'John', LastName: 'Doe' }],
    ['nested keys lose their parent', true, { Nested: { First: 'J', Last: 'D' }, n: 4 }, { First: 'J', Last: 'D', n: 4 }],
    ['lists get indices', true, { L: [{ A: 'a' }, { A: 'b' }] }, { 'L.0.A': 'a', 'L.1.A': 'b' }],
    ['scalar lists', true, { L: ['x', 'y'] }, { 'L.0': 'x', 'L.1': 'y' }],
    [
      'after a list every later key keeps its parent',
      true,
      { M: { Nested: [{ Key: { Value: 't1' } }, { Key: { Value: 't2' } }] }, Simple: 'S' },
      { 'Nested.0.Key.Value': 't1', 'Nested.1.Key.Value': 't2', Simple: 'S' },
    ],
    ['lists kept', false, { L: [1, 2] }, { L: [1, 2] }],
    [
      'collision gets the parent name',
      false,
      { Root: { List: [{ K: 1 }] }, List: [1, 3, 6], S: 'v' },
      { 'Root.List': [{ K: 1 }], List: [1, 3, 6], S: 'v' },
    ],
    ['empty objects and lists vanish', true, { a: {}, b: [], c: 1 }, { c: 1 }],
    ['null is a value', true, { a: { b: null } }, { b: null }],
  ])('%s', (_, flattenLists, input, expected) => {
    const record = structuredClone(input);
    new FlattenFields(flattenLists).transform(record, ctx);
    expect(record).toEqual(expected);
  });

  it('emits keys in the CDK stack order (reversed)', () => {
    expect(Object.keys(flattenRecord({ a: 1, b: 2, c: { d: 3 } }, true))).toEqual(['d', 'b', 'a']);
  });

  it('collision of a nested key with an earlier output key', () => {
    // 'b' is popped first and written as 'id'; then 'a' expands and its 'id' collides.
    expect(flattenRecord({ a: { id: 1 }, b: { id: 2 } }, true)).toEqual({ id: 2, 'a.id': 1 });
  });
});

describe('KeysToSnakeCase', () => {
  it.each([
    ['FirstName', 'first_name'],
    ['lastName', 'last_name'],
    ['123Number', '_123_number'],
    ['456Another123', '_456_another_123'],
    ['hello@world', 'hello_world'],
    ['MixedUPCase123', 'mixed_upcase_123'],
    ['lowercaseAnd123', 'lowercase_and_123'],
    ['Café', 'cafe'],
    ['Naïve', 'naive'],
    ['This is a full sentence', 'this_is_a_full_sentence'],
    ['_id', '_id'],
    ['__a__', '_a_'],
    ['a_', 'a_'],
    ['', ''],
    ['HTTPServer', 'httpserver'],
    ['Straße', 'strasse'],
    ['Łódź Øre', 'lodz_ore'],
    ['ﬁle①', 'file_1'],
    ['Ærø', 'aero'],
    ['already_snake', 'already_snake'],
  ])('%s → %s', (key, expected) => {
    expect(snakeCaseKey(key)).toBe(expected);
  });

  it('renames nested object keys but not objects inside lists', () => {
    const record = { OuterKey: { InnerKey: 1 }, ListKey: [{ ItemKey: 1 }] };
    new KeysToSnakeCase().transform(record, ctx);
    expect(record).toEqual({ outer_key: { inner_key: 1 }, list_key: [{ ItemKey: 1 }] });
  });
});

describe('KeysToLower', () => {
  it('lower-cases top-level keys only, keeping order', () => {
    const record: Record<string, unknown> = { Id: 1, NAME: { Inner: 2 }, z: 3 };
    new KeysToLower().transform(record, ctx);
    expect(record).toEqual({ id: 1, name: { Inner: 2 }, z: 3 });
    expect(Object.keys(record)).toEqual(['id', 'name', 'z']);
  });
});

describe('RemoveFields without condition', () => {
  it.each<[string, Record<string, unknown>, Array<Array<string | number>>, unknown]>([
    ['flat', { k1: 'v', k2: 'v' }, [['k1']], { k2: 'v' }],
    ['missing', { k1: 'v' }, [['k3']], { k1: 'v' }],
    ['several', { k1: 'v', k2: 'v' }, [['k1'], ['k2']], {}],
    ['nested in lists', { '.': { k1: [{ k2: 'v', k3: 'v' }, { k4: 'v' }] } }, [['.', 'k1', 0, 'k2'], ['.', 'k1', 1, 'k4']], { '.': { k1: [{ k3: 'v' }, {}] } }],
    ['wildcard', { a: { x: 1, y: 2 }, b: 1 }, [['a', '*']], { a: {}, b: 1 }],
    ['wildcard in a list', { l: [{ s: 1, k: 1 }, { s: 2 }] }, [['l', '*', 's']], { l: [{ k: 1 }, {}] }],
    ['fnmatch pattern', { tmp_a: 1, tmp_b: 2, keep: 3 }, [['tmp_*']], { keep: 3 }],
    ['double star', { a: { secret: 1, b: { secret: 2 } }, secret: 3 }, [['**', 'secret']], { a: { b: {} } }],
  ])('%s', (_, input, pointers, expected) => {
    const record = structuredClone(input);
    new RemoveFields(pointers, noCondition, {}).transform(record, ctx);
    expect(record).toEqual(expected);
  });
});

describe('DpathFlattenFields', () => {
  const path = (...segments: string[]): Template[] => segments.map(constant);
  it.each<[string, Record<string, unknown>, Template[], ConstructorParameters<typeof DpathFlattenFields>[2], unknown]>([
    ['merges an object', { id: 1, data: { a: 2, b: 3 } }, path('data'), {}, { id: 1, data: { a: 2, b: 3 }, a: 2, b: 3 }],
    ['deletes the origin', { id: 1, data: { a: 2 } }, path('data'), { deleteOriginValue: true }, { id: 1, a: 2 }],
    ['skips on conflict', { a: 1, data: { a: 2 } }, path('data'), { deleteOriginValue: true }, { a: 1, data: { a: 2 } }],
    ['replaces the record', { id: 1, data: { a: 2 } }, path('data'), { replaceRecord: true }, { a: 2 }],
    ['empty object does not replace', { id: 1, data: {} }, path('data'), { replaceRecord: true }, { id: 1, data: {} }],
    ['not an object: unchanged', { id: 1, data: [1] }, path('data'), { deleteOriginValue: true }, { id: 1, data: [1] }],
    ['missing: unchanged', { id: 1 }, path('data'), {}, { id: 1 }],
    ['wildcard takes the first match', { l: [{ x: { a: 1 } }, { x: { b: 2 } }] }, path('l', '*', 'x'), {}, { l: [{ x: { a: 1 } }, { x: { b: 2 } }], a: 1 }],
    [
      'wildcard with delete_origin_value',
      { f1: 1, f2: { f3: { f4: { f5: 1 } } } },
      path('f2', '*', 'f4'),
      { deleteOriginValue: true },
      { f1: 1, f2: { f3: {} }, f5: 1 },
    ],
    ['wildcard matching nothing', { f1: 1, f2: { f3: 1 } }, path('*', 'nope'), {}, { f1: 1, f2: { f3: 1 } }],
    ['prefix and suffix', { data: { a: 1 } }, path('data'), { keys: { prefix: 'p_', suffix: '_s' }, deleteOriginValue: true }, { p_a_s: 1 }],
  ])('%s', (_, input, fieldPath, options, expected) => {
    const record = structuredClone(input);
    new DpathFlattenFields(fieldPath, {}, options).transform(record, ctx);
    expect(record).toEqual(expected);
  });
});
