/** Ready-made faulty responses and handlers for the mock API. */
import type { MockHandler, MockResponse } from './mock-api.js';

export const faults = {
  /**
   * 429 with a Retry-After header (seconds, or an HTTP date: a string or a Date) for the
   * first `times` calls to the route (default 1), then `then`.
   */
  rateLimited(retryAfter: number | string | Date, then: MockResponse, times = 1): MockHandler {
    const value = retryAfter instanceof Date ? retryAfter.toUTCString() : String(retryAfter);
    return (_req, { callCount }) =>
      callCount <= times
        ? { status: 429, headers: { 'retry-after': value, 'content-type': 'application/json' }, body: { error: 'rate limited' } }
        : then;
  },

  /** `failure` for the first `n` calls to the route, then `then`. */
  failTimes(n: number, failure: MockResponse, then: MockResponse): MockHandler {
    return (_req, { callCount }) => (callCount <= n ? failure : then);
  },

  /**
   * A complete 200 response (content-length matches what is sent) with content-type
   * application/json whose body is `JSON.stringify(body)` cut at `atFraction` (default 0.5)
   * of its length — a decodable HTTP response carrying invalid JSON. Pass an object or array.
   */
  truncatedJson(body: unknown, atFraction = 0.5): MockResponse {
    const text = JSON.stringify(body) ?? '';
    const at = Math.min(Math.max(Math.floor(text.length * atFraction), 1), Math.max(text.length - 1, 1));
    return { status: 200, headers: { 'content-type': 'application/json' }, body: text.slice(0, at) };
  },

  /** An HTML page (default status 200) where JSON is expected, as served by proxies and login walls. */
  html(status = 200): MockResponse {
    return {
      status,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: '<!DOCTYPE html>\n<html><head><title>Service</title></head><body><h1>Something went wrong</h1><p>Please try again later.</p></body></html>\n',
    };
  },

  /** `then`, delayed by `ms` more milliseconds. */
  slow(ms: number, then: MockResponse): MockResponse {
    return { ...then, delayMs: (then.delayMs ?? 0) + ms };
  },
};
