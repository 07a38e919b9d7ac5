import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../__tests__/setup.js';
import { isWorkspaceError } from '../errors.js';
import { SECRETS_FILE, SecretVault } from './vault.js';

const SECRET = 'pw-sentinel-71c2e0';
const RAW_KEY = Buffer.alloc(32, 3).toString('base64');

describe('SecretVault', () => {
  it('round-trips values encrypted at rest', async () => {
    const dir = tempDir();
    const vault = new SecretVault(dir, { MANIFOLD_SECRET_KEY: RAW_KEY });
    await vault.set('sources/a', [{ path: ['password'], value: SECRET }]);
    expect(await new SecretVault(dir, { MANIFOLD_SECRET_KEY: RAW_KEY }).get('sources/a')).toEqual([{ path: ['password'], value: SECRET }]);
    const file = readFileSync(join(dir, SECRETS_FILE), 'utf8');
    expect(file).not.toContain(SECRET);
    expect(file).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(statSync(join(dir, SECRETS_FILE)).mode & 0o777).toBe(0o600);
  });

  it('creates a 0600 key file when no key is in the environment, and reuses it', async () => {
    const dir = tempDir();
    await new SecretVault(dir, {}).set('x', SECRET);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(await new SecretVault(dir, {}).get('x')).toBe(SECRET);
  });

  it('accepts a passphrase (scrypt) and refuses another one with a clear error', async () => {
    const dir = tempDir();
    await new SecretVault(dir, { MANIFOLD_SECRET_KEY: 'correct horse battery staple' }).set('x', SECRET);
    expect(await new SecretVault(dir, { MANIFOLD_SECRET_KEY: 'correct horse battery staple' }).get('x')).toBe(SECRET);
    const wrong = new SecretVault(dir, { MANIFOLD_SECRET_KEY: 'wrong horse' });
    const error = await wrong.get('x').catch((e: unknown) => e);
    expect(isWorkspaceError(error) && error.code).toBe('SECRET_KEY');
    expect((error as Error).message).toContain('MANIFOLD_SECRET_KEY (passphrase) does not decrypt');
    expect((error as Error).message).not.toContain('wrong horse');
    // A write with the wrong key is refused too, instead of mixing keys in one file.
    await expect(wrong.set('y', 'other')).rejects.toThrow(/does not decrypt/);
  });

  it('an entry moved to another name does not decrypt', async () => {
    const dir = tempDir();
    const vault = new SecretVault(dir, { MANIFOLD_SECRET_KEY: RAW_KEY });
    await vault.set('sources/a', SECRET);
    const path = join(dir, SECRETS_FILE);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.entries['sources/b'] = file.entries['sources/a'];
    (await import('node:fs')).writeFileSync(path, JSON.stringify(file));
    await expect(new SecretVault(dir, { MANIFOLD_SECRET_KEY: RAW_KEY }).get('sources/b')).rejects.toThrow(/cannot be decrypted/);
  });

  it('delete removes the entry', async () => {
    const dir = tempDir();
    const vault = new SecretVault(dir, { MANIFOLD_SECRET_KEY: RAW_KEY });
    await vault.set('a', 1);
    await vault.delete('a');
    expect(await vault.get('a')).toBeUndefined();
  });
});
