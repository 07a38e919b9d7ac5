import type { Json } from '../../context.js';
import { RuntimeError } from '../../errors/runtime-error.js';
import { type StreamSlice, makeSlice } from '../../partitioning/stream-slice.js';
import type { SendResult } from '../http-requester.js';
import type { QueryProperties } from './query-properties.js';

export interface FetchedPage {
  /** The response of the page's last request: the paginator reads the next token from it. */
  result: SendResult;
  /** The page's records in the order the CDK emits them. */
  records: Json[];
  /** Records extracted from the last response before any filter. */
  rawCount: number;
}

/**
 * Fetches one page. Without query properties that is one request. With them, the same page
 * (same next-page token) is requested once per property chunk, each request's slice carrying
 * `extra_fields.query_properties` = the chunk. When chunking is configured, records with a merge
 * key are deep-merged across chunks and come after the records without one, in the order their
 * key was first seen; a record without a merge key is passed on as it is.
 */
export async function fetchPage(
  queryProperties: QueryProperties | undefined,
  streamName: string,
  slice: StreamSlice,
  send: (requestSlice: StreamSlice) => Promise<SendResult>,
  select: (result: SendResult, counter: { raw: number }) => Json[],
): Promise<FetchedPage> {
  if (!queryProperties) {
    const result = await send(slice);
    const counter = { raw: 0 };
    const records = result.ignored ? [] : select(result, counter);
    return { result, records, rawCount: counter.raw };
  }
  const merged = new Map<string, Json>();
  const records: Json[] = [];
  let last: FetchedPage | undefined;
  for (const chunk of await queryProperties.chunks(streamName)) {
    // As the CDK, the chunk's slice keeps the partition and cursor but not other extra fields.
    const result = await send(makeSlice(slice.partition, slice.cursorSlice, { query_properties: chunk }));
    const counter = { raw: 0 };
    const chunkRecords = result.ignored ? [] : select(result, counter);
    last = { result, records: [], rawCount: counter.raw };
    for (const record of chunkRecords) {
      const key = queryProperties.chunking?.mergeKey(record);
      if (!key) {
        records.push(record);
        continue;
      }
      const target = merged.get(key);
      if (target) deepMerge(target, record);
      else merged.set(key, deepMerge({}, record));
    }
  }
  if (!last) throw new RuntimeError('INTERNAL', `QueryProperties of stream '${streamName}' produced no property chunk`);
  records.push(...merged.values());
  return { result: last.result, records, rawCount: last.rawCount };
}

/** Nested objects are merged key by key; anything else from `source` replaces what `target` has. */
export function deepMerge(target: Json, source: Json): Json {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isObject(existing) && isObject(value)) deepMerge(existing, value);
    else target[key] = value;
  }
  return target;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
