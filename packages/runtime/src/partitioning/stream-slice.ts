import type { Json } from '../context.js';
import { stringifyJson } from '../protocol/stringify-json.js';

/**
 * A slice of a stream: the partition (from partition routers: parent ids, list values) and the
 * cursor slice (from the incremental cursor: a time window). `extraFields` travel with the slice
 * but are not part of its identity (SubstreamPartitionRouter's extra_fields).
 */
export interface StreamSlice {
  partition: Json;
  cursorSlice: Json;
  extraFields: Json;
}

export const EMPTY_SLICE: StreamSlice = Object.freeze({
  partition: {},
  cursorSlice: {},
  extraFields: {},
}) as StreamSlice;

export function makeSlice(partition: Json = {}, cursorSlice: Json = {}, extraFields: Json = {}): StreamSlice {
  return { partition, cursorSlice, extraFields };
}

const views = new WeakMap<StreamSlice, Json>();

/**
 * The mapping templates see as `stream_slice` (and `stream_partition` / `stream_interval`):
 * partition and cursor keys merged, with `partition`, `cursor_slice` and `extra_fields` reachable
 * as attributes but not listed among the keys (as the CDK's StreamSlice mapping behaves).
 */
export function sliceView(slice: StreamSlice): Json {
  let view = views.get(slice);
  if (!view) {
    view = { ...slice.partition, ...slice.cursorSlice };
    Object.defineProperty(view, 'partition', { value: slice.partition, enumerable: false });
    Object.defineProperty(view, 'cursor_slice', { value: slice.cursorSlice, enumerable: false });
    Object.defineProperty(view, 'extra_fields', { value: slice.extraFields, enumerable: false });
    views.set(slice, view);
  }
  return view;
}

/** The interpolation context of request-building templates, as the CDK assembles it. */
export function requestContext(slice: StreamSlice, nextPageToken: Json | undefined): Json {
  return { stream_slice: sliceView(slice), next_page_token: nextPageToken ?? null, ...slice.extraFields };
}

export function sliceKey(slice: StreamSlice): string {
  return stringifyJson([slice.partition, slice.cursorSlice]);
}
