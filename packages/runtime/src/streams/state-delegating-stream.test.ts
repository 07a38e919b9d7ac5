/**
 * StateDelegatingStream through the real entrypoint against a local mock API: which definition
 * is read (the requests), what comes out (records and STATE messages), with and without state.
 */
import { type MockApi, type MockRequest, configuredCatalog, errors, records, startMockApi, states, streamState } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../source/__tests__/harness.js';

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

const source = (streams: string) => `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
definitions:
  requester:
    type: HttpRequester
    url_base: "{{ config['base_url'] }}"
  selector:
    type: RecordSelector
    extractor: { type: DpathExtractor, field_path: [data] }
  cursor:
    type: DatetimeBasedCursor
    cursor_field: updated_at
    datetime_format: "%Y-%m-%d"
    start_datetime: "2024-01-01"
    end_datetime: "2024-01-10"
streams:
${streams}
${SPEC}`;

/** full_refresh_stream reads /all; incremental_stream reads /changes?since=<window start>. */
const delegating = ({ fullCursor = true, incrementalRouter = '', extra = '', name = 'items' } = {}) => `
  - type: StateDelegatingStream
    name: items${extra}
    full_refresh_stream:
      type: DeclarativeStream
      name: ${name}
      primary_key: id
      retriever:
        type: SimpleRetriever
        requester: { $ref: "#/definitions/requester", path: all }
        record_selector: { $ref: "#/definitions/selector" }${fullCursor ? `
      incremental_sync: { $ref: "#/definitions/cursor" }` : ''}
    incremental_stream:
      type: DeclarativeStream
      name: items
      primary_key: id
      retriever:
        type: SimpleRetriever
        requester: { $ref: "#/definitions/requester", path: changes }
        record_selector: { $ref: "#/definitions/selector" }${incrementalRouter}
      incremental_sync:
        $ref: "#/definitions/cursor"
        start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: since }`;

const ALL = [
  { id: 1, updated_at: '2024-01-02' },
  { id: 2, updated_at: '2024-01-04' },
];
const CHANGES = [{ id: 2, updated_at: '2024-01-06' }];

const routes = () => [
  { path: '/all', response: { body: { data: ALL } } },
  { path: '/changes', handler: (req: MockRequest) => ({ body: { data: CHANGES.map((r) => ({ ...r, p: req.query.p })) } }) },
];

const stateValues = (messages: Parameters<typeof states>[0]) =>
  states(messages).map((s) => (s.stream as { stream_state: unknown }).stream_state);
const urls = (requests: MockRequest[]) => requests.map((r) => r.url);
const incrementalCatalog = configuredCatalog([{ name: 'items', syncMode: 'incremental' }]);

describe('StateDelegatingStream', () => {
  it('discover lists one stream, described by its full_refresh_stream', async () => {
    const run = await runSource('discover', { manifest: source(delegating()), config: { base_url: 'http://127.0.0.1:9' } });
    expect(run.code).toBe(0);
    const catalog = run.messages.find((m) => m.type === 'CATALOG')?.catalog as { streams: Array<Record<string, unknown>> };
    expect(catalog.streams).toEqual([
      {
        name: 'items',
        json_schema: expect.any(Object),
        supported_sync_modes: ['full_refresh', 'incremental'],
        is_resumable: true,
        is_file_based: false,
        source_defined_cursor: true,
        default_cursor_field: ['updated_at'],
        source_defined_primary_key: [['id']],
      },
    ]);
  });

  it('discover of a full_refresh_stream without cursor offers full refresh only (as the CDK, which builds that stream without state)', async () => {
    const run = await runSource('discover', {
      manifest: source(delegating({ fullCursor: false })),
      config: { base_url: 'http://127.0.0.1:9' },
    });
    const catalog = run.messages.find((m) => m.type === 'CATALOG')?.catalog as { streams: Array<Record<string, unknown>> };
    expect(catalog.streams.map((s) => [s.name, s.supported_sync_modes])).toEqual([['items', ['full_refresh']]]);
  });

  it('without incoming state reads the full_refresh_stream and writes its cursor state', async () => {
    api = await startMockApi(routes());
    const run = await runSource('read', { manifest: source(delegating()), config: { base_url: api.url }, catalog: incrementalCatalog });
    expect(run.code).toBe(0);
    expect(urls(api.requests)).toEqual(['/all']);
    expect(records(run.messages)).toEqual(ALL);
    expect(stateValues(run.messages)).toEqual([{ updated_at: '2024-01-04' }, { updated_at: '2024-01-04' }]);
  });

  it('an empty incoming state counts as no state', async () => {
    api = await startMockApi(routes());
    const run = await runSource('read', {
      manifest: source(delegating()),
      config: { base_url: api.url },
      catalog: incrementalCatalog,
      state: [streamState('items', {})],
    });
    expect(run.code).toBe(0);
    expect(urls(api.requests)).toEqual(['/all']);
  });

  it('with incoming state reads the incremental_stream from that state', async () => {
    api = await startMockApi(routes());
    const run = await runSource('read', {
      manifest: source(delegating()),
      config: { base_url: api.url },
      catalog: incrementalCatalog,
      state: [streamState('items', { updated_at: '2024-01-05' })],
    });
    expect(run.code).toBe(0);
    expect(urls(api.requests)).toEqual(['/changes?since=2024-01-05']);
    expect(records(run.messages)).toEqual([{ id: 2, updated_at: '2024-01-06' }]);
    expect(stateValues(run.messages)).toEqual([{ updated_at: '2024-01-06' }, { updated_at: '2024-01-06' }]);
  });

  it('a full-refresh completion state also selects the incremental_stream (the state is not empty)', async () => {
    api = await startMockApi(routes());
    const run = await runSource('read', {
      manifest: source(delegating()),
      config: { base_url: api.url },
      catalog: incrementalCatalog,
      state: [streamState('items', { __ab_no_cursor_state_message: true })],
    });
    expect(run.code).toBe(0);
    expect(urls(api.requests)).toEqual(['/changes?since=2024-01-01']);
  });

  it('a full refresh sync with incoming state reads the incremental_stream: the CDK chooses from the state, not the sync mode', async () => {
    api = await startMockApi(routes());
    const run = await runSource('read', {
      manifest: source(delegating()),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
      state: [streamState('items', { updated_at: '2024-01-05' })],
    });
    expect(run.code).toBe(0);
    expect(urls(api.requests)).toEqual(['/changes?since=2024-01-05']);
    expect(stateValues(run.messages)).toEqual([{ updated_at: '2024-01-06' }, { updated_at: '2024-01-06' }]);
  });

  it('discovered as full refresh only (no cursor on full_refresh_stream): the completion state of one read selects the incremental_stream in the next', async () => {
    const manifest = source(delegating({ fullCursor: false }));
    // The only catalog a client can build from discover: full_refresh.
    const catalog = configuredCatalog(['items']);
    api = await startMockApi(routes());
    const first = await runSource('read', { manifest, config: { base_url: api.url }, catalog });
    expect(first.code).toBe(0);
    expect(urls(api.requests)).toEqual(['/all']);
    expect(records(first.messages)).toEqual(ALL);
    expect(stateValues(first.messages)).toEqual([{ __ab_no_cursor_state_message: true }]);

    api.reset();
    const second = await runSource('read', { manifest, config: { base_url: api.url }, catalog, state: states(first.messages) });
    expect(errors(second.messages)).toEqual([]);
    expect(urls(api.requests)).toEqual(['/changes?since=2024-01-01']);
    expect(records(second.messages)).toEqual([{ id: 2, updated_at: '2024-01-06' }]);
    // The CDK's cursor keeps the incoming state's other keys (its "legacy" state) beside its own.
    const resumed = { __ab_no_cursor_state_message: true, updated_at: '2024-01-06' };
    expect(stateValues(second.messages)).toEqual([resumed, resumed]);
  });

  it('per-partition state selects the incremental_stream and resumes each partition from its own cursor', async () => {
    api = await startMockApi(routes());
    const router = `
        partition_router:
          type: ListPartitionRouter
          values: [a, b]
          cursor_field: p
          request_option: { type: RequestOption, inject_into: request_parameter, field_name: p }`;
    const run = await runSource('read', {
      manifest: source(delegating({ incrementalRouter: router })),
      config: { base_url: api.url },
      catalog: incrementalCatalog,
      state: [
        streamState('items', {
          states: [
            { partition: { p: 'a' }, cursor: { updated_at: '2024-01-05' } },
            { partition: { p: 'b' }, cursor: { updated_at: '2024-01-03' } },
          ],
          state: { updated_at: '2024-01-03' },
          use_global_cursor: false,
        }),
      ],
    });
    expect(run.code).toBe(0);
    expect(urls(api.requests)).toEqual(['/changes?p=a&since=2024-01-05', '/changes?p=b&since=2024-01-03']);
    expect(records(run.messages).map((r) => r.p)).toEqual(['a', 'b']);
    const last = stateValues(run.messages).at(-1) as Record<string, unknown>;
    expect(last.states).toEqual([
      { partition: { p: 'a' }, cursor: { updated_at: '2024-01-06' } },
      { partition: { p: 'b' }, cursor: { updated_at: '2024-01-06' } },
    ]);
    expect(last.state).toEqual({ updated_at: '2024-01-06' });
  });

  it('takes its name and schema from $parameters, which reach both definitions', async () => {
    const streams = `
  - type: StateDelegatingStream
    $parameters:
      name: items
      schema_loader: { type: InlineSchemaLoader, schema: { type: object, properties: { id: { type: integer } } } }
    full_refresh_stream:
      type: DeclarativeStream
      retriever:
        type: SimpleRetriever
        requester: { $ref: "#/definitions/requester", path: all }
        record_selector: { $ref: "#/definitions/selector" }
    incremental_stream:
      type: DeclarativeStream
      retriever:
        type: SimpleRetriever
        requester: { $ref: "#/definitions/requester", path: changes }
        record_selector: { $ref: "#/definitions/selector" }
      incremental_sync: { $ref: "#/definitions/cursor" }`;
    const run = await runSource('discover', { manifest: source(streams), config: { base_url: 'http://127.0.0.1:9' } });
    expect(run.code).toBe(0);
    const catalog = run.messages.find((m) => m.type === 'CATALOG')?.catalog as { streams: Array<Record<string, unknown>> };
    expect(catalog.streams.map((s) => [s.name, s.json_schema])).toEqual([
      ['items', { type: 'object', properties: { id: { type: 'integer' } } }],
    ]);
  });

  it('fails to build when the definitions are named differently from the stream', async () => {
    const run = await runSource('discover', {
      manifest: source(delegating({ name: 'other' })),
      config: { base_url: 'http://127.0.0.1:9' },
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain("must have the same name as the stream, got 'other' and 'items'");
  });

  describe('api_retention_period', () => {
    // 2024-02-01T00:00:00Z: a P14D retention keeps cursors from 2024-01-18 on.
    const clock = () => Date.UTC(2024, 1, 1);

    it('a state older than the retention period is dropped: an empty state, then the full_refresh_stream', async () => {
      api = await startMockApi(routes());
      const run = await runSource(
        'read',
        {
          manifest: source(delegating({ extra: '\n    api_retention_period: P14D' })),
          config: { base_url: api.url },
          catalog: incrementalCatalog,
          state: [streamState('items', { updated_at: '2024-01-05' })],
        },
        { clock },
      );
      expect(run.code).toBe(0);
      expect(urls(api.requests)).toEqual(['/all']);
      expect(stateValues(run.messages)).toEqual([{}, { updated_at: '2024-01-04' }, { updated_at: '2024-01-04' }]);
    });

    it('a state within the retention period reads the incremental_stream', async () => {
      api = await startMockApi(routes());
      const run = await runSource(
        'read',
        {
          manifest: source(delegating({ extra: "\n    api_retention_period: \"{{ 'P60D' }}\"" })),
          config: { base_url: api.url },
          catalog: incrementalCatalog,
          state: [streamState('items', { updated_at: '2024-01-05' })],
        },
        { clock },
      );
      expect(run.code).toBe(0);
      expect(urls(api.requests)).toEqual(['/changes?since=2024-01-05']);
      expect(stateValues(run.messages)[0]).toEqual({ updated_at: '2024-01-06' });
    });

    it('a completed full-refresh state is unreadable by datetime cursors: empty state, then the full_refresh_stream', async () => {
      api = await startMockApi(routes());
      const run = await runSource(
        'read',
        {
          manifest: source(delegating({ extra: '\n    api_retention_period: P1D' })),
          config: { base_url: api.url },
          catalog: incrementalCatalog,
          state: [streamState('items', { __ab_no_cursor_state_message: true })],
        },
        { clock },
      );
      expect(run.code).toBe(0);
      expect(urls(api.requests)).toEqual(['/all']);
      expect(stateValues(run.messages)[0]).toEqual({});
    });

    it('a state no cursor can read falls back to the full_refresh_stream', async () => {
      api = await startMockApi(routes());
      const run = await runSource(
        'read',
        {
          manifest: source(delegating({ extra: '\n    api_retention_period: P1D' })),
          config: { base_url: api.url },
          catalog: incrementalCatalog,
          state: [streamState('items', { other: 'x' })],
        },
        { clock },
      );
      expect(run.code).toBe(0);
      expect(urls(api.requests)).toEqual(['/all']);
      expect(stateValues(run.messages)[0]).toEqual({});
    });

    it('an invalid duration is a manifest error', async () => {
      const run = await runSource('discover', {
        manifest: source(delegating({ extra: '\n    api_retention_period: thirty days' })),
        config: { base_url: 'http://127.0.0.1:9' },
      });
      expect(run.code).not.toBe(0);
      expect(run.stdout).toContain("api_retention_period 'thirty days' is not an ISO 8601 duration");
    });
  });

  describe('as a parent stream', () => {
    const child = `
  - type: DeclarativeStream
    name: notes
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: "notes/{{ stream_partition.item_id }}" }
      record_selector: { $ref: "#/definitions/selector" }
      partition_router:
        type: SubstreamPartitionRouter
        parent_stream_configs:
          - type: ParentStreamConfig
            parent_key: id
            partition_field: item_id
            incremental_dependency: true
            stream:
${delegating()
  .replace('  - type:', '    type:')
  .split('\n')
  .slice(1)
  .map((line) => `${' '.repeat(12)}${line}`)
  .join('\n')}
    incremental_sync: { $ref: "#/definitions/cursor" }`;
    const NOTE = { id: 10, updated_at: '2024-01-07' };
    const notesRoutes = () => [...routes(), { path: /^\/notes\/(\d+)$/, response: { body: { data: [NOTE] } } }];

    it('reads the full_refresh_stream when the child has no state for it', async () => {
      api = await startMockApi(notesRoutes());
      const run = await runSource('read', {
        manifest: source(child),
        config: { base_url: api.url },
        catalog: configuredCatalog([{ name: 'notes', syncMode: 'incremental' }]),
      });
      expect(run.code).toBe(0);
      expect(urls(api.requests)).toEqual(['/all', '/notes/1', '/notes/2']);
      expect(records(run.messages, 'notes')).toEqual([NOTE, NOTE]);
      const last = stateValues(run.messages).at(-1) as Record<string, unknown>;
      expect(last.parent_state).toEqual({ items: { updated_at: '2024-01-04' } });
    });

    it("reads the incremental_stream from the parent state kept in the child's state", async () => {
      api = await startMockApi(notesRoutes());
      const run = await runSource('read', {
        manifest: source(child),
        config: { base_url: api.url },
        catalog: configuredCatalog([{ name: 'notes', syncMode: 'incremental' }]),
        state: [
          streamState('notes', {
            states: [],
            state: { updated_at: '2024-01-07' },
            parent_state: { items: { updated_at: '2024-01-05' } },
            use_global_cursor: false,
          }),
        ],
      });
      expect(errors(run.messages)).toEqual([]);
      expect(run.code).toBe(0);
      expect(urls(api.requests)).toEqual(['/changes?since=2024-01-05', '/notes/2']);
      const last = stateValues(run.messages).at(-1) as Record<string, unknown>;
      expect(last.parent_state).toEqual({ items: { updated_at: '2024-01-06' } });
    });
  });
});
