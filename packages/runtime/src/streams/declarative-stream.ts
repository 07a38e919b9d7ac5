import type { Json, RunContext } from '../context.js';
import type { Cursor } from '../incremental/cursor.js';
import { EMPTY_SLICE, type StreamSlice, sliceView } from '../partitioning/stream-slice.js';
import type { PartitionRouter } from '../partitioning/partition-router.js';
import { readConcurrently } from './concurrent.js';
import type { SchemaLoader } from './schema-loaders/schema-loader.js';

/** A record (with the slice it was read in) or a state covering the records before it. */
export type StreamEvent =
  | { record: Json; slice: StreamSlice; state?: undefined; failure?: undefined }
  | { state: Json; record?: undefined; failure?: undefined }
  /** A slice that failed while the others go on (only with `isolateSliceFailures`). */
  | { failure: unknown; slice: StreamSlice; record?: undefined; state?: undefined };

export interface ReadOptions {
  /**
   * Read the other slices when one fails, as the CDK's concurrent read does: the failure comes as
   * an event, the failed slice is never closed (no state covers it), and once every slice is done
   * the stream writes its state and throws SliceFailures. Without it the first failure is thrown.
   */
  isolateSliceFailures?: boolean;
}

/** The stream ended with slices that failed; each was reported as a `failure` event already. */
export class SliceFailures extends Error {
  constructor(readonly failures: unknown[]) {
    super(`${failures.length} slice(s) failed`);
    this.name = 'SliceFailures';
  }
}

/** What a stream needs of its retriever (SimpleRetriever or AsyncRetriever). */
export interface Retriever {
  read(slice: StreamSlice): AsyncIterable<Json>;
  /** The same records grouped by page, when the retriever reads pages (the fast path). */
  readPages?(slice: StreamSlice): AsyncIterable<Json[]>;
  /** Tags requests for the Builder's view (PARENT_STREAM for a parent read). */
  setRequestKind?(kind: string): void;
}

export interface StreamParts {
  name: string;
  primaryKey: string[][];
  retriever: Retriever;
  router: PartitionRouter | undefined;
  cursor: Cursor;
  schemaLoader: SchemaLoader;
  /** Migrates incoming state from older shapes (state_migrations). */
  migrateState?: (state: Json | undefined) => Json | undefined;
  /** Incremental when the manifest defines a real cursor. */
  incremental: boolean;
  /** Slices read at once (the manifest's concurrency_level); 1 reads them in order. */
  concurrency: number;
  /** A test read's slice limit (the Builder); unset for real reads. */
  sliceLimit?: number;
}

/**
 * DeclarativeStream: the one place where the partition router, the cursor and the retriever are
 * wired together. Slices come from the cursor over the router's partitions; each slice's records
 * come from the retriever; the cursor's state follows the records it covers.
 */
export class DeclarativeStream {
  constructor(
    readonly parts: StreamParts,
    private readonly run: RunContext,
  ) {}

  get name(): string {
    return this.parts.name;
  }

  get primaryKey(): string[][] {
    return this.parts.primaryKey;
  }

  get cursorField(): string[] {
    return this.parts.cursor.cursorField;
  }

  get supportsIncremental(): boolean {
    return this.parts.incremental;
  }

  async *read(state: Json | undefined, options: ReadOptions = {}): AsyncIterable<StreamEvent> {
    const { cursor, router, retriever } = this.parts;
    const initial = this.parts.migrateState ? this.parts.migrateState(state) : state;
    cursor.setInitialState(initial);
    const partitions = router ? router.partitions() : single(EMPTY_SLICE);
    const readSlice = (slice: StreamSlice): AsyncIterable<Json[]> => {
      this.run.observer?.onSlice?.(this.name, sliceView(slice));
      return retriever.readPages ? retriever.readPages(slice) : onePerPage(retriever.read(slice));
    };
    const slices = limitSlices(cursor.slices(partitions), this.parts.sliceLimit);
    const { concurrency } = this.parts;
    const failures: unknown[] = [];
    try {
      // Pages are queued, so a few per worker bound the memory.
      const events = readConcurrently(slices, concurrency, readSlice, Math.max(2, concurrency * 2), options.isolateSliceFailures);
      for await (const event of events) {
        if (event.failed) {
          failures.push(event.failed.error);
          yield { failure: event.failed.error, slice: event.slice };
          continue;
        }
        if (!event.done) {
          for (const record of event.item) if (cursor.observe(event.slice, record)) yield { record, slice: event.slice };
          continue;
        }
        const sliceState = cursor.closeSlice(event.slice);
        if (sliceState) yield { state: sliceState };
      }
    } catch (error) {
      // As the CDK, a failing stream still writes its state once: what its closed slices cover
      // (the incoming state when none closed), never more, so a retry resumes from there.
      const checkpoint = safeFinalState(cursor);
      if (checkpoint) yield { state: checkpoint };
      throw error;
    }
    const finalState = cursor.finalState();
    if (finalState) yield { state: finalState };
    if (failures.length > 0) throw new SliceFailures(failures);
  }

  /** This stream is read for a child stream: its requests show as PARENT_STREAM. */
  markAsParent(): void {
    this.parts.retriever.setRequestKind?.('PARENT_STREAM');
  }

  /** Records only: how a parent stream is read for its children. */
  async *readRecords(state?: Json): AsyncIterable<Json> {
    for await (const event of this.read(state)) if (event.record) yield event.record;
  }
}

/** The cursor's state after a failure; a cursor that cannot say (its own error) says nothing. */
function safeFinalState(cursor: StreamParts['cursor']): Json | undefined {
  try {
    return cursor.finalState();
  } catch {
    return undefined;
  }
}

async function* limitSlices(slices: AsyncIterable<StreamSlice>, limit: number | undefined): AsyncIterable<StreamSlice> {
  if (limit === undefined) {
    yield* slices;
    return;
  }
  let count = 0;
  for await (const slice of slices) {
    if (count >= limit) return;
    count += 1;
    yield slice;
  }
}

async function* onePerPage(records: AsyncIterable<Json>): AsyncIterable<Json[]> {
  for await (const record of records) yield [record];
}

async function* single(slice: StreamSlice): AsyncIterable<StreamSlice> {
  yield slice;
}
