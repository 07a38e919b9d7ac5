import type { Json } from '../context.js';
import type { HttpResponse } from '../requesters/http-client.js';
import type { RequestOptions } from '../requesters/request-options.js';

/** What a pagination strategy sees after a page was read. */
export interface PageInfo {
  response: HttpResponse;
  /** The first decoded body of the response (what templates see as `response`). */
  body: unknown;
  /** Response headers, with `link` parsed into {rel: {url, rel}} as requests does. */
  headers: Json;
  /** Records yielded from the page (after filtering). */
  lastPageSize: number;
  /** Records extracted from the page before any filter (7.x: Offset/Page increments count these). */
  rawPageSize: number;
  lastRecord: Json | undefined;
  /** The token value that fetched this page (undefined for the first page without initial token). */
  lastTokenValue: unknown;
}

export interface PaginationStrategy {
  /** Token for the first request, or undefined to send the first request without one. */
  readonly initialToken: unknown;
  pageSize(): number | undefined;
  /** The next token, or undefined/null to stop. */
  nextToken(page: PageInfo): unknown;
}

/** The token passed around between pages: `{ next_page_token: value }`, as in the CDK. */
export type PageToken = { next_page_token: unknown };

export interface Paginator {
  initialToken(): PageToken | undefined;
  nextPageToken(page: PageInfo): PageToken | undefined;
  requestOptions(token: PageToken | undefined): Partial<RequestOptions>;
  /** A full URL/path to fetch instead of the requester's (RequestPath page tokens). */
  path(token: PageToken | undefined): string | undefined;
}
