import type { Json } from '../context.js';
import type { Builder } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { get, values } from '../dpath/dpath.js';
import { InterpolatedString } from '../interpolation/index.js';

export interface RecordExtractor {
  /** Yields the records found in one decoded body. */
  extract(body: unknown): Iterable<unknown>;
}

/**
 * DpathExtractor: walks `field_path` into the body with python-dpath's rules. When a segment is
 * `*`, every match is collected (dpath.values); a list at the end yields its items, any other
 * truthy value yields itself, and a missing path yields nothing.
 */
export class DpathExtractor implements RecordExtractor {
  constructor(
    private readonly fieldPath: InterpolatedString[],
    private readonly config: Json,
    private readonly expander?: { expand(record: unknown): Iterable<unknown> },
  ) {}

  *extract(body: unknown): Iterable<unknown> {
    const path = this.fieldPath.map((segment) => String(segment.eval(this.config)));
    let extracted: unknown;
    if (path.length === 0) extracted = body;
    else if (path.includes('*')) extracted = dpathValues(body, path);
    else extracted = dpathGet(body, path);
    if (Array.isArray(extracted)) {
      for (const record of extracted) yield* this.expand(record);
    } else if (isTruthy(extracted)) {
      yield* this.expand(extracted);
    }
  }

  private *expand(record: unknown): Iterable<unknown> {
    if (this.expander) yield* this.expander.expand(record);
    else yield record;
  }
}

/** dpath.get with default []: the extractor's view of a path without `*`. */
export function dpathGet(body: unknown, path: string[]): unknown {
  return get(body, path, []);
}

/** dpath.values: every value matching a path with globs. */
export function dpathValues(body: unknown, path: string[]): unknown[] {
  return values(body, path);
}

/** Python truthiness for decoded JSON values. */
export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

export const buildDpathExtractor: Builder<RecordExtractor> = (model, ctx) => {
  const parameters = parametersOf(model);
  const segments = ((model.field_path as unknown[]) ?? []).map((s) => new InterpolatedString(String(s), parameters));
  const expander = ctx.optional<{ expand(record: unknown): Iterable<unknown> }>(model, 'record_expander', 'RecordExpander');
  return new DpathExtractor(segments, ctx.config, expander);
};
