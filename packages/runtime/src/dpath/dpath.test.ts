import { describe, expect, it } from 'vitest';
import { fnmatchCase, get, PathNotFound, remove, type Segment, setPath, values, walk } from './dpath.js';

describe('dpath', () => {
  it('walks all children of a node before their subtrees', () => {
    const paths = [...walk({ a: { x: 1 }, b: [2, 3] })].map(([path]) => path.join('/'));
    expect(paths).toEqual(['a', 'b', 'a/x', 'b/0', 'b/1']);
  });

  it.each([
    ['abc', 'a*', true],
    ['abc', 'a?c', true],
    ['abc', 'a[bx]c', true],
    ['abc', 'a[!b]c', false],
    ['a.c', 'a.c', true],
    ['abc', 'a.c', false],
    ['ABC', 'abc', false],
    ['[x]', '[[]x]', true],
  ])('fnmatchcase(%s, %s) is %s', (name, pattern, expected) => {
    expect(fnmatchCase(name, pattern)).toBe(expected);
  });

  const doc = { a: { b: 1, c: 2 }, l: [{ k: 'x' }, { k: 'y' }], '0': 'zero' };
  it.each<[Segment[], unknown[]]>([
    [['a', 'b'], [1]],
    [['a', '*'], [1, 2]],
    [['l', '*', 'k'], ['x', 'y']],
    [['l', '1', 'k'], ['y']],
    [['l', '-1', 'k'], ['y']],
    [['l', 0, 'k'], ['x']],
    [['0'], ['zero']],
    [[0], []],
    [['**', 'k'], ['x', 'y']],
    [['missing'], []],
  ])('values(%j)', (glob, expected) => {
    expect(values(doc, glob)).toEqual(expected);
  });

  it('get returns the default when absent and throws on several matches', () => {
    expect(get(doc, ['a', 'b'], [])).toBe(1);
    expect(get(doc, ['nope'], [])).toEqual([]);
    expect(get(doc, [], null)).toBe(doc);
    expect(() => get(doc, ['a', '*'], [])).toThrow(/more than one/);
  });

  it.each<[string, unknown, Segment[], unknown]>([
    ['a key', { k1: 'v', k2: 'v' }, ['k1'], { k2: 'v' }],
    ['a list item (nulled)', { k: [1, 2] }, ['k', 0], { k: [null, 2] }],
    ['a list item by string index', { k: [1, 2] }, ['k', '0'], { k: [null, 2] }],
    ['the last list item (removed)', { k: [1, 2] }, ['k', '1'], { k: [1] }],
    ['all list items', { k: [1, 2, 3] }, ['k', '*'], { k: [null, null] }],
    ['a nested key in list items', { l: [{ a: 1, b: 2 }, { a: 3 }] }, ['l', '*', 'a'], { l: [{ b: 2 }, {}] }],
    ['a missing path', { k: [0, 1] }, ['k', 10], { k: [0, 1] }],
    ['everything', { a: 1, b: { c: 2 } }, ['**'], {}],
  ])('remove %s', (_, input, glob, expected) => {
    const record = structuredClone(input);
    remove(record, glob);
    expect(record).toEqual(expected);
  });

  it('remove with a filter deletes every matching leaf, whatever the glob (dpath quirk)', () => {
    const record = { a: 'x', b: 'y', nested: { c: 'x', d: 'z' } };
    remove(record, ['b'], (value) => value === 'x');
    expect(record).toEqual({ b: 'y', nested: { d: 'z' } });
  });

  it.each<[string, Record<string, unknown>, Segment[], unknown]>([
    ['a new key', {}, ['a'], { a: 'V' }],
    ['a nested key', { a: { x: 1 } }, ['a', 'b', 'c'], { a: { x: 1, b: { c: 'V' } } }],
    ['a list for a decimal segment', {}, ['a', '2'], { a: [null, null, 'V'] }],
    ['into an existing list', { a: [{ x: 1 }] }, ['a', '0', 'y'], { a: [{ x: 1, y: 'V' }] }],
    ['an overwrite', { a: 1 }, ['a'], { a: 'V' }],
    ['a glob character literally', {}, ['*'], { '*': 'V' }],
  ])('setPath %s', (_, input, path, expected) => {
    setPath(input, path, 'V');
    expect(input).toEqual(expected);
  });

  it('setPath refuses to write through a scalar or null', () => {
    expect(() => setPath({ a: 'x' }, ['a', 'b'], 1)).toThrow(PathNotFound);
    expect(() => setPath({ a: null }, ['a', 'b'], 1)).toThrow(PathNotFound);
  });
});
