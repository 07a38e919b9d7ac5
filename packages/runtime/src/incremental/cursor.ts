import type { Json } from '../context.js';
import type { StreamSlice } from '../partitioning/stream-slice.js';
import type { RequestOptions } from '../requesters/request-options.js';

/**
 * The incremental side of a stream. The stream calls, in order: setInitialState once, then for
 * each slice from `slices(partitions)`: observe(record) per record and closeSlice when its
 * records are all emitted (the returned state is written right after them), then finalState.
 *
 * State written here must have the shape Airbyte writes, so a sync can move between Airbyte and
 * this runtime in either direction.
 */
export interface Cursor {
  /** Cursor field path, as discover reports it (`default_cursor_field`). Empty for full refresh. */
  readonly cursorField: string[];
  setInitialState(state: Json | undefined): void;
  /** Every slice to read: the cursor's windows within each partition of the router. */
  slices(partitions: AsyncIterable<StreamSlice>): AsyncIterable<StreamSlice>;
  requestOptions(slice: StreamSlice): Partial<RequestOptions>;
  /** Sees each record of the slice; false drops it (client-side incremental filtering). */
  observe(slice: StreamSlice, record: Json): boolean;
  /** The slice is fully read: the state to emit now, or undefined. */
  closeSlice(slice: StreamSlice): Json | undefined;
  /** The state to emit once the stream is done, or undefined if the last closeSlice said it all. */
  finalState(): Json | undefined;
  /** True when a data-feed stream should stop paginating (is_data_feed: a page older than state). */
  shouldStopPaginating?(slice: StreamSlice, lastRecord: Json | undefined): boolean;
}

export const NO_CURSOR_STATE_KEY = '__ab_no_cursor_state_message';

/**
 * Full refresh: slices are the partitions as they are; at the end one state message saying the
 * stream was read without a cursor, as Airbyte's concurrent CDK writes it.
 */
export class FinalStateCursor implements Cursor {
  readonly cursorField: string[] = [];

  setInitialState(): void {}

  async *slices(partitions: AsyncIterable<StreamSlice>): AsyncIterable<StreamSlice> {
    yield* partitions;
  }

  requestOptions(): Partial<RequestOptions> {
    return {};
  }

  observe(): boolean {
    return true;
  }

  closeSlice(): Json | undefined {
    return undefined;
  }

  finalState(): Json | undefined {
    return { [NO_CURSOR_STATE_KEY]: true };
  }
}
