/**
 * The key that encrypts the workspace's secrets, under the user's control:
 *   - MANIFOLD_SECRET_KEY: 32 bytes in base64, or any other text taken as a passphrase (scrypt,
 *     with a salt kept in secrets.enc.json);
 *   - else `<workspace>/secret.key`, 32 random bytes created with mode 0600 on first use.
 */
import { randomBytes, scryptSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkspaceError } from '../errors.js';

export const SECRET_KEY_ENV = 'MANIFOLD_SECRET_KEY';
export const KEY_FILE = 'secret.key';

export interface SecretKey {
  /** Where the key came from, for error messages (never the key itself). */
  origin: string;
  /** Derives the 32-byte key; `salt` is the workspace's scrypt salt (used only for passphrases). */
  derive(salt: Buffer): Buffer;
}

export async function loadSecretKey(workspaceDir: string, env: Record<string, string | undefined> = process.env): Promise<SecretKey> {
  const fromEnv = env[SECRET_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return keyFromText(fromEnv);
  const path = join(workspaceDir, KEY_FILE);
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(workspaceDir, { recursive: true });
    try {
      await writeFile(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (raced) {
      // Two processes creating the key at once: the first one wins, both read it.
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
    }
    text = (await readFile(path, 'utf8')).trim();
  }
  const raw = decodeRawKey(text);
  if (!raw) {
    throw new WorkspaceError('SECRET_KEY', `${path} does not hold a 32-byte key in base64`, {
      help: `Restore the key file, or set ${SECRET_KEY_ENV}`,
    });
  }
  return { origin: path, derive: () => raw };
}

function keyFromText(text: string): SecretKey {
  const raw = decodeRawKey(text);
  if (raw) return { origin: `${SECRET_KEY_ENV} (base64 key)`, derive: () => raw };
  return {
    origin: `${SECRET_KEY_ENV} (passphrase)`,
    derive: (salt) => scryptSync(text, salt, 32),
  };
}

/** 32 bytes of strict base64, or undefined (then the text is a passphrase). */
function decodeRawKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed, 'base64');
  return bytes.length === 32 ? bytes : undefined;
}
