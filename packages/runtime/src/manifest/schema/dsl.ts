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

/** Typed components whose CDK definition does not declare `$parameters` (any value passes there). */
const NO_PARAMETERS: ReadonlySet<string> = new Set([
  'AsyncJobStatusMap', 'BlockSimultaneousSyncsAction', 'CheckDynamicStream', 'CheckStream', 'ConfigAddFields',
  'ConfigMigration', 'ConfigRemapField', 'ConfigRemoveFields', 'CsvDecoder', 'CustomValidationStrategy',
  'DpathValidator', 'DynamicDeclarativeStream', 'DynamicStreamCheckConfig', 'FixedWindowCallRatePolicy',
  'GzipDecoder', 'HTTPAPIBudget', 'InlineSchemaLoader', 'IterableDecoder', 'JsonDecoder', 'JsonItemsDecoder',
  'JsonlDecoder', 'KeyTransformation', 'LegacyToPerPartitionStateMigration', 'MovingWindowCallRatePolicy',
  'NoPagination', 'PaginationReset', 'PaginationResetLimits', 'PredicateValidator', 'RemoveFields',
  'RequestBodyGraphQL', 'RequestBodyJsonObject', 'RequestBodyPlainText', 'RequestBodyUrlEncodedForm',
  'RequestOption', 'RequestPath', 'SessionTokenRequestApiKeyAuthenticator', 'SessionTokenRequestBearerAuthenticator',
  'Spec', 'StreamParametersDefinition', 'UnlimitedCallRatePolicy', 'ValidateAdheresToSchema', 'XmlDecoder',
  'ZipfileDecoder',
]);

/** Components the CDK schema does not declare `type: object` (so any non-object passes them). */
export const LOOSE: ReadonlySet<string> = new Set(['GroupByKeyMergeStrategy', 'SessionTokenRequestBearerAuthenticator']);

/** Components whose `type` the CDK schema declares but does not require. */
export const TYPE_OPTIONAL: ReadonlySet<string> = new Set([
  'AsyncJobStatusMap', 'ConcurrencyLevel', 'LegacyToPerPartitionStateMigration', 'SchemaTypeIdentifier',
]);

/**
 * One of several components, chosen by `type`: the type must be one of `names`, then that
 * component's rules apply.
 */
export function union(...names: string[]): Schema {
  if (names.length === 1) return ref(names[0] as string);
  const values = names.map(typeValue);
  const allOf: Schema[] = names.map((n, i) => ({
    if: { type: 'object', properties: { type: { const: values[i] } }, required: ['type'] },
    then: ref(n),
  }));
  // A member that does not demand `type` also accepts objects without one (as the CDK's anyOf does).
  const untypedOk = names.filter((n) => TYPE_OPTIONAL.has(n));
  if (untypedOk.length) {
    allOf.push({
      if: { type: 'object', not: { required: ['type'] } },
      then: untypedOk.length === 1 ? ref(untypedOk[0] as string) : { anyOf: untypedOk.map(ref) },
    });
  }
  // A member that is not declared an object lets non-objects through (as the CDK's anyOf does).
  const loose = names.some((n) => LOOSE.has(n));
  return {
    ...(loose ? {} : { type: 'object' }),
    ...(untypedOk.length ? {} : { required: ['type'] }),
    properties: { type: { enum: values } },
    allOf,
    'x-union': values,
  };
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
    if (!opts.typeOptional && !TYPE_OPTIONAL.has(name)) required.push('type');
  }
  Object.assign(properties, fields);
  if (!opts.untyped && !NO_PARAMETERS.has(name)) properties.$parameters = obj;
  required.push(...(opts.required ?? []));
  const s: Schema = { properties };
  if (!opts.loose && !LOOSE.has(name)) s.type = 'object';
  if (required.length) s.required = required;
  if (opts.closed) s.additionalProperties = false;
  return s;
}

/** A Custom* component: Python code named by `class_name`, any other fields allowed. */
export function custom(name: string): Schema {
  return component(name, { class_name: str }, { required: ['class_name'] });
}
