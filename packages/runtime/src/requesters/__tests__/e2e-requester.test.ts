/**
 * HttpRequester run as a whole source against a local mock API: the exact URL, method, headers and
 * body of each request, with the requester's own options and the RequestOptions injected by the
 * cursor, the partition router and the paginator. Expected values follow Airbyte's CDK v7.28.2.
 */
import { type MockApi, type MockRequest, configuredCatalog, errors, records, startMockApi } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../../source/__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** One stream `items`; `retriever` is the YAML of the SimpleRetriever's fields (6-space indent). */
function manifest(retriever: string, stream = ''): string {
  return `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
streams:
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
${retriever}
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
${stream}
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string }, account: { type: string } } }
`;
}

const answer = { handler: () => ({ body: { data: [{ id: 1 }] } }) };
const seen = (r: MockRequest) => ({ method: r.method, url: r.url, body: r.body });

async function read(retriever: string, config: Record<string, unknown> = {}, stream = '', clock?: () => number) {
  return runSource(
    'read',
    { manifest: manifest(retriever, stream), config: { base_url: (api as MockApi).url, ...config }, catalog: configuredCatalog(['items']) },
    { clock },
  );
}

describe('URL', () => {
  it('url_base with a path segment + a path with a leading slash: the slash is dropped and the base path kept', async () => {
    api = await startMockApi([{ path: /.*/, ...answer }]);
    const run = await read(`      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}/api/v2", path: "/accounts/{{ config['account'] }}/items" }`, {
      account: 'a 1',
    });
    expect(run.code).toBe(0);
    expect(api.requests.map(seen)).toEqual([{ method: 'GET', url: '/api/v2/accounts/a%201/items', body: '' }]);
  });

  it('a query string in the path is kept and the request parameters are appended to it', async () => {
    api = await startMockApi([{ path: '/items', ...answer }]);
    const run = await read(`      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: "items?sort=asc", request_parameters: { limit: "5" } }`);
    expect(run.code).toBe(0);
    expect(api.requests.map((r) => r.url)).toEqual(['/items?sort=asc&limit=5']);
  });

  it('url alone is the full URL', async () => {
    api = await startMockApi([{ path: /.*/, ...answer }]);
    const run = await read(`      requester: { type: HttpRequester, url: "{{ config['base_url'] }}/v3/items" }`);
    expect(run.code).toBe(0);
    expect(api.requests.map((r) => r.url)).toEqual(['/v3/items']);
  });
});

describe('method, parameters, headers and bodies', () => {
  it('a request parameter that is not a string is rejected as the CDK schema does, naming it', async () => {
    api = await startMockApi([{ path: '/items', ...answer }]);
    const run = await read(`      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: items, request_parameters: { limit: 50 } }`);
    expect(run.code).not.toBe(0);
    expect(errors(run.messages)[0]?.failure_type).toBe('config_error');
    expect(errors(run.messages)[0]?.message).toContain('request_parameters.limit');
    expect(api.requests).toHaveLength(0);
  });

  it('GET with interpolated request_parameters and request_headers', async () => {
    api = await startMockApi([{ path: '/items', ...answer }]);
    const run = await read(
      `      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: items
        request_parameters: { account: "{{ config['account'] }}", limit: "50", q: "a b&c" }
        request_headers: { X-Account: "{{ config['account'] }}", X-Version: "2" }`,
      { account: 'acme' },
    );
    expect(run.code).toBe(0);
    const [request] = api.requests;
    expect(request?.url).toBe('/items?account=acme&limit=50&q=a+b%26c');
    expect(request?.headers['x-account']).toBe('acme');
    expect(request?.headers['x-version']).toBe('2');
  });

  it('a parameter or header that renders empty or undefined is left out (first page without a token)', async () => {
    api = await startMockApi([
      { path: '/items', handler: (req) => ({ body: req.query.after ? { data: [{ id: 2 }], next: null } : { data: [{ id: 1 }], next: 'n2' } }) },
    ]);
    const run = await read(
      `      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: items
        request_parameters:
          after: "{{ next_page_token['next_page_token'] }}"
          filter: "{{ config.get('filter', '') }}"
          region: "{{ stream_slice.region }}"
          zero: "0"
        request_headers: { X-Filter: "{{ config.get('filter') }}" }
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.next }}", stop_condition: "{{ not response.next }}" }`,
    );
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(api.requests.map((r) => [r.url, r.headers['x-filter']])).toEqual([
      ['/items?zero=0', undefined],
      ['/items?after=n2&zero=0', undefined],
    ]);
  });

  it('POST with request_body_json: JSON with its content type, interpolated values keep their types', async () => {
    api = await startMockApi([{ method: 'POST', path: '/search', ...answer }]);
    const run = await read(
      `      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: search
        http_method: POST
        request_body_json:
          account: "{{ config['account'] }}"
          filter: { size: 10, active: true, tags: [a, b] }`,
      { account: 'acme' },
    );
    expect(run.code).toBe(0);
    const [request] = api.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.json).toEqual({ account: 'acme', filter: { size: 10, active: true, tags: ['a', 'b'] } });
  });

  it('POST with request_body_data as a mapping: a urlencoded form', async () => {
    api = await startMockApi([{ method: 'POST', path: '/search', ...answer }]);
    const run = await read(
      `      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: search
        http_method: POST
        request_body_data: { account: "{{ config['account'] }}", q: "x y" }`,
      { account: 'acme' },
    );
    expect(run.code).toBe(0);
    expect(api.requests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(api.requests[0]?.body).toBe('account=acme&q=x+y');
  });

  it('POST with request_body_data as a string: sent as it is', async () => {
    api = await startMockApi([{ method: 'POST', path: '/graphql', ...answer }]);
    const run = await read(
      `      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: graphql
        http_method: POST
        request_body_data: "query { items(account: \\"{{ config['account'] }}\\") { id } }"`,
      { account: 'acme' },
    );
    expect(run.code).toBe(0);
    expect(api.requests[0]?.body).toBe('query { items(account: "acme") { id } }');
  });
});

describe('RequestOption injection from other components', () => {
  it('cursor window into a header and a nested JSON body path, partition into the JSON body, page token into the JSON body', async () => {
    api = await startMockApi([
      {
        method: 'POST',
        path: '/search',
        handler: (req) => {
          const page = (req.json as { page?: { after?: string } }).page?.after;
          return { body: page ? { data: [{ id: 2 }], next: null } : { data: [{ id: 1 }], next: 'n2' } };
        },
      },
    ]);
    const run = await read(
      `      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: search
        http_method: POST
        request_body_json: { fields: [id] }
      partition_router:
        type: ListPartitionRouter
        values: [eu]
        cursor_field: region
        request_option: { type: RequestOption, inject_into: body_json, field_path: [filter, region] }
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.next }}", stop_condition: "{{ not response.next }}", page_size: 100 }
        page_token_option: { type: RequestOption, inject_into: body_json, field_path: [page, after] }
        page_size_option: { type: RequestOption, inject_into: body_json, field_path: [page, size] }`,
      {},
      `    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      end_datetime: "2024-01-02"
      start_time_option: { type: RequestOption, inject_into: header, field_name: X-Since }
      end_time_option: { type: RequestOption, inject_into: body_json, field_path: [filter, until] }`,
    );
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(api.requests.map((r) => [r.headers['x-since'], r.json])).toEqual([
      ['2024-01-01', { fields: ['id'], filter: { region: 'eu', until: '2024-01-02' }, page: { size: 100 } }],
      ['2024-01-01', { fields: ['id'], filter: { region: 'eu', until: '2024-01-02' }, page: { size: 100, after: 'n2' } }],
    ]);
  });

  it('partition value into a form body (body_data), page number into a header', async () => {
    api = await startMockApi([
      {
        method: 'POST',
        path: '/search',
        handler: (req) => ({ body: { data: req.headers['x-page'] === '2' ? [] : [{ id: req.form?.region }] } }),
      },
    ]);
    const run = await read(`      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: search
        http_method: POST
      partition_router:
        type: ListPartitionRouter
        values: [eu, us]
        cursor_field: region
        request_option: { type: RequestOption, inject_into: body_data, field_name: region }
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: PageIncrement, start_from_page: 1, page_size: 1 }
        page_token_option: { type: RequestOption, inject_into: header, field_name: X-Page }`);
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ id: 'eu' }, { id: 'us' }]);
    // PageIncrement without inject_on_first_request: no page on the first request of each slice.
    expect(api.requests.map((r) => [r.body, r.headers['x-page']])).toEqual([
      ['region=eu', undefined],
      ['region=eu', '2'],
      ['region=us', undefined],
      ['region=us', '2'],
    ]);
  });

  it('the same query parameter set by the requester and the paginator is an error, not a silent overwrite', async () => {
    api = await startMockApi([{ path: '/items', ...answer }]);
    const run = await read(`      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: items
        request_parameters: { limit: "10" }
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: OffsetIncrement, page_size: 5 }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: offset }
        page_size_option: { type: RequestOption, inject_into: request_parameter, field_name: limit }`);
    expect(run.code).not.toBe(0);
    expect(records(run.messages)).toEqual([]);
    expect(errors(run.messages)[0]?.message).toContain("'limit'");
    expect(api.requests).toHaveLength(0);
  });
});
