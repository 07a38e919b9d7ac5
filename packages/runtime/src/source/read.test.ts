import { describe, expect, it } from 'vitest';
import { parseCatalog, parseState } from './read.js';

describe('parseState', () => {
  it('reads STREAM state messages', () => {
    const states = parseState([
      { type: 'STREAM', stream: { stream_descriptor: { name: 'a' }, stream_state: { updated_at: '2024-01-01' } } },
      { type: 'STREAM', stream: { stream_descriptor: { name: 'b' }, stream_state: null } },
    ]);
    expect(Object.fromEntries(states)).toEqual({ a: { updated_at: '2024-01-01' } });
  });

  it('reads GLOBAL and legacy shapes', () => {
    const global = parseState([
      { type: 'GLOBAL', global: { shared_state: {}, stream_states: [{ stream_descriptor: { name: 'a' }, stream_state: { c: 1 } }] } },
    ]);
    expect(global.get('a')).toEqual({ c: 1 });
    expect(parseState({ a: { c: 2 } }).get('a')).toEqual({ c: 2 });
  });

  it.each([
    [[42], 'item 0 is not an object'],
    [[{ type: 'STREAM', stream: {} }], 'no stream.stream_descriptor.name'],
    [[{ type: 'STREAM', stream: { stream_descriptor: { name: 'a' }, stream_state: [1] } }], 'stream_state must be an object'],
    [[{ type: 'WEIRD' }], "unknown type 'WEIRD'"],
    ['text', 'expected a list'],
  ])('rejects %j with a config_error saying %s', (raw, what) => {
    expect(() => parseState(raw, "state file 's.json'")).toThrow(what);
    try {
      parseState(raw, "state file 's.json'");
    } catch (error) {
      expect((error as { failureType: string }).failureType).toBe('config_error');
      expect((error as Error).message).toContain("state file 's.json'");
    }
  });
});

describe('parseCatalog', () => {
  it('accepts a configured catalog and defaults sync_mode', () => {
    const catalog = parseCatalog({ streams: [{ stream: { name: 'a' } }] });
    expect(catalog.streams[0]?.sync_mode).toBe('full_refresh');
  });

  it('rejects malformed catalogs', () => {
    expect(() => parseCatalog({})).toThrow("no 'streams' list");
    expect(() => parseCatalog({ streams: [{ stream: {} }] })).toThrow('streams[0] has no stream.name');
    expect(() => parseCatalog({ streams: [{ stream: { name: 'a' }, sync_mode: 'x' }] })).toThrow("sync_mode 'x'");
  });
});
