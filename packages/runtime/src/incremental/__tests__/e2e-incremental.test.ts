/**
 * Incremental syncs run as a whole source against a local mock API: the exact window requests, the
 * records out and the exact STATE messages, then a second run from the first run's state. Expected
 * values follow Airbyte's CDK v7.28.2 (concurrent cursor: state after each window, once more at the end).
 */
import { type MockApi, type MockRequest, configuredCatalog, errors, records, startMockApi, states, streamState } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../../source/__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const NOW = Date.UTC(2024, 0, 3, 12, 0, 0);

function manifest(cursor: string, retriever = ''): string {
  return `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
streams:
  - type: DeclarativeStream
    name: items
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: items }
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
${retriever}
    incremental_sync:
${cursor}
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string }, start: { type: string } } }
`;
}

const stateValues = (messages: Parameters<typeof states>[0]) => states(messages).map((s) => (s.stream as { stream_state: unknown }).stream_state);
const lastStateMessage = (messages: Parameters<typeof states>[0]) => states(messages).at(-1);

async function read(cursor: string, state?: unknown, retriever = '') {
  const run = await runSource(
    'read',
    {
      manifest: manifest(cursor, retriever),
      config: { base_url: (api as MockApi).url, start: '2024-01-01T00:00:00Z' },
      catalog: configuredCatalog([{ name: 'items', syncMode: 'incremental', cursorField: ['updated_at'] }]),
      state,
    },
    { clock: () => NOW },
  );
  expect(run.code).toBe(0);
  return run;
}

/** Records by day; the API answers a window [since, until] with the records whose updated_at is inside it. */
const RECORDS = [
  { id: 1, updated_at: '2024-01-01T10:00:00Z' },
  { id: 2, updated_at: '2024-01-03T09:00:00Z' },
  { id: 3, updated_at: '2024-01-03T11:00:00Z' },
];
const byWindow = (req: MockRequest) => ({
  body: { data: RECORDS.filter((r) => r.updated_at >= String(req.query.since) && r.updated_at <= String(req.query.until)) },
});

const DAILY = `      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%dT%H:%M:%SZ"
      start_datetime: "{{ config['start'] }}"
      step: P1D
      cursor_granularity: PT1S
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: since }
      end_time_option: { type: RequestOption, inject_into: request_parameter, field_name: until }`;

describe('DatetimeBasedCursor', () => {
  it('daily windows up to now, an empty window keeps the state, then a second run resumes from the first run state', async () => {
    api = await startMockApi([{ path: '/items', handler: byWindow }]);
    const first = await read(DAILY);
    expect(api.requests.map((r) => [r.query.since, r.query.until])).toEqual([
      ['2024-01-01T00:00:00Z', '2024-01-01T23:59:59Z'],
      ['2024-01-02T00:00:00Z', '2024-01-02T23:59:59Z'],
      ['2024-01-03T00:00:00Z', '2024-01-03T12:00:00Z'],
    ]);
    expect(records(first.messages).map((r) => r.id)).toEqual([1, 2, 3]);
    expect(stateValues(first.messages)).toEqual([
      { updated_at: '2024-01-01T10:00:00Z' },
      { updated_at: '2024-01-01T10:00:00Z' },
      { updated_at: '2024-01-03T11:00:00Z' },
      { updated_at: '2024-01-03T11:00:00Z' },
    ]);
    // Each STATE carries the count of records emitted since the previous one.
    expect(states(first.messages).map((s) => s.sourceStats)).toEqual([{ recordCount: 1 }, { recordCount: 0 }, { recordCount: 2 }, { recordCount: 0 }]);
    const saved = lastStateMessage(first.messages);
    expect(saved).toEqual({ ...streamState('items', { updated_at: '2024-01-03T11:00:00Z' }), sourceStats: { recordCount: 0 } });

    api.reset();
    const second = await read(DAILY, [saved]);
    // From the saved cursor value to now: one window, the records of that window again (>=).
    expect(api.requests.map((r) => [r.query.since, r.query.until])).toEqual([['2024-01-03T11:00:00Z', '2024-01-03T12:00:00Z']]);
    expect(records(second.messages).map((r) => r.id)).toEqual([3]);
    expect(stateValues(second.messages)).toEqual([{ updated_at: '2024-01-03T11:00:00Z' }, { updated_at: '2024-01-03T11:00:00Z' }]);
  });

  it('lookback_window starts the resumed window that much earlier', async () => {
    api = await startMockApi([{ path: '/items', handler: byWindow }]);
    const run = await read(`${DAILY}\n      lookback_window: PT3H`, [streamState('items', { updated_at: '2024-01-03T11:00:00Z' })]);
    expect(api.requests.map((r) => [r.query.since, r.query.until])).toEqual([['2024-01-03T08:00:00Z', '2024-01-03T12:00:00Z']]);
    expect(records(run.messages).map((r) => r.id)).toEqual([2, 3]);
    expect(stateValues(run.messages).at(-1)).toEqual({ updated_at: '2024-01-03T11:00:00Z' });
  });

  it('an empty sync (no records at all) still writes the start as the state', async () => {
    api = await startMockApi([{ path: '/items', response: { body: { data: [] } } }]);
    const run = await read(`      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%dT%H:%M:%SZ"
      start_datetime: "2024-01-02T00:00:00Z"`);
    expect(api.requests).toHaveLength(1);
    expect(records(run.messages)).toEqual([]);
    expect(stateValues(run.messages)).toEqual([{ updated_at: '2024-01-02T00:00:00Z' }, { updated_at: '2024-01-02T00:00:00Z' }]);
  });

  it('cursor_datetime_formats parse other record formats; the state is written in datetime_format', async () => {
    api = await startMockApi([
      { path: '/items', response: { body: { data: [{ id: 1, updated_at: '2024-01-02' }, { id: 2, updated_at: '1704276000' }] } } },
    ]);
    const run = await read(
      `      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%dT%H:%M:%SZ"
      cursor_datetime_formats: ["%Y-%m-%d", "%s"]
      start_datetime: "2024-01-01T00:00:00Z"
      end_datetime: "2024-01-03T12:00:00Z"`,
    );
    expect(records(run.messages).map((r) => r.id)).toEqual([1, 2]);
    // 1704276000 is 2024-01-03T10:00:00Z.
    expect(stateValues(run.messages).at(-1)).toEqual({ updated_at: '2024-01-03T10:00:00Z' });
  });

  it('the slice keys named by partition_field_start/end are what the requester sees', async () => {
    api = await startMockApi([{ path: '/items', response: { body: { data: [] } } }]);
    const run = await runSource(
      'read',
      {
        manifest: manifest(
          `      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      end_datetime: "2024-01-02"
      partition_field_start: from
      partition_field_end: to`,
        ).replace('path: items }', "path: items, request_parameters: { window: \"{{ stream_slice['from'] }}..{{ stream_slice['to'] }}\" } }"),
        config: { base_url: api.url },
        catalog: configuredCatalog([{ name: 'items', syncMode: 'incremental' }]),
      },
      { clock: () => NOW },
    );
    expect(run.code).toBe(0);
    expect(api.requests.map((r) => r.query.window)).toEqual(['2024-01-01..2024-01-02']);
  });

  it('is_data_feed: stops paginating at a page that reaches records older than the state, and drops those records', async () => {
    api = await startMockApi([
      {
        path: '/items',
        handler: (req) => {
          const page = Number(req.query.page ?? 1);
          const pages: Record<number, unknown[]> = {
            1: [{ id: 5, updated_at: '2024-01-03T10:00:00Z' }, { id: 4, updated_at: '2024-01-02T10:00:00Z' }],
            2: [{ id: 3, updated_at: '2024-01-02T05:00:00Z' }, { id: 2, updated_at: '2024-01-01T10:00:00Z' }],
            3: [{ id: 1, updated_at: '2023-12-31T10:00:00Z' }],
          };
          return { body: { data: pages[page] ?? [] } };
        },
      },
    ]);
    const run = await read(
      `      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%dT%H:%M:%SZ"
      start_datetime: "2023-01-01T00:00:00Z"
      is_data_feed: true`,
      [streamState('items', { updated_at: '2024-01-02T00:00:00Z' })],
      `      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: PageIncrement, start_from_page: 1 }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: page }`,
    );
    expect(api.requests.map((r) => r.url)).toEqual(['/items', '/items?page=2']);
    expect(records(run.messages).map((r) => r.id)).toEqual([5, 4, 3]);
    expect(stateValues(run.messages).at(-1)).toEqual({ updated_at: '2024-01-03T10:00:00Z' });
  });
});

describe('DatetimeBasedCursor bounds', () => {
  it('MinMaxDatetime: min_datetime raises the start, max_datetime lowers the end', async () => {
    api = await startMockApi([{ path: '/items', handler: byWindow }]);
    const run = await read(`      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%dT%H:%M:%SZ"
      start_datetime:
        type: MinMaxDatetime
        datetime: "{{ config['start'] }}"
        datetime_format: "%Y-%m-%dT%H:%M:%SZ"
        min_datetime: "2024-01-02T00:00:00Z"
      end_datetime:
        type: MinMaxDatetime
        datetime: "2030-01-01T00:00:00Z"
        datetime_format: "%Y-%m-%dT%H:%M:%SZ"
        max_datetime: "2024-01-03T10:00:00Z"
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: since }
      end_time_option: { type: RequestOption, inject_into: request_parameter, field_name: until }`);
    expect(api.requests.map((r) => [r.query.since, r.query.until])).toEqual([['2024-01-02T00:00:00Z', '2024-01-03T10:00:00Z']]);
    expect(records(run.messages).map((r) => r.id)).toEqual([2]);
    expect(stateValues(run.messages).at(-1)).toEqual({ updated_at: '2024-01-03T09:00:00Z' });
  });

  it('a P1M step from the 31st clamps to the month end and continues from there', async () => {
    api = await startMockApi([{ path: '/items', response: { body: { data: [] } } }]);
    await read(`      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-31"
      end_datetime: "2024-04-01"
      step: P1M
      cursor_granularity: P1D
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: since }
      end_time_option: { type: RequestOption, inject_into: request_parameter, field_name: until }`);
    expect(api.requests.map((r) => [r.query.since, r.query.until])).toEqual([
      ['2024-01-31', '2024-02-28'],
      ['2024-02-29', '2024-03-28'],
      ['2024-03-29', '2024-04-01'],
    ]);
  });

  it('a saved state in one of cursor_datetime_formats is read, and written back in datetime_format', async () => {
    api = await startMockApi([{ path: '/items', handler: byWindow }]);
    const run = await read(
      `      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%dT%H:%M:%SZ"
      cursor_datetime_formats: ["%Y-%m-%d"]
      start_datetime: "2024-01-01T00:00:00Z"
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: since }
      end_time_option: { type: RequestOption, inject_into: request_parameter, field_name: until }`,
      [streamState('items', { updated_at: '2024-01-03' })],
    );
    expect(api.requests.map((r) => [r.query.since, r.query.until])).toEqual([['2024-01-03T00:00:00Z', '2024-01-03T12:00:00Z']]);
    expect(records(run.messages).map((r) => r.id)).toEqual([2, 3]);
    expect(stateValues(run.messages).at(-1)).toEqual({ updated_at: '2024-01-03T11:00:00Z' });
  });

  it('an unknown clamping target is a clear error naming it, before any request (windows: e2e-clamping.test.ts)', async () => {
    api = await startMockApi([{ path: '/items', handler: byWindow }]);
    const run = await runSource(
      'read',
      {
        manifest: manifest(`${DAILY}\n      clamping: { target: YEAR }`),
        config: { base_url: api.url, start: '2024-01-01T00:00:00Z' },
        catalog: configuredCatalog([{ name: 'items', syncMode: 'incremental' }]),
      },
      { clock: () => NOW },
    );
    expect(run.code).not.toBe(0);
    expect(api.requests).toEqual([]);
    const [error] = errors(run.messages);
    expect(error?.message).toContain('Invalid clamping target YEAR, expected DAY, WEEK, MONTH');
    expect(error?.failure_type).toBe('config_error');
  });

  it('a state already at the end of the sync: no request, the state is written back unchanged', async () => {
    api = await startMockApi([{ path: '/items', handler: byWindow }]);
    const run = await read(DAILY, [streamState('items', { updated_at: '2024-01-03T12:00:00Z' })]);
    expect(api.requests).toEqual([]);
    expect(records(run.messages)).toEqual([]);
    expect(stateValues(run.messages)).toEqual([{ updated_at: '2024-01-03T12:00:00Z' }]);
  });
});

describe('epoch datetime_format', () => {
  it('%s: windows and state as epoch-second strings, integer record values parsed', async () => {
    api = await startMockApi([
      {
        path: '/items',
        handler: (req) => ({ body: { data: [{ id: 1, updated_at: 1704189600 }].filter((r) => r.updated_at >= Number(req.query.since) && r.updated_at <= Number(req.query.until)) } }),
      },
    ]);
    const cursor = `      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%s"
      start_datetime: "1704067200"
      step: P1D
      cursor_granularity: PT1S
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: since }
      end_time_option: { type: RequestOption, inject_into: request_parameter, field_name: until }`;
    const run = await read(cursor);
    // 2024-01-01T00:00:00Z .. now (2024-01-03T12:00:00Z) by day.
    expect(api.requests.map((r) => [r.query.since, r.query.until])).toEqual([
      ['1704067200', '1704153599'],
      ['1704153600', '1704239999'],
      ['1704240000', '1704283200'],
    ]);
    expect(records(run.messages).map((r) => r.id)).toEqual([1]);
    expect(stateValues(run.messages).at(-1)).toEqual({ updated_at: '1704189600' });
  });
});

describe('IncrementingCountCursor', () => {
  const cursor = `      type: IncrementingCountCursor
      cursor_field: id
      start_value: 10
      start_value_option: { type: RequestOption, inject_into: request_parameter, field_name: since_id }`;

  it('starts from start_value, ends with the highest id as the state; a second run resumes from it', async () => {
    api = await startMockApi([
      { path: '/items', handler: (req) => ({ body: { data: [11, 12, 13].filter((id) => id > Number(req.query.since_id)).map((id) => ({ id })) } }) },
    ]);
    const first = await read(cursor);
    expect(api.requests.map((r) => r.url)).toEqual(['/items?since_id=10']);
    expect(records(first.messages).map((r) => r.id)).toEqual([11, 12, 13]);
    expect(stateValues(first.messages).at(-1)).toEqual({ id: 13 });

    api.reset();
    const second = await read(cursor, [lastStateMessage(first.messages)]);
    expect(api.requests.map((r) => r.url)).toEqual(['/items?since_id=13']);
    expect(records(second.messages)).toEqual([]);
    expect(stateValues(second.messages).at(-1)).toEqual({ id: 13 });
  });

  it('ids beyond 2^53: the STATE line holds the exact highest id, and a run from that state file sends it exactly', async () => {
    const ids = ['9007199254740993', '12345678901234567890', '12345678901234567889'];
    api = await startMockApi([
      {
        path: '/items',
        handler: (req) => {
          const since = BigInt(String(req.query.since_id));
          const data = ids.filter((id) => BigInt(id) > since).map((id) => `{"id":${id}}`);
          return { body: `{"data":[${data.join(',')}]}`, headers: { 'content-type': 'application/json' } };
        },
      },
    ]);
    const first = await read(cursor);
    const stateLines = first.stdout.split('\n').filter((line) => line.startsWith('{"type":"STATE"'));
    expect(stateLines.at(-1)).toContain('"stream_state":{"id":12345678901234567890}');

    api.reset();
    // The state file as the platform saves it: the state of the last STATE line, digits and all.
    const lastState = (stateLines.at(-1) ?? '').slice('{"type":"STATE","state":'.length, -1);
    const second = await read(cursor, `[${lastState}]`);
    expect(api.requests.map((r) => r.url)).toEqual(['/items?since_id=12345678901234567890']);
    expect(second.stdout.split('\n').filter((line) => line.startsWith('{"type":"STATE"')).at(-1)).toContain('"stream_state":{"id":12345678901234567890}');
  });
});

describe('state shapes and legacy state migration', () => {
  const partitioned = (routerAndMigrations: string) => `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
streams:
  - type: DeclarativeStream
    name: projects
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: projects }
      record_selector: { type: RecordSelector, extractor: { type: DpathExtractor, field_path: [data] } }
  - type: DeclarativeStream
    name: items
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: items }
      record_selector: { type: RecordSelector, extractor: { type: DpathExtractor, field_path: [data] } }
${routerAndMigrations}
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: since }
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string } } }
`;
  const readItems = (yaml: string, state: unknown) =>
    runSource(
      'read',
      {
        manifest: partitioned(yaml),
        config: { base_url: (api as MockApi).url },
        catalog: configuredCatalog([{ name: 'items', syncMode: 'incremental' }]),
        state,
      },
      { clock: () => NOW },
    );

  it('a plain cursor state on a partitioned stream is the global cursor: every partition starts from it', async () => {
    api = await startMockApi([{ path: '/items', handler: (req) => ({ body: { data: [{ id: String(req.query.r), updated_at: '2024-01-03' }] } }) }]);
    const run = await readItems(
      `      partition_router:
        type: ListPartitionRouter
        values: [eu, us]
        cursor_field: r
        request_option: { type: RequestOption, inject_into: request_parameter, field_name: r }`,
      [streamState('items', { updated_at: '2024-01-02' })],
    );
    expect(run.code).toBe(0);
    expect(api.requests.map((r) => r.url)).toEqual(['/items?r=eu&since=2024-01-02', '/items?r=us&since=2024-01-02']);
    expect(stateValues(run.messages).at(-1)).toEqual({
      use_global_cursor: false,
      states: [
        { partition: { r: 'eu' }, cursor: { updated_at: '2024-01-03' } },
        { partition: { r: 'us' }, cursor: { updated_at: '2024-01-03' } },
      ],
      state: { updated_at: '2024-01-03' },
      lookback_window: 0,
    });
  });

  it('LegacyToPerPartitionStateMigration turns {"<id>": cursor} into states keyed by the partition field', async () => {
    api = await startMockApi([
      { path: '/projects', response: { body: { data: [{ id: 7 }] } } },
      { path: '/items', handler: (req) => ({ body: { data: [{ id: `t${String(req.query.project)}`, updated_at: '2024-01-04' }] } }) },
    ]);
    const run = await readItems(
      `      partition_router:
        type: SubstreamPartitionRouter
        parent_stream_configs:
          - type: ParentStreamConfig
            stream: "#/streams/0"
            parent_key: id
            partition_field: project
            request_option: { type: RequestOption, inject_into: request_parameter, field_name: project }
    state_migrations:
      - type: LegacyToPerPartitionStateMigration`,
      [streamState('items', { '7': { updated_at: '2024-01-03' } })],
    );
    expect(run.code).toBe(0);
    // The migrated partition {project: "7"} is not the router's {parent_slice: {}, project: 7}, so
    // (as in the CDK) partition 7 starts from start_datetime and the migrated entry is kept as it is.
    expect(api.requestsTo('/items').map((r) => r.url)).toEqual(['/items?project=7&since=2024-01-01']);
    expect(stateValues(run.messages).at(-1)).toEqual({
      use_global_cursor: false,
      states: [
        { partition: { project: '7' }, cursor: { updated_at: '2024-01-03' } },
        { partition: { parent_slice: {}, project: 7 }, cursor: { updated_at: '2024-01-04' } },
      ],
      state: { updated_at: '2024-01-04' },
      lookback_window: 0,
      // A substream router always reports its parents' state, empty without incremental_dependency.
      parent_state: {},
    });
  });
});
