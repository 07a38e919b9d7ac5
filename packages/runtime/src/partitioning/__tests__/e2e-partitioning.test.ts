/**
 * Partition routers run as a whole source against a local mock API: one request per partition with
 * the value injected where asked, parent streams read for substreams, and the exact per-partition
 * STATE messages, then a second run from the first run's state. Expected values follow Airbyte's
 * CDK v7.28.2 (ConcurrentPerPartitionCursor state: use_global_cursor, states, state, parent_state).
 */
import { type MockApi, type MockRequest, configuredCatalog, errors, records, startMockApi, states, streamState as streamStateOf } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../../source/__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const NOW = Date.UTC(2024, 0, 10);

const selector = `
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }`;

function manifest(streams: string): string {
  return `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [projects] }
definitions:
  requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}" }
streams:
${streams}
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string }, regions: { type: array } } }
`;
}

const stateValues = (messages: Parameters<typeof states>[0], stream?: string) =>
  states(messages)
    .filter((s) => stream === undefined || (s.stream as { stream_descriptor: { name: string } }).stream_descriptor.name === stream)
    .map((s) => (s.stream as { stream_state: unknown }).stream_state);
const urls = (requests: MockRequest[]) => requests.map((r) => r.url);

async function read(streams: string, catalog: Parameters<typeof configuredCatalog>[0], config: Record<string, unknown> = {}, state?: unknown) {
  const run = await runSource(
    'read',
    { manifest: manifest(streams), config: { base_url: (api as MockApi).url, ...config }, catalog: configuredCatalog(catalog), state },
    { clock: () => NOW },
  );
  expect(errors(run.messages)).toEqual([]);
  expect(run.code).toBe(0);
  return run;
}

describe('ListPartitionRouter', () => {
  it('values from the config, injected as a header; full refresh ends with the no-cursor state', async () => {
    api = await startMockApi([{ path: '/items', handler: (req) => ({ body: { data: [{ id: `${req.headers['x-region']}-1` }] } }) }]);
    const run = await read(
      `  - type: DeclarativeStream
    name: projects
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: items }
${selector}
      partition_router:
        type: ListPartitionRouter
        values: "{{ config['regions'] }}"
        cursor_field: region
        request_option: { type: RequestOption, inject_into: header, field_name: X-Region }`,
      ['projects'],
      { regions: ['eu', 'us'] },
    );
    expect(records(run.messages)).toEqual([{ id: 'eu-1' }, { id: 'us-1' }]);
    expect(api.requests.map((r) => [r.url, r.headers['x-region']])).toEqual([
      ['/items', 'eu'],
      ['/items', 'us'],
    ]);
    expect(stateValues(run.messages)).toEqual([{ __ab_no_cursor_state_message: true }]);
  });
});

describe('SubstreamPartitionRouter', () => {
  const parent = (extra = '') => `  - type: DeclarativeStream
    name: projects
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: projects }
${selector}
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.next }}", stop_condition: "{{ not response.next }}" }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: cursor }
${extra}`;

  it('reads every parent page, a nested parent_key, the value injected as a parameter, extra_fields in the slice', async () => {
    api = await startMockApi([
      {
        path: '/projects',
        handler: (req) =>
          req.query.cursor
            ? { body: { data: [{ ref: { id: 9 }, name: 'nine' }], next: null } }
            : { body: { data: [{ ref: { id: 7 }, name: 'seven' }], next: 'p2' } },
      },
      { path: '/tasks', handler: (req) => ({ body: { data: [{ task: `t${req.query.project}` }] } }) },
    ]);
    const run = await read(
      `${parent()}
  - type: DeclarativeStream
    name: tasks
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: tasks }
${selector}
      partition_router:
        type: SubstreamPartitionRouter
        parent_stream_configs:
          - type: ParentStreamConfig
            stream: "#/streams/0"
            parent_key: ref/id
            partition_field: project_id
            extra_fields: [[name]]
            request_option: { type: RequestOption, inject_into: request_parameter, field_name: project }
    transformations:
      - type: AddFields
        fields:
          - { path: [project], value: "{{ stream_partition.project_id }}" }
          - { path: [project_name], value: "{{ stream_slice.extra_fields['name'] }}" }`,
      ['tasks'],
    );
    expect(records(run.messages, 'tasks')).toEqual([
      { task: 't7', project: 7, project_name: 'seven' },
      { task: 't9', project: 9, project_name: 'nine' },
    ]);
    expect(records(run.messages, 'projects')).toEqual([]);
    expect(urls(api.requests)).toEqual(['/projects', '/projects?cursor=p2', '/tasks?project=7', '/tasks?project=9']);
    expect(stateValues(run.messages, 'tasks')).toEqual([{ __ab_no_cursor_state_message: true }]);
  });

  it('parent ids beyond 2^53: exact in the child path, the added field and the per-partition STATE', async () => {
    const json = { 'content-type': 'application/json' };
    api = await startMockApi([
      { path: '/projects', handler: () => ({ body: '{"data":[{"id":12345678901234567890},{"id":9007199254740993}],"next":null}', headers: json }) },
      {
        path: /^\/projects\/(?<id>\d+)\/tasks$/,
        handler: (req) => ({ body: `{"data":[{"id":${req.params.id}1,"updated_at":"2024-01-05"}]}`, headers: json }),
      },
    ]);
    const run = await read(
      `${parent()}
  - type: DeclarativeStream
    name: tasks
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: "projects/{{ stream_partition.project_id }}/tasks" }
${selector}
      partition_router:
        type: SubstreamPartitionRouter
        parent_stream_configs:
          - { type: ParentStreamConfig, stream: "#/streams/0", parent_key: id, partition_field: project_id }
    incremental_sync: { type: DatetimeBasedCursor, cursor_field: updated_at, datetime_format: "%Y-%m-%d", start_datetime: "2024-01-01" }
    transformations:
      - type: AddFields
        fields:
          - { path: [project], value: "{{ stream_partition.project_id }}" }`,
      [{ name: 'tasks', syncMode: 'incremental', cursorField: ['updated_at'] }],
    );
    expect(urls(api.requests)).toEqual(['/projects', '/projects/12345678901234567890/tasks', '/projects/9007199254740993/tasks']);
    expect(run.stdout).toContain('"data":{"id":123456789012345678901,"updated_at":"2024-01-05","project":12345678901234567890}');
    expect(run.stdout).toContain('"data":{"id":90071992547409931,"updated_at":"2024-01-05","project":9007199254740993}');
    const lastState = run.stdout.split('\n').filter((line) => line.startsWith('{"type":"STATE"')).at(-1) ?? '';
    expect(lastState).toContain(
      '"states":[{"partition":{"parent_slice":{},"project_id":12345678901234567890},"cursor":{"updated_at":"2024-01-05"}},' +
        '{"partition":{"parent_slice":{},"project_id":9007199254740993},"cursor":{"updated_at":"2024-01-05"}}]',
    );
  });

  it('a parent that is itself a substream: the child partition carries the parent slice, nested', async () => {
    api = await startMockApi([
      { path: /^\/orgs\/(?<org>\w+)\/projects$/, handler: (req) => ({ body: { data: [{ id: `${req.params.org}-p` }] } }) },
      { path: /^\/projects\/(?<id>[\w-]+)\/tasks$/, handler: (req) => ({ body: { data: [{ task: `${req.params.id}-t` }] } }) },
    ]);
    const run = await read(
      `  - type: DeclarativeStream
    name: projects
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: "orgs/{{ stream_partition.org }}/projects" }
${selector}
      partition_router: { type: ListPartitionRouter, values: [acme, beta], cursor_field: org }
  - type: DeclarativeStream
    name: tasks
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: "projects/{{ stream_partition.project_id }}/tasks" }
${selector}
      partition_router:
        type: SubstreamPartitionRouter
        parent_stream_configs:
          - { type: ParentStreamConfig, stream: "#/streams/0", parent_key: id, partition_field: project_id }
    transformations:
      - type: AddFields
        fields:
          - { path: [org], value: "{{ stream_partition.parent_slice.org }}" }`,
      ['tasks'],
    );
    expect(records(run.messages, 'tasks')).toEqual([
      { task: 'acme-p-t', org: 'acme' },
      { task: 'beta-p-t', org: 'beta' },
    ]);
    expect(urls(api.requests)).toEqual(['/orgs/acme/projects', '/orgs/beta/projects', '/projects/acme-p/tasks', '/projects/beta-p/tasks']);
  });

  it('a parent with no records: no child request, no records, the stream still completes', async () => {
    api = await startMockApi([
      { path: '/projects', response: { body: { data: [], next: null } } },
      { path: '/tasks', response: { body: { data: [{ id: 1 }] } } },
    ]);
    const run = await read(
      `${parent()}
  - type: DeclarativeStream
    name: tasks
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: tasks }
${selector}
      partition_router:
        type: SubstreamPartitionRouter
        parent_stream_configs:
          - { type: ParentStreamConfig, stream: "#/streams/0", parent_key: id, partition_field: project_id }`,
      ['tasks'],
    );
    expect(records(run.messages)).toEqual([]);
    expect(urls(api.requests)).toEqual(['/projects']);
    expect(stateValues(run.messages, 'tasks')).toEqual([{ __ab_no_cursor_state_message: true }]);
  });

  it('incremental_dependency: per-parent child cursors plus the parent state; a second run reads the parent from its state', async () => {
    const projects = [
      { id: 7, updated_at: '2024-01-02' },
      { id: 9, updated_at: '2024-01-05' },
    ];
    api = await startMockApi([
      {
        path: '/projects',
        handler: (req) => ({ body: { data: projects.filter((p) => p.updated_at >= String(req.query.since)), next: null } }),
      },
      {
        path: /^\/projects\/(?<id>\d+)\/tasks$/,
        handler: (req) => ({
          body: { data: [{ id: `t${req.params.id}`, updated_at: req.params.id === '7' ? '2024-01-03' : '2024-01-06' }].filter((t) => t.updated_at >= String(req.query.since)) },
        }),
      },
    ]);
    const cursor = `
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: since }`;
    const streams = `${parent(cursor)}
  - type: DeclarativeStream
    name: tasks
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: "projects/{{ stream_partition.project_id }}/tasks" }
${selector}
      partition_router:
        type: SubstreamPartitionRouter
        parent_stream_configs:
          - type: ParentStreamConfig
            stream: "#/streams/0"
            parent_key: id
            partition_field: project_id
            incremental_dependency: true
${cursor}`;
    const first = await read(streams, [{ name: 'tasks', syncMode: 'incremental' }]);
    expect(records(first.messages, 'tasks').map((r) => r.id)).toEqual(['t7', 't9']);
    expect(urls(api.requests)).toEqual(['/projects?since=2024-01-01', '/projects/7/tasks?since=2024-01-01', '/projects/9/tasks?since=2024-01-01']);
    const last = stateValues(first.messages, 'tasks').at(-1);
    expect(last).toEqual({
      use_global_cursor: false,
      states: [
        { partition: { parent_slice: {}, project_id: 7 }, cursor: { updated_at: '2024-01-03' } },
        { partition: { parent_slice: {}, project_id: 9 }, cursor: { updated_at: '2024-01-06' } },
      ],
      state: { updated_at: '2024-01-06' },
      // Seconds the sync took (the clock is fixed here).
      lookback_window: 0,
      parent_state: { projects: { updated_at: '2024-01-05' } },
    });

    api.reset();
    const second = await read(streams, [{ name: 'tasks', syncMode: 'incremental' }], {}, [states(first.messages).at(-1)]);
    // The parent resumes from its state: only project 9 is new enough; its child resumes from its own cursor.
    expect(urls(api.requests)).toEqual(['/projects?since=2024-01-05', '/projects/9/tasks?since=2024-01-06']);
    expect(records(second.messages, 'tasks').map((r) => r.id)).toEqual(['t9']);
    expect(stateValues(second.messages, 'tasks').at(-1)).toMatchObject({
      states: [
        { partition: { parent_slice: {}, project_id: 7 }, cursor: { updated_at: '2024-01-03' } },
        { partition: { parent_slice: {}, project_id: 9 }, cursor: { updated_at: '2024-01-06' } },
      ],
      state: { updated_at: '2024-01-06' },
      parent_state: { projects: { updated_at: '2024-01-05' } },
    });
  });
});

describe('Cartesian product and GroupingPartitionRouter', () => {
  it('a partition router given as a list is their Cartesian product: first router outermost, both values injected', async () => {
    api = await startMockApi([{ path: '/items', handler: (req) => ({ body: { data: [{ id: `${req.query.r}/${req.query.k}` }] } }) }]);
    const run = await read(
      `  - type: DeclarativeStream
    name: projects
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: items }
${selector}
      partition_router:
        - { type: ListPartitionRouter, values: [eu, us], cursor_field: r, request_option: { type: RequestOption, inject_into: request_parameter, field_name: r } }
        - { type: ListPartitionRouter, values: [a, b], cursor_field: k, request_option: { type: RequestOption, inject_into: request_parameter, field_name: k } }`,
      ['projects'],
    );
    expect(records(run.messages).map((r) => r.id)).toEqual(['eu/a', 'eu/b', 'us/a', 'us/b']);
    // The CDK merges the routers' options with a ChainMap, whose keys come last router first.
    expect(urls(api.requests)).toEqual(['/items?k=a&r=eu', '/items?k=b&r=eu', '/items?k=a&r=us', '/items?k=b&r=us']);
  });

  it('GroupingPartitionRouter: batches of group_size, each partition key a list, duplicates dropped', async () => {
    api = await startMockApi([
      { path: '/projects', response: { body: { data: [{ id: 1 }, { id: 2 }, { id: 1 }, { id: 3 }] } } },
      { path: '/batch', handler: (req) => ({ body: { data: [{ ids: req.query.ids }] } }) },
    ]);
    const run = await read(
      `  - type: DeclarativeStream
    name: projects
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: projects }
${selector}
  - type: DeclarativeStream
    name: batches
    retriever:
      type: SimpleRetriever
      requester:
        $ref: "#/definitions/requester"
        path: batch
        request_parameters: { ids: "{{ stream_partition.project_id | join('|') }}", ids_csv: "{{ stream_partition.project_id | join(',') }}" }
${selector}
      partition_router:
        type: GroupingPartitionRouter
        group_size: 2
        deduplicate: true
        underlying_partition_router:
          type: SubstreamPartitionRouter
          parent_stream_configs:
            - { type: ParentStreamConfig, stream: "#/streams/0", parent_key: id, partition_field: project_id }`,
      ['batches'],
    );
    expect(records(run.messages, 'batches')).toEqual([{ ids: '1|2' }, { ids: '3' }]);
    // "1,2" reads as a Python tuple literal, so the CDK sends it as a repeated parameter.
    expect(urls(api.requests)).toEqual(['/projects', '/batch?ids=1%7C2&ids_csv=1&ids_csv=2', '/batch?ids=3&ids_csv=3']);
  });
});

describe('GroupingPartitionRouter state', () => {
  it('GroupingPartitionRouter with an incremental cursor always keeps one global cursor', async () => {
    api = await startMockApi([
      { path: '/projects', response: { body: { data: [{ id: 1 }, { id: 2 }, { id: 3 }] } } },
      { path: '/batch', handler: (req) => ({ body: { data: [{ id: String(req.query.ids), updated_at: req.query.ids === '3' ? '2024-01-04' : '2024-01-02' }] } }) },
    ]);
    const run = await read(
      `  - type: DeclarativeStream
    name: projects
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: projects }
${selector}
  - type: DeclarativeStream
    name: batches
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester:
        $ref: "#/definitions/requester"
        path: batch
        request_parameters: { ids: "{{ stream_partition.project_id | join('|') }}" }
${selector}
      partition_router:
        type: GroupingPartitionRouter
        group_size: 2
        underlying_partition_router:
          type: SubstreamPartitionRouter
          parent_stream_configs:
            - { type: ParentStreamConfig, stream: "#/streams/0", parent_key: id, partition_field: project_id }
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"`,
      [{ name: 'batches', syncMode: 'incremental' }],
    );
    expect(records(run.messages, 'batches').map((r) => r.id)).toEqual(['1|2', '3']);
    expect(stateValues(run.messages, 'batches').at(-1)).toEqual({
      use_global_cursor: true,
      state: { updated_at: '2024-01-04' },
      lookback_window: 0,
      parent_state: {},
    });
  });

});

describe('per-partition state with a ListPartitionRouter', () => {
  it('one cursor per partition in the state; a second run resumes each partition from its own cursor', async () => {
    const data: Record<string, Array<{ id: number; updated_at: string }>> = {
      eu: [{ id: 1, updated_at: '2024-01-03' }],
      us: [{ id: 2, updated_at: '2024-01-05' }],
    };
    api = await startMockApi([
      {
        path: '/items',
        handler: (req) => ({ body: { data: (data[String(req.query.r)] ?? []).filter((r) => r.updated_at >= String(req.query.since)) } }),
      },
    ]);
    const streams = `  - type: DeclarativeStream
    name: projects
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: items }
${selector}
      partition_router:
        type: ListPartitionRouter
        values: [eu, us]
        cursor_field: r
        request_option: { type: RequestOption, inject_into: request_parameter, field_name: r }
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: since }`;
    const first = await read(streams, [{ name: 'projects', syncMode: 'incremental' }]);
    expect(urls(api.requests)).toEqual(['/items?r=eu&since=2024-01-01', '/items?r=us&since=2024-01-01']);
    expect(stateValues(first.messages).at(-1)).toEqual({
      use_global_cursor: false,
      states: [
        { partition: { r: 'eu' }, cursor: { updated_at: '2024-01-03' } },
        { partition: { r: 'us' }, cursor: { updated_at: '2024-01-05' } },
      ],
      state: { updated_at: '2024-01-05' },
      // Seconds the sync took (the clock is fixed here).
      lookback_window: 0,
    });

    api.reset();
    const second = await read(streams, [{ name: 'projects', syncMode: 'incremental' }], {}, [states(first.messages).at(-1)]);
    expect(urls(api.requests)).toEqual(['/items?r=eu&since=2024-01-03', '/items?r=us&since=2024-01-05']);
    expect(records(second.messages).map((r) => r.id)).toEqual([1, 2]);
  });

  it('a new partition starts from the global cursor minus the state lookback_window; known partitions from their own cursor', async () => {
    api = await startMockApi([{ path: '/items', response: { body: { data: [] } } }]);
    const streams = `  - type: DeclarativeStream
    name: projects
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: items }
${selector}
      partition_router:
        type: ListPartitionRouter
        values: [eu, us]
        cursor_field: r
        request_option: { type: RequestOption, inject_into: request_parameter, field_name: r }
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: since }`;
    const state = streamStateOf('projects', {
      use_global_cursor: false,
      states: [{ partition: { r: 'eu' }, cursor: { updated_at: '2024-01-03' } }],
      state: { updated_at: '2024-01-05' },
      lookback_window: 86400,
    });
    await read(streams, [{ name: 'projects', syncMode: 'incremental' }], {}, [state]);
    expect(urls(api.requests)).toEqual(['/items?r=eu&since=2024-01-03', '/items?r=us&since=2024-01-04']);
  });

  it('global_substream_cursor: one global cursor (the highest value) for all partitions, resumed by all', async () => {
    const data: Record<string, Array<{ id: number; updated_at: string }>> = {
      eu: [{ id: 1, updated_at: '2024-01-03' }],
      us: [{ id: 2, updated_at: '2024-01-05' }],
    };
    api = await startMockApi([
      {
        path: '/items',
        handler: (req) => ({ body: { data: (data[String(req.query.r)] ?? []).filter((r) => r.updated_at >= String(req.query.since)) } }),
      },
    ]);
    const streams = `  - type: DeclarativeStream
    name: projects
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: items }
${selector}
      partition_router:
        type: ListPartitionRouter
        values: [eu, us]
        cursor_field: r
        request_option: { type: RequestOption, inject_into: request_parameter, field_name: r }
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      global_substream_cursor: true
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: since }`;
    const first = await read(streams, [{ name: 'projects', syncMode: 'incremental' }]);
    expect(stateValues(first.messages).at(-1)).toEqual({ use_global_cursor: true, state: { updated_at: '2024-01-05' }, lookback_window: 0 });

    api.reset();
    const second = await read(streams, [{ name: 'projects', syncMode: 'incremental' }], {}, [states(first.messages).at(-1)]);
    expect(urls(api.requests)).toEqual(['/items?r=eu&since=2024-01-05', '/items?r=us&since=2024-01-05']);
    expect(records(second.messages).map((r) => r.id)).toEqual([2]);
  });
});
