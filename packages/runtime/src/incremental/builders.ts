import type { BuildContext } from '../factory/build-context.js';
import type { PartitionRouter } from '../partitioning/partition-router.js';
import { type Cursor, FinalStateCursor } from './cursor.js';
import { DatetimeBasedCursor, datetimeCursorSpec, datetimeRequestOptions } from './datetime-based-cursor.js';
import { IncrementingCountCursor } from './incrementing-count-cursor.js';
import { PerPartitionCursor } from './per-partition.js';
import { DatetimeConverter } from './state-converter.js';

/** Marks routers whose partitions are groups: their state is always global (GroupingPartitionRouter). */
export const FORCES_GLOBAL_CURSOR = Symbol.for('manifold.forcesGlobalCursor');

/**
 * The stream's cursor, as the CDK's factory picks it:
 * - no `incremental_sync`: FinalStateCursor (full refresh);
 * - DatetimeBasedCursor: the cursor itself, or per partition (ConcurrentPerPartitionCursor) when
 *   the retriever has a partition router (global when `global_substream_cursor` or grouping);
 * - IncrementingCountCursor: the cursor itself; with a partition router it is an error, as in the CDK.
 *
 * The cursor's request options are its own (start/end options); the stream adds the router's.
 */
export function createCursor(
  incrementalModel: Record<string, unknown> | undefined,
  router: PartitionRouter | undefined,
  ctx: BuildContext,
  stream: { name: string },
): { cursor: Cursor; incremental: boolean } {
  if (!incrementalModel) return { cursor: new FinalStateCursor(), incremental: false };
  const here = ctx.at('incremental_sync');
  const type = incrementalModel.type;
  if (typeof type === 'string' && type.startsWith('Custom')) {
    // Throws the runtime's error for custom components.
    here.component(incrementalModel);
  }
  if (type === 'IncrementingCountCursor') {
    if (router) {
      throw here.error(
        'MANIFEST_INVALID',
        `The low-code framework does not currently support usage of a PartitionRouter and an IncrementingCountCursor at the same time. Please specify only one of these options for stream ${stream.name}.`,
        incrementalModel,
      );
    }
    return { cursor: IncrementingCountCursor.fromModel(incrementalModel, here, stream.name), incremental: true };
  }
  if (type !== 'DatetimeBasedCursor') {
    throw here.error(
      'MANIFEST_UNSUPPORTED',
      `incremental_sync of type '${String(type)}' is not supported by this runtime`,
      incrementalModel,
    );
  }
  const spec = datetimeCursorSpec(incrementalModel, here, stream.name);
  if (!router) return { cursor: new DatetimeBasedCursor(spec), incremental: true };
  const forcesGlobal = (router as unknown as Record<symbol, unknown>)[FORCES_GLOBAL_CURSOR] === true;
  const cursor = new PerPartitionCursor({
    streamName: stream.name,
    cursorField: spec.cursorField,
    router,
    createCursor: (state, lookbackSeconds) => DatetimeBasedCursor.forPartition(spec, state, lookbackSeconds),
    converter: new DatetimeConverter(spec.datetimeFormat, spec.cursorDatetimeFormats, spec.granularity),
    useGlobalCursor: forcesGlobal || spec.globalSubstreamCursor,
    requestOptions: (cursorSlice) => datetimeRequestOptions(spec, cursorSlice),
    filterRecords: spec.isClientSideIncremental || spec.isDataFeed,
    isDataFeed: spec.isDataFeed,
    clock: ctx.run.clock,
    logger: ctx.run.logger,
  });
  return { cursor, incremental: true };
}
