import { InterpolatedBoolean, InterpolatedString, pyStr } from '../interpolation/index.js';

/** Python's str() of a template result (so a dict reads `{'a': 1}`, a float `5.0`). */
export const pythonStr: (value: unknown) => string = pyStr;

/**
 * The one place error handling and rate limiting reach the interpolation engine, so both use it
 * the same way: a manifest value that may be a number or a `{{ }}` template.
 */
export interface Template {
  /** The source as written in the manifest. */
  readonly source: string;
  eval(config: Record<string, unknown>, extra?: Record<string, unknown>): unknown;
}

export function template(source: string, parameters: Record<string, unknown>, fallback?: string): Template {
  const compiled = new InterpolatedString(source, parameters, fallback);
  return {
    source,
    eval: (config, extra) => compiled.eval(config, extra) as unknown,
  };
}

/** A manifest value that is either a literal number or a template evaluated against config. */
export function numberOrTemplate(value: unknown, parameters: Record<string, unknown>): Template {
  if (typeof value === 'number') return { source: String(value), eval: () => value };
  return template(String(value), parameters);
}

export interface Condition {
  readonly source: string;
  eval(config: Record<string, unknown>, extra?: Record<string, unknown>): boolean;
}

export function condition(source: string, parameters: Record<string, unknown>): Condition {
  const compiled = new InterpolatedBoolean(source, parameters);
  return { source, eval: (config, extra) => Boolean(compiled.eval(config, extra)) };
}
