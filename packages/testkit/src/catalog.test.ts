import { describe, expect, it } from 'vitest';
import { configuredCatalog, stateFile, streamState } from './catalog.js';

describe('configuredCatalog', () => {
  it('turns a bare name into a full_refresh/overwrite stream', () => {
    expect(configuredCatalog(['users'])).toEqual({
      streams: [
        {
          stream: {
            name: 'users',
            json_schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: true, properties: {} },
            supported_sync_modes: ['full_refresh'],
          },
          sync_mode: 'full_refresh',
          destination_sync_mode: 'overwrite',
          cursor_field: [],
          primary_key: [],
        },
      ],
    });
  });

  it('builds incremental streams with cursor, key and schema', () => {
    const schema = { type: 'object', properties: { id: { type: 'integer' }, updated_at: { type: 'string' } } };
    const cat = configuredCatalog([
      { name: 'orders', syncMode: 'incremental', cursorField: ['updated_at'], primaryKey: [['id']], jsonSchema: schema, namespace: 'shop' },
      { name: 'events', syncMode: 'incremental', destinationSyncMode: 'append_dedup' },
      'tags',
    ]);
    expect(cat.streams[0]).toEqual({
      stream: {
        name: 'orders',
        namespace: 'shop',
        json_schema: schema,
        supported_sync_modes: ['full_refresh', 'incremental'],
        default_cursor_field: ['updated_at'],
        source_defined_primary_key: [['id']],
      },
      sync_mode: 'incremental',
      destination_sync_mode: 'append',
      cursor_field: ['updated_at'],
      primary_key: [['id']],
    });
    expect(cat.streams[1]?.destination_sync_mode).toBe('append_dedup');
    expect(cat.streams[1]?.stream.supported_sync_modes).toEqual(['full_refresh', 'incremental']);
    expect(cat.streams[2]?.sync_mode).toBe('full_refresh');
    // plain JSON, as it would be written to --catalog
    expect(JSON.parse(JSON.stringify(cat))).toEqual(cat);
  });
});

describe('state', () => {
  it('streamState builds a STREAM state message', () => {
    expect(streamState('users', { cursor: 'x' })).toEqual({
      type: 'STREAM',
      stream: { stream_descriptor: { name: 'users' }, stream_state: { cursor: 'x' } },
    });
    expect(streamState('users', {}, 'ns').stream?.stream_descriptor).toEqual({ name: 'users', namespace: 'ns' });
  });

  it('stateFile from a record or a list', () => {
    expect(stateFile({ a: { n: 1 }, b: { n: 2 } })).toEqual([streamState('a', { n: 1 }), streamState('b', { n: 2 })]);
    expect(stateFile([{ name: 'a', state: { n: 1 }, namespace: 'x' }])).toEqual([streamState('a', { n: 1 }, 'x')]);
    expect(stateFile([])).toEqual([]);
  });
});
