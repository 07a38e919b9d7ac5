import { describe, expect, it } from 'vitest';
import { SECRET_MASK, maskedConfig, mergeSecrets, secretPaths, splitSecrets } from './secret-fields.js';

const spec = {
  type: 'object',
  properties: {
    api_key: { type: 'string', airbyte_secret: true },
    region: { type: 'string' },
    credentials: {
      oneOf: [
        { properties: { auth_type: { const: 'oauth' }, client_secret: { type: 'string', airbyte_secret: true }, client_id: { type: 'string' } } },
        { properties: { auth_type: { const: 'token' }, token: { type: 'string', airbyte_secret: true } } },
      ],
    },
    accounts: { type: 'array', items: { type: 'object', properties: { password: { type: 'string', airbyte_secret: true }, user: { type: 'string' } } } },
  },
};

const config = {
  api_key: 'k-123',
  region: 'eu',
  credentials: { auth_type: 'oauth', client_id: 'cid', client_secret: 'cs-456' },
  accounts: [{ user: 'a', password: 'p-1' }, { user: 'b', password: 'p-2' }],
};

describe('secret fields', () => {
  it('finds secrets through properties, oneOf branches and array items', () => {
    expect(secretPaths(spec, config)).toEqual([
      ['api_key'],
      ['credentials', 'client_secret'],
      ['accounts', 0, 'password'],
      ['accounts', 1, 'password'],
    ]);
  });

  it('splits the secrets out and merges them back to the same config', () => {
    const { plain, secrets } = splitSecrets(spec, config);
    const text = JSON.stringify(plain);
    for (const secret of ['k-123', 'cs-456', 'p-1', 'p-2']) expect(text).not.toContain(secret);
    expect(plain.region).toBe('eu');
    expect(secrets).toHaveLength(4);
    expect(mergeSecrets(plain, secrets)).toEqual(config);
  });

  it('masks secret fields for display', () => {
    const { plain, secrets } = splitSecrets(spec, config);
    const masked = maskedConfig(plain, secrets.map((s) => s.path));
    expect(masked.api_key).toBe(SECRET_MASK);
    expect((masked.credentials as Record<string, unknown>).client_secret).toBe(SECRET_MASK);
    expect((masked.credentials as Record<string, unknown>).client_id).toBe('cid');
  });

  it('leaves absent optional secrets alone', () => {
    const { plain, secrets } = splitSecrets(spec, { region: 'us' });
    expect(plain).toEqual({ region: 'us' });
    expect(secrets).toEqual([]);
  });
});
