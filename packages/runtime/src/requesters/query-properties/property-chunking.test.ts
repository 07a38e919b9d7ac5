import { describe, expect, it } from 'vitest';
import { deepMerge } from './page-fetch.js';
import { GroupByKeyMergeStrategy, PropertyChunking } from './property-chunking.js';

const byId = new GroupByKeyMergeStrategy('id');

describe('PropertyChunking.chunks', () => {
  it('property_count: at most `limit` properties per chunk, always-included ones on top of the limit', () => {
    const chunking = new PropertyChunking('property_count', 2, byId);
    expect(chunking.chunks(['a', 'b', 'c', 'd', 'e'], ['id'], undefined)).toEqual([
      ['id', 'a', 'b'],
      ['id', 'c', 'd'],
      ['id', 'e'],
    ]);
  });

  it('characters: each property costs its length + 3; a chunk closes before the one that would overflow', () => {
    // 'alpha' costs 8, 'be' 5, 'gamma' 8: limit 13 fits alpha+be (13) and not gamma.
    const chunking = new PropertyChunking('characters', 13, byId);
    expect(chunking.chunks(['alpha', 'be', 'gamma'], undefined, undefined)).toEqual([['alpha', 'be'], ['gamma']]);
    // Exactly at the limit stays in the chunk; one over starts a new one.
    expect(new PropertyChunking('characters', 12, byId).chunks(['alpha', 'be'], undefined, undefined)).toEqual([['alpha'], ['be']]);
  });

  it('characters counts code points, as Python len()', () => {
    const chunking = new PropertyChunking('characters', 5, byId);
    expect(chunking.chunks(['é', '😀', 'x'], undefined, undefined)).toEqual([['é'], ['😀'], ['x']]);
    expect(new PropertyChunking('characters', 8, byId).chunks(['😀', 'é'], undefined, undefined)).toEqual([['😀', 'é']]);
  });

  it('a property larger than the limit closes the chunk before it, even an empty one (as the CDK)', () => {
    const chunking = new PropertyChunking('characters', 4, byId);
    expect(chunking.chunks(['toolong', 'a'], ['id'], undefined)).toEqual([['id'], ['id', 'toolong'], ['id', 'a']]);
    expect(chunking.chunks(['toolong'], undefined, undefined)).toEqual([[], ['toolong']]);
  });

  it('skips properties the selector did not select', () => {
    const chunking = new PropertyChunking('property_count', 2, byId);
    expect(chunking.chunks(['a', 'b', 'c', 'd'], ['id'], new Set(['a', 'c', 'd']))).toEqual([
      ['id', 'a', 'c'],
      ['id', 'd'],
    ]);
  });

  it('without a limit: one chunk of all properties (selection ignored), always-included last', () => {
    const chunking = new PropertyChunking('property_count', undefined, byId);
    expect(chunking.chunks(['a', 'b'], ['id'], new Set(['a']))).toEqual([['a', 'b', 'id']]);
    expect(new PropertyChunking('property_count', 0, byId).chunks(['a'], undefined, undefined)).toEqual([['a']]);
  });

  it('an empty property list still gives one chunk', () => {
    expect(new PropertyChunking('property_count', 3, byId).chunks([], ['id'], undefined)).toEqual([['id']]);
  });
});

describe('GroupByKeyMergeStrategy', () => {
  it('joins the values of several keys with commas', () => {
    expect(new GroupByKeyMergeStrategy(['day', 'pivot']).groupKey({ day: '2024-01-01', pivot: 'x', v: 1 })).toBe('2024-01-01,x');
  });

  it('has no key when a key field is missing or falsy (Python truthiness)', () => {
    const strategy = new GroupByKeyMergeStrategy(['a', 'b']);
    expect(strategy.groupKey({ a: 'x' })).toBeUndefined();
    expect(strategy.groupKey({ a: 'x', b: '' })).toBeUndefined();
    expect(strategy.groupKey({ a: 'x', b: 0 })).toBeUndefined();
    expect(strategy.groupKey({ a: 'x', b: [] })).toBeUndefined();
  });

  it('takes Python str() of a non-string value', () => {
    expect(new GroupByKeyMergeStrategy('id').groupKey({ id: 7 })).toBe('7');
    expect(new GroupByKeyMergeStrategy(['id', 'ok']).groupKey({ id: 7, ok: true })).toBe('7,True');
  });
});

describe('deepMerge', () => {
  it('merges nested objects and lets later values replace scalars and lists', () => {
    const target = { id: 1, stats: { a: 1, nested: { x: 1 } }, tags: ['a'] };
    deepMerge(target, { stats: { b: 2, nested: { y: 2 } }, tags: ['b'], id: 1 });
    expect(target).toEqual({ id: 1, stats: { a: 1, b: 2, nested: { x: 1, y: 2 } }, tags: ['b'] });
  });
});
