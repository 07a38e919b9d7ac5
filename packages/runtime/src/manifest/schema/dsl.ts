/**
 * Small builders for the declarative JSON Schema, so each component reads as one line per field.
 */
export type Schema = Record<string, unknown>;

export const str: Schema = { type: 'string' };
/** An interpolated (Jinja) string. Same JSON type; named for readability. */
export const tpl: Schema = { type: 'string' };
export const int: Schema = { type: 'integer' };
export const num: Schema = { type: 'number' };
export const bool: Schema = { type: 'boolean' };
export const obj: Schema = { type: 'object' };
export const any: Schema = {};

export const arr = (items: Schema): Schema => ({ type: 'array', items });
export const strs: Schema = arr(str);
export const ints: Schema = arr(int);
export const objs: Schema = arr(obj);
export const oneOrMany = (items: Schema): Schema => kinds({ string: items, array: arr(items) });
export const strEnum = (...values: string[]): Schema => ({ type: 'string', enum: values });
export const ref = (name: string): Schema => ({ $ref: `#/definitions/${name}` });
export const mapOf = (values: Schema | boolean = true): Schema => ({ type: 'object', additionalProperties: values });
export const min = (schema: Schema, minimum: number): Schema => ({ ...schema, minimum });

type Kind = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

/**
 * A value that may take several JSON kinds; each kind's own rules apply only when the value is of
 * that kind, so errors concern the branch the author meant (no anyOf noise).
 */
export function kinds(byKind: Partial<Record<Kind, Schema>>): Schema {
  const types = Object.keys(byKind) as Kind[];
  const branches: Schema[] = [];
  for (const kind of types) {
    const s = byKind[kind];
    if (!s) continue;
    const keys = Object.keys(s);
    if (keys.length === 0 || (keys.length === 1 && s.type === kind)) continue;
    branches.push({ if: { type: kind }, then: s });
  }
  const type = types.length === 1 ? types[0] : types;
  return branches.length ? { type, allOf: branches } : { type };
}

/** Definitions whose `type` value is not their own name. */
export const TYPE_VALUE_OVERRIDES: Readonly<Record<string, string>> = {
  SessionTokenRequestApiKeyAuthenticator: 'ApiKey',
  SessionTokenRequestBearerAuthenticator: 'Bearer',
};
const typeValue = (name: string): string => TYPE_VALUE_OVERRIDES[name] ?? name;

/**
 * One of several components, chosen by `type`: the type must be one of `names`, then that
 * component's rules apply.
 */
export function union(...names: string[]): Schema {
  if (names.length === 1) return ref(names[0] as string);
  const values = names.map(typeValue);
  return {
    type: 'object',
    required: ['type'],
    properties: { type: { enum: values } },
    allOf: names.map((n, i) => ({
      if: { properties: { type: { const: values[i] } }, required: ['type'] },
      then: ref(n),
    })),
    'x-union': values,
  };
}

/** An object, or something else: `orElse` gives the other kinds. */
export function unionOr(names: string[], orElse: Partial<Record<Kind, Schema>>): Schema {
  return kinds({ object: union(...names), ...orElse });
}

export interface ComponentOptions {
  /** Required fields besides `type`. */
  required?: string[];
  /** `type` is not required (the CDK lists it but does not demand it). */
  typeOptional?: boolean;
  /** The component has no `type` field at all (a plain settings object). */
  untyped?: boolean;
  /** The `type` value, when it differs from the definition name. */
  typeValue?: string;
  /** No fields other than the listed ones (rare in the CDK schema). */
  closed?: boolean;
  /** Not a JSON object in the CDK schema (no `type: object`). */
  loose?: boolean;
}

export function component(name: string, fields: Record<string, Schema>, opts: ComponentOptions = {}): Schema {
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  if (!opts.untyped) {
    const value = opts.typeValue ?? typeValue(name);
    properties.type = { const: value };
    if (!opts.typeOptional) required.push('type');
  }
  Object.assign(properties, fields);
  if (!opts.untyped) properties.$parameters = obj;
  required.push(...(opts.required ?? []));
  const s: Schema = { properties };
  if (!opts.loose) s.type = 'object';
  if (required.length) s.required = required;
  if (opts.closed) s.additionalProperties = false;
  return s;
}

/** A Custom* component: Python code named by `class_name`, any other fields allowed. */
export function custom(name: string): Schema {
  return component(name, { class_name: str }, { required: ['class_name'] });
}
