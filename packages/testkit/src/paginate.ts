/** A handler serving a fixed list of items in pages, for fixture APIs. */
import type { MockHandler, MockRequest, MockResponse } from './mock-api.js';

export type PaginationStyle = 'page' | 'offset' | 'cursor' | 'link';

export interface PaginateOptions {
  /**
   * - `page`:   `?page=N` (1-based) → `{ data, next_page: N+1 | null }`
   * - `offset`: `?offset=K&limit=M` → `{ data, next_offset: K+M | null }`
   * - `cursor`: `?cursor=C` (opaque; absent = first page) → `{ data, next_cursor: C' | null }`
   * - `link`:   `?page=N` → `{ data }` plus a `Link: <absolute url>; rel="next"` header while more remain
   */
  style: PaginationStyle;
  /** Page size when the request does not ask for one with `sizeParam`. */
  pageSize: number;
  /** Default 'page' (page and link styles). */
  pageParam?: string;
  /** Query parameter a client may use to choose the page size: default 'limit' for offset, 'page_size' otherwise. */
  sizeParam?: string;
  /** Default 'offset'. */
  offsetParam?: string;
  /** Default 'cursor'. */
  cursorParam?: string;
  /** Key holding the page's items, default 'data'; '' sends the bare array (and no next key). */
  recordsKey?: string;
  /** Key holding the next page/offset/cursor: default next_page / next_offset / next_cursor; link style adds it (the next URL) only when given. */
  nextKey?: string;
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function intParam(req: MockRequest, name: string, min: number): number | undefined | Error {
  const raw = one(req.query[name]);
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min) return new Error(`invalid ${name}: ${JSON.stringify(raw)}`);
  return Number(raw);
}

const encodeCursor = (offset: number): string => Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');

function decodeCursor(c: string): number | undefined {
  const m = /^offset:(\d+)$/.exec(Buffer.from(c, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

const badRequest = (message: string): MockResponse => ({ status: 400, body: { error: message } });

export function paginate<T>(items: T[], opts: PaginateOptions): MockHandler {
  if (!Number.isInteger(opts.pageSize) || opts.pageSize < 1) throw new Error('paginate: pageSize must be a positive integer');
  const { style } = opts;
  const pageParam = opts.pageParam ?? 'page';
  const sizeParam = opts.sizeParam ?? (style === 'offset' ? 'limit' : 'page_size');
  const offsetParam = opts.offsetParam ?? 'offset';
  const cursorParam = opts.cursorParam ?? 'cursor';
  const recordsKey = opts.recordsKey ?? 'data';
  const defaultNextKey = { page: 'next_page', offset: 'next_offset', cursor: 'next_cursor', link: undefined }[style];
  const nextKey = opts.nextKey ?? defaultNextKey;

  const build = (slice: T[], next: unknown): unknown => {
    if (recordsKey === '') return slice;
    const body: Record<string, unknown> = { [recordsKey]: slice };
    if (nextKey !== undefined) body[nextKey] = next;
    return body;
  };

  return (req) => {
    const size = intParam(req, sizeParam, 1);
    if (size instanceof Error) return badRequest(size.message);
    const limit = size ?? opts.pageSize;

    let offset: number;
    switch (style) {
      case 'page':
      case 'link': {
        const page = intParam(req, pageParam, 1);
        if (page instanceof Error) return badRequest(page.message);
        offset = ((page ?? 1) - 1) * limit;
        break;
      }
      case 'offset': {
        const o = intParam(req, offsetParam, 0);
        if (o instanceof Error) return badRequest(o.message);
        offset = o ?? 0;
        break;
      }
      case 'cursor': {
        const c = one(req.query[cursorParam]);
        if (c === undefined || c === '') offset = 0;
        else {
          const decoded = decodeCursor(c);
          if (decoded === undefined) return badRequest(`invalid ${cursorParam}: ${JSON.stringify(c)}`);
          offset = decoded;
        }
        break;
      }
    }

    const slice = items.slice(offset, offset + limit);
    const more = offset + limit < items.length;
    switch (style) {
      case 'page':
        return { body: build(slice, more ? offset / limit + 2 : null) };
      case 'offset':
        return { body: build(slice, more ? offset + limit : null) };
      case 'cursor':
        return { body: build(slice, more ? encodeCursor(offset + limit) : null) };
      case 'link': {
        if (!more) return { body: build(slice, null) };
        const host = one(req.headers.host) ?? 'localhost';
        const next = new URL(req.url, `http://${host}`);
        next.searchParams.set(pageParam, String(offset / limit + 2));
        return { headers: { link: `<${next.href}>; rel="next"` }, body: build(slice, next.href) };
      }
    }
  };
}
