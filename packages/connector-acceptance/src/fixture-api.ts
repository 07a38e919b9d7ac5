/**
 * A connector's mock API, declared as data in connectors/<name>/fixtures/api.json and served by
 * the testkit's mock server. Each route serves a fixed list of items (paginated like the real API)
 * or a fixed response, optionally behind credentials, a rate limit, and query/path filters.
 */
import { faults, paginate, startMockApi, type MockApi, type MockHandler, type MockResponse, type MockRoute, type PaginateOptions } from '@manifold/testkit';

export interface FixtureAuth {
  /** A header that must equal `value` (case-insensitive name), e.g. authorization: "Bearer x". */
  header?: string;
  /** A query parameter that must equal `value`. */
  query?: string;
  value: string;
}

export interface FixtureFilter {
  /** Query parameter (absent in the request = no filtering) or path parameter (`:name` in the path). */
  param?: string;
  pathParam?: string;
  /** Item field compared with the parameter. */
  field: string;
  /** eq (default), gte/gt/lte/lt: compared as numbers when both are numeric, as dates when both parse, else as strings. */
  op?: 'eq' | 'gte' | 'gt' | 'lte' | 'lt';
  /** How the parameter is written: 'unix' seconds (compared with the item's date), default as is. */
  format?: 'unix';
}

export interface FixtureRoute {
  method?: string;
  path: string;
  auth?: FixtureAuth;
  /** Required x-www-form-urlencoded body fields (token endpoints); a mismatch answers 400 invalid_grant. */
  form?: Record<string, string>;
  /** The first `times` requests to this route get 429 with Retry-After: retryAfter (seconds). */
  rateLimit?: { times?: number; retryAfter: number };
  items?: Array<Record<string, unknown>>;
  filters?: FixtureFilter[];
  /** Items sorted by this field (ascending) before paginating. */
  sortBy?: string;
  /** testkit paginate options; without it every matching item is sent in one response. */
  paginate?: PaginateOptions;
  /** Stripe-style cursor pagination: `?starting_after=<id>&limit=N` → { data, has_more }. */
  startingAfter?: { pageSize: number; idField?: string; param?: string; limitParam?: string };
  /** Unpaginated items are wrapped as { [envelope]: items }; absent = a bare array. */
  envelope?: string;
  /** A fixed response instead of items. */
  response?: MockResponse;
}

/** A request the connector must have made during the suite (proves pagination, incremental parameters...). */
export interface ExpectedRequest {
  path: string;
  /** Query parameters that must have these values. */
  query?: Record<string, string>;
  /** Headers (lower-case names) that must have these values. */
  headers?: Record<string, string>;
  /** Why, shown when it is missing. */
  because?: string;
}

export interface FixtureApi {
  routes: FixtureRoute[];
  expectRequests?: ExpectedRequest[];
}

/** Whether a logged request matches an expectation. */
export function requestMatches(req: { path: string; query: Record<string, string | string[]>; headers: Record<string, string | string[] | undefined> }, exp: ExpectedRequest): boolean {
  if (req.path !== exp.path) return false;
  for (const [k, v] of Object.entries(exp.query ?? {})) if (one(req.query[k]) !== v) return false;
  for (const [k, v] of Object.entries(exp.headers ?? {})) if (one(req.headers[k.toLowerCase()]) !== v) return false;
  return true;
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function compare(item: unknown, raw: string, format: FixtureFilter['format']): number {
  if (format === 'unix') {
    const t = typeof item === 'number' ? item * 1000 : Date.parse(String(item));
    return Math.sign(t - Number(raw) * 1000);
  }
  if (typeof item === 'number' && raw !== '' && !Number.isNaN(Number(raw))) return Math.sign(item - Number(raw));
  const a = Date.parse(String(item));
  const b = Date.parse(raw);
  if (typeof item === 'string' && !Number.isNaN(a) && !Number.isNaN(b) && /\d{4}-\d{2}-\d{2}/.test(raw)) return Math.sign(a - b);
  const s = String(item);
  return s < raw ? -1 : s > raw ? 1 : 0;
}

function matches(items: Array<Record<string, unknown>>, filters: FixtureFilter[], query: Record<string, string | string[]>, params: Record<string, string>) {
  return items.filter((item) =>
    filters.every((f) => {
      const raw = f.pathParam !== undefined ? params[f.pathParam] : one(query[f.param ?? '']);
      if (raw === undefined || raw === '') return true;
      const c = compare(item[f.field], raw, f.format);
      switch (f.op ?? 'eq') {
        case 'eq':
          return c === 0;
        case 'gte':
          return c >= 0;
        case 'gt':
          return c > 0;
        case 'lte':
          return c <= 0;
        case 'lt':
          return c < 0;
      }
    }),
  );
}

/** A 429 the mock served: the request's URL and when. */
export interface RateLimitedRequest {
  route: string;
  url: string;
  at: number;
}

export interface FixtureMockApi extends MockApi {
  /** Every 429 served by a route's `rateLimit`. */
  rateLimited: RateLimitedRequest[];
  /** When each request arrived (parallel to `requests`). */
  arrivals: number[];
}

function routeHandler(route: FixtureRoute, rateLimited: RateLimitedRequest[], arrivals: number[]): MockHandler {
  const items = [...(route.items ?? [])];
  if (route.sortBy) {
    const key = route.sortBy;
    items.sort((a, b) => compare(a[key], String(b[key]), undefined));
  }
  const serve: MockHandler = (req, ctx) => {
    if (route.response) return route.response;
    const selected = matches(items, route.filters ?? [], req.query, req.params);
    if (route.paginate) return paginate(selected, route.paginate)(req, ctx);
    if (route.startingAfter) {
      const { pageSize, idField = 'id', param = 'starting_after', limitParam = 'limit' } = route.startingAfter;
      const after = one(req.query[param]);
      const limit = Number(one(req.query[limitParam]) ?? pageSize) || pageSize;
      const start = after ? selected.findIndex((i) => String(i[idField]) === after) + 1 : 0;
      if (after && start === 0) return { status: 400, body: { error: { message: `No such object: ${after}` } } };
      const data = selected.slice(start, start + limit);
      return { body: { object: 'list', data, has_more: start + limit < selected.length } };
    }
    return { body: route.envelope ? { [route.envelope]: selected } : selected };
  };
  const limited = route.rateLimit;
  return async (req, ctx) => {
    arrivals.push(Date.now());
    if (limited && ctx.callCount <= (limited.times ?? 1)) {
      rateLimited.push({ route: route.path, url: req.url, at: Date.now() });
      return faults.rateLimited(limited.retryAfter, { status: 200 }, limited.times ?? 1)(req, ctx);
    }
    const auth = route.auth;
    if (auth) {
      const got = auth.header !== undefined ? one(req.headers[auth.header.toLowerCase()]) : one(req.query[auth.query ?? '']);
      if (got !== auth.value) return { status: 401, body: { error: 'unauthorized', message: 'Bad credentials' } };
    }
    if (route.form) {
      const ok = Object.entries(route.form).every(([k, v]) => req.form?.[k] === v);
      if (!ok) return { status: 400, body: { error: 'invalid_grant', error_description: 'refresh token is not valid' } };
    }
    return serve(req, ctx);
  };
}

/** Start the mock API a fixture declares. */
export async function startFixtureApi(api: FixtureApi): Promise<FixtureMockApi> {
  const rateLimited: RateLimitedRequest[] = [];
  const arrivals: number[] = [];
  const routes: MockRoute[] = api.routes.map((r) => ({ method: r.method, path: r.path, handler: routeHandler(r, rateLimited, arrivals) }));
  return Object.assign(await startMockApi(routes), { rateLimited, arrivals });
}

/** Replace every "{{mock_url}}" in a fixture config with the mock's URL. */
export function withMockUrl<T>(value: T, url: string): T {
  return JSON.parse(JSON.stringify(value).replaceAll('{{mock_url}}', url)) as T;
}
