import type { Json } from '../context.js';
import type { Builder, Model } from '../factory/build-context.js';
import { FORCES_GLOBAL_CURSOR } from '../incremental/builders.js';
import type { RequestOptions } from '../requesters/request-options.js';
import { ListPartitionRouter } from './list.js';
import type { PartitionRouter } from './partition-router.js';
import { type StreamSlice, makeSlice } from './stream-slice.js';
import { SubstreamPartitionRouter } from './substream.js';
import { stringifyJson } from '../protocol/stringify-json.js';

/**
 * GroupingPartitionRouter: the underlying router's partitions in groups of `group_size`, each
 * group one partition whose keys map to the lists of the grouped values (extra fields likewise).
 * With `deduplicate` (the default) a value already grouped is skipped. No request options; an
 * incremental stream using it keeps a global state only.
 */
export class GroupingPartitionRouter implements PartitionRouter {
  readonly [FORCES_GLOBAL_CURSOR] = true;
  private state: Json | undefined = {};

  constructor(
    readonly groupSize: number,
    readonly underlying: PartitionRouter,
    readonly deduplicate: boolean,
  ) {}

  async *partitions(): AsyncIterable<StreamSlice> {
    let batch: StreamSlice[] = [];
    const seen = new Set<string>();
    for await (const partition of this.underlying.partitions()) {
      const keys = Object.keys(partition.partition).filter((key) => key !== 'parent_slice');
      if (keys.length !== 1) {
        throw new Error(
          `GroupingPartitionRouter expects a single partition key-value pair. Got ${stringifyJson(partition.partition)}`,
        );
      }
      const value = partition.partition[keys[0] as string];
      const identity = stringifyJson(value);
      if (this.deduplicate && seen.has(identity)) continue;
      batch.push(partition);
      if (this.deduplicate) seen.add(identity);
      if (batch.length === this.groupSize) {
        this.state = this.underlying.parentState?.();
        yield group(batch);
        batch = [];
      }
    }
    this.state = this.underlying.parentState?.();
    if (batch.length > 0) yield group(batch);
  }

  requestOptions(): Partial<RequestOptions> {
    return {};
  }

  parentState(): Json | undefined {
    return this.state;
  }

  setParentState(state: Json | undefined): void {
    this.underlying.setParentState?.(state);
  }
}

function group(batch: StreamSlice[]): StreamSlice {
  const first = batch[0] as StreamSlice;
  const partition: Json = {};
  for (const key of Object.keys(first.partition)) partition[key] = batch.map((item) => item.partition[key] ?? null);
  const extraFields: Json = {};
  if (batch.some((item) => Object.keys(item.extraFields).length > 0)) {
    const keys = new Set<string>();
    for (const item of batch) for (const key of Object.keys(item.extraFields)) keys.add(key);
    for (const key of keys) extraFields[key] = batch.map((item) => item.extraFields[key] ?? null);
  }
  return makeSlice(partition, {}, extraFields);
}

export const buildGroupingPartitionRouter: Builder<GroupingPartitionRouter> = (model, ctx) => {
  const underlying = ctx.required<PartitionRouter>(model, 'underlying_partition_router');
  const size = Number(model.group_size);
  if (!Number.isInteger(size) || size < 1) {
    throw ctx.error('MANIFEST_INVALID', `Group size must be greater than 0, got ${String(model.group_size)}`, model);
  }
  if (hasRequestOption(underlying)) {
    throw ctx.error('MANIFEST_INVALID', 'Request options are not supported for GroupingPartitionRouter.', model as Model);
  }
  return new GroupingPartitionRouter(size, underlying, model.deduplicate !== false);
};

function hasRequestOption(router: PartitionRouter): boolean {
  if (router instanceof SubstreamPartitionRouter) return router.parentConfigs.some((parent) => parent.requestOption);
  if (router instanceof ListPartitionRouter) return router.requestOption !== undefined;
  return false;
}
