import type { Json } from '../context.js';
import { RuntimeError } from '../errors/runtime-error.js';
import type { Logger } from '../logging/logger.js';
import type { PartitionRouter } from '../partitioning/partition-router.js';
import { type StreamSlice, makeSlice } from '../partitioning/stream-slice.js';
import type { RequestOptions } from '../requesters/request-options.js';
import type { ConcurrentCursor } from './concurrent-cursor.js';
import type { Cursor } from './cursor.js';
import { type ValueConverter, pyCompare } from './state-converter.js';
import { mayHoldUnsafeInteger, parseJsonLossless } from '../decoders/lossless-json.js';
import { stringifyJson } from '../protocol/stringify-json.js';

export interface PerPartitionCursorOptions<V> {
  streamName: string;
  cursorField: string;
  router: PartitionRouter;
  /** A cursor for one partition from its state, moved back by a runtime lookback in seconds. */
  createCursor: (state: Json | undefined, lookbackSeconds: number) => ConcurrentCursor<V>;
  converter: ValueConverter<V>;
  /** global_substream_cursor, or a GroupingPartitionRouter: one global state only. */
  useGlobalCursor: boolean;
  /** The cursor's own request options for a cursor slice (the router adds its own). */
  requestOptions: (cursorSlice: Json) => Partial<RequestOptions>;
  filterRecords: boolean;
  isDataFeed: boolean;
  /** Epoch milliseconds. */
  clock: () => number;
  logger: Logger;
}

/** Above this many partitions the state switches to the global cursor. */
export const SWITCH_TO_GLOBAL_LIMIT = 10_000;
/** At most this many partition cursors are kept in memory. */
export const MAX_PARTITIONS = 25_000;
/** Intermediate states are written at most this often (seconds); the final one always. */
export const STATE_THROTTLE_SECONDS = 600;

/**
 * Per-partition state for an incremental stream with a partition router, as Airbyte's
 * ConcurrentPerPartitionCursor writes it:
 *
 *     {use_global_cursor, states: [{partition, cursor}], state: {...global}, lookback_window, parent_state}
 *
 * `states` is left out in global mode, `state` while no global value is known, `parent_state`
 * when the router has no parents. The global value and `lookback_window` (the previous sync's
 * duration in seconds) are updated when the stream is done; an intermediate state is written
 * after the first closed slice and then at most every 600 seconds, with the parent state of the
 * partitions that are completely read.
 */
export class PerPartitionCursor<V> implements Cursor {
  readonly cursorField: string[];
  private useGlobal: boolean;
  private globalCursor: Json = {};
  private newGlobalCursor: Json | undefined;
  private readonly cursors = new Map<string, ConcurrentCursor<V>>();
  private readonly openSlices = new Map<string, number>();
  private readonly parentStates = new Map<string, { state: Json | undefined; seq: number }>();
  private parentStateValue: Json | undefined;
  private readonly doneGenerating = new Set<string>();
  private processing: number[] = [];
  private readonly keyToIndex = new Map<string, number>();
  private generated = 0;
  private lookbackWindow = 0;
  private partitionCount = 0;
  private lastEmission = 0;
  private timerStart: number | undefined;
  private syncedSomeData = false;
  private loggedFormatError = false;
  private loggedDuplicate = false;
  private globalFilterCursor: ConcurrentCursor<V> | undefined;

  constructor(private readonly options: PerPartitionCursorOptions<V>) {
    this.cursorField = [options.cursorField];
    this.useGlobal = options.useGlobalCursor;
  }

  /** Starts a read: everything from a previous read of this stream is forgotten. */
  setInitialState(state: Json | undefined): void {
    this.reset();
    this.options.router.setParentState?.(state);
    if (!state || Object.keys(state).length === 0) return;
    if (!('states' in state) && !('state' in state)) {
      this.setGlobalState(state);
    } else {
      this.useGlobal = state.use_global_cursor === true;
      this.lookbackWindow = Math.trunc(Number(state.lookback_window ?? 0));
      const states = Array.isArray(state.states) ? (state.states as Json[]) : [];
      for (const entry of states) {
        this.partitionCount += 1;
        this.cursors.set(partitionKey(entry.partition as Json), this.createCursor(entry.cursor as Json, 0));
      }
      if ('state' in state) this.setGlobalState((state.state ?? {}) as Json);
    }
    if (isTruthy(state.parent_state)) this.parentStateValue = structuredClone(state.parent_state as Json);
  }

  private reset(): void {
    this.useGlobal = this.options.useGlobalCursor;
    this.globalCursor = {};
    this.newGlobalCursor = undefined;
    this.cursors.clear();
    this.openSlices.clear();
    this.parentStates.clear();
    this.parentStateValue = undefined;
    this.doneGenerating.clear();
    this.processing = [];
    this.keyToIndex.clear();
    this.generated = 0;
    this.lookbackWindow = 0;
    this.partitionCount = 0;
    this.lastEmission = 0;
    this.timerStart = undefined;
    this.syncedSomeData = false;
    this.globalFilterCursor = undefined;
  }

  private setGlobalState(state: Json): void {
    const key = this.options.cursorField;
    if (!(key in state)) return;
    const { converter } = this.options;
    let value: unknown;
    try {
      value = converter.output(converter.parse(state[key]));
    } catch (error) {
      throw new RuntimeError(
        'STATE_INVALID',
        `the state of stream '${this.options.streamName}' has a cursor value that cannot be read: ${(error as Error).message}`,
        { cause: error },
      );
    }
    this.globalCursor = { [key]: value };
    this.newGlobalCursor = { [key]: value };
    this.globalFilterCursor = undefined;
  }

  private createCursor(state: Json | undefined, lookbackSeconds: number): ConcurrentCursor<V> {
    return this.options.createCursor(state ? structuredClone(state) : {}, lookbackSeconds);
  }

  private cursorFromGlobal(): ConcurrentCursor<V> {
    const hasGlobal = isTruthy(this.globalCursor);
    return this.createCursor(this.globalCursor, hasGlobal ? this.lookbackWindow : 0);
  }

  /** The state as Airbyte writes it now. */
  currentState(): Json {
    const state: Json = { use_global_cursor: this.useGlobal };
    if (!this.useGlobal) {
      const states: Json[] = [];
      for (const [key, cursor] of this.cursors) {
        const cursorState = cursor.currentState();
        if (Object.keys(cursorState).length > 0) states.push({ partition: parsePartitionKey(key), cursor: cursorState });
      }
      state.states = states;
    }
    if (isTruthy(this.globalCursor)) state.state = structuredClone(this.globalCursor);
    state.lookback_window = this.lookbackWindow;
    if (this.parentStateValue !== undefined && this.parentStateValue !== null) {
      state.parent_state = structuredClone(this.parentStateValue);
    }
    return state;
  }

  async *slices(partitions: AsyncIterable<StreamSlice>): AsyncIterable<StreamSlice> {
    if (this.timerStart !== undefined) throw new Error('stream_slices has been executed more than once.');
    this.timerStart = this.options.clock();
    // One partition ahead, as the CDK reads them: the parent state captured for a partition is
    // the router's state right after that partition was produced.
    const iterator = partitions[Symbol.asyncIterator]();
    let step = await iterator.next();
    if (step.done) return;
    let current = step.value;
    let parentState = this.routerState();
    for (;;) {
      step = await iterator.next();
      if (step.done) break;
      yield* this.slicesOfPartition(current, parentState);
      current = step.value;
      parentState = this.routerState();
    }
    yield* this.slicesOfPartition(current, parentState);
  }

  private routerState(): Json | undefined {
    return this.options.router.parentState?.();
  }

  private *slicesOfPartition(partition: StreamSlice, parentState: Json | undefined): Generator<StreamSlice> {
    this.ensurePartitionLimit();
    const key = partitionKey(partition.partition);
    let cursor = this.cursors.get(key);
    if (!cursor) {
      cursor = this.cursorFromGlobal();
      this.partitionCount += 1;
      this.cursors.set(key, cursor);
    }
    if (this.openSlices.has(key)) {
      if (!this.loggedDuplicate) {
        this.options.logger.warn(`Partition duplication detected for stream ${this.options.streamName}`);
        this.loggedDuplicate = true;
      }
      return;
    }
    this.openSlices.set(key, 0);
    const seq = this.generated++;
    this.processing.push(seq);
    this.keyToIndex.set(key, seq);
    const lastEntry = [...this.parentStates.values()].pop();
    if (!lastEntry || !deepEqual(lastEntry.state, parentState)) {
      this.parentStates.set(key, { state: parentState === undefined ? undefined : structuredClone(parentState), seq });
    }
    const cursorSlices = cursor.cursorSlices();
    let next = cursorSlices.next();
    while (!next.done) {
      const cursorSlice = next.value;
      next = cursorSlices.next();
      this.openSlices.set(key, (this.openSlices.get(key) ?? 0) + 1);
      if (next.done) this.doneGenerating.add(key);
      yield makeSlice(partition.partition, cursorSlice, partition.extraFields);
    }
  }

  private ensurePartitionLimit(): void {
    if (!this.useGlobal && this.partitionCount > SWITCH_TO_GLOBAL_LIMIT) {
      this.options.logger.info(
        `Exceeded the 'SWITCH_TO_GLOBAL_LIMIT' of ${SWITCH_TO_GLOBAL_LIMIT}. Switching to global cursor for ${this.options.streamName}.`,
      );
      this.useGlobal = true;
    }
    while (this.cursors.size > MAX_PARTITIONS - 1) {
      let removed = false;
      for (const key of this.cursors.keys()) {
        if (!this.keyToIndex.has(key)) {
          this.cursors.delete(key);
          removed = true;
          break;
        }
      }
      if (!removed) {
        const oldest = this.cursors.keys().next().value as string;
        this.cursors.delete(oldest);
        this.options.logger.warn(
          `The maximum number of partitions has been reached. Dropping the oldest partition: ${oldest}. Over limit: ${this.partitionCount - MAX_PARTITIONS}.`,
        );
      }
    }
  }

  requestOptions(slice: StreamSlice): Partial<RequestOptions> {
    return this.options.requestOptions(slice.cursorSlice);
  }

  observe(slice: StreamSlice, record: Json): boolean {
    if (this.options.filterRecords && !this.shouldBeSynced(slice, record)) return false;
    const raw = record[this.options.cursorField];
    if (raw === undefined || raw === null) return true;
    let formatted: unknown;
    try {
      const { converter } = this.options;
      formatted = converter.output(converter.parse(raw));
    } catch (error) {
      if (!this.loggedFormatError) {
        this.options.logger.warn(
          `Skipping cursor update for stream '${this.options.streamName}': failed to parse cursor field '${this.options.cursorField}' value ${stringifyJson(raw)}: ${(error as Error).message}`,
        );
        this.loggedFormatError = true;
      }
      return true;
    }
    this.syncedSomeData = true;
    this.updateGlobalCursor(formatted);
    if (!this.useGlobal) this.cursors.get(partitionKey(slice.partition))?.observeRecord(slice, record);
    return true;
  }

  private updateGlobalCursor(value: unknown): void {
    const key = this.options.cursorField;
    if (this.newGlobalCursor === undefined || pyCompare(this.newGlobalCursor[key], value) < 0) {
      this.newGlobalCursor = { [key]: structuredClone(value) };
    }
  }

  closeSlice(slice: StreamSlice): Json | undefined {
    const key = partitionKey(slice.partition);
    this.openSlices.set(key, (this.openSlices.get(key) ?? 0) - 1);
    if (!this.useGlobal) {
      const cursor = this.cursors.get(key);
      if (cursor) {
        cursor.closeSlice(slice);
        if (this.doneGenerating.has(key) && this.openSlices.get(key) === 0) {
          this.updateGlobalCursor(cursor.currentState()[this.options.cursorField]);
        }
      }
    }
    this.cleanupIfDone(key);
    this.updateParentState();
    return this.emit(true);
  }

  private cleanupIfDone(key: string): void {
    if (!(this.doneGenerating.has(key) && this.openSlices.get(key) === 0)) return;
    this.openSlices.delete(key);
    this.doneGenerating.delete(key);
    const seq = this.keyToIndex.get(key);
    this.keyToIndex.delete(key);
    this.processing = this.processing.filter((index) => index !== seq);
  }

  /** The parent state of the oldest partitions whose slices are all closed. */
  private updateParentState(): void {
    let lastClosed: { state: Json | undefined } | undefined;
    for (const [key, entry] of this.parentStates) {
      const firstOpen = this.processing[0];
      if (firstOpen !== undefined && firstOpen <= entry.seq) break;
      this.parentStates.delete(key);
      lastClosed = entry;
    }
    if (lastClosed && lastClosed.state !== undefined && lastClosed.state !== null) this.parentStateValue = lastClosed.state;
  }

  private emit(throttle: boolean): Json | undefined {
    if (throttle) {
      const now = this.options.clock() / 1000;
      if (now - this.lastEmission <= STATE_THROTTLE_SECONDS) return undefined;
      this.lastEmission = now;
      if (this.useGlobal && !isTruthy(this.parentStateValue)) return undefined;
    }
    return this.currentState();
  }

  finalState(): Json | undefined {
    if ([...this.openSlices.values()].every((open) => open === 0)) {
      if (this.syncedSomeData) {
        this.globalCursor = this.newGlobalCursor ?? {};
        this.globalFilterCursor = undefined;
        if (this.timerStart !== undefined) {
          this.lookbackWindow = Math.ceil((this.options.clock() - this.timerStart) / 1000);
        }
      }
      const parentState = this.routerState();
      this.parentStateValue = parentState === undefined ? undefined : structuredClone(parentState);
    }
    return this.emit(false);
  }

  /** Whether a record is new for its partition's cursor (or the global one). */
  shouldBeSynced(slice: StreamSlice, record: Json): boolean {
    return this.cursorFor(slice).shouldBeSynced(record);
  }

  shouldStopPaginating(slice: StreamSlice, lastRecord: Json | undefined): boolean {
    if (!this.options.isDataFeed || lastRecord === undefined) return false;
    return !this.shouldBeSynced(slice, lastRecord);
  }

  private cursorFor(slice: StreamSlice): ConcurrentCursor<V> {
    if (!this.useGlobal) {
      const cursor = this.cursors.get(partitionKey(slice.partition));
      if (cursor) return cursor;
    }
    this.globalFilterCursor ??= this.cursorFromGlobal();
    return this.globalFilterCursor;
  }
}

/** The identity of a partition: its JSON with keys sorted at every level (as json.dumps(sort_keys=True)). */
export function partitionKey(partition: Json): string {
  return stringifyJson(sortKeys(partition));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const sorted: Json = {};
    for (const key of Object.keys(value).sort(compareCodePoints)) sorted[key] = sortKeys((value as Json)[key]);
    return sorted;
  }
  return value;
}

function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return stringifyJson(sortKeys(a)) === stringifyJson(sortKeys(b));
}

function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

/** A partition back from its key; a parent's id beyond 2^53 (a BigInt in the key's text) stays exact. */
function parsePartitionKey(key: string): Json {
  return (mayHoldUnsafeInteger(key) ? parseJsonLossless(key) : JSON.parse(key)) as Json;
}
