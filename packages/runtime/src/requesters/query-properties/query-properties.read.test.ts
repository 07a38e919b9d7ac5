/**
 * QueryProperties through the real entrypoint against a local mock API: the exact requests sent
 * per property chunk and page, and the records as merged across chunks.
 */
import { type MockApi, type MockRequest, configuredCatalog, errors, records, startMockApi, states, streamState } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../../source/__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const SPEC = `
spec:
  type: Spec
  connection_specification:
    type: object
    properties:
      base_url: { type: string }
`;

const manifest = (requesterExtra: string, retrieverExtra = '', streamExtra = '') => `
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
${requesterExtra}
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
${retrieverExtra}
${streamExtra}
${SPEC}`;

/** Rows of a fake analytics API: each entity has every field; a request gets the fields it names. */
const ROWS = [
  { id: 'r1', a: 1, b: 2, c: 3, d: 4, e: 5 },
  { id: 'r2', a: 10, b: 20, c: 30, d: 40, e: 50 },
  { id: 'r3', a: 100, b: 200, c: 300, d: 400, e: 500 },
];

function project(row: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((field) => field in row).map((field) => [field, row[field]]));
}

const fieldsOf = (req: MockRequest) => String(req.query.fields ?? '').split(',').filter(Boolean);
const urls = (requests: MockRequest[]) => requests.map((r) => r.url);

describe('QueryProperties in request_parameters', () => {
  it('property_count chunks: one request per chunk, always-included in each, records merged by key', async () => {
    api = await startMockApi([{ path: '/stats', handler: (req) => ({ body: { data: ROWS.map((row) => project(row, fieldsOf(req))) } }) }]);
    const run = await runSource('read', {
      manifest: manifest(`
        request_parameters:
          version: v2
          fields:
            type: QueryProperties
            property_list: [a, b, c, d, e]
            always_include_properties: [id]
            property_chunking:
              type: PropertyChunking
              property_limit_type: property_count
              property_limit: 2
              record_merge_strategy: { type: GroupByKeyMergeStrategy, key: id }`),
      config: { base_url: api.url },
      catalog: configuredCatalog(['stats']),
    });
    expect(errors(run.messages)).toEqual([]);
    expect(run.code).toBe(0);
    // The chunk goes after the requester's other parameters, comma-joined (%2C).
    expect(urls(api.requests)).toEqual([
      '/stats?version=v2&fields=id%2Ca%2Cb',
      '/stats?version=v2&fields=id%2Cc%2Cd',
      '/stats?version=v2&fields=id%2Ce',
    ]);
    expect(records(run.messages)).toEqual(ROWS);
    expect(states(run.messages).map((s) => (s.stream as { stream_state: unknown }).stream_state)).toEqual([
      { __ab_no_cursor_state_message: true },
    ]);
  });

  it('characters chunks: a property costs its length + 3, always-included properties do not count', async () => {
    api = await startMockApi([{ path: '/stats', response: { body: { data: [] } } }]);
    const run = await runSource('read', {
      manifest: manifest(`
        request_parameters:
          props:
            type: QueryProperties
            property_list: [alpha, be, gamma, delta, z]
            always_include_properties: [identifier]
            property_chunking:
              type: PropertyChunking
              property_limit_type: characters
              property_limit: 13`),
      config: { base_url: api.url },
      catalog: configuredCatalog(['stats']),
    });
    expect(run.code).toBe(0);
    // alpha(8)+be(5)=13 fits; gamma(8)+delta(8)=16 does not; delta(8)+z(4)=12 fits.
    expect(api.requests.map((r) => r.query.props)).toEqual(['identifier,alpha,be', 'identifier,gamma', 'identifier,delta,z']);
  });

  it('pagination inside chunks: every chunk of a page uses the same token; the last chunk decides the next page', async () => {
    const pages: Record<string, typeof ROWS> = { '': ROWS.slice(0, 2), p2: ROWS.slice(2) };
    api = await startMockApi([
      {
        path: '/stats',
        handler: (req) => {
          const cursor = String(req.query.cursor ?? '');
          const last = fieldsOf(req).includes('e');
          // Only the last chunk's response says whether there is another page.
          const next = cursor === '' ? (last ? 'p2' : 'wrong') : null;
          return { body: { data: (pages[cursor] ?? []).map((row) => project(row, fieldsOf(req))), next } };
        },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(
        `
        request_parameters:
          fields:
            type: QueryProperties
            property_list: [a, b, c, d, e]
            always_include_properties: [id]
            property_chunking:
              type: PropertyChunking
              property_limit_type: property_count
              property_limit: 3`,
        `
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.next }}", stop_condition: "{{ not response.next }}" }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: cursor }`,
      ),
      config: { base_url: api.url },
      catalog: configuredCatalog(['stats']),
    });
    expect(errors(run.messages)).toEqual([]);
    expect(urls(api.requests)).toEqual([
      '/stats?fields=id%2Ca%2Cb%2Cc',
      '/stats?fields=id%2Cd%2Ce',
      '/stats?fields=id%2Ca%2Cb%2Cc&cursor=p2',
      '/stats?fields=id%2Cd%2Ce&cursor=p2',
    ]);
    // Merged per page: both rows of page 1, then page 2's.
    expect(records(run.messages)).toEqual(ROWS);
  });

  it('a record without the merge key is passed on unmerged, before the merged records of its page', async () => {
    api = await startMockApi([
      {
        path: '/stats',
        handler: (req) => {
          const fields = fieldsOf(req);
          const data = ROWS.slice(0, 2).map((row) => project(row, fields));
          // The second chunk's row r2 comes back without its id.
          if (fields.includes('c')) delete (data[1] as Record<string, unknown>).id;
          return { body: { data } };
        },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(`
        request_parameters:
          fields:
            type: QueryProperties
            property_list: [a, c]
            always_include_properties: [id]
            property_chunking:
              type: PropertyChunking
              property_limit_type: property_count
              property_limit: 1`),
      config: { base_url: api.url },
      catalog: configuredCatalog(['stats']),
    });
    expect(run.code).toBe(0);
    // Without record_merge_strategy the key is `id`.
    expect(records(run.messages)).toEqual([
      { c: 30 },
      { id: 'r1', a: 1, c: 3 },
      { id: 'r2', a: 10 },
    ]);
  });

  it('multi-field merge keys and nested objects are deep-merged', async () => {
    api = await startMockApi([
      {
        path: '/stats',
        handler: (req) => {
          const fields = fieldsOf(req);
          const metrics = Object.fromEntries(fields.filter((f) => f.startsWith('m')).map((f) => [f, f.length]));
          return { body: { data: [{ day: '2024-01-01', pivot: 'x', metrics, [`seen_${fields.at(-1)}`]: true }] } };
        },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(`
        request_parameters:
          fields:
            type: QueryProperties
            property_list: [m1, m22]
            property_chunking:
              type: PropertyChunking
              property_limit_type: property_count
              property_limit: 1
              record_merge_strategy: { type: GroupByKeyMergeStrategy, key: [day, pivot] }`),
      config: { base_url: api.url },
      catalog: configuredCatalog(['stats']),
    });
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ day: '2024-01-01', pivot: 'x', metrics: { m1: 2, m22: 3 }, seen_m1: true, seen_m22: true }]);
  });

  it('without property_chunking: one request, always-included first, records not merged', async () => {
    api = await startMockApi([{ path: '/stats', handler: (req) => ({ body: { data: [project(ROWS[0] as Record<string, unknown>, fieldsOf(req))] } }) }]);
    const run = await runSource('read', {
      manifest: manifest(`
        request_parameters:
          fields:
            type: QueryProperties
            property_list: [a, b]
            always_include_properties: [id]`),
      config: { base_url: api.url },
      catalog: configuredCatalog(['stats']),
    });
    expect(run.code).toBe(0);
    expect(urls(api.requests)).toEqual(['/stats?fields=id%2Ca%2Cb']);
    expect(records(run.messages)).toEqual([{ id: 'r1', a: 1, b: 2 }]);
  });

  it('two QueryProperties in request_parameters is a manifest error naming them', async () => {
    const run = await runSource('read', {
      manifest: manifest(`
        request_parameters:
          fields: { type: QueryProperties, property_list: [a] }
          more: { type: QueryProperties, property_list: [b] }`),
      config: { base_url: 'http://127.0.0.1:9' },
      catalog: configuredCatalog(['stats']),
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain('request_parameters can hold only one QueryProperties, found 2 (fields, more)');
  });
});

describe('QueryProperties with incremental reads and ignored responses', () => {
  it('chunks each time window, merges per day, and the state follows the merged records', async () => {
    api = await startMockApi([
      {
        path: '/stats',
        handler: (req) => {
          const day = String(req.query.from);
          const fields = String(req.query.metrics).split(',');
          const row: Record<string, unknown> = { day, pivot: 'campaign-1' };
          for (const field of fields) if (field.startsWith('m')) row[field] = `${field}@${day}`;
          return { body: { data: [row] } };
        },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(
        `
        request_parameters:
          metrics:
            type: QueryProperties
            property_list: [m1, m2, m3]
            always_include_properties: [day]
            property_chunking:
              type: PropertyChunking
              property_limit_type: property_count
              property_limit: 2
              record_merge_strategy: { type: GroupByKeyMergeStrategy, key: [day, pivot] }`,
        '',
        `
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: day
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      end_datetime: "2024-01-03"
      step: P1D
      cursor_granularity: P1D
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: from }`,
      ),
      config: { base_url: api.url },
      catalog: configuredCatalog([{ name: 'stats', syncMode: 'incremental', cursorField: ['day'] }]),
      state: [streamState('stats', { day: '2023-12-31' })],
    });
    expect(errors(run.messages)).toEqual([]);
    expect(urls(api.requests)).toEqual([
      '/stats?metrics=day%2Cm1%2Cm2&from=2024-01-01',
      '/stats?metrics=day%2Cm3&from=2024-01-01',
      '/stats?metrics=day%2Cm1%2Cm2&from=2024-01-02',
      '/stats?metrics=day%2Cm3&from=2024-01-02',
    ]);
    expect(records(run.messages)).toEqual([
      { day: '2024-01-01', pivot: 'campaign-1', m1: 'm1@2024-01-01', m2: 'm2@2024-01-01', m3: 'm3@2024-01-01' },
      { day: '2024-01-02', pivot: 'campaign-1', m1: 'm1@2024-01-02', m2: 'm2@2024-01-02', m3: 'm3@2024-01-02' },
    ]);
    // After each window, then once at the end.
    expect(states(run.messages).map((s) => (s.stream as { stream_state: unknown }).stream_state)).toEqual([
      { day: '2024-01-01' },
      { day: '2024-01-02' },
      { day: '2024-01-02' },
    ]);
  });

  it('an ignored last chunk ends pagination, but the earlier chunks of the page still give their records', async () => {
    api = await startMockApi([
      {
        path: '/stats',
        handler: (req) =>
          fieldsOf(req).includes('b')
            ? { status: 404, body: { message: 'no such field' } }
            : { body: { data: [{ id: 'r1', a: 1 }], next: 'p2' } },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(
        `
        request_parameters:
          fields:
            type: QueryProperties
            property_list: [a, b]
            always_include_properties: [id]
            property_chunking: { type: PropertyChunking, property_limit_type: property_count, property_limit: 1 }
        error_handler:
          type: DefaultErrorHandler
          response_filters: [{ type: HttpResponseFilter, action: IGNORE, http_codes: [404] }]`,
        `
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.next }}" }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: cursor }`,
      ),
      config: { base_url: api.url },
      catalog: configuredCatalog(['stats']),
    });
    expect(errors(run.messages)).toEqual([]);
    expect(urls(api.requests)).toEqual(['/stats?fields=id%2Ca', '/stats?fields=id%2Cb']);
    expect(records(run.messages)).toEqual([{ id: 'r1', a: 1 }]);
  });
});

describe('PropertiesFromEndpoint', () => {
  it('reads the property list once from its own paginated retriever and uses it for every slice', async () => {
    api = await startMockApi([
      {
        path: '/properties',
        handler: (req) =>
          req.query.page === '2'
            ? { body: { results: [{ meta: { name: 'c' } }] } }
            : { body: { results: [{ meta: { name: 'a' } }, { meta: { name: 'b' } }], more: true } },
      },
      {
        path: '/stats',
        handler: (req) => ({ body: { data: ROWS.filter((row) => row.id === req.query.row).map((row) => project(row, fieldsOf(req))) } }),
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(
        `
        request_parameters:
          row: "{{ stream_partition.row }}"
          fields:
            type: QueryProperties
            property_list:
              type: PropertiesFromEndpoint
              property_field_path: [meta, "{{ parameters.key }}"]
              $parameters: { key: name }
              retriever:
                type: SimpleRetriever
                requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: properties }
                record_selector:
                  type: RecordSelector
                  extractor: { type: DpathExtractor, field_path: [results] }
                paginator:
                  type: DefaultPaginator
                  pagination_strategy: { type: PageIncrement, page_size: 2, start_from_page: 1, inject_on_first_request: false }
                  page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: page }
            always_include_properties: [id]
            property_chunking:
              type: PropertyChunking
              property_limit_type: property_count
              property_limit: 2`,
        `
      partition_router:
        type: ListPartitionRouter
        cursor_field: row
        values: [r1, r3]`,
      ),
      config: { base_url: api.url },
      catalog: configuredCatalog(['stats']),
    });
    expect(errors(run.messages)).toEqual([]);
    expect(urls(api.requests)).toEqual([
      '/properties',
      '/properties?page=2',
      '/stats?row=r1&fields=id%2Ca%2Cb',
      '/stats?row=r1&fields=id%2Cc',
      '/stats?row=r3&fields=id%2Ca%2Cb',
      '/stats?row=r3&fields=id%2Cc',
    ]);
    expect(records(run.messages)).toEqual([
      { id: 'r1', a: 1, b: 2, c: 3 },
      { id: 'r3', a: 100, b: 200, c: 300 },
    ]);
  });

  it('the deprecated fetch_properties_from_endpoint is one unchunked QueryProperties the templates read from the slice', async () => {
    api = await startMockApi([
      { path: '/properties', response: { body: [{ name: 'a' }, { name: 'b' }] } },
      { path: '/stats', response: { body: { data: [{ id: 1 }] } } },
    ]);
    const run = await runSource('read', {
      manifest: manifest(`
        request_parameters:
          columns: "{{ stream_partition.extra_fields['query_properties'] | join('|') }}"
        fetch_properties_from_endpoint:
          type: PropertiesFromEndpoint
          property_field_path: [name]
          retriever:
            type: SimpleRetriever
            requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: properties }
            record_selector: { type: RecordSelector, extractor: { type: DpathExtractor, field_path: [] } }`),
      config: { base_url: api.url },
      catalog: configuredCatalog(['stats']),
    });
    expect(errors(run.messages)).toEqual([]);
    expect(urls(api.requests)).toEqual(['/properties', '/stats?columns=a%7Cb']);
  });
});

describe('query_properties on the requester', () => {
  it('chunks without a request parameter: templates reach the chunk through the slice', async () => {
    api = await startMockApi([{ path: '/stats', handler: (req) => ({ body: { data: [{ id: 1, [String(req.query.q)]: true }] } }) }]);
    const run = await runSource('read', {
      manifest: manifest(`
        request_parameters:
          q: "{{ stream_slice.extra_fields.query_properties | join('+') }}"
        query_properties:
          type: QueryProperties
          property_list: [a, b, c]
          property_chunking: { type: PropertyChunking, property_limit_type: property_count, property_limit: 2 }`),
      config: { base_url: api.url },
      catalog: configuredCatalog(['stats']),
    });
    expect(errors(run.messages)).toEqual([]);
    expect(api.requests.map((r) => r.query.q)).toEqual(['a+b', 'c']);
    expect(records(run.messages)).toEqual([{ id: 1, 'a+b': true, c: true }]);
  });
});

describe('JsonSchemaPropertySelector through the entrypoint', () => {
  it("queries only the properties of the configured catalog's json_schema", async () => {
    api = await startMockApi([{ path: '/stats', handler: (req) => ({ body: { data: ROWS.map((row) => project(row, fieldsOf(req))) } }) }]);
    const catalog = configuredCatalog(['stats']);
    (catalog.streams[0]!.stream as { json_schema: unknown }).json_schema = {
      type: 'object',
      properties: { id: { type: 'string' }, b: { type: 'integer' }, e: { type: 'integer' } },
    };
    const run = await runSource('read', {
      manifest: manifest(`
        request_parameters:
          fields:
            type: QueryProperties
            property_list: [a, b, c, d, e]
            always_include_properties: [id]
            property_selector: { type: JsonSchemaPropertySelector }
            property_chunking:
              type: PropertyChunking
              property_limit_type: property_count
              property_limit: 5`),
      config: { base_url: api.url },
      catalog,
    });
    expect(errors(run.messages)).toEqual([]);
    expect(urls(api.requests)).toEqual(['/stats?fields=id%2Cb%2Ce']);
    expect(records(run.messages)).toEqual(ROWS.map((row) => project(row, ['id', 'b', 'e'])));
  });
});
