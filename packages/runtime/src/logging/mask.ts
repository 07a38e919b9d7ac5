/**
 * Secret masking by value: every `airbyte_secret` value of the config (and every token obtained at
 * run time) is replaced by `****` in anything we print. Path-based redaction cannot catch a secret
 * that ends up inside a message, a URL or an error body; value masking does.
 */
import { mayHoldUnsafeInteger, parseJsonLossless } from '../decoders/lossless-json.js';
import { stringifyJson } from '../protocol/stringify-json.js';

export const MASK = '****';

export class SecretMasker {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  add(value: unknown): void {
    if (typeof value === 'number' || typeof value === 'bigint') value = String(value);
    if (typeof value !== 'string' || value.length < 3) return;
    if (this.secrets.has(value)) return;
    this.secrets.add(value);
    // Secrets often travel URL-encoded or base64-wrapped (Basic auth); mask those shapes too.
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.secrets.add(encoded);
    this.pattern = undefined;
  }

  get size(): number {
    return this.secrets.size;
  }

  mask(text: string): string {
    if (this.secrets.size === 0) return text;
    if (!this.pattern) {
      const sorted = [...this.secrets].sort((a, b) => b.length - a.length);
      this.pattern = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
    }
    return text.replace(this.pattern, MASK);
  }

  /** Deep copy of a JSON value with every secret string masked; BigInt values (ints beyond 2^53) stay exact. */
  maskValue<T>(value: T): T {
    if (this.secrets.size === 0) return value;
    const masked = this.mask(stringifyJson(value));
    return (mayHoldUnsafeInteger(masked) ? parseJsonLossless(masked) : JSON.parse(masked)) as T;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Walks a JSON Schema (the spec) and the config together, collecting values of airbyte_secret fields. */
export function collectSecrets(schema: unknown, config: unknown, masker: SecretMasker): void {
  if (!isObject(schema)) return;
  if (schema.airbyte_secret === true) {
    if (typeof config === 'string' || typeof config === 'number' || typeof config === 'bigint') masker.add(config);
    else if (config !== undefined && config !== null) masker.add(JSON.stringify(config));
  }
  if (isObject(config) && isObject(schema.properties)) {
    for (const [key, sub] of Object.entries(schema.properties)) collectSecrets(sub, config[key], masker);
  }
  if (Array.isArray(config) && isObject(schema.items)) {
    for (const item of config) collectSecrets(schema.items, item, masker);
  }
  for (const keyword of ['oneOf', 'anyOf', 'allOf'] as const) {
    const branches = schema[keyword];
    if (Array.isArray(branches)) for (const branch of branches) collectSecrets(branch, config, masker);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
