/**
 * The manifest pipeline, in the CDK's order:
 *   parse YAML (with locations) → default the root `type` → resolve `$ref`s → propagate types and
 *   `$parameters` → validate against our declarative schema.
 * The CDK's normalizer and manifest migrations only run behind opt-in flags, and dynamic streams are
 * expanded when streams are built, so neither belongs here.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { RuntimeError } from '../errors/runtime-error.js';
import { componentTypes, knownFields } from './components.js';
import { parseYaml } from './load.js';
import { LocationTable } from './locations.js';
import { propagateTypesAndParameters } from './parameters.js';
import { isPlainObject } from './path.js';
import { resolveReferences } from './refs.js';
import { validateResolved, type ManifestWarning } from './validate.js';

export type { ManifestWarning } from './validate.js';
export { componentTypes, knownFields };
export { parametersOf } from './parameters.js';

export interface LoadedManifest {
  /** Resolved, transformed and validated. */
  manifest: Record<string, unknown>;
  warnings: ManifestWarning[];
  /** Where a node of `manifest` was written in manifest.yaml (1-based), when it came from YAML. */
  locate(node: object): { line: number; column: number } | undefined;
  directory?: string;
}

export interface PrepareOptions {
  directory?: string;
  fileName?: string;
}

export function loadManifest(yamlText: string, opts: PrepareOptions = {}): LoadedManifest {
  const { data, locations } = parseYaml(yamlText, opts.fileName);
  if (!isPlainObject(data)) {
    throw new RuntimeError('MANIFEST_YAML', `The manifest${opts.fileName ? ` ${opts.fileName}` : ''} must be a YAML mapping, got ${data === null ? 'nothing' : Array.isArray(data) ? 'a list' : typeof data}`, { line: 1 });
  }
  return run(data, locations, opts);
}

export function loadManifestFile(path: string): LoadedManifest {
  const full = resolvePath(path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (cause) {
    throw new RuntimeError('MANIFEST_NOT_FOUND', `Cannot read manifest ${full}: ${(cause as Error).message}`, { cause });
  }
  return loadManifest(text, { directory: dirname(full), fileName: basename(full) });
}

/** The same pipeline for an already-parsed manifest (from config or the Builder); no locations. */
export function prepareManifest(manifest: object, opts: PrepareOptions = {}): LoadedManifest {
  if (!isPlainObject(manifest)) {
    throw new RuntimeError('MANIFEST_INVALID', 'The manifest must be an object');
  }
  return run(manifest, new LocationTable(), opts);
}

/** Resolves, transforms and validates without throwing. */
export function validateManifest(manifest: object): { errors: RuntimeError[]; warnings: ManifestWarning[] } {
  if (!isPlainObject(manifest)) {
    return { errors: [new RuntimeError('MANIFEST_INVALID', 'The manifest must be an object')], warnings: [] };
  }
  try {
    const staged = stages(manifest, new LocationTable());
    return { errors: staged.result.errors, warnings: staged.warnings };
  } catch (e) {
    if (e instanceof RuntimeError) return { errors: [e], warnings: [] };
    throw e;
  }
}

function stages(raw: Record<string, unknown>, locations: LocationTable) {
  // The CDK defaults the root type before anything else.
  const rooted = 'type' in raw ? raw : { ...raw, type: 'DeclarativeSource' };
  if (rooted !== raw) locations.inherit(rooted, raw);
  const { manifest: resolved, warnings: refWarnings } = resolveReferences(rooted, locations);
  const transformed = propagateTypesAndParameters(resolved, locations);
  const result = validateResolved(transformed, locations);
  return { transformed, result, warnings: [...refWarnings, ...result.warnings] };
}

function run(raw: Record<string, unknown>, locations: LocationTable, opts: PrepareOptions): LoadedManifest {
  const { transformed, result, warnings } = stages(raw, locations);
  const [worst, ...others] = result.errors;
  if (worst) {
    const file = opts.fileName ? `${opts.fileName}: ` : '';
    const more = others.length ? ` (and ${others.length} more error${others.length > 1 ? 's' : ''}: ${others.slice(0, 3).map((e) => e.describe()).join('; ')}${others.length > 3 ? '; …' : ''})` : '';
    throw new RuntimeError(worst.code, `${file}${worst.message}${more}`, {
      path: worst.path,
      line: worst.line,
      column: worst.column,
      help: worst.help,
      cause: result.errors,
    });
  }
  return {
    manifest: transformed,
    warnings,
    locate(node: object) {
      const loc = locations.get(node);
      return loc ? { line: loc.line, column: loc.col } : undefined;
    },
    ...(opts.directory === undefined ? {} : { directory: opts.directory }),
  };
}
