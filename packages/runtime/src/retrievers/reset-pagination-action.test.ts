/**
 * An error handler's RESET_PAGINATION action against a local mock API: the request is not
 * retried; the SimpleRetriever restarts the slice from the first page, as the CDK's http_client
 * (PaginationResetRequiredException) and SimpleRetriever._read_pages do. Every SimpleRetriever
 * tracks pages, so this works without `pagination_reset`: one restart per slice, then failure.
 */
import { type MockApi, type MockRequest, configuredCatalog, errors, records, startMockApi, states } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../source/__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

type Item = { id: number; updated_at: string };

const PAGE_SIZE = 2;
const DAYS = ['2024-01-02', '2024-01-03', '2024-01-05', '2024-01-08', '2024-01-10'];
const ITEMS: Item[] = DAYS.map((updated_at, index) => ({ id: index + 1, updated_at }));

const manifest = ({ reset = '', cursor = true, extraRequester = '' }: { reset?: string; cursor?: boolean; extraRequester?: string }) => `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
streams:
  - type: DeclarativeStream
    name: items
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: items${extraRequester}
        error_handler:
          type: DefaultErrorHandler
          response_filters:
            - type: HttpResponseFilter
              action: RESET_PAGINATION
              http_codes: [409]
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: PageIncrement, page_size: ${PAGE_SIZE}, start_from_page: 1 }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: page }${reset}${cursor ? `
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      end_datetime: "2024-01-31"
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: since }` : ''}
spec:
  type: Spec
  connection_specification:
    type: object
    properties:
      base_url: { type: string }
`;

/**
 * Items updated at or after `since`, ascending, PAGE_SIZE a page; `conflict(page, call)` says
 * which requests (1-based call count of the route) answer 409 instead.
 */
function itemsApi(conflict: (page: number, call: number) => boolean) {
  return [
    {
      path: '/items',
      handler: (req: MockRequest, ctx: { callCount: number }) => {
        const page = Number(req.query.page ?? 1);
        if (conflict(page, ctx.callCount)) return { status: 409, body: { error: 'pagination cursor expired' } };
        const since = typeof req.query.since === 'string' ? req.query.since : '';
        const selected = ITEMS.filter((item) => item.updated_at >= since);
        return { body: { data: selected.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) } };
      },
    },
  ];
}

const urls = (requests: MockRequest[]) => requests.map((r) => r.url);
const ids = (messages: Parameters<typeof records>[0]) => records(messages).map((r) => r.id);
const stateValues = (messages: Parameters<typeof states>[0]) =>
  states(messages).map((s) => (s.stream as { stream_state: unknown }).stream_state);
const incremental = configuredCatalog([{ name: 'items', syncMode: 'incremental' }]);

describe('RESET_PAGINATION without pagination_reset', () => {
  it('restarts the slice from the first page once, without retrying the request or waiting', async () => {
    // The second request (page 2) answers 409 once.
    api = await startMockApi(itemsApi((_page, call) => call === 2));
    const run = await runSource('read', { manifest: manifest({}), config: { base_url: api.url }, catalog: incremental });
    expect(errors(run.messages)).toEqual([]);
    expect(run.code).toBe(0);
    expect(urls(api.requests)).toEqual([
      '/items?since=2024-01-01',
      '/items?page=2&since=2024-01-01',
      // The restart keeps the slice as it was (no cursor split without pagination_reset).
      '/items?since=2024-01-01',
      '/items?page=2&since=2024-01-01',
      '/items?page=3&since=2024-01-01',
    ]);
    // The first page's records were emitted before the reset and are read again.
    expect(ids(run.messages)).toEqual([1, 2, 1, 2, 3, 4, 5]);
    expect(run.sleeps).toEqual([]);
    expect(stateValues(run.messages)).toEqual([{ updated_at: '2024-01-10' }, { updated_at: '2024-01-10' }]);
  });

  it('fails the stream on a second reset of the same slice', async () => {
    api = await startMockApi(itemsApi((page) => page === 2));
    const run = await runSource('read', { manifest: manifest({}), config: { base_url: api.url }, catalog: incremental });
    expect(run.code).not.toBe(0);
    expect(urls(api.requests)).toEqual([
      '/items?since=2024-01-01',
      '/items?page=2&since=2024-01-01',
      '/items?since=2024-01-01',
      '/items?page=2&since=2024-01-01',
    ]);
    expect(ids(run.messages)).toEqual([1, 2, 1, 2]);
    expect(run.sleeps).toEqual([]);
    // The failing stream writes its state once, as the CDK does: no slice closed, so it is the start.
    expect(stateValues(run.messages)).toEqual([{ updated_at: '2024-01-01' }]);
    const [error] = errors(run.messages);
    expect(error?.failure_type).toBe('system_error');
    expect(error?.message).toContain('pagination was reset 2 time(s) with the same slice');
  });

  it('works on a full-refresh stream without a cursor', async () => {
    api = await startMockApi(itemsApi((_page, call) => call === 3));
    const run = await runSource('read', {
      manifest: manifest({ cursor: false }),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
    });
    expect(errors(run.messages)).toEqual([]);
    expect(urls(api.requests)).toEqual(['/items', '/items?page=2', '/items?page=3', '/items', '/items?page=2', '/items?page=3']);
    expect(ids(run.messages)).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 5]);
  });
});

describe('RESET_PAGINATION with pagination_reset', () => {
  it('SPLIT_USING_CURSOR restarts with the slice starting at the last cursor value read', async () => {
    const reset = `
      pagination_reset: { type: PaginationReset, action: SPLIT_USING_CURSOR }`;
    api = await startMockApi(itemsApi((_page, call) => call === 2));
    const run = await runSource('read', { manifest: manifest({ reset }), config: { base_url: api.url }, catalog: incremental });
    expect(errors(run.messages)).toEqual([]);
    expect(urls(api.requests)).toEqual([
      '/items?since=2024-01-01',
      '/items?page=2&since=2024-01-01',
      '/items?since=2024-01-03',
      '/items?page=2&since=2024-01-03',
      '/items?page=3&since=2024-01-03',
    ]);
    expect(ids(run.messages)).toEqual([1, 2, 2, 3, 4, 5]);
    expect(stateValues(run.messages)).toEqual([{ updated_at: '2024-01-10' }, { updated_at: '2024-01-10' }]);
  });

  it('RESET ignores the cursor and restarts the same slice', async () => {
    const reset = `
      pagination_reset: { type: PaginationReset, action: RESET }`;
    api = await startMockApi(itemsApi((_page, call) => call === 2));
    const run = await runSource('read', { manifest: manifest({ reset }), config: { base_url: api.url }, catalog: incremental });
    expect(errors(run.messages)).toEqual([]);
    expect(urls(api.requests).slice(0, 3)).toEqual(['/items?since=2024-01-01', '/items?page=2&since=2024-01-01', '/items?since=2024-01-01']);
    expect(ids(run.messages)).toEqual([1, 2, 1, 2, 3, 4, 5]);
  });
});

describe('RESET_PAGINATION from a login request', () => {
  // The login happens while the stream's request is built, so the reset reaches the stream's
  // retriever, as in the CDK (the authenticator runs inside SimpleRetriever._fetch_next_page).
  it('restarts the stream slice that needed the token, then fails as a repeated reset', async () => {
    const auth = `
        authenticator:
          type: SessionTokenAuthenticator
          login_requester:
            type: HttpRequester
            url_base: "{{ config['base_url'] }}"
            path: login
            http_method: POST
            error_handler:
              type: DefaultErrorHandler
              response_filters:
                - { type: HttpResponseFilter, action: RESET_PAGINATION, http_codes: [409] }
          session_token_path: [token]
          request_authentication: { type: Bearer }`;
    api = await startMockApi([
      { path: '/login', response: { status: 409, body: {} } },
      ...itemsApi(() => false),
    ]);
    const run = await runSource('read', {
      manifest: manifest({ extraRequester: auth }),
      config: { base_url: api.url },
      catalog: incremental,
    });
    expect(run.code).not.toBe(0);
    expect(urls(api.requests)).toEqual(['/login', '/login']);
    expect(records(run.messages)).toEqual([]);
    expect(run.sleeps).toEqual([]);
    expect(errors(run.messages)[0]?.message).toContain('pagination was reset 2 time(s) with the same slice');
  });
});

describe('RESET_PAGINATION on a property chunk', () => {
  const chunked = `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [stats] }
streams:
  - type: DeclarativeStream
    name: stats
    primary_key: [id]
    retriever:
      type: SimpleRetriever
      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: stats
        request_parameters:
          fields:
            type: QueryProperties
            property_list: [a, b]
            always_include_properties: [id]
            property_chunking:
              type: PropertyChunking
              property_limit_type: property_count
              property_limit: 1
              record_merge_strategy: { type: GroupByKeyMergeStrategy, key: id }
        error_handler:
          type: DefaultErrorHandler
          response_filters:
            - { type: HttpResponseFilter, action: RESET_PAGINATION, http_codes: [409] }
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string } } }
`;

  it('emits the earlier chunks records without a merge key, drops the merged ones, and restarts the page', async () => {
    api = await startMockApi([
      {
        path: '/stats',
        handler: (req: MockRequest, ctx: { callCount: number }) => {
          // The second request (the chunk of `b`) answers 409 once.
          if (ctx.callCount === 2) return { status: 409, body: {} };
          const field = String(req.query.fields).split(',')[1] as string;
          // A row without `id` has no merge key and is passed on as it is.
          return { body: { data: [{ id: 'r1', [field]: 1 }, { [field]: 'no-key' }] } };
        },
      },
    ]);
    const run = await runSource('read', { manifest: chunked, config: { base_url: api.url }, catalog: configuredCatalog(['stats']) });
    expect(errors(run.messages)).toEqual([]);
    expect(urls(api.requests)).toEqual(['/stats?fields=id%2Ca', '/stats?fields=id%2Cb', '/stats?fields=id%2Ca', '/stats?fields=id%2Cb']);
    expect(records(run.messages)).toEqual([
      // Before the reset: the keyless row of the first chunk; r1's half-merged record is dropped.
      { a: 'no-key' },
      // The restarted page: keyless rows first, then the merged record.
      { a: 'no-key' },
      { b: 'no-key' },
      { id: 'r1', a: 1, b: 1 },
    ]);
    expect(stateValues(run.messages)).toEqual([{ __ab_no_cursor_state_message: true }]);
  });
});
