/**
 * One scenario per concept of the format, run through the real entrypoint against a local mock
 * API: the exact requests sent, the exact records and the exact state messages out.
 */
import { type MockApi, type MockRequest, configuredCatalog, errors, records, startMockApi, states, streamState } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from './__tests__/harness.js';

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
      client_secret: { type: string, airbyte_secret: true }
`;

/** A manifest with one or more streams given as YAML list items. */
const manifest = (streams: string, extra = '') => `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
definitions:
  requester:
    type: HttpRequester
    url_base: "{{ config['base_url'] }}"
streams:
${streams}
${extra}
${SPEC}`;

const selector = (path = 'data') => `
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [${path}] }`;

const stateValues = (messages: Parameters<typeof states>[0]) =>
  states(messages).map((s) => (s.stream as { stream_state: unknown }).stream_state);

const urls = (requests: MockRequest[]) => requests.map((r) => r.url);

describe('pagination', () => {
  it('OffsetIncrement: offsets from 0, stops on a short page', async () => {
    const items = [1, 2, 3, 4, 5].map((id) => ({ id }));
    api = await startMockApi([
      { path: '/items', handler: (req) => ({ body: { data: items.slice(Number(req.query.offset), Number(req.query.offset) + 2) } }) },
    ]);
    const run = await runSource('read', {
      manifest: manifest(`
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: items }
${selector()}
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: OffsetIncrement, page_size: 2, inject_on_first_request: true }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: offset }
        page_size_option: { type: RequestOption, inject_into: request_parameter, field_name: limit }`),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).toBe(0);
    expect(records(run.messages).map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
    expect(urls(api.requests)).toEqual(['/items?offset=0&limit=2', '/items?offset=2&limit=2', '/items?offset=4&limit=2']);
    expect(stateValues(run.messages)).toEqual([{ __ab_no_cursor_state_message: true }]);
  });

  it('PageIncrement without inject_on_first_request: no page on the first request, then start_from_page + 1', async () => {
    api = await startMockApi([
      {
        path: '/items',
        handler: (req) => {
          const page = Number(req.query.page ?? 0);
          return { body: { data: page < 2 ? [{ id: page * 2 }, { id: page * 2 + 1 }] : [] } };
        },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(`
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: items }
${selector()}
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: PageIncrement, page_size: 2, start_from_page: 0 }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: page }`),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).toBe(0);
    expect(records(run.messages).map((r) => r.id)).toEqual([0, 1, 2, 3]);
    // The empty page ends it.
    expect(urls(api.requests)).toEqual(['/items', '/items?page=1', '/items?page=2']);
  });

  it('CursorPagination with RequestPath: follows the next URL from the response as it is', async () => {
    api = await startMockApi([
      {
        path: '/v1/items',
        handler: (req) =>
          req.query.after === 'b'
            ? { body: { data: [{ id: 'c' }], links: { next: null } } }
            : { body: { data: [{ id: 'a' }, { id: 'b' }], links: { next: `${api?.url}/v1/items?after=b&limit=2` } } },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(`
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: /v1/items, request_parameters: { limit: "2" } }
${selector()}
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.links.next }}", stop_condition: "{{ response.links.next is none }}" }
        page_token_option: { type: RequestPath }`),
      config: { base_url: `${api.url}/` },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).toBe(0);
    expect(records(run.messages).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    // The requester's own parameters are still added to the next-page URL (requests merges them).
    expect(urls(api.requests)).toEqual(['/v1/items?limit=2', '/v1/items?after=b&limit=2']);
  });

  it('CursorPagination from the Link header (headers.link.next.url)', async () => {
    api = await startMockApi([
      {
        path: '/items',
        handler: (req) =>
          req.query.page === '2'
            ? { body: { data: [{ id: 2 }] } }
            : { headers: { link: `<${api?.url}/items?page=2>; rel="next"` }, body: { data: [{ id: 1 }] } },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(`
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: items }
${selector()}
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ headers['link']['next']['url'] }}", stop_condition: "{{ 'next' not in headers['link'] }}" }
        page_token_option: { type: RequestPath }`),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).toBe(0);
    expect(records(run.messages).map((r) => r.id)).toEqual([1, 2]);
    expect(urls(api.requests)).toEqual(['/items', '/items?page=2']);
  });

  it('retries a 429 with Retry-After in the middle of pagination without losing or doubling records', async () => {
    api = await startMockApi([
      {
        path: '/items',
        handler: (req, { callCount }) => {
          if (!req.query.cursor) return { body: { data: [{ id: 1 }], next: 'c2' } };
          if (callCount === 2) return { status: 429, headers: { 'retry-after': '3' }, body: {} };
          return { body: { data: [{ id: 2 }], next: null } };
        },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(`
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: items }
${selector()}
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.next }}", stop_condition: "{{ not response.next }}" }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: cursor }`),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).toBe(0);
    expect(records(run.messages).map((r) => r.id)).toEqual([1, 2]);
    expect(urls(api.requests)).toEqual(['/items', '/items?cursor=c2', '/items?cursor=c2']);
    expect(run.sleeps).toEqual([3000]);
  });
});

describe('partitioning', () => {
  it('ListPartitionRouter: one slice per value, injected as a parameter and visible in the path', async () => {
    api = await startMockApi([{ path: /^\/regions\/(?<region>[a-z]+)\/items$/, handler: (req) => ({ body: { data: [{ id: `${req.params.region}-1` }] } }) }]);
    const run = await runSource('read', {
      manifest: manifest(`
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: "regions/{{ stream_partition.region }}/items" }
${selector()}
      partition_router:
        type: ListPartitionRouter
        values: [eu, us]
        cursor_field: region
        request_option: { type: RequestOption, inject_into: request_parameter, field_name: r }
    transformations:
      - type: AddFields
        fields:
          - { path: [region], value: "{{ stream_partition.region }}" }`),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([
      { id: 'eu-1', region: 'eu' },
      { id: 'us-1', region: 'us' },
    ]);
    expect(urls(api.requests)).toEqual(['/regions/eu/items?r=eu', '/regions/us/items?r=us']);
  });

  it('SubstreamPartitionRouter: a child request per parent record, with extra fields', async () => {
    api = await startMockApi([
      { path: '/projects', response: { body: { data: [{ id: 7, name: 'seven' }, { id: 9, name: 'nine' }] } } },
      { path: /^\/projects\/(?<id>\d+)\/tasks$/, handler: (req) => ({ body: { data: [{ task: `t${req.params.id}` }] } }) },
    ]);
    const run = await runSource('read', {
      manifest: manifest(`
  - type: DeclarativeStream
    name: projects
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: projects }
${selector()}
  - type: DeclarativeStream
    name: tasks
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: "projects/{{ stream_partition.project_id }}/tasks" }
${selector()}
      partition_router:
        type: SubstreamPartitionRouter
        parent_stream_configs:
          - type: ParentStreamConfig
            stream: "#/streams/0"
            parent_key: id
            partition_field: project_id
            extra_fields: [[name]]
    transformations:
      - type: AddFields
        fields:
          - { path: [project_id], value: "{{ stream_partition.project_id }}" }
          - { path: [project_name], value: "{{ stream_slice.extra_fields['name'] }}" }`),
      config: { base_url: api.url },
      catalog: configuredCatalog(['tasks']),
    });
    expect(run.code).toBe(0);
    expect(records(run.messages, 'tasks')).toEqual([
      { task: 't7', project_id: 7, project_name: 'seven' },
      { task: 't9', project_id: 9, project_name: 'nine' },
    ]);
    expect(urls(api.requests)).toEqual(['/projects', '/projects/7/tasks', '/projects/9/tasks']);
    expect(errors(run.messages)).toEqual([]);
  });
});

describe('incremental sync', () => {
  const cursor = (extra = '') => `
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "{{ config.get('start', '2024-01-01') }}"
      end_datetime: "2024-01-04"
      step: P1D
      cursor_granularity: P1D
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: from }
      end_time_option: { type: RequestOption, inject_into: request_parameter, field_name: to }${extra}`;
  const stream = (extra = '') => `
  - type: DeclarativeStream
    name: items
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: items }
${selector()}
${cursor(extra)}`;
  const byDay: Record<string, Array<{ id: number; updated_at: string }>> = {
    '2024-01-01': [{ id: 1, updated_at: '2024-01-01' }],
    '2024-01-02': [],
    '2024-01-03': [{ id: 3, updated_at: '2024-01-03' }, { id: 4, updated_at: '2024-01-03' }],
  };
  const routes = () => [{ path: '/items', handler: (req: MockRequest) => ({ body: { data: byDay[String(req.query.from)] ?? [] } }) }];

  it('slices by step, injects the window, writes the state after each window', async () => {
    api = await startMockApi(routes());
    const run = await runSource('read', {
      manifest: manifest(stream()),
      config: { base_url: api.url },
      catalog: configuredCatalog([{ name: 'items', syncMode: 'incremental' }]),
    });
    expect(run.code).toBe(0);
    expect(records(run.messages).map((r) => r.id)).toEqual([1, 3, 4]);
    expect(urls(api.requests)).toEqual([
      '/items?from=2024-01-01&to=2024-01-01',
      '/items?from=2024-01-02&to=2024-01-02',
      // The last window ends at the end datetime itself (no granularity taken off), as the CDK cuts it.
      '/items?from=2024-01-03&to=2024-01-04',
    ]);
    // After each window: the most recent cursor value of the completed range (an empty window
    // does not move it), then once more at the end, as the CDK writes it.
    expect(stateValues(run.messages)).toEqual([
      { updated_at: '2024-01-01' },
      { updated_at: '2024-01-01' },
      { updated_at: '2024-01-03' },
      { updated_at: '2024-01-03' },
    ]);
  });

  it('resumes from the state of a previous sync', async () => {
    api = await startMockApi(routes());
    const run = await runSource('read', {
      manifest: manifest(stream()),
      config: { base_url: api.url },
      catalog: configuredCatalog([{ name: 'items', syncMode: 'incremental' }]),
      state: [streamState('items', { updated_at: '2024-01-03' })],
    });
    expect(run.code).toBe(0);
    expect(urls(api.requests)).toEqual(['/items?from=2024-01-03&to=2024-01-04']);
    expect(records(run.messages).map((r) => r.id)).toEqual([3, 4]);
    expect(stateValues(run.messages).at(-1)).toEqual({ updated_at: '2024-01-03' });
  });

  it('full refresh of an incremental stream still starts from the incoming state, as the CDK builds every stream from the state', async () => {
    api = await startMockApi(routes());
    const run = await runSource('read', {
      manifest: manifest(stream()),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
      state: [streamState('items', { updated_at: '2024-01-03' })],
    });
    expect(run.code).toBe(0);
    expect(urls(api.requests)).toEqual(['/items?from=2024-01-03&to=2024-01-04']);
    expect(records(run.messages).map((r) => r.id)).toEqual([3, 4]);
    expect(stateValues(run.messages)).toEqual([{ updated_at: '2024-01-03' }, { updated_at: '2024-01-03' }]);
  });

  it('a stream without a cursor ignores incoming state and writes its completion state', async () => {
    api = await startMockApi([{ path: '/items', response: { body: { data: [{ id: 1 }] } } }]);
    const noCursor = `
  - type: DeclarativeStream
    name: items
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: items }
${selector()}`;
    const run = await runSource('read', {
      manifest: manifest(noCursor),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
      state: [streamState('items', { updated_at: '2024-01-03' })],
    });
    expect(run.code).toBe(0);
    expect(urls(api.requests)).toEqual(['/items']);
    expect(records(run.messages)).toEqual([{ id: 1 }]);
    expect(stateValues(run.messages)).toEqual([{ __ab_no_cursor_state_message: true }]);
  });

  it('client-side incremental drops records older than the state', async () => {
    api = await startMockApi([
      {
        path: '/items',
        response: { body: { data: [{ id: 1, updated_at: '2024-01-01' }, { id: 2, updated_at: '2024-01-03' }] } },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(`
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: items }
${selector()}
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      end_datetime: "2024-01-05"
      is_client_side_incremental: true`),
      config: { base_url: api.url },
      catalog: configuredCatalog([{ name: 'items', syncMode: 'incremental' }]),
      state: [streamState('items', { updated_at: '2024-01-02' })],
    });
    expect(run.code).toBe(0);
    expect(records(run.messages).map((r) => r.id)).toEqual([2]);
    expect(stateValues(run.messages).at(-1)).toEqual({ updated_at: '2024-01-03' });
  });
});

describe('record processing', () => {
  it('JSON Lines, a record filter on the transformed record, AddFields with value_type, RemoveFields, KeysToSnakeCase', async () => {
    api = await startMockApi([
      {
        path: '/export',
        response: {
          headers: { 'content-type': 'application/jsonl' },
          body: '{"Id":1,"FullName":"Ada","Secret":"x","Score":"10"}\n{"Id":2,"FullName":"Bob","Secret":"y","Score":"3"}\n',
        },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(`
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      decoder: { type: JsonlDecoder }
      requester: { $ref: "#/definitions/requester", path: export }
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [] }
        transform_before_filtering: true
        record_filter: { type: RecordFilter, condition: "{{ record['score'] > 5 }}" }
    transformations:
      - type: KeysToSnakeCase
      - type: AddFields
        fields:
          - { path: [score], value: "{{ record['score'] }}", value_type: integer }
      - type: RemoveFields
        field_pointers: [[secret]]`),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ id: 1, full_name: 'Ada', score: 10 }]);
  });
});

describe('authentication', () => {
  it('OAuth: a token that expires mid-read is refreshed before the next page', async () => {
    let now = Date.UTC(2024, 0, 1);
    let issued = 0;
    api = await startMockApi([
      {
        method: 'POST',
        path: '/token',
        handler: (req) => {
          issued += 1;
          expect(req.form).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'r-token', client_id: 'cid' });
          return { body: { access_token: `at-${issued}`, expires_in: 60 } };
        },
      },
      {
        path: '/items',
        handler: (req) => {
          if (!req.query.cursor) {
            now += 120_000; // the first page takes two minutes: the token expires meanwhile
            return { body: { data: [{ id: 1, token: req.headers.authorization }], next: 'p2' } };
          }
          return { body: { data: [{ id: 2, token: req.headers.authorization }], next: null } };
        },
      },
    ]);
    const run = await runSource(
      'read',
      {
        manifest: manifest(`
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester:
        $ref: "#/definitions/requester"
        path: items
        authenticator:
          type: OAuthAuthenticator
          token_refresh_endpoint: "{{ config['base_url'] }}/token"
          client_id: cid
          client_secret: "{{ config['client_secret'] }}"
          refresh_token: r-token
${selector()}
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.next }}", stop_condition: "{{ not response.next }}" }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: cursor }`),
        config: { base_url: api.url, client_secret: 'cs-secret-123' },
        catalog: configuredCatalog(['items']),
      },
      { clock: () => now },
    );
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([
      { id: 1, token: 'Bearer at-1' },
      { id: 2, token: 'Bearer at-2' },
    ]);
    expect(issued).toBe(2);
  });
});

describe('per-partition incremental state', () => {
  it('a child stream with incremental parents keeps one cursor per parent and the parent state', async () => {
    api = await startMockApi([
      {
        path: '/projects',
        response: { body: { data: [{ id: 7, updated_at: '2024-01-02' }, { id: 9, updated_at: '2024-01-03' }] } },
      },
      {
        path: /^\/projects\/(?<id>\d+)\/tasks$/,
        handler: (req) => ({ body: { data: [{ id: `t${req.params.id}`, updated_at: req.params.id === '7' ? '2024-01-02' : '2024-01-03' }] } }),
      },
    ]);
    const cursor = `
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      end_datetime: "2024-01-05"`;
    const run = await runSource(
      'read',
      {
        manifest: manifest(`
  - type: DeclarativeStream
    name: projects
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: projects }
${selector()}
${cursor}
  - type: DeclarativeStream
    name: tasks
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: "projects/{{ stream_partition.project_id }}/tasks" }
${selector()}
      partition_router:
        type: SubstreamPartitionRouter
        parent_stream_configs:
          - type: ParentStreamConfig
            stream: "#/streams/0"
            parent_key: id
            partition_field: project_id
            incremental_dependency: true
${cursor}`),
        config: { base_url: api.url },
        catalog: configuredCatalog([{ name: 'tasks', syncMode: 'incremental' }]),
      },
      { clock: () => Date.UTC(2024, 0, 10) },
    );
    expect(run.code).toBe(0);
    expect(records(run.messages, 'tasks').map((r) => r.id)).toEqual(['t7', 't9']);
    const last = stateValues(run.messages).at(-1) as Record<string, unknown>;
    expect(last).toMatchObject({
      use_global_cursor: false,
      states: [
        { partition: { parent_slice: {}, project_id: 7 }, cursor: { updated_at: '2024-01-02' } },
        { partition: { parent_slice: {}, project_id: 9 }, cursor: { updated_at: '2024-01-03' } },
      ],
      state: { updated_at: '2024-01-03' },
      parent_state: { projects: { updated_at: '2024-01-03' } },
    });
  });
});

describe('config normalization rules', () => {
  const withRules = (rules: string) =>
    manifest(`
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: "{{ config['region'] }}/items" }
${selector()}`).replace(
      '  connection_specification:',
      `  config_normalization_rules:
${rules}
  connection_specification:`,
    );

  it('migrates the config (saved, with a CONTROL message), transforms it in memory, then reads', async () => {
    api = await startMockApi([{ path: '/eu-west/items', response: { body: { data: [{ id: 1 }] } } }]);
    const run = await runSource('read', {
      manifest: withRules(`    config_migrations:
      - type: ConfigMigration
        transformations:
          - type: ConfigRemapField
            field_path: [region]
            map: { europe: eu }
    transformations:
      - type: ConfigAddFields
        fields:
          - { type: AddedFieldDefinition, path: [region], value: "{{ config['region'] }}-west" }`),
      config: { base_url: api.url, region: 'europe' },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ id: 1 }]);
    const control = run.messages.find((m) => m.type === 'CONTROL') as unknown as { control: { connectorConfig: { config: Record<string, unknown> } } };
    expect(control.control.connectorConfig.config).toEqual({ base_url: api.url, region: 'eu' });
  });

  it('a failing validation is a config_error before any request', async () => {
    api = await startMockApi([{ path: '/x/items', response: { body: { data: [] } } }]);
    const run = await runSource('read', {
      manifest: withRules(`    validations:
      - type: DpathValidator
        field_path: [region]
        validation_strategy:
          type: ValidateAdheresToSchema
          base_schema: { type: string, enum: [eu, us] }`),
      config: { base_url: api.url, region: 'x' },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).not.toBe(0);
    expect(errors(run.messages)[0]).toMatchObject({ failure_type: 'config_error' });
    expect(errors(run.messages)[0]?.message).toContain('config.region');
    expect(api.requests).toHaveLength(0);
  });
});
