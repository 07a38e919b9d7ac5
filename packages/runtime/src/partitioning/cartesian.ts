import type { Json } from '../context.js';
import type { Logger } from '../logging/logger.js';
import { type RequestOptions, emptyOptions } from '../requesters/request-options.js';
import type { PartitionRouter } from './partition-router.js';
import { type StreamSlice, makeSlice } from './stream-slice.js';
import { stringifyJson } from '../protocol/stringify-json.js';

/**
 * CartesianProductStreamSlicer: every combination of the routers' partitions (the first router
 * varies slowest). Partition keys, extra fields and request options are merged with the first
 * router winning a conflict, as the CDK's ChainMap does. Parent state is not kept.
 */
export class CartesianProductStreamSlicer implements PartitionRouter {
  constructor(
    readonly routers: PartitionRouter[],
    logger?: Logger,
  ) {
    if (logger && routers.some((router) => isSubstream(router))) {
      logger.warn('Parent state handling is not supported for CartesianProductStreamSlicer.');
    }
  }

  async *partitions(): AsyncIterable<StreamSlice> {
    // itertools.product materialises every input before the first combination.
    const lists: StreamSlice[][] = [];
    for (const router of this.routers) {
      const items: StreamSlice[] = [];
      for await (const partition of router.partitions()) items.push(partition);
      lists.push(items);
    }
    if (lists.length === 0) return;
    yield* product(lists, 0, []);
  }

  requestOptions(slice: StreamSlice): Partial<RequestOptions> {
    const parts = this.routers.map((router) => router.requestOptions(slice));
    const merged = emptyOptions();
    merged.params = chainMap(parts.map((part) => part.params ?? {}));
    merged.headers = chainMap(parts.map((part) => part.headers ?? {}));
    const json = parts.map((part) => part.bodyJson).filter((body): body is Json => body !== undefined);
    if (json.length > 0) merged.bodyJson = chainMap(json);
    const data = parts.map((part) => part.bodyData).filter((body) => body !== undefined);
    const text = data.find((body): body is string => typeof body === 'string');
    if (text !== undefined) merged.bodyData = text;
    else if (data.length > 0) merged.bodyData = chainMap(data as Json[]);
    return merged;
  }
}

function* product(lists: StreamSlice[][], index: number, chosen: StreamSlice[]): Generator<StreamSlice> {
  const list = lists[index];
  if (!list) {
    yield combine(chosen);
    return;
  }
  for (const item of list) yield* product(lists, index + 1, [...chosen, item]);
}

function combine(slices: StreamSlice[]): StreamSlice {
  const cursorSlices = slices.map((slice) => slice.cursorSlice).filter((cursor) => Object.keys(cursor).length > 0);
  if (cursorSlices.length > 1) {
    throw new Error(`There should only be a single cursor slice. Found ${stringifyJson(cursorSlices)}`);
  }
  return makeSlice(
    chainMap(slices.map((slice) => slice.partition)),
    cursorSlices[0] ?? {},
    chainMap(slices.map((slice) => slice.extraFields)),
  );
}

/**
 * dict(ChainMap(*maps)): the first mapping holding a key gives its value; keys are listed from
 * the last mapping's first.
 */
export function chainMap(maps: Json[]): Json {
  const merged: Json = {};
  for (const map of [...maps].reverse()) {
    for (const key of Object.keys(map)) if (!(key in merged)) merged[key] = undefined;
  }
  for (const key of Object.keys(merged)) {
    const holder = maps.find((map) => key in map);
    merged[key] = holder?.[key];
  }
  return merged;
}

function isSubstream(router: PartitionRouter): boolean {
  return typeof router.setParentState === 'function' && 'parentConfigs' in router;
}
