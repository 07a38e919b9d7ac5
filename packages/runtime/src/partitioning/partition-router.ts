import type { Json } from '../context.js';
import type { RequestOptions } from '../requesters/request-options.js';
import type { StreamSlice } from './stream-slice.js';

/**
 * A partition router yields the partitions of a stream (list values, parent records...), each a
 * StreamSlice with an empty cursor slice, and contributes request options for a partition.
 */
export interface PartitionRouter {
  partitions(): AsyncIterable<StreamSlice>;
  requestOptions(slice: StreamSlice): Partial<RequestOptions>;
  /** Parent streams' state (incremental_dependency), stored inside the child's state. */
  parentState?(): Json | undefined;
  setParentState?(state: Json | undefined): void;
}
