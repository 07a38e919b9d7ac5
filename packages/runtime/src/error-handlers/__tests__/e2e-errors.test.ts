/**
 * Error handling run as a whole source against a local mock API: which responses are retried,
 * ignored or fail the stream, the exact waits (recorded, not slept), the trace messages and failure
 * types, and the records that still come out. Expected values follow Airbyte's CDK v7.28.2 (a
 * configured backoff waits its value plus one second; `attempt_count` starts at 1).
 */
import { type MockApi, type MockRequest, configuredCatalog, errors, faults, records, startMockApi, streamStatuses } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../resolvers/__tests__/cli.js';
import { runSource } from '../../source/__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const T0 = Date.UTC(2024, 0, 1);

/** Streams `items` (at /items, with `errorHandler` YAML at 8 spaces) and `other` (at /other, default handling). */
function manifest(errorHandler: string, retriever = '', extra = ''): string {
  return `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
streams:
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: items
${errorHandler}
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
${retriever}
  - type: DeclarativeStream
    name: other
    retriever:
      type: SimpleRetriever
      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: other }
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
${extra}
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string } } }
`;
}

const ok = (ids: unknown[]) => ({ body: { data: ids.map((id) => ({ id })) } });

async function read(errorHandler: string, options: { retriever?: string; streams?: string[]; extra?: string } = {}) {
  return runSource(
    'read',
    {
      manifest: manifest(errorHandler, options.retriever, options.extra),
      config: { base_url: (api as MockApi).url },
      catalog: configuredCatalog(options.streams ?? ['items']),
    },
    { clock: () => T0 },
  );
}

const ids = (run: { messages: Parameters<typeof records>[0] }, stream?: string) => records(run.messages, stream).map((r) => r.id);

describe('HttpResponseFilter actions', () => {
  it('IGNORE: a 404 partition yields nothing and the read goes on with the next one', async () => {
    api = await startMockApi([
      { path: '/items', handler: (req) => (req.query.r === 'gone' ? { status: 404, body: { error: 'no such region' } } : ok([req.query.r])) },
    ]);
    const run = await read(
      `        error_handler:
          type: DefaultErrorHandler
          response_filters:
            - { type: HttpResponseFilter, action: IGNORE, http_codes: [404] }`,
      {
        retriever: `      partition_router:
        type: ListPartitionRouter
        values: [eu, gone, us]
        cursor_field: r
        request_option: { type: RequestOption, inject_into: request_parameter, field_name: r }`,
      },
    );
    expect(run.code).toBe(0);
    expect(ids(run)).toEqual(['eu', 'us']);
    expect(api.requests.map((r) => r.url)).toEqual(['/items?r=eu', '/items?r=gone', '/items?r=us']);
    expect(errors(run.messages)).toEqual([]);
  });

  it('IGNORE mid-pagination: an ignored 404 page ends the pagination; an ignored 200 still yields its records and pages on', async () => {
    const paginated = `      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.next }}", stop_condition: "{{ not response.next }}" }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: cursor }`;
    const handler = `        error_handler:
          type: DefaultErrorHandler
          response_filters:
            - { type: HttpResponseFilter, action: IGNORE, http_codes: [404] }
            - { type: HttpResponseFilter, action: IGNORE, predicate: "{{ response.warning is defined }}" }`;
    api = await startMockApi([
      {
        path: '/items',
        handler: (req) => {
          if (!req.query.cursor) return { body: { data: [{ id: 1 }], next: 'p2' } };
          if (req.query.cursor === 'p2') return { body: { data: [{ id: 2 }], next: 'p3', warning: 'partial' } };
          return { status: 404, body: { data: [{ id: 99 }], next: 'p4' } };
        },
      },
    ]);
    const run = await read(handler, { retriever: paginated });
    expect(run.code).toBe(0);
    expect(ids(run)).toEqual([1, 2]);
    expect(api.requests.map((r) => r.url)).toEqual(['/items', '/items?cursor=p2', '/items?cursor=p3']);
  });

  it('FAIL: the interpolated error_message and failure_type in the trace; the other stream is still read', async () => {
    api = await startMockApi([
      { path: '/items', response: { status: 400, body: { error: { msg: 'bad filter' } } } },
      { path: '/other', response: ok([1]) },
    ]);
    const run = await read(
      `        error_handler:
          type: DefaultErrorHandler
          response_filters:
            - type: HttpResponseFilter
              action: FAIL
              http_codes: [400]
              failure_type: config_error
              error_message: "The API refused the request: {{ response.error.msg }}"`,
      { streams: ['items', 'other'] },
    );
    expect(run.code).not.toBe(0);
    expect(ids(run, 'other')).toEqual([1]);
    // The stream's own error, then the summary the CDK raises at the end of the sync.
    expect(errors(run.messages).map((e) => [e.message, e.failure_type, e.stream_descriptor])).toEqual([
      ['The API refused the request: bad filter', 'config_error', { name: 'items' }],
      ['During the sync, the following streams did not sync successfully: items', 'config_error', undefined],
    ]);
    expect(api.requestsTo('/items')).toHaveLength(1);
    expect(streamStatuses(run.messages, 'items').map((s) => s.status)).toEqual(['STARTED', 'INCOMPLETE']);
    expect(streamStatuses(run.messages, 'other').map((s) => s.status)).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
  });

  it('RETRY on a 200 matched by predicate, with a constant backoff (waits its value + 1 s)', async () => {
    api = await startMockApi([{ path: '/items', handler: faults.failTimes(2, { body: { status: 'pending' } }, ok([1])) }]);
    const run = await read(`        error_handler:
          type: DefaultErrorHandler
          backoff_strategies: [{ type: ConstantBackoffStrategy, backoff_time_in_seconds: 2 }]
          response_filters:
            - { type: HttpResponseFilter, action: RETRY, predicate: "{{ response.status == 'pending' }}" }`);
    expect(run.code).toBe(0);
    expect(ids(run)).toEqual([1]);
    expect(api.requests).toHaveLength(3);
    expect(run.sleeps).toEqual([3000, 3000]);
  });

  it('error_message_contains matches the body text; RATE_LIMITED is retried', async () => {
    api = await startMockApi([{ path: '/items', handler: faults.failTimes(1, { status: 400, body: { error: 'Quota exceeded, slow down' } }, ok([1])) }]);
    const run = await read(`        error_handler:
          type: DefaultErrorHandler
          backoff_strategies: [{ type: ConstantBackoffStrategy, backoff_time_in_seconds: 1 }]
          response_filters:
            - { type: HttpResponseFilter, action: RATE_LIMITED, error_message_contains: "Quota exceeded" }`);
    expect(run.code).toBe(0);
    expect(ids(run)).toEqual([1]);
    expect(run.sleeps).toEqual([2000]);
  });
});

describe('backoff strategies and retry limits', () => {
  it('ExponentialBackoffStrategy: factor × 2^attempt (+1 s) for each retry of a 503', async () => {
    api = await startMockApi([{ path: '/items', handler: faults.failTimes(3, { status: 503, body: {} }, ok([1])) }]);
    const run = await read(`        error_handler:
          type: DefaultErrorHandler
          backoff_strategies: [{ type: ExponentialBackoffStrategy, factor: 2 }]`);
    expect(run.code).toBe(0);
    expect(ids(run)).toEqual([1]);
    expect(run.sleeps).toEqual([5000, 9000, 17000]);
  });

  it('429 with Retry-After read by WaitTimeFromHeader: waits the header value + 1 s', async () => {
    api = await startMockApi([{ path: '/items', handler: faults.rateLimited(7, ok([1])) }]);
    const run = await read(`        error_handler:
          type: DefaultErrorHandler
          backoff_strategies: [{ type: WaitTimeFromHeader, header: Retry-After }]`);
    expect(run.code).toBe(0);
    expect(ids(run)).toEqual([1]);
    expect(run.sleeps).toEqual([8000]);
  });

  it('WaitTimeFromHeader with a regex (matched at the start, as re.match); a wait at or over max_waiting_time_in_seconds stops the stream as a transient_error', async () => {
    api = await startMockApi([
      { path: '/items', handler: faults.failTimes(1, { status: 429, headers: { 'x-wait': '3 seconds' }, body: {} }, ok([1])) },
    ]);
    const handler = (max: number) => `        error_handler:
          type: DefaultErrorHandler
          backoff_strategies: [{ type: WaitTimeFromHeader, header: X-Wait, regex: "([0-9]+)", max_waiting_time_in_seconds: ${max} }]`;
    const waited = await read(handler(10));
    expect(waited.code).toBe(0);
    expect(waited.sleeps).toEqual([4000]);

    api.reset();
    const refused = await read(handler(3));
    expect(refused.code).not.toBe(0);
    expect(refused.sleeps).toEqual([]);
    expect(errors(refused.messages)[0]?.failure_type).toBe('transient_error');
    expect(api.requests).toHaveLength(1);
  });

  it('WaitUntilTimeFromHeader: waits until the epoch time in the header (+1 s); min_wait is a floor', async () => {
    const resetAt = String(T0 / 1000 + 30);
    api = await startMockApi([{ path: '/items', handler: faults.failTimes(1, { status: 429, headers: { 'x-reset': resetAt }, body: {} }, ok([1])) }]);
    const run = await read(`        error_handler:
          type: DefaultErrorHandler
          backoff_strategies: [{ type: WaitUntilTimeFromHeader, header: X-Reset, min_wait: 5 }]`);
    expect(run.code).toBe(0);
    expect(run.sleeps).toEqual([31000]);
  });

  it('max_retries: 2 gives three attempts, then a transient_error naming the retries; no records', async () => {
    api = await startMockApi([{ path: '/items', response: { status: 500, body: { error: 'boom' } } }]);
    const run = await read(`        error_handler:
          type: DefaultErrorHandler
          max_retries: 2
          backoff_strategies: [{ type: ConstantBackoffStrategy, backoff_time_in_seconds: 1 }]`);
    expect(run.code).not.toBe(0);
    expect(api.requests).toHaveLength(3);
    expect(run.sleeps).toEqual([2000, 2000]);
    const [error] = errors(run.messages);
    expect(error?.failure_type).toBe('transient_error');
    expect(error?.message).toContain('Giving up after 2 retries');
    expect(records(run.messages)).toEqual([]);
  });
});

describe('CompositeErrorHandler and defaults', () => {
  it('the first handler that matches decides: 403 ignored by the first, 500 retried by the second', async () => {
    api = await startMockApi([
      {
        path: '/items',
        handler: (req: MockRequest, { callCount }) => {
          if (req.query.r === 'a') return { status: 403, body: {} };
          return callCount === 2 ? { status: 500, body: {} } : ok(['b']);
        },
      },
    ]);
    const run = await read(
      `        error_handler:
          type: CompositeErrorHandler
          error_handlers:
            - type: DefaultErrorHandler
              response_filters: [{ type: HttpResponseFilter, action: IGNORE, http_codes: [403] }]
            - type: DefaultErrorHandler
              backoff_strategies: [{ type: ConstantBackoffStrategy, backoff_time_in_seconds: 4 }]
              response_filters: [{ type: HttpResponseFilter, action: RETRY, http_codes: [500] }]`,
      {
        retriever: `      partition_router:
        type: ListPartitionRouter
        values: [a, b]
        cursor_field: r
        request_option: { type: RequestOption, inject_into: request_parameter, field_name: r }`,
      },
    );
    expect(run.code).toBe(0);
    expect(ids(run)).toEqual(['b']);
    expect(api.requests.map((r) => r.url)).toEqual(['/items?r=a', '/items?r=b', '/items?r=b']);
    expect(run.sleeps).toEqual([5000]);
  });

  it('no error handler: 429 and 5xx are retried (5 retries), other 4xx fail at once as system_error', async () => {
    api = await startMockApi([
      { path: '/items', handler: faults.failTimes(2, { status: 502, body: {} }, ok([1])) },
      { path: '/other', response: { status: 404, body: { error: 'nope' } } },
    ]);
    const run = await read('', { streams: ['items', 'other'] });
    expect(ids(run, 'items')).toEqual([1]);
    expect(api.requestsTo('/items')).toHaveLength(3);
    expect(api.requestsTo('/other')).toHaveLength(1);
    expect(errors(run.messages).map((e) => [e.stream_descriptor, e.failure_type])).toEqual([
      [{ name: 'other' }, 'system_error'],
      [undefined, 'config_error'],
    ]);
    expect(run.code).not.toBe(0);
  });

  it('a connection reset is retried, then the read goes on', async () => {
    api = await startMockApi([{ path: '/items', handler: faults.failTimes(1, { reset: true }, ok([1])) }]);
    const run = await read('');
    expect(run.code).toBe(0);
    expect(ids(run)).toEqual([1]);
    expect(api.requests).toHaveLength(2);
    expect(run.sleeps).toHaveLength(1);
  });

  it('a response cut off mid-body (the socket closes before content-length bytes) is retried like a connection error', async () => {
    api = await startMockApi([{ path: '/items', handler: faults.failTimes(1, { body: { data: [{ id: 1 }, { id: 2 }] }, truncateAt: 10 }, ok([1, 2])) }]);
    const run = await read('');
    expect(run.code).toBe(0);
    expect(ids(run)).toEqual([1, 2]);
    expect(api.requests).toHaveLength(2);
    expect(run.sleeps).toHaveLength(1);
  });

  it('a connection that is always refused ends as a transient_error after the retries', async () => {
    api = await startMockApi([]);
    const url = api.url;
    await api.close();
    api = undefined;
    const run = await runSource(
      'read',
      { manifest: manifest(''), config: { base_url: url }, catalog: configuredCatalog(['items']) },
      { clock: () => T0 },
    );
    expect(run.code).not.toBe(0);
    expect(run.sleeps).toHaveLength(5);
    expect(errors(run.messages)[0]?.failure_type).toBe('transient_error');
  });
});

describe('api_budget', () => {
  it('HTTPAPIBudget with a fixed window: the call over the limit waits for the window to reset', async () => {
    api = await startMockApi([{ path: '/items', handler: (req) => (req.query.page ? ok([]) : ok([1])) }]);
    const run = await runCli(
      'read',
      manifest(
        '',
        `      partition_router:
        type: ListPartitionRouter
        values: [a, b, c]
        cursor_field: r
        request_option: { type: RequestOption, inject_into: request_parameter, field_name: r }`,
        `api_budget:
  type: HTTPAPIBudget
  policies:
    - type: FixedWindowCallRatePolicy
      period: PT1M
      call_limit: 2
      matchers: []`,
      ),
      { base_url: api.url },
      configuredCatalog(['items']),
    );
    expect(run.code).toBe(0);
    expect(api.requests.map((r) => r.url)).toEqual(['/items?r=a', '/items?r=b', '/items?r=c']);
    // The third call waits until the minute that started with the first one is over. (Not the CDK:
    // its manifest factory opens the first window 10 days ahead, so without ratelimit headers the
    // third call would wait about 10 days; see docs/coverage-4.md.)
    expect(run.sleeps).toEqual([60_000]);
  });

  const threeSlices = `      partition_router:
        type: ListPartitionRouter
        values: [a, b, c]
        cursor_field: r
        request_option: { type: RequestOption, inject_into: request_parameter, field_name: r }`;

  it('the API\'s ratelimit headers set the calls left and the reset time of a fixed window', async () => {
    const resetAt = String(T0 / 1000 + 30);
    api = await startMockApi([
      { path: '/items', handler: () => ({ headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetAt }, body: { data: [{ id: 1 }] } }) },
    ]);
    const run = await runCli(
      'read',
      manifest(
        '',
        threeSlices.replace('[a, b, c]', '[a, b]'),
        `api_budget:
  type: HTTPAPIBudget
  ratelimit_remaining_header: X-RateLimit-Remaining
  ratelimit_reset_header: X-RateLimit-Reset
  policies:
    - { type: FixedWindowCallRatePolicy, period: PT1H, call_limit: 100, matchers: [] }`,
      ),
      { base_url: api.url },
      configuredCatalog(['items']),
    );
    expect(run.code).toBe(0);
    expect(api.requests).toHaveLength(2);
    // No calls left after the first response, and the window resets 30 s after T0.
    expect(run.sleeps).toEqual([30_000]);
  });

  it('MovingWindowCallRatePolicy limits only the requests its matcher selects', async () => {
    api = await startMockApi([{ path: /.*/, response: ok([1]) }]);
    const run = await runCli(
      'read',
      manifest(
        '',
        threeSlices,
        `api_budget:
  type: HTTPAPIBudget
  policies:
    - type: MovingWindowCallRatePolicy
      rates: [{ type: Rate, limit: 2, interval: PT10S }]
      matchers: [{ type: HttpRequestRegexMatcher, url_path_pattern: "/items" }]`,
      ),
      { base_url: api.url },
      configuredCatalog(['items', 'other']),
    );
    expect(run.code).toBe(0);
    expect(api.requests.map((r) => r.url).sort()).toEqual(['/items?r=a', '/items?r=b', '/items?r=c', '/other']);
    // The third /items call waits until the first leaves the 10 s window; /other is not limited.
    expect(run.sleeps).toEqual([10_000]);
  });
});
