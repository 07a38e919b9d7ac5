/** Generic assertions of the acceptance suite, independent of the test runner. */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: true });
  addFormats(ajv);
  // Airbyte's schema annotations.
  for (const k of ['airbyte_secret', 'airbyte_type', 'airbyte_hidden', 'order', 'always_show', 'group', 'display_type']) ajv.addKeyword(k);
  return ajv;
}

/** Compiles a JSON Schema (throws with ajv's reason if it is not one). */
export function compileSchema(ajv: Ajv, schema: unknown, what: string): ValidateFunction {
  if (typeof schema !== 'object' || schema === null) throw new Error(`${what}: not a JSON Schema object`);
  const copy = { ...(schema as Record<string, unknown>) };
  delete copy.$id;
  if (!ajv.validateSchema(copy)) throw new Error(`${what}: not a valid JSON Schema: ${ajv.errorsText(ajv.errors)}`);
  return ajv.compile(copy);
}

const SECRET_NAME = /(^|_)(password|passwd|secret|token|api_?key|apikey|client_secret|refresh_token|access_token|private_key)($|_)/i;

/** Properties of a connection specification that look secret but are not marked airbyte_secret. */
export function unmarkedSecrets(spec: unknown, path = ''): string[] {
  const out: string[] = [];
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}[${i}]`));
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    const props = o.properties;
    if (typeof props === 'object' && props !== null) {
      for (const [k, v] of Object.entries(props as Record<string, unknown>)) {
        const p = (v ?? {}) as Record<string, unknown>;
        if (SECRET_NAME.test(k) && p.type === 'string' && p.airbyte_secret !== true) out.push(`${at}${at ? '.' : ''}${k}`);
        walk(v, `${at}${at ? '.' : ''}${k}`);
      }
    }
    for (const key of ['oneOf', 'anyOf', 'allOf', 'items']) if (key in o) walk(o[key], at);
  };
  walk(spec, path);
  return out;
}

/** The value at a path in a record (primary keys and cursor fields are paths). */
export function valueAt(record: Record<string, unknown>, path: string[]): unknown {
  let v: unknown = record;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** Cursor comparison: numbers as numbers, dates as instants, otherwise as strings. */
export function compareCursor(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  const sa = String(a);
  const sb = String(b);
  if (/^\d+$/.test(sa) && /^\d+$/.test(sb)) return Math.sign(Number(sa) - Number(sb));
  const da = Date.parse(sa);
  const db = Date.parse(sb);
  if (!Number.isNaN(da) && !Number.isNaN(db)) return Math.sign(da - db);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Stable text for a set of records (order-insensitive), for comparing two reads. */
export function canonicalRecords(records: Array<Record<string, unknown>>): string[] {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]))
        : v;
  return records.map((r) => JSON.stringify(sortKeys(r))).sort();
}
