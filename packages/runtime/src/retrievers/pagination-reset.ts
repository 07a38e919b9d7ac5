import type { Json, RunContext } from '../context.js';
import { RuntimeError } from '../errors/runtime-error.js';
import type { BuildContext, Model } from '../factory/build-context.js';
import { ConcurrentCursor } from '../incremental/concurrent-cursor.js';
import { type Cursor, FinalStateCursor } from '../incremental/cursor.js';
import { DatetimeBasedCursor, datetimeCursorSpec } from '../incremental/datetime-based-cursor.js';
import { type StreamSlice, sliceKey } from '../partitioning/stream-slice.js';
import { stringifyJson } from '../protocol/stringify-json.js';

/**
 * What a SPLIT_USING_CURSOR reset needs of the stream's cursor: each record's cursor value, and
 * the slice keys of a window's bounds.
 */
export interface SliceSplitter {
  /** The record's cursor value, or undefined when it has none. */
  valueOf(record: Json): unknown;
  /** a < b → negative, as the cursor compares values. */
  compare(a: unknown, b: unknown): number;
  /** A value as it is written in a slice. */
  output(value: unknown): unknown;
  boundaryFields: [string, string];
}

/**
 * Counts the records read for one slice since the last reset and decides how the slice is
 * restarted, as the CDK's PaginationTracker does:
 * - the limit is reached when `number_of_records` records were read since the last reset;
 * - RESET (no splitter) restarts the same slice from the first page; that is allowed once, as
 *   a retry, and a second reset of the same slice fails;
 * - SPLIT_USING_CURSOR restarts from the first page with the slice's start moved to the most
 *   recent cursor value read so far (the end kept): records must come in ascending order. A
 *   restart that would not move the start fails at once, since it would read the same pages.
 */
export class PaginationTracker {
  private recordCount = 0;
  private attemptsWithSameSlice = 0;
  private readonly allowedAttemptsWithSameSlice: number;
  /** Most recent cursor value seen for the slice being read (the CDK keys it by the original slice). */
  private mostRecent: unknown;
  private sawValue = false;

  constructor(
    private readonly splitter: SliceSplitter | undefined,
    private readonly limit: number | undefined,
  ) {
    this.allowedAttemptsWithSameSlice = splitter ? 1 : 2;
  }

  observe(record: Json): void {
    this.recordCount += 1;
    if (!this.splitter) return;
    const value = this.splitter.valueOf(record);
    if (value === undefined) return;
    if (!this.sawValue || this.splitter.compare(this.mostRecent, value) < 0) {
      this.mostRecent = value;
      this.sawValue = true;
    }
  }

  hasReachedLimit(): boolean {
    return this.limit !== undefined && this.recordCount >= this.limit;
  }

  /** The slice to restart with; fails when it would be the slice that was just read again. */
  reduceSlice(previous: StreamSlice, original: StreamSlice): StreamSlice {
    const next = this.splitter && this.sawValue ? this.split(original, this.splitter) : this.splitter ? original : previous;
    if (sliceKey(next) === sliceKey(previous)) {
      this.attemptsWithSameSlice += 1;
      if (this.attemptsWithSameSlice >= this.allowedAttemptsWithSameSlice) {
        throw new RuntimeError(
          'PAGINATION_LOOP',
          `pagination was reset ${this.attemptsWithSameSlice} time(s) with the same slice ${stringifyJson(sliceKeyView(previous))} while at most ${this.allowedAttemptsWithSameSlice} is allowed`,
        );
      }
    } else {
      this.attemptsWithSameSlice = 0;
    }
    this.recordCount = 0;
    return next;
  }

  private split(original: StreamSlice, splitter: SliceSplitter): StreamSlice {
    const [startKey, endKey] = splitter.boundaryFields;
    return {
      partition: original.partition,
      cursorSlice: { [startKey]: splitter.output(this.mostRecent), [endKey]: original.cursorSlice[endKey] },
      extraFields: original.extraFields,
    };
  }
}

function sliceKeyView(slice: StreamSlice): Json {
  return { ...slice.partition, ...slice.cursorSlice };
}

/**
 * Builds the retriever's `pagination_reset` into a factory of one tracker per slice read, or
 * undefined when the retriever has none. As in the CDK: limits cannot be combined with a
 * record_filter (the count would not match what the API returned), and SPLIT_USING_CURSOR
 * needs a cursor with slice bounds; without a cursor it behaves as RESET.
 */
export function buildPaginationReset(
  retrieverModel: Model,
  ctx: BuildContext,
  stream: SplitSource,
): (() => PaginationTracker) | undefined {
  const model = retrieverModel.pagination_reset as Model | undefined;
  if (!model) return undefined;
  const here = ctx.at('pagination_reset');
  const limits = model.limits as Model | undefined;
  const recordFilter = (retrieverModel.record_selector as Model | undefined)?.record_filter;
  if (limits && recordFilter) {
    throw here.error('MANIFEST_INVALID', 'PaginationResetLimits cannot be used with a record_filter on the record selector', model);
  }
  let limit: number | undefined;
  if (limits && limits.number_of_records !== undefined && limits.number_of_records !== null) {
    limit = Number(limits.number_of_records);
    if (!Number.isInteger(limit)) {
      throw here.at('limits').error('MANIFEST_INVALID', `number_of_records must be an integer, got '${String(limits.number_of_records)}'`, limits);
    }
  }
  let splitter: SliceSplitter | undefined;
  if (model.action === 'SPLIT_USING_CURSOR') {
    splitter = splitterFor(stream, ctx.run);
  } else if (model.action !== 'RESET') {
    throw here.error('MANIFEST_INVALID', `PaginationReset.action must be RESET or SPLIT_USING_CURSOR, got '${String(model.action)}'`, model);
  }
  return () => new PaginationTracker(splitter, limit);
}

/** The stream's cursor, and its incremental_sync model (a per-partition cursor's windows come from it). */
export interface SplitSource {
  name: string;
  cursor: Cursor;
  incrementalModel: Model | undefined;
  incrementalCtx: BuildContext;
}

function splitterFor(stream: SplitSource, run: RunContext): SliceSplitter | undefined {
  const { cursor, incrementalModel } = stream;
  if (cursor instanceof FinalStateCursor) return undefined;
  let leaf: ConcurrentCursor<unknown> | undefined;
  let boundaryFields: [string, string] = ['start', 'end'];
  if (cursor instanceof DatetimeBasedCursor) {
    leaf = cursor as ConcurrentCursor<unknown>;
    boundaryFields = cursor.spec.boundaryFields;
  } else if (cursor instanceof ConcurrentCursor) {
    leaf = cursor;
  } else if (incrementalModel?.type === 'DatetimeBasedCursor') {
    // A per-partition cursor: each partition's windows are those of a plain datetime cursor.
    const spec = datetimeCursorSpec(incrementalModel, stream.incrementalCtx, stream.name);
    leaf = new DatetimeBasedCursor(spec) as ConcurrentCursor<unknown>;
    boundaryFields = spec.boundaryFields;
  }
  if (!leaf) {
    run.logger.warn(`Stream '${stream.name}': its cursor cannot split slices, so pagination resets might not work properly`);
    return undefined;
  }
  const converter = leaf.converter;
  const reader = leaf;
  return {
    valueOf: (record) => reader.extractValue(record),
    compare: (a, b) => converter.compare(a, b),
    output: (value) => converter.output(value),
    boundaryFields,
  };
}
