import { type LoadedManifest, RuntimeError, SecretMasker, collectSecrets, loadManifest, prepareManifest } from '@manifold/runtime';
import { ApiError } from './errors.js';
import { type Json, isObject, typeName } from './input.js';

/**
 * The `manifest` field of a request: a parsed object, or the YAML text as typed in the editor
 * (errors then carry YAML line numbers). Invalid manifests throw the runtime's RuntimeError,
 * which the API answers with a 400 naming the path.
 */
export function loadRequestManifest(body: Json, field = 'manifest'): LoadedManifest {
  const value = body[field];
  if (value === undefined || value === null) throw new ApiError(400, `Missing field '${field}' (the manifest, as an object or YAML text)`, 'MISSING_FIELD');
  if (typeof value === 'string') {
    if (value.trim() === '') throw new ApiError(400, `Field '${field}' is empty`, 'INVALID_FIELD');
    return loadManifest(value, { fileName: 'manifest.yaml' });
  }
  if (!isObject(value)) throw new ApiError(400, `Field '${field}' must be a manifest object or YAML text, got ${typeName(value)}`, 'INVALID_FIELD');
  return prepareManifest(structuredClone(value));
}

/** The user-facing JSON schema of the config (spec.connection_specification), if any. */
export function connectionSpecification(manifest: Json): Json | undefined {
  const spec = manifest.spec;
  if (!isObject(spec)) return undefined;
  return isObject(spec.connection_specification) ? spec.connection_specification : undefined;
}

// Stricter than the CDK: config fields whose names say "secret" are masked even when the spec
// forgot `airbyte_secret`.
const SECRET_NAME = /(secret|password|passwd|token|api_?key|apikey|credential|private_?key|session)/i;

/** A masker holding every secret of this config: airbyte_secret fields and secret-looking keys. */
export function maskerFor(manifest: Json, config: Json): SecretMasker {
  const masker = new SecretMasker();
  collectSecrets(connectionSpecification(manifest) ?? {}, config, masker);
  collectByName(config, masker, 0);
  return masker;
}

function collectByName(value: unknown, masker: SecretMasker, depth: number): void {
  if (depth > 10) return;
  if (Array.isArray(value)) {
    for (const item of value) collectByName(item, masker, depth + 1);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, sub] of Object.entries(value)) {
    if (SECRET_NAME.test(key) && (typeof sub === 'string' || typeof sub === 'number')) masker.add(sub);
    else collectByName(sub, masker, depth + 1);
  }
}

export function isRuntimeErrorAt(error: unknown): error is RuntimeError {
  return error instanceof RuntimeError;
}
