import type { Json } from '../context.js';
import type { Builder } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { InterpolatedString } from '../interpolation/index.js';

export interface RecordExtractor {
  /** Yields the records found in one decoded body. */
  extract(body: unknown): Iterable<unknown>;
}

/**
 * DpathExtractor: walks `field_path` into the body. A `*` segment matches every key of an object
 * or every item of a list (then all matches are collected); a list at the end yields its items,
 * any other truthy value yields itself, and a missing path yields nothing.
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

function child(node: unknown, key: string): unknown {
  if (Array.isArray(node)) {
    if (!/^-?\d+$/.test(key)) return undefined;
    const index = Number(key);
    return node[index < 0 ? node.length + index : index];
  }
  if (typeof node === 'object' && node !== null && Object.hasOwn(node, key)) {
    return (node as Json)[key];
  }
  return undefined;
}

/** dpath.get with default []. */
export function dpathGet(body: unknown, path: string[]): unknown {
  let node = body;
  for (const key of path) {
    node = child(node, key);
    if (node === undefined) return [];
  }
  return node;
}

/** dpath.values: every value matching a path with `*` globs. */
export function dpathValues(body: unknown, path: string[]): unknown[] {
  const out: unknown[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth === path.length) {
      out.push(node);
      return;
    }
    const key = path[depth] as string;
    if (key === '*') {
      if (Array.isArray(node)) node.forEach((item) => walk(item, depth + 1));
      else if (typeof node === 'object' && node !== null) for (const value of Object.values(node)) walk(value, depth + 1);
      return;
    }
    const next = child(node, key);
    if (next !== undefined) walk(next, depth + 1);
  };
  walk(body, 0);
  return out;
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
