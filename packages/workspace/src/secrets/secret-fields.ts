/**
 * Which fields of a config are secrets: every value under an `airbyte_secret: true` property of
 * the spec (through properties, array items and oneOf/anyOf/allOf branches). The store keeps
 * those values apart, encrypted; everything else is plain JSON.
 */
type JsonObject = Record<string, unknown>;

/** How secrets are shown in list output and exports. */
export const SECRET_MASK = '**********';

export type FieldPath = Array<string | number>;

export function secretPaths(schema: unknown, config: unknown): FieldPath[] {
  const found: FieldPath[] = [];
  walk(schema, config, [], found);
  const unique = new Map(found.map((path) => [JSON.stringify(path), path]));
  return [...unique.values()];
}

function walk(schema: unknown, value: unknown, path: FieldPath, found: FieldPath[]): void {
  if (!isObject(schema) || value === undefined || value === null) return;
  if (schema.airbyte_secret === true) {
    found.push(path);
    return;
  }
  if (isObject(value) && isObject(schema.properties)) {
    for (const [key, sub] of Object.entries(schema.properties)) walk(sub, value[key], [...path, key], found);
  }
  if (Array.isArray(value) && isObject(schema.items)) {
    value.forEach((item, index) => walk(schema.items, item, [...path, index], found));
  }
  for (const keyword of ['oneOf', 'anyOf', 'allOf'] as const) {
    const branches = schema[keyword];
    if (Array.isArray(branches)) for (const branch of branches) walk(branch, value, path, found);
  }
}

export interface SplitConfig {
  /** The config without its secret fields. */
  plain: JsonObject;
  /** The removed values, by path. */
  secrets: Array<{ path: FieldPath; value: unknown }>;
}

export function splitSecrets(schema: unknown, config: JsonObject): SplitConfig {
  const plain = structuredClone(config);
  const secrets: SplitConfig['secrets'] = [];
  for (const path of secretPaths(schema, config)) {
    const value = getPath(config, path);
    if (value === undefined) continue;
    secrets.push({ path, value });
    deletePath(plain, path);
  }
  return { plain, secrets };
}

export function mergeSecrets(plain: JsonObject, secrets: SplitConfig['secrets']): JsonObject {
  const config = structuredClone(plain);
  for (const { path, value } of secrets) setPath(config, path, value);
  return config;
}

/** The plain config with each secret field shown as the mask (for list output and exports). */
export function maskedConfig(plain: JsonObject, paths: FieldPath[]): JsonObject {
  const config = structuredClone(plain);
  for (const path of paths) setPath(config, path, SECRET_MASK);
  return config;
}

function getPath(value: unknown, path: FieldPath): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function setPath(target: JsonObject, path: FieldPath, value: unknown): void {
  let current: Record<string | number, unknown> = target;
  path.forEach((key, index) => {
    if (index === path.length - 1) {
      current[key] = value;
      return;
    }
    const next = current[key];
    if (next === null || typeof next !== 'object') current[key] = typeof path[index + 1] === 'number' ? [] : {};
    current = current[key] as Record<string | number, unknown>;
  });
}

function deletePath(target: JsonObject, path: FieldPath): void {
  const parent = getPath(target, path.slice(0, -1));
  const key = path[path.length - 1];
  if (parent && typeof parent === 'object' && key !== undefined) delete (parent as Record<string | number, unknown>)[key];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
