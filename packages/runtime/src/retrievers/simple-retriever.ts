import type { Json, RunContext } from '../context.js';
import type { Decoder } from '../decoders/decoder.js';
import { RuntimeError } from '../errors/runtime-error.js';
import type { RecordSelector } from '../extractors/record-selector.js';
import type { PageInfo, PageToken, Paginator } from '../paginators/paginator.js';
import { type StreamSlice, sliceView } from '../partitioning/stream-slice.js';
import type { HttpResponse } from '../requesters/http-client.js';
import type { HttpRequester } from '../requesters/http-requester.js';
import { type FetchedPage, fetchPage } from '../requesters/query-properties/page-fetch.js';
import { isPaginationResetRequired } from '../requesters/pagination-reset-required.js';
import { mergeRequestOptions, type RequestOptions } from '../requesters/request-options.js';
import { PaginationTracker } from './pagination-reset.js';
import { stringifyJson } from '../protocol/stringify-json.js';

export interface RetrieverParts {
  requester: HttpRequester;
  selector: RecordSelector;
  paginator: Paginator;
  decoder: Decoder;
  /** Request options of the stream slicer (partition router + cursor) for a slice. */
  sliceOptions: (slice: StreamSlice) => Partial<RequestOptions>;
  ignoreSlicerOptionsOnPagination: boolean;
  /** Stops a data feed early (is_data_feed). */
  shouldStop?: (slice: StreamSlice, lastRecord: Json | undefined) => boolean;
  /** For the Builder's page limit: stop after this many pages per slice. */
  pageLimit?: number;
  streamName: string;
  /** Marks requests in the Builder's view (PARENT_STREAM when read for a child). */
  requestKind?: string;
  /** pagination_reset: a tracker per slice read, deciding when and how pagination restarts. */
  paginationTracker?: () => PaginationTracker;
}

/**
 * SimpleRetriever: reads every page of one slice. Records are yielded as soon as their page is
 * decoded; nothing holds more than the current page.
 */
export class SimpleRetriever {
  constructor(
    private readonly parts: RetrieverParts,
    private readonly run: RunContext,
  ) {}

  /** Marks this retriever's requests in the Builder's view (PARENT_STREAM for a parent read). */
  setRequestKind(kind: string): void {
    this.parts.requestKind = kind;
  }

  async *read(slice: StreamSlice): AsyncIterable<Json> {
    for await (const page of this.readPages(slice)) yield* page;
  }

  /**
   * The slice's records a page at a time: one hop through the async machinery per page rather
   * than per record, and a page's records are emitted together or not at all.
   */
  async *readPages(slice: StreamSlice): AsyncIterable<Json[]> {
    const { requester, selector, paginator, decoder } = this.parts;
    // Without pagination_reset the CDK still tracks pages: an error handler's RESET_PAGINATION
    // restarts the slice once, and a second reset of the same slice fails.
    const tracker = this.parts.paginationTracker?.() ?? new PaginationTracker(undefined, undefined);
    // After a pagination reset the requests use a narrowed slice; records keep the slice read.
    let requestSlice = slice;
    let token: PageToken | undefined = paginator.initialToken();
    let pages = 0;
    for (;;) {
      const extra = mergeRequestOptions([
        paginator.requestOptions(token),
        token && this.parts.ignoreSlicerOptionsOnPagination ? undefined : this.parts.sliceOptions(requestSlice),
      ]);
      const context = { stream_slice: sliceView(slice), next_page_token: token, stream_name: this.parts.streamName };
      // Each property chunk's records, kept in case a later chunk's response asks for a reset.
      const chunkRecords: Json[][] = [];
      let fetched: FetchedPage | undefined;
      try {
        // One request, or one per property chunk with the records merged (QueryProperties).
        fetched = await fetchPage(
          requester.def.queryProperties,
          this.parts.streamName,
          requestSlice,
          (sendSlice) =>
            requester.send({ slice: sendSlice, nextPageToken: token, extra, pathOverride: paginator.path(token), decoder, kind: this.parts.requestKind }),
          (sent, counter) => {
            const selected = [...selector.select(sent.bodies, context, counter)];
            chunkRecords.push(selected);
            return selected;
          },
        );
      } catch (error) {
        if (!isPaginationResetRequired(error)) throw error;
      }
      pages += 1;
      this.run.observer?.onPage?.(this.parts.streamName);
      if (!fetched) {
        // RESET_PAGINATION: the CDK has already emitted the earlier chunks' records that have no
        // merge key; the merged ones are dropped with the page.
        const mergeKey = requester.def.queryProperties?.chunking?.mergeKey.bind(requester.def.queryProperties.chunking);
        const emitted = chunkRecords.flat().filter((record) => !mergeKey?.(record));
        for (const record of emitted) tracker.observe(record);
        if (emitted.length > 0) yield emitted;
      } else {
        const { result, records } = fetched;
        if (result.ignored) {
          // Chunks answered before an ignored last one still give their records, as in the CDK.
          if (records.length > 0) yield records;
          return;
        }
        for (const record of records) tracker.observe(record);
        if (records.length > 0) yield records;
      }
      if (!fetched || tracker.hasReachedLimit()) {
        const previous = requestSlice;
        requestSlice = tracker.reduceSlice(previous, slice);
        token = paginator.initialToken();
        // As the CDK's test-read paginator, the page limit counts again from the first page.
        pages = 0;
        this.run.logger.info(
          `Pagination reset for stream '${this.parts.streamName}': the slice goes from ${stringifyJson(sliceView(previous))} to ${stringifyJson(sliceView(requestSlice))}`,
        );
        continue;
      }
      const { result, records } = fetched;
      const lastPageSize = records.length;
      const lastRecord: Json | undefined = records[lastPageSize - 1];
      if (this.parts.pageLimit !== undefined && pages >= this.parts.pageLimit) return;
      if (this.parts.shouldStop?.(slice, lastRecord)) return;

      const page: PageInfo = {
        response: result.response,
        body: result.bodies[0] ?? {},
        headers: headersWithLinks(result.response),
        lastPageSize,
        rawPageSize: fetched.rawCount,
        lastRecord,
        lastTokenValue: token?.next_page_token,
      };
      const next = paginator.nextPageToken(page);
      if (!next) return;
      // Stricter than the CDK: the same token twice would read the same page forever.
      if (token && sameToken(next, token)) {
        throw new RuntimeError(
          'PAGINATION_LOOP',
          `the paginator of stream '${this.parts.streamName}' returned the same next-page token twice (${stringifyJson(next.next_page_token)}); stopping instead of reading the same page again`,
        );
      }
      token = next;
    }
  }
}

function sameToken(a: PageToken, b: PageToken): boolean {
  return stringifyJson(a.next_page_token) === stringifyJson(b.next_page_token);
}

/**
 * Headers as the paginator's templates see them: `link` replaced by the parsed links, as requests'
 * `response.links`, and `{}` when the response has no Link header (so `headers['link'].get('next')`
 * is none on the last page instead of an error).
 */
export function headersWithLinks(response: HttpResponse): Json {
  const headers: Json = { ...response.headers };
  const link = response.headers.link;
  headers.link = link === undefined ? {} : parseLinkHeader(link);
  return headers;
}

export function parseLinkHeader(value: string): Record<string, Record<string, string>> {
  const links: Record<string, Record<string, string>> = {};
  for (const part of value.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const link: Record<string, string> = { url: match[1] ?? '' };
    for (const param of (match[2] ?? '').split(';')) {
      const kv = /^\s*([^=\s]+)\s*=\s*"?([^"]*)"?\s*$/.exec(param);
      if (kv) link[kv[1] as string] = kv[2] ?? '';
    }
    links[link.rel ?? link.url ?? ''] = link;
  }
  return links;
}
