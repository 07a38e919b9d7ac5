import type { Json } from '../context.js';
import { RuntimeError } from '../errors/runtime-error.js';
import type { Logger } from '../logging/logger.js';
import { type StreamSlice, sliceKey } from '../partitioning/stream-slice.js';
import type { RequestOptions } from '../requesters/request-options.js';
import type { Cursor } from './cursor.js';
import {
  type Interval,
  type ValueConverter,
  isConcurrentState,
  latestCompleteValue,
  mergeIntervals,
} from './state-converter.js';

export interface ConcurrentCursorOptions<V> {
  streamName: string;
  /** The record field holding the cursor value (top level, as the CDK reads it). */
  cursorField: string;
  converter: ValueConverter<V>;
  /**
   * Slice keys of a window's bounds. Absent for IncrementingCountCursor: its one slice uses
   * `start`/`end` and its state comes from the records alone.
   */
  boundaryFields?: [string, string];
  /** The configured start (start_datetime / start_value). */
  start: V | undefined;
  /** The end of the last window, asked each time it is needed (now, or end_datetime). */
  end: () => V;
  /** value - lookback_window */
  lookback?: (value: V) => V;
  /** value + step; may throw on overflow, then the end is used. */
  step?: (value: V) => V;
  /** Clamping (ceiling) applied to window bounds; identity when absent. */
  clamp?: (value: V) => V;
  /** cursor_granularity: one unit added or removed. */
  granularity?: { plus(value: V): V; minus(value: V): V };
  /** is_client_side_incremental or is_data_feed: drop records the cursor considers synced. */
  filterRecords: boolean;
  /** is_data_feed: stop paginating once a page ends with a record older than the state. */
  isDataFeed: boolean;
  /** The cursor's request options for a cursor slice (start_time_option / end_time_option). */
  requestOptions?: (cursorSlice: Json) => Partial<RequestOptions>;
  logger: Logger;
}

const START = 'start';
const END = 'end';

/**
 * The state engine of Airbyte's concurrent cursor: the read intervals (seeded from the incoming
 * state), windows generated in the gaps and after the last interval, each closed window added
 * and merged, and the sequential state `{cursor_field: value}` computed as the most recent
 * record value of the first contiguous interval (or its start).
 */
export class ConcurrentCursor<V> implements Cursor {
  readonly cursorField: string[];
  private intervals: Interval<V>[] = [];
  private legacy: Json = {};
  /** The value from which this sync reads: the state's, or the configured start. */
  private syncStart!: V;
  private readonly mostRecent = new Map<string, V>();
  private hasClosedSlice = false;
  private warnedMissingCursor = false;
  private ascending = true;

  constructor(protected readonly options: ConcurrentCursorOptions<V>) {
    this.cursorField = [options.cursorField];
    this.setInitialState(undefined);
  }

  get cursorKey(): string {
    return this.options.cursorField;
  }

  get converter(): ValueConverter<V> {
    return this.options.converter;
  }

  /** The lower bound records are compared with (client-side filtering, data feeds). */
  get start(): V {
    return this.syncStart;
  }

  setInitialState(state: Json | undefined): void {
    const { converter } = this.options;
    const incoming: Json = state ? structuredClone(state) : {};
    this.mostRecent.clear();
    this.hasClosedSlice = false;
    const configuredStart = this.options.start;
    if (isConcurrentState(incoming)) {
      const slices = Array.isArray(incoming.slices) ? (incoming.slices as Json[]) : [];
      this.intervals = slices.map((slice) => ({
        start: this.parseState(slice[START]),
        end: this.parseState(slice[END]),
        mostRecent:
          'most_recent_cursor_value' in slice && slice.most_recent_cursor_value !== null
            ? this.parseState(slice.most_recent_cursor_value)
            : undefined,
      }));
      const first = this.intervals[0];
      const fromState = first ? (converter.truthy(first.mostRecent) ? first.mostRecent : first.end) : undefined;
      this.syncStart = converter.truthy(fromState)
        ? fromState
        : converter.truthy(configuredStart)
          ? configuredStart
          : converter.zero;
      const legacy = incoming.legacy;
      this.legacy = typeof legacy === 'object' && legacy !== null && !Array.isArray(legacy) ? (legacy as Json) : {};
      return;
    }
    let syncStart = configuredStart ?? converter.zero;
    if (this.options.cursorField in incoming) {
      const previous = this.parseState(incoming[this.options.cursorField]);
      if (converter.truthy(previous) && converter.compare(previous, syncStart) >= 0) syncStart = previous;
    }
    this.syncStart = syncStart;
    this.intervals = [{ start: configuredStart ?? syncStart, end: syncStart, mostRecent: syncStart }];
    this.legacy = incoming;
  }

  /** The state as Airbyte writes it now (sequential shape, extra keys of the incoming state kept). */
  currentState(): Json {
    const { converter } = this.options;
    const state: Json = { ...this.legacy };
    const copies = this.intervals.map((interval) => ({ ...interval }));
    const latest = latestCompleteValue(converter, copies);
    if (latest !== undefined && latest !== null) state[this.options.cursorField] = converter.output(latest);
    return state;
  }

  async *slices(partitions: AsyncIterable<StreamSlice>): AsyncIterable<StreamSlice> {
    for await (const partition of partitions) {
      for (const cursorSlice of this.cursorSlices()) {
        yield { partition: partition.partition, cursorSlice, extraFields: partition.extraFields };
      }
    }
  }

  /** The windows to read, as cursor slices. */
  *cursorSlices(): Generator<Json> {
    const { converter } = this.options;
    this.intervals = mergeIntervals(converter, this.intervals);
    // The windows are planned from the intervals as they are now: closing a window while the
    // rest are generated must not move them (the CDK generates ahead of the reads).
    const intervals = this.intervals.map((interval) => ({ ...interval }));
    const first = intervals[0];
    if (!first) throw new RuntimeError('STATE_INVALID', `the state of stream '${this.options.streamName}' has no slices`);
    const start = this.options.start;
    if (start !== undefined && start !== null && converter.compare(start, first.start) < 0) {
      yield* this.split(start, first.start, false);
    }
    for (let i = 0; i < intervals.length - 1; i++) {
      const current = intervals[i] as Interval<V>;
      const next = intervals[i + 1] as Interval<V>;
      const lower = this.options.granularity ? this.options.granularity.plus(current.end) : current.end;
      yield* this.split(lower, next.start, false);
    }
    const last = intervals[intervals.length - 1] as Interval<V>;
    const lower = this.options.lookback ? this.options.lookback(last.end) : last.end;
    yield* this.split(lower, this.options.end(), true);
  }

  private *split(lowerBound: V, upper: V, upperIsEnd: boolean): Generator<Json> {
    const { converter, granularity, step } = this.options;
    if (converter.compare(lowerBound, upper) >= 0) return;
    const start = this.options.start;
    const hasStart = converter.truthy(start);
    if (hasStart && converter.compare(upper, start) < 0) return;
    const lower = hasStart && converter.compare(start, lowerBound) > 0 ? start : lowerBound;
    const clamp = this.options.clamp ?? ((value: V) => value);
    if (!step || converter.compare(this.stepFrom(lower), upper) >= 0) {
      // One window: both bounds clamped, even an upper bound that is the end.
      const clampedUpper = clamp(upper);
      const end = granularity && !upperIsEnd ? granularity.minus(clampedUpper) : clampedUpper;
      yield this.window(clamp(lower), end);
      return;
    }
    let current = lower;
    for (;;) {
      const stepped = this.stepFrom(current);
      const currentUpper = converter.compare(stepped, upper) <= 0 ? stepped : upper;
      const reached = converter.compare(currentUpper, upper) >= 0;
      // The upper bound of the range is kept as is; inner bounds are clamped, and the next
      // window starts where the clamped one ended.
      const clampedUpper = converter.compare(currentUpper, upper) !== 0 ? clamp(currentUpper) : currentUpper;
      const clampedLower = clamp(current);
      // Clamping can make a window empty: the range is done.
      if (converter.compare(clampedLower, clampedUpper) >= 0) break;
      const end = granularity && (!upperIsEnd || !reached) ? granularity.minus(clampedUpper) : clampedUpper;
      yield this.window(clampedLower, end);
      current = clampedUpper;
      if (reached) break;
    }
  }

  private stepFrom(value: V): V {
    try {
      return (this.options.step as (value: V) => V)(value);
    } catch {
      return this.options.end();
    }
  }

  private window(start: V, end: V): Json {
    const [startKey, endKey] = this.options.boundaryFields ?? [START, END];
    return { [startKey]: this.options.converter.output(start), [endKey]: this.options.converter.output(end) };
  }

  requestOptions(slice: StreamSlice): Partial<RequestOptions> {
    return this.options.requestOptions?.(slice.cursorSlice) ?? {};
  }

  observe(slice: StreamSlice, record: Json): boolean {
    if (this.options.filterRecords && !this.shouldBeSynced(record)) return false;
    this.observeRecord(slice, record);
    return true;
  }

  /** Tracks the record's cursor value for its slice (no filtering). */
  observeRecord(slice: StreamSlice, record: Json): void {
    const value = this.extractValue(record);
    if (value === undefined) return;
    const key = sliceKey(slice);
    const current = this.mostRecent.get(key);
    const { converter } = this.options;
    if (current === undefined || converter.compare(current, value) < 0) this.mostRecent.set(key, value);
    else if (converter.compare(current, value) > 0) this.ascending = false;
  }

  /** Whether records arrived in ascending cursor order so far. */
  get isAscending(): boolean {
    return this.ascending;
  }

  closeSlice(slice: StreamSlice): Json | undefined {
    const before = this.intervals.length;
    this.addSliceToState(slice);
    this.mostRecent.delete(sliceKey(slice));
    let state: Json | undefined;
    if (this.intervals.length > before) {
      this.intervals = mergeIntervals(this.options.converter, this.intervals);
      state = this.currentState();
    }
    this.hasClosedSlice = true;
    return state;
  }

  private addSliceToState(slice: StreamSlice): void {
    const { converter, boundaryFields } = this.options;
    const mostRecent = this.mostRecent.get(sliceKey(slice));
    if (boundaryFields) {
      this.intervals.push({
        start: this.parseSliceBound(slice, boundaryFields[0]),
        end: this.parseSliceBound(slice, boundaryFields[1]),
        mostRecent: mostRecent ?? null,
      });
    } else if (converter.truthy(mostRecent)) {
      if (this.hasClosedSlice) {
        throw new RuntimeError(
          'INTERNAL',
          `stream '${this.options.streamName}': a cursor without slice boundaries can only close one slice`,
        );
      }
      this.intervals.push({ start: this.syncStart, end: mostRecent, mostRecent });
    }
  }

  private parseSliceBound(slice: StreamSlice, key: string): V {
    const value = key in slice.cursorSlice ? slice.cursorSlice[key] : slice.partition[key];
    if (value === undefined) {
      throw new RuntimeError('INTERNAL', `Partition is expected to have key \`${key}\` but could not be found`);
    }
    return this.options.converter.parse(value);
  }

  /** Airbyte writes the state once more when the stream is done. */
  finalState(): Json | undefined {
    return this.currentState();
  }

  /** start <= value <= end; records without a readable cursor value are kept (with a warning). */
  shouldBeSynced(record: Json): boolean {
    const value = this.extractValue(record);
    if (value === undefined) return true;
    const { converter } = this.options;
    return converter.compare(this.syncStart, value) <= 0 && converter.compare(value, this.options.end()) <= 0;
  }

  shouldStopPaginating(_slice: StreamSlice, lastRecord: Json | undefined): boolean {
    if (!this.options.isDataFeed || lastRecord === undefined) return false;
    return !this.shouldBeSynced(lastRecord);
  }

  /** The record's parsed cursor value, or undefined (logged once) when missing or unreadable. */
  extractValue(record: Json): V | undefined {
    const raw = record[this.options.cursorField];
    if (raw !== undefined && raw !== null) {
      try {
        return this.options.converter.parse(raw);
      } catch (error) {
        if (!isValueError(error)) throw error;
      }
    }
    if (!this.warnedMissingCursor) {
      this.options.logger.warn(
        `Could not find cursor field \`${this.options.cursorField}\` in record for stream ${this.options.streamName}. The incremental sync will assume it needs to be synced`,
      );
      this.warnedMissingCursor = true;
    }
    return undefined;
  }

  private parseState(value: unknown): V {
    try {
      return this.options.converter.parse(value);
    } catch (error) {
      throw new RuntimeError(
        'STATE_INVALID',
        `the state of stream '${this.options.streamName}' has a cursor value that cannot be read: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
}

function isValueError(error: unknown): boolean {
  return error instanceof Error && !(error instanceof RuntimeError && error.code !== 'DATETIME_FORMAT');
}
