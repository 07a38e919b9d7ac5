import type { Builder, BuildContext, Model } from '../factory/build-context.js';
import { CartesianProductStreamSlicer } from './cartesian.js';
import { buildGroupingPartitionRouter } from './grouping.js';
import { buildListPartitionRouter } from './list.js';
import type { PartitionRouter } from './partition-router.js';
import { buildParentStreamConfig, buildSubstreamPartitionRouter } from './substream.js';

export const buildCartesianProductStreamSlicer: Builder<CartesianProductStreamSlicer> = (model, ctx) =>
  new CartesianProductStreamSlicer(ctx.list<PartitionRouter>(model, 'stream_slicers'), ctx.run.logger);

export const partitionBuilders: Record<string, Builder> = {
  ListPartitionRouter: buildListPartitionRouter,
  SubstreamPartitionRouter: buildSubstreamPartitionRouter,
  ParentStreamConfig: buildParentStreamConfig,
  CartesianProductStreamSlicer: buildCartesianProductStreamSlicer,
  GroupingPartitionRouter: buildGroupingPartitionRouter,
};

/**
 * The retriever's partition router: none, one, or a list of routers read as their cartesian
 * product (as the CDK builds `partition_router: [...]`).
 */
export function createRouter(retrieverModel: Model, ctx: BuildContext): PartitionRouter | undefined {
  const model = retrieverModel.partition_router;
  if (model === undefined || model === null) return undefined;
  const here = ctx.at('partition_router');
  if (Array.isArray(model)) {
    if (model.length === 0) return undefined;
    const routers = model.map((item, index) => here.at(index).component<PartitionRouter>(item as Model));
    return new CartesianProductStreamSlicer(routers, ctx.run.logger);
  }
  return here.component<PartitionRouter>(model as Model);
}
