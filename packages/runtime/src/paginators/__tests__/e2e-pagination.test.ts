/**
 * Pagination run as a whole source against a local mock API: the exact URL/headers/body of every page
 * request and the stop rules (short page, empty page, missing token, stop condition), with the exact
 * records and the final state. Expected values follow Airbyte's CDK v7.28.2.
 */
import { type MockApi, type MockRequest, configuredCatalog, records, startMockApi, states } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../../source/__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const DEFAULT_SELECTOR = `      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }`;

/** One stream `items`; a `retriever` piece with its own record_selector replaces the default one. */
function manifest(paginator: string, retriever = ''): string {
  return `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
streams:
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: items }
${retriever.includes('record_selector:') ? '' : DEFAULT_SELECTOR}
${retriever}
${paginator}
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string }, page_size: { type: integer } } }
`;
}

const ITEMS = [1, 2, 3, 4, 5].map((id) => ({ id }));
const ids = (run: { messages: Parameters<typeof records>[0] }) => records(run.messages).map((r) => r.id);
const urls = (requests: MockRequest[]) => requests.map((r) => r.url);

async function read(paginator: string, handler: (req: MockRequest) => unknown, retriever = '', config: Record<string, unknown> = {}) {
  api = await startMockApi([{ path: '/items', handler: (req) => ({ body: handler(req) }) }]);
  const run = await runSource('read', {
    manifest: manifest(paginator, retriever),
    config: { base_url: api.url, ...config },
    catalog: configuredCatalog(['items']),
  });
  expect(run.code).toBe(0);
  // A full-refresh stream ends with the no-cursor state, as the CDK's concurrent read writes it.
  expect(states(run.messages).map((s) => (s.stream as { stream_state: unknown }).stream_state)).toEqual([{ __ab_no_cursor_state_message: true }]);
  return run;
}

describe('CursorPagination', () => {
  it('cursor from the last record, page size injected on every request, token in a header; stops on last_page_size', async () => {
    const run = await read(
      `      paginator:
        type: DefaultPaginator
        pagination_strategy:
          type: CursorPagination
          page_size: 2
          cursor_value: "{{ last_record['id'] }}"
          stop_condition: "{{ last_page_size < 2 }}"
        page_size_option: { type: RequestOption, inject_into: request_parameter, field_name: limit }
        page_token_option: { type: RequestOption, inject_into: header, field_name: X-After }`,
      (req) => {
        const after = Number(req.headers['x-after'] ?? 0);
        return { data: ITEMS.filter((i) => i.id > after).slice(0, Number(req.query.limit)) };
      },
    );
    expect(ids(run)).toEqual([1, 2, 3, 4, 5]);
    expect((api as MockApi).requests.map((r) => [r.url, r.headers['x-after']])).toEqual([
      ['/items?limit=2', undefined],
      ['/items?limit=2', '2'],
      ['/items?limit=2', '4'],
    ]);
  });

  it('last_page_size counts the records kept by the record filter (so a filter can end the pagination early)', async () => {
    const run = await read(
      `      paginator:
        type: DefaultPaginator
        pagination_strategy:
          type: CursorPagination
          cursor_value: "{{ response.next }}"
          stop_condition: "{{ last_page_size < 2 }}"
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: cursor }`,
      (req) => (req.query.cursor ? { data: [{ id: 3 }, { id: 4 }], next: null } : { data: [{ id: 1 }, { id: 2 }], next: 'p2' }),
      `      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
        record_filter: { type: RecordFilter, condition: "{{ record['id'] != 2 }}" }`,
    );
    expect(ids(run)).toEqual([1]);
    expect(urls((api as MockApi).requests)).toEqual(['/items']);
  });

  it('no stop_condition: a missing or empty cursor value ends it', async () => {
    const run = await read(
      `      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.meta.next }}" }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: cursor }`,
      (req) => {
        if (req.query.cursor === undefined) return { data: [{ id: 1 }], meta: { next: 'b' } };
        if (req.query.cursor === 'b') return { data: [{ id: 2 }], meta: { next: '' } };
        return { data: [{ id: 99 }] };
      },
    );
    expect(ids(run)).toEqual([1, 2]);
    expect(urls((api as MockApi).requests)).toEqual(['/items', '/items?cursor=b']);
  });

  it('the token goes into a JSON body of a POST at a nested path', async () => {
    api = await startMockApi([
      {
        method: 'POST',
        path: '/items',
        handler: (req) => {
          const after = (req.json as { page?: { after?: string } } | undefined)?.page?.after;
          return { body: after ? { data: [{ id: 2 }], next: null } : { data: [{ id: 1 }], next: 'n2' } };
        },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(`      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.next }}", stop_condition: "{{ response.next is none }}" }
        page_token_option: { type: RequestOption, inject_into: body_json, field_path: [page, after] }`).replace('path: items }', 'path: items, http_method: POST }'),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).toBe(0);
    expect(ids(run)).toEqual([1, 2]);
    // No token: no body at all on the first request.
    expect(api.requests.map((r) => r.body)).toEqual(['', '{"page": {"after": "n2"}}']);
  });
});

describe('CursorPagination with a next cursor beyond 2^53', () => {
  it('the next request carries the exact digits, in the query string and in a JSON body', async () => {
    api = await startMockApi([
      {
        path: '/items',
        handler: (req) => {
          const after = req.query.after;
          if (after === undefined) return { body: '{"data":[{"id":1}],"next":12345678901234567890}', headers: { 'content-type': 'application/json' } };
          if (after === '12345678901234567890') return { body: '{"data":[{"id":2}],"next":-9007199254740993}', headers: { 'content-type': 'application/json' } };
          return { body: '{"data":[{"id":3}],"next":null}', headers: { 'content-type': 'application/json' } };
        },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(`      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.next }}", stop_condition: "{{ response.next is none }}" }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: after }`),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).toBe(0);
    expect(ids(run)).toEqual([1, 2, 3]);
    expect(urls(api.requests)).toEqual(['/items', '/items?after=12345678901234567890', '/items?after=-9007199254740993']);
  });

  it('a big next cursor taken from the last record goes into a JSON body as a bare int', async () => {
    api = await startMockApi([
      {
        path: '/items',
        handler: (req) =>
          req.body === ''
            ? { body: '{"data":[{"id":18446744073709551615}]}', headers: { 'content-type': 'application/json' } }
            : { body: '{"data":[]}', headers: { 'content-type': 'application/json' } },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(`      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ last_record['id'] }}", stop_condition: "{{ not last_record }}" }
        page_token_option: { type: RequestOption, inject_into: body_json, field_path: [page, after] }`).replace('path: items }', 'path: items, http_method: POST }'),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"data":{"id":18446744073709551615}');
    expect(api.requests.map((r) => r.body)).toEqual(['', '{"page": {"after": 18446744073709551615}}']);
  });
});

describe('OffsetIncrement', () => {
  it('without inject_on_first_request: no offset first, then the count of extracted records (a filter does not shrink it); an empty page ends it', async () => {
    const all = [1, 2, 3, 4].map((id) => ({ id }));
    const run = await read(
      `      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: OffsetIncrement, page_size: "{{ config['page_size'] }}" }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: offset }
        page_size_option: { type: RequestOption, inject_into: request_parameter, field_name: limit }`,
      (req) => {
        const offset = Number(req.query.offset ?? 0);
        return { data: all.slice(offset, offset + Number(req.query.limit)) };
      },
      `      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
        record_filter: { type: RecordFilter, condition: "{{ record['id'] != 2 }}" }`,
      { page_size: 2 },
    );
    expect(ids(run)).toEqual([1, 3, 4]);
    // Page 2 is full (2 records), so an empty third page is asked for and ends it. The paginator
    // puts the token before the page size.
    expect(urls((api as MockApi).requests)).toEqual(['/items?limit=2', '/items?offset=2&limit=2', '/items?offset=4&limit=2']);
  });
});

describe('PageIncrement', () => {
  it('start_from_page 1 with inject_on_first_request: page=1 first; a short page ends it', async () => {
    const run = await read(
      `      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: PageIncrement, page_size: 2, start_from_page: 1, inject_on_first_request: true }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: page }
        page_size_option: { type: RequestOption, inject_into: request_parameter, field_name: per_page }`,
      (req) => {
        const page = Number(req.query.page);
        return { data: ITEMS.slice((page - 1) * 2, page * 2) };
      },
    );
    expect(ids(run)).toEqual([1, 2, 3, 4, 5]);
    expect(urls((api as MockApi).requests)).toEqual(['/items?page=1&per_page=2', '/items?page=2&per_page=2', '/items?page=3&per_page=2']);
  });

  it('without page_size only an empty page ends it', async () => {
    const run = await read(
      `      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: PageIncrement, start_from_page: 1 }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: page }`,
      (req) => ({ data: Number(req.query.page ?? 1) <= 2 ? [{ id: Number(req.query.page ?? 1) }] : [] }),
    );
    expect(ids(run)).toEqual([1, 2]);
    expect(urls((api as MockApi).requests)).toEqual(['/items', '/items?page=2', '/items?page=3']);
  });

  it('the page token as a path (RequestPath is for URLs; page numbers use path interpolation of next_page_token)', async () => {
    api = await startMockApi([
      { path: /^\/pages\/(?<n>\d+)$/, handler: (req) => ({ body: { data: Number(req.params.n) < 3 ? [{ id: Number(req.params.n) }] : [] } }) },
    ]);
    const run = await runSource('read', {
      manifest: manifest(`      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: PageIncrement, start_from_page: 1, inject_on_first_request: true }`).replace(
        'path: items }',
        "path: \"pages/{{ next_page_token['next_page_token'] }}\" }",
      ),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).toBe(0);
    expect(ids(run)).toEqual([1, 2]);
    expect(urls(api.requests)).toEqual(['/pages/1', '/pages/2', '/pages/3']);
  });
});

describe('RequestPath', () => {
  it('a next link relative to the host, and an absolute one under a url_base with a path', async () => {
    api = await startMockApi([
      {
        path: /.*/,
        handler: (req) => {
          if (req.url === '/v1/items') return { body: { data: [{ id: 1 }], next: '/v1/items?page=2' } };
          if (req.url === '/v1/items?page=2') return { body: { data: [{ id: 2 }], next: `${api?.url}/v1/items?page=3` } };
          return { body: { data: [{ id: 3 }], next: null } };
        },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(`      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.next }}", stop_condition: "{{ not response.next }}" }
        page_token_option: { type: RequestPath }`).replace(`url_base: "{{ config['base_url'] }}", path: items }`, `url_base: "{{ config['base_url'] }}/v1", path: items }`),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).toBe(0);
    expect(ids(run)).toEqual([1, 2, 3]);
    // The token is joined to the url_base as a URL reference (urljoin): a host-relative path
    // replaces the base path, an absolute URL replaces everything.
    expect(urls(api.requests)).toEqual(['/v1/items', '/v1/items?page=2', '/v1/items?page=3']);
  });
});

describe('NoPagination and slices', () => {
  it('NoPagination sends one request even when the response has a next link', async () => {
    const run = await read('      paginator: { type: NoPagination }', () => ({ data: [{ id: 1 }], next: 'more' }));
    expect(ids(run)).toEqual([1]);
    expect((api as MockApi).requests).toHaveLength(1);
  });

  it('pagination starts over for each partition', async () => {
    const run = await read(
      `      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: PageIncrement, page_size: 1, start_from_page: 1, inject_on_first_request: true }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: page }`,
      (req) => ({ data: req.query.page === '1' ? [{ id: `${req.query.r}-1` }] : [] }),
      `      partition_router:
        type: ListPartitionRouter
        values: [a, b]
        cursor_field: r
        request_option: { type: RequestOption, inject_into: request_parameter, field_name: r }`,
    );
    expect(ids(run)).toEqual(['a-1', 'b-1']);
    // The paginator's options come before the partition router's.
    expect(urls((api as MockApi).requests)).toEqual(['/items?page=1&r=a', '/items?page=2&r=a', '/items?page=1&r=b', '/items?page=2&r=b']);
  });

  it('ignore_stream_slicer_parameters_on_paginated_requests: the partition option only on the first page', async () => {
    const run = await read(
      `      ignore_stream_slicer_parameters_on_paginated_requests: true
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.next }}", stop_condition: "{{ not response.next }}" }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: cursor }`,
      (req) => (req.query.cursor ? { data: [{ id: 2 }], next: null } : { data: [{ id: 1 }], next: 'c2' }),
      `      partition_router:
        type: ListPartitionRouter
        values: [a]
        cursor_field: r
        request_option: { type: RequestOption, inject_into: request_parameter, field_name: r }`,
    );
    expect(ids(run)).toEqual([1, 2]);
    expect(urls((api as MockApi).requests)).toEqual(['/items?r=a', '/items?cursor=c2']);
  });
});
