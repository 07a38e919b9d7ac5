import { describe, expect, it } from 'vitest';
import { dpathGet, dpathValues, isTruthy } from './dpath-extractor.js';

const body = {
  data: { items: [{ id: 1 }, { id: 2 }], meta: { count: 2 } },
  groups: [{ members: [{ id: 'a' }] }, { members: [{ id: 'b' }, { id: 'c' }] }],
  byKey: { x: { v: 1 }, y: { v: 2 } },
};

describe('dpath', () => {
  it('gets nested values and list indexes', () => {
    expect(dpathGet(body, ['data', 'items'])).toEqual([{ id: 1 }, { id: 2 }]);
    expect(dpathGet(body, ['data', 'items', '1', 'id'])).toBe(2);
    expect(dpathGet(body, ['data', 'meta', 'count'])).toBe(2);
  });

  it('returns [] for a missing path', () => {
    expect(dpathGet(body, ['data', 'nope'])).toEqual([]);
    expect(dpathGet(body, ['data', 'items', 'x'])).toEqual([]);
  });

  it('collects every match of a * glob, over lists and objects', () => {
    expect(dpathValues(body, ['groups', '*', 'members'])).toEqual([[{ id: 'a' }], [{ id: 'b' }, { id: 'c' }]]);
    expect(dpathValues(body, ['byKey', '*'])).toEqual([{ v: 1 }, { v: 2 }]);
    expect(dpathValues(body, ['byKey', '*', 'v'])).toEqual([1, 2]);
  });

  it('uses Python truthiness', () => {
    expect([null, 0, '', [], {}, false].map(isTruthy)).toEqual([false, false, false, false, false, false]);
    expect([1, 'a', [0], { a: 1 }, true].map(isTruthy)).toEqual([true, true, true, true, true]);
  });
});
