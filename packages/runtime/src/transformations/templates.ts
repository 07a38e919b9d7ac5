import { evalTemplate, InterpolatedBoolean, InterpolatedString, type ValidType } from '../interpolation/index.js';

/** A value type of AddedFieldDefinition.value_type: the Python type a literal must have to be kept. */
export type ValueType = 'string' | 'number' | 'integer' | 'boolean';

/**
 * Template values come back in the engine's Python value model (PyFloat for `5.0`, tuples, dicts
 * with non-string keys); a record holds plain JSON.
 */
export function toRecordValue(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toRecordValue);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of value) out[String(key)] = toRecordValue(item);
    return out;
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) {
    const primitive = (value as { valueOf(): unknown }).valueOf();
    if (typeof primitive !== 'object') return primitive;
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      return (value as { toJSON(): unknown }).toJSON();
    }
    return String(value);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = toRecordValue(item);
  return out;
}

/** An interpolated string, evaluated per record. */
export class Template {
  private readonly compiled: InterpolatedString;

  constructor(
    readonly source: string,
    readonly parameters: Record<string, unknown>,
  ) {
    this.compiled = new InterpolatedString(source, parameters);
  }

  eval(config: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
    return this.compiled.eval(config, extra);
  }

  /** Like the CDK's `InterpolatedString.eval(config, valid_types=(T,))`. */
  evalAs(config: Record<string, unknown>, extra: Record<string, unknown>, valueType: ValueType | undefined): unknown {
    if (!valueType) return this.compiled.eval(config, extra);
    return evalTemplate(
      this.source,
      { config, parameters: this.parameters, ...extra },
      { default: this.source, validTypes: [PYTHON_TYPES[valueType]] },
    );
  }
}

const PYTHON_TYPES: Record<ValueType, ValidType> = {
  string: 'str',
  number: 'float',
  integer: 'int',
  boolean: 'bool',
};

/** An interpolated condition; an empty condition is always true (as the CDK's callers treat it). */
export class Condition {
  private readonly compiled: InterpolatedBoolean | undefined;

  constructor(
    readonly source: string,
    parameters: Record<string, unknown>,
  ) {
    this.compiled = source ? new InterpolatedBoolean(source, parameters) : undefined;
  }

  get isEmpty(): boolean {
    return this.compiled === undefined;
  }

  eval(config: Record<string, unknown>, extra: Record<string, unknown> = {}): boolean {
    return this.compiled ? this.compiled.eval(config, extra) : true;
  }
}
