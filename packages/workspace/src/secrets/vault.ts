/**
 * secrets.enc.json: the secret fields of sources and destinations, each entry encrypted with
 * AES-256-GCM under the user's key. The entry's name is bound as additional data, so an entry
 * moved to another name fails to decrypt. A `check` entry detects a wrong key even before any
 * secret is read.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { WorkspaceError } from '../errors.js';
import { readJson, writeJson } from '../json-files.js';
import { type SecretKey, SECRET_KEY_ENV, loadSecretKey } from './secret-key.js';

export const SECRETS_FILE = 'secrets.enc.json';
const CHECK_TEXT = 'manifold-secrets-v1';

interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

interface VaultFile {
  version: 1;
  algorithm: 'aes-256-gcm';
  /** scrypt salt for passphrase keys. */
  salt: string;
  check: Sealed;
  entries: Record<string, Sealed>;
}

export class SecretVault {
  private key: Buffer | undefined;

  constructor(
    readonly workspaceDir: string,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {}

  private get path(): string {
    return join(this.workspaceDir, SECRETS_FILE);
  }

  async get(name: string): Promise<unknown> {
    const file = await this.load();
    const sealed = file?.entries[name];
    if (!file || !sealed) return undefined;
    const key = await this.keyFor(file);
    return JSON.parse(open(key, sealed, name).toString('utf8')) as unknown;
  }

  async set(name: string, value: unknown): Promise<void> {
    const existing = await this.load();
    const salt = existing ? Buffer.from(existing.salt, 'base64') : randomBytes(16);
    const file: VaultFile = existing ?? {
      version: 1,
      algorithm: 'aes-256-gcm',
      salt: salt.toString('base64'),
      check: { iv: '', tag: '', data: '' },
      entries: {},
    };
    const key = existing ? await this.keyFor(existing) : (await this.secretKey()).derive(salt);
    if (!existing) file.check = seal(key, Buffer.from(CHECK_TEXT), 'check');
    file.entries[name] = seal(key, Buffer.from(JSON.stringify(value)), name);
    await writeJson(this.workspaceDir, SECRETS_FILE, file, 0o600);
  }

  async delete(name: string): Promise<void> {
    const file = await this.load();
    if (!file || !(name in file.entries)) return;
    delete file.entries[name];
    await writeJson(this.workspaceDir, SECRETS_FILE, file, 0o600);
  }

  private async load(): Promise<VaultFile | undefined> {
    const file = await readJson<VaultFile>(this.path);
    if (file && (file.version !== 1 || typeof file.salt !== 'string' || typeof file.entries !== 'object')) {
      throw new WorkspaceError('CORRUPT_FILE', `${this.path} is not a manifold secrets file (version 1)`);
    }
    return file;
  }

  private async secretKey(): Promise<SecretKey> {
    return loadSecretKey(this.workspaceDir, this.env);
  }

  private async keyFor(file: VaultFile): Promise<Buffer> {
    if (this.key) return this.key;
    const secretKey = await this.secretKey();
    const key = secretKey.derive(Buffer.from(file.salt, 'base64'));
    try {
      open(key, file.check, 'check');
    } catch {
      throw new WorkspaceError('SECRET_KEY', `the secret key from ${secretKey.origin} does not decrypt ${this.path}`, {
        help: `Use the key the secrets were saved with (${SECRET_KEY_ENV} or ${join(this.workspaceDir, 'secret.key')}), or delete ${this.path} and enter the secrets again`,
      });
    }
    this.key = key;
    return key;
  }
}

function seal(key: Buffer, plain: Buffer, name: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(name));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

function open(key: Buffer, sealed: Sealed, name: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(name));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
  } catch (cause) {
    throw new WorkspaceError('SECRET_KEY', `the secret '${name}' cannot be decrypted (wrong key or a tampered file)`, {
      cause,
      help: `Use the key the secrets were saved with (${SECRET_KEY_ENV} or the workspace's secret.key)`,
    });
  }
}
