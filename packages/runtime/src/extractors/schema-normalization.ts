import type { Json } from '../context.js';
import { pyStr } from '../interpolation/index.js';

/**
 * schema_normalization of a RecordSelector, as the CDK's TypeTransformer does it:
 *
 * - `None` (the default) leaves records alone.
 * - `Default` walks the record along the stream's JSON schema (only the keywords `properties`,
 *   `items`, `$ref` and `type`; not anyOf/oneOf/allOf/additionalProperties) and casts every value
 *   found under `properties` / `items` to its declared type with Python's casts: `str()` (so `1.5` →
 *   "1.5", `true` → "True", `null` → "None" when null is not allowed, objects → their Python repr),
 *   `float()`, `int()` (which truncates 1.7 and reads " 42 " and "1_000"), a string boolean through
 *   strtobool ("yes"/"no", "t"/"f", "on"/"off", "1"/"0"), other values by truthiness; a lone value
 *   where an array is declared is wrapped in a list (unless `items.type` is a bare string, which the
 *   CDK's set() turns into letters). A type list with one non-null type casts to it; with several it
 *   does nothing; null stays null when "null" is allowed. A failed cast leaves the value unchanged,
 *   and every value whose type still differs from the schema produces a warning (the record is
 *   still emitted). The record root itself is never cast.
 *
 * Differences: JSON numbers have one type in JavaScript, so an integral float (`1.0`) reads as an
 * int: str() gives "1" where Python gives "1.0". Integers beyond 2^53 are BigInts (the decoders keep
 * them exact): they are ints and numbers here, and str() gives their digits.
 */
export type NormalizationMode = 'None' | 'Default';

export type WarningSink = (message: string) => void;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const TRUTHY = new Set(['y', 'yes', 't', 'true', 'on', '1']);
const FALSEY = new Set(['n', 'no', 'f', 'false', 'off', '0']);
const SIMPLE_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null']);

/** Python's str.strip() whitespace. */
function pyStrip(text: string): string {
  return text.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/gu, '');
}

const FLOAT_TEXT = /^[+-]?(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;

/** Python float(); undefined where Python raises ValueError / TypeError. */
export function pyFloat(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') return undefined;
  const text = pyStrip(value);
  const special = SPECIAL_FLOAT.exec(text);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!FLOAT_TEXT.test(text)) return undefined;
  return Number(text.replace(/_/g, ''));
}

/** Python int(); undefined where Python raises ValueError / TypeError / OverflowError. */
export function pyInt(value: unknown): number | bigint | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) || 0 : undefined;
  if (typeof value === 'bigint') return value;
  if (typeof value !== 'string') return undefined;
  const text = pyStrip(value);
  if (!/^[+-]?\d(?:_?\d)*$/.test(text)) return undefined;
  const digits = text.replace(/_/g, '');
  const n = Number(digits);
  // A digit string beyond 2^53 gives an exact BigInt, as Python's int() would.
  return Number.isSafeInteger(n) ? n || 0 : BigInt(digits);
}

function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return true;
}

function isSimple(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof value);
}

/** The CDK's TypeTransformer.default_convert for one value and its (resolved) subschema. */
export function defaultConvert(value: unknown, subschema: unknown): unknown {
  if (!isObject(subschema)) return value;
  let target: unknown = subschema.type ?? [];
  const allowsNull = typeof target === 'string' ? target.includes('null') : Array.isArray(target) && target.includes('null');
  if (value === null && allowsNull) return null;
  if (Array.isArray(target)) {
    const nonNull = target.filter((t) => t !== 'null');
    if (nonNull.length !== 1) return value;
    target = nonNull[0];
  }
  switch (target) {
    case 'string':
      return pyStr(value);
    case 'number':
      return pyFloat(value) ?? value;
    case 'integer':
      return pyInt(value) ?? value;
    case 'boolean':
      if (typeof value === 'string') {
        const text = pyStrip(value.toLowerCase());
        if (TRUTHY.has(text)) return true;
        if (FALSEY.has(text)) return false;
        return value;
      }
      return pyTruthy(value);
    case 'array': {
      const items = subschema.items ?? {};
      if (!isObject(items)) return value;
      const itemType = items.type;
      // Python: set(items.get("type", set())) — a list gives its names, a string its letters.
      const names: unknown[] =
        itemType === undefined ? [] : Array.isArray(itemType) ? itemType : typeof itemType === 'string' ? [...itemType] : [itemType];
      const subset = names.every((name) => typeof name === 'string' && SIMPLE_TYPES.has(name));
      return subset && isSimple(value) ? [value] : value;
    }
    default:
      return value;
  }
}

function matchesType(value: unknown, type: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' || typeof value === 'bigint';
    case 'integer':
      return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint';
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    default:
      return true; // jsonschema would raise UnknownType; we do not warn
  }
}

/** The Python type names of a value, nested three levels, for the warning text. */
function typeStructure(value: unknown, depth = 0): unknown {
  if (value === null) return 'null';
  if (isObject(value)) {
    if (depth >= 3) return 'object';
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = typeStructure(item, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'bigint') return 'integer';
  return typeof value;
}

function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const pointer = decodeURIComponent(ref.slice(1));
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return undefined;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) current = current[Number(key)];
    else if (isObject(current) && Object.hasOwn(current, key)) current = current[key];
    else return undefined;
  }
  return current;
}

class Walker {
  constructor(
    private readonly root: Json,
    private readonly warn: WarningSink,
  ) {}

  private resolve(subschema: unknown): unknown {
    if (isObject(subschema) && typeof subschema.$ref === 'string') {
      const target = resolvePointer(this.root, subschema.$ref);
      return target === undefined ? subschema : target;
    }
    return subschema;
  }

  walk(instance: unknown, schema: unknown, path: Array<string | number>, depth = 0): void {
    if (!isObject(schema) || depth > 64) return;
    for (const [keyword, value] of Object.entries(schema)) {
      switch (keyword) {
        case 'type': {
          const types = Array.isArray(value) ? value : [value];
          if (!types.some((type) => matchesType(instance, type))) {
            this.warn(
              `Failed to transform value from type '${pyStr(typeStructure(instance))}' to type '${pyStr(value)}' at path: '${path.join('.')}'`,
            );
          }
          break;
        }
        case '$ref': {
          if (typeof value !== 'string') break;
          const target = resolvePointer(this.root, value);
          if (target !== undefined) this.walk(instance, target, path, depth + 1);
          break;
        }
        case 'properties': {
          if (!isObject(instance) || !isObject(value)) break;
          for (const [key, sub] of Object.entries(value)) {
            if (Object.hasOwn(instance, key)) instance[key] = defaultConvert(instance[key], this.resolve(sub));
          }
          for (const [key, sub] of Object.entries(value)) {
            if (Object.hasOwn(instance, key)) this.walk(instance[key], sub, [...path, key], depth + 1);
          }
          break;
        }
        case 'items': {
          if (!Array.isArray(instance)) break;
          if (isObject(value)) {
            const sub = this.resolve(value);
            for (let i = 0; i < instance.length; i++) instance[i] = defaultConvert(instance[i], sub);
            for (let i = 0; i < instance.length; i++) this.walk(instance[i], value, [...path, i], depth + 1);
          } else if (Array.isArray(value)) {
            const count = Math.min(value.length, instance.length);
            for (let i = 0; i < count; i++) this.walk(instance[i], value[i], [...path, i], depth + 1);
          }
          break;
        }
        default:
          break;
      }
    }
  }
}

/**
 * Casts the record's values to the schema's types in place (Default normalization) and returns it.
 * Warnings go to `onWarning` (the CDK logs them at WARN level).
 */
export function normalizeRecord(record: Json, schema: Json, onWarning: WarningSink = () => {}): Json {
  new Walker(schema, onWarning).walk(record, schema, []);
  return record;
}

export interface RecordNormalizer {
  readonly mode: NormalizationMode;
  /** Normalizes in place; `schema` overrides the one given at creation. */
  normalize(record: Json, schema?: Json): Json;
}

/**
 * A normalizer for a selector. With mode None, or without a (non-empty) schema, records pass
 * unchanged, as in the CDK.
 */
export function createNormalizer(mode: NormalizationMode, schema?: Json, onWarning?: WarningSink): RecordNormalizer {
  if (mode !== 'None' && mode !== 'Default') throw new Error(`unknown schema_normalization '${String(mode)}'`);
  return {
    mode,
    normalize(record: Json, override?: Json): Json {
      const effective = override ?? schema;
      if (mode === 'None' || !effective || Object.keys(effective).length === 0) return record;
      return normalizeRecord(record, effective, onWarning);
    },
  };
}
