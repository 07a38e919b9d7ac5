import { describe, expect, it } from 'vitest';
import { toConfig } from '../../model/testing-values.js';
import { formatBytes, formatDuration } from './format.js';
import { workspaceRoute } from './routes.js';
import { humanized, specInputs } from './spec-inputs.js';

describe('workspaceRoute', () => {
  it('reads the Connections area routes from the hash', () => {
    expect(workspaceRoute('#/connections')).toEqual({ page: 'connections' });
    expect(workspaceRoute('#/connections/new')).toEqual({ page: 'new-connection' });
    expect(workspaceRoute('#/connections/c%201')).toEqual({ page: 'connection', id: 'c 1' });
    expect(workspaceRoute('#/sources')).toEqual({ page: 'sources' });
    expect(workspaceRoute('#/destinations')).toEqual({ page: 'destinations' });
  });

  it('leaves the Builder routes alone', () => {
    expect(workspaceRoute('')).toBeUndefined();
    expect(workspaceRoute('#/')).toBeUndefined();
    expect(workspaceRoute('#/p/abc')).toBeUndefined();
    expect(workspaceRoute('#/connections/a/b')).toBeUndefined();
  });
});

describe('specInputs', () => {
  const spec = {
    type: 'object',
    required: ['host', 'port'],
    properties: {
      type: { const: 'postgres' },
      password: { type: 'string', airbyte_secret: true, order: 2 },
      port: { type: 'integer', default: 5432, order: 1 },
      host: { type: 'string', order: 0 },
      ssl: { type: 'boolean' },
    },
  };

  it('orders inputs by the spec order, skips the given keys, and marks secrets', () => {
    const inputs = specInputs(spec, ['type']);
    expect(inputs.map((i) => i.key)).toEqual(['host', 'port', 'password', 'ssl']);
    expect(inputs.find((i) => i.key === 'password')?.secret).toBe(true);
    expect(inputs.filter((i) => i.required).map((i) => i.key)).toEqual(['host', 'port']);
  });

  it('turns the typed text into a typed config, with defaults', () => {
    const inputs = specInputs(spec, ['type']);
    expect(toConfig(inputs, { host: 'db', ssl: 'true', password: 's3cret' })).toEqual({ host: 'db', port: 5432, ssl: true, password: 's3cret' });
  });

  it('has no inputs without a spec', () => {
    expect(specInputs(null)).toEqual([]);
  });
});

describe('formatting', () => {
  it('names properties without titles, sizes and durations', () => {
    expect(humanized('start_date')).toBe('Start date');
    expect(humanized('apiKey')).toBe('Api key');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(330)).toBe('330 ms');
    expect(formatDuration(7_500)).toBe('7.5 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });
});
