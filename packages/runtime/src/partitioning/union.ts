import type { Json } from '../context.js';
import { RuntimeError } from '../errors/runtime-error.js';
import type { Builder, BuildContext, Model } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { InterpolatedString } from '../interpolation/index.js';
import { pyRepr, pyStr } from '../interpolation/values.js';
import type { Logger } from '../logging/logger.js';
import type { RequestOptions } from '../requesters/request-options.js';
import { ListPartitionRouter } from './list.js';
import type { PartitionRouter } from './partition-router.js';
import { type StreamSlice, makeSlice } from './stream-slice.js';
import { SubstreamPartitionRouter } from './substream.js';
import { stringifyJson } from '../protocol/stringify-json.js';

/**
 * UnionPartitionRouter: the partitions of each child router in turn, each value of
 * `partition_field` once (the first child to give a value wins). Every partition is reduced to
 * `{partition_field: value}` so that per-partition state keys do not depend on which child gave
 * it; the child's other partition keys (a parent_slice) move to the slice's extra fields.
 * Children send no request options: values reach requests through `stream_partition`.
 */
export class UnionPartitionRouter implements PartitionRouter {
  constructor(
    readonly routers: PartitionRouter[],
    readonly partitionField: string,
    private readonly logger: Logger,
  ) {}

  async *partitions(): AsyncIterable<StreamSlice> {
    const seen = new Set<string>();
    for (const router of this.routers) {
      for await (const slice of router.partitions()) {
        if (!(this.partitionField in slice.partition)) {
          throw new RuntimeError(
            'MANIFEST_INVALID',
            `UnionPartitionRouter expects every child partition router to give the partition field '${this.partitionField}', got the partition ${stringifyJson(slice.partition)}`,
          );
        }
        const value = slice.partition[this.partitionField];
        const key = hashKey(value);
        if (key === undefined) {
          throw new RuntimeError(
            'MANIFEST_INVALID',
            `UnionPartitionRouter can only deduplicate scalar partition values, got ${pyRepr(value)} for partition field '${this.partitionField}'`,
          );
        }
        if (seen.has(key)) continue;
        seen.add(key);
        const carried: Json = {};
        for (const [field, fieldValue] of Object.entries(slice.partition)) if (field !== this.partitionField) carried[field] = fieldValue;
        yield makeSlice({ [this.partitionField]: value }, {}, { ...slice.extraFields, ...carried });
      }
    }
  }

  requestOptions(): Partial<RequestOptions> {
    return {};
  }

  /** The children's parent states merged; a parent named by two children keeps the last one's. */
  parentState(): Json | undefined {
    const merged: Json = {};
    for (const router of this.routers) {
      const state = router.parentState?.();
      if (!state) continue;
      const colliding = Object.keys(state).filter((name) => name in merged);
      if (colliding.length > 0) {
        this.logger.warn(
          `UnionPartitionRouter: several child routers read the parent stream(s) ${colliding.sort().join(', ')}; the state of the last one is kept`,
        );
      }
      Object.assign(merged, state);
    }
    return merged;
  }

  setParentState(state: Json | undefined): void {
    for (const router of this.routers) router.setParentState?.(state);
  }
}

/**
 * A key under which equal Python values collide (1, 1.0 and True are one value); undefined for
 * values Python cannot hash (lists, dicts).
 */
function hashKey(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return `n:${value ? 1 : 0}`;
  if (typeof value === 'number') return `n:${value}`;
  if (typeof value === 'string') return `s:${value}`;
  return undefined;
}

export const buildUnionPartitionRouter: Builder<UnionPartitionRouter> = (model, ctx) => {
  const childModels = Array.isArray(model.partition_routers) ? (model.partition_routers as Model[]) : [];
  if (childModels.length < 2) {
    throw ctx.error('MANIFEST_INVALID', 'UnionPartitionRouter needs at least 2 child partition routers', model);
  }
  const routers = ctx.list<PartitionRouter>(model, 'partition_routers');
  const partitionField = pyStr(new InterpolatedString(String(model.partition_field ?? ''), parametersOf(model)).eval(ctx.config));
  // Children whose partition field is known from the manifest are checked now rather than mid-read.
  childModels.forEach((child, index) => {
    for (const field of declaredPartitionFields(child, ctx)) {
      if (field !== partitionField) {
        throw ctx.at('partition_routers').at(index).error(
          'MANIFEST_INVALID',
          `UnionPartitionRouter expects every child partition router to give the partition field '${partitionField}', but this ${String(child.type)} gives '${field}'`,
          child,
        );
      }
    }
  });
  routers.forEach((router, index) => {
    const hasOption =
      (router instanceof SubstreamPartitionRouter && router.parentConfigs.some((parent) => parent.requestOption)) ||
      (router instanceof ListPartitionRouter && router.requestOption !== undefined);
    if (hasOption) {
      throw ctx.at('partition_routers').at(index).error(
        'MANIFEST_INVALID',
        "Request options are not supported for UnionPartitionRouter's child routers: use the partition value in a template (stream_partition) instead",
        childModels[index],
      );
    }
  });
  return new UnionPartitionRouter(routers, partitionField, ctx.run.logger);
};

function declaredPartitionFields(child: Model, ctx: BuildContext): string[] {
  const evaluate = (source: unknown, parameters: Record<string, unknown>) =>
    pyStr(new InterpolatedString(String(source ?? ''), parameters).eval(ctx.config));
  switch (child.type) {
    case 'ListPartitionRouter':
      return [evaluate(child.cursor_field, parametersOf(child))];
    case 'SubstreamPartitionRouter': {
      const parents = Array.isArray(child.parent_stream_configs) ? (child.parent_stream_configs as Model[]) : [];
      return parents.map((parent) => {
        const own = parametersOf(parent);
        return evaluate(parent.partition_field, Object.keys(own).length > 0 ? own : parametersOf(child));
      });
    }
    case 'UnionPartitionRouter':
      return [evaluate(child.partition_field, parametersOf(child))];
    default:
      return [];
  }
}
