import type { Json } from '../../context.js';
import type { Builder } from '../../factory/build-context.js';
import { pyString } from '../http-requester.js';

/**
 * GroupByKeyMergeStrategy: the records that several property-chunk requests return for the same
 * entity share the values of `key`; those values, comma-joined, are the group key.
 */
export class GroupByKeyMergeStrategy {
  private readonly keys: string[];

  constructor(key: string | string[]) {
    this.keys = typeof key === 'string' ? [key] : key;
  }

  /** Undefined when a key field is missing or falsy (Python truthiness): such records are not merged. */
  groupKey(record: Json): string | undefined {
    const parts: string[] = [];
    for (const key of this.keys) {
      const value = record[key];
      if (!pyTruthy(value)) return undefined;
      // The CDK joins the raw values, which fails on a non-string; ours takes Python's str() of it.
      parts.push(typeof value === 'string' ? value : pyString(value));
    }
    return parts.join(',');
  }
}

export type PropertyLimitType = 'characters' | 'property_count';

/**
 * PropertyChunking: splits the property list into chunks small enough for one request each.
 * With `characters`, each property costs its length plus 3 (the encoded comma between
 * properties); with `property_count`, each costs 1. always_include_properties start every chunk
 * and do not count towards the limit.
 */
export class PropertyChunking {
  constructor(
    readonly limitType: PropertyLimitType,
    readonly limit: number | undefined,
    readonly mergeStrategy: GroupByKeyMergeStrategy,
  ) {}

  chunks(properties: readonly string[], alwaysInclude: readonly string[] | undefined, selected: ReadonlySet<string> | undefined): string[][] {
    const always = alwaysInclude ?? [];
    if (!this.limit) {
      // As the CDK: without a limit, one chunk of every property (selector not applied), always-included last.
      return [[...properties, ...always]];
    }
    const chunks: string[][] = [];
    let current = [...always];
    let size = 0;
    for (const property of properties) {
      if (selected !== undefined && !selected.has(property)) continue;
      const cost = this.limitType === 'characters' ? [...property].length + 3 : 1;
      // A chunk is closed even when it holds only the always-included properties (or nothing).
      if (size + cost > this.limit) {
        chunks.push(current);
        current = [...always];
        size = 0;
      }
      current.push(property);
      size += cost;
    }
    chunks.push(current);
    return chunks;
  }

  mergeKey(record: Json): string | undefined {
    return this.mergeStrategy.groupKey(record);
  }
}

function pyTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

export const buildGroupByKeyMergeStrategy: Builder<GroupByKeyMergeStrategy> = (model, ctx) => {
  const key = model.key;
  const valid = typeof key === 'string' || (Array.isArray(key) && key.every((part) => typeof part === 'string'));
  if (!valid) throw ctx.error('MANIFEST_INVALID', 'GroupByKeyMergeStrategy.key must be a string or a list of strings', model);
  return new GroupByKeyMergeStrategy(key as string | string[]);
};

export const buildPropertyChunking: Builder<PropertyChunking> = (model, ctx) => {
  const limitType = model.property_limit_type;
  if (limitType !== 'characters' && limitType !== 'property_count') {
    throw ctx.error('MANIFEST_INVALID', `property_limit_type must be 'characters' or 'property_count', got '${String(limitType)}'`, model);
  }
  const limit = model.property_limit;
  if (limit !== undefined && limit !== null && !(Number.isInteger(limit) && (limit as number) >= 0)) {
    throw ctx.error('MANIFEST_INVALID', `property_limit must be a non-negative integer, got '${String(limit)}'`, model);
  }
  // As the CDK: without a merge strategy, records are grouped by `id`.
  const strategy =
    ctx.optional<GroupByKeyMergeStrategy>(model, 'record_merge_strategy', 'GroupByKeyMergeStrategy') ?? new GroupByKeyMergeStrategy('id');
  return new PropertyChunking(limitType, (limit as number | null | undefined) ?? undefined, strategy);
};
