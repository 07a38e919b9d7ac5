import { describe, expect, it } from 'vitest';
import { MASK, SecretMasker, collectSecrets } from './mask.js';

describe('SecretMasker', () => {
  it('masks every occurrence, longest first, and URL-encoded forms', () => {
    const masker = new SecretMasker();
    masker.add('abc123');
    masker.add('abc123 xyz/+');
    expect(masker.mask('k=abc123 xyz/+ and abc123')).toBe(`k=${MASK} and ${MASK}`);
    expect(masker.mask('q=abc123%20xyz%2F%2B')).toBe(`q=${MASK}`);
  });

  it('ignores values too short to be secrets', () => {
    const masker = new SecretMasker();
    masker.add('ab');
    expect(masker.size).toBe(0);
  });
});

describe('collectSecrets', () => {
  it('finds airbyte_secret values in nested objects, arrays and oneOf branches', () => {
    const spec = {
      type: 'object',
      properties: {
        api_key: { type: 'string', airbyte_secret: true },
        name: { type: 'string' },
        credentials: {
          oneOf: [
            { properties: { client_secret: { type: 'string', airbyte_secret: true } } },
            { properties: { password: { type: 'string', airbyte_secret: true } } },
          ],
        },
        tokens: { type: 'array', items: { type: 'string', airbyte_secret: true } },
      },
    };
    const config = { api_key: 'key-1111', name: 'public', credentials: { password: 'pw-2222' }, tokens: ['tok-3333'] };
    const masker = new SecretMasker();
    collectSecrets(spec, config, masker);
    expect(masker.mask(JSON.stringify(config))).not.toMatch(/key-1111|pw-2222|tok-3333/);
    expect(masker.mask('public')).toBe('public');
  });
});

describe('SecretMasker.maskValue with integers beyond 2^53', () => {
  it('keeps BigInt values exact while masking strings', () => {
    const masker = new SecretMasker();
    masker.add('s3cret-token');
    expect(masker.maskValue({ id: 12345678901234567890n, small: 5, note: 'has s3cret-token' })).toEqual({
      id: 12345678901234567890n,
      small: 5,
      note: 'has ****',
    });
  });
});
