import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { destinationSpecs } from './config.js';
import { createDestination } from './create-destination.js';
import { forgetStream, mergeState } from './state.js';
import { streamState } from './testing/streams.js';

describe('createDestination', () => {
  it('names the unknown type and the available ones', () => {
    expect(() => createDestination({ type: 'snowflake' } as never)).toThrow(
      'destination type "snowflake" is unknown. Available: duckdb, jsonl, postgres, airbyte-image',
    );
  });
});

describe('createDestination config checks', () => {
  it('names the missing or wrong field and the type', () => {
    expect(() => createDestination({ type: 'duckdb' } as never)).toThrow("destination config (duckdb): 'path' is required");
    expect(() => createDestination({ type: 'postgres', host: 'h', port: '5432', database: 'd', user: 'u' } as never)).toThrow(
      "destination config (postgres): 'port' must be of type integer",
    );
    expect(() => createDestination({ type: 'jsonl', directory: '' })).toThrow("destination config (jsonl): 'directory' must be a non-empty string");
    expect(() => createDestination({ type: 'postgres', host: 'h', port: 5432, database: 'd', user: 'u', password: '' })).not.toThrow();
  });
});

describe('destinationSpecs', () => {
  const ajv = new Ajv({ strict: false });

  it('accepts a valid config of each type and rejects a missing field', () => {
    const valid = {
      duckdb: { type: 'duckdb', path: 'a.duckdb' },
      jsonl: { type: 'jsonl', directory: 'out' },
      postgres: { type: 'postgres', host: 'h', port: 5432, database: 'd', user: 'u', password: 'p' },
      'airbyte-image': { type: 'airbyte-image', image: 'airbyte/destination-duckdb', config: {} },
    };
    for (const [type, config] of Object.entries(valid)) {
      const validate = ajv.compile(destinationSpecs[type as keyof typeof valid]);
      expect(validate(config), type).toBe(true);
      expect(validate({ type }), type).toBe(false);
    }
  });

  it('marks the Postgres password as a secret', () => {
    expect((destinationSpecs.postgres['properties'] as Record<string, Record<string, unknown>>)['password']).toMatchObject({ airbyte_secret: true });
  });
});

describe('state merging', () => {
  it('replaces a stream slot, and a GLOBAL state replaces all', () => {
    const states = mergeState(mergeState([streamState('a', { n: 1 })], streamState('b', { n: 1 })), streamState('a', { n: 2 }));
    expect(states).toEqual([streamState('b', { n: 1 }), streamState('a', { n: 2 })]);
    const global = { type: 'GLOBAL' as const, global: { stream_states: [{ stream_descriptor: { name: 'a' }, stream_state: { n: 3 } }] } };
    expect(mergeState(states, global)).toEqual([global]);
    expect(forgetStream([global], { name: 'a' })).toEqual([{ type: 'GLOBAL', global: { stream_states: [] } }]);
  });
});
