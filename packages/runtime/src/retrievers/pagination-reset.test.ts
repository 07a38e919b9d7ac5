/**
 * PaginationReset through the real entrypoint against a local mock API: when the number of
 * records read since the last reset reaches the limit, pagination restarts from the first page,
 * with the same slice (RESET) or with the slice's start moved to the last cursor value read
 * (SPLIT_USING_CURSOR).
 */
import { type MockApi, type MockRequest, configuredCatalog, errors, records, startMockApi, states } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../source/__tests__/harness.js';
import { PaginationTracker } from './pagination-reset.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

type Item = { id: number; updated_at: string; p?: string };

const PAGE_SIZE = 2;

const manifest = ({ reset, cursor = true, router = '', filter = '' }: { reset: string; cursor?: boolean; router?: string; filter?: string }) => `
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
        extractor: { type: DpathExtractor, field_path: [data] }${filter}
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: PageIncrement, page_size: ${PAGE_SIZE}, start_from_page: 1 }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: page }
      pagination_reset:
        type: PaginationReset
${reset
  .trim()
  .split('\n')
  .map((line) => `        ${line.trim()}`)
  .join('\n')}${router}${cursor ? `
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

/** An API returning items updated at or after `since`, in ascending order, PAGE_SIZE a page. */
function itemsApi(items: (req: MockRequest) => Item[]) {
  return [
    {
      path: '/items',
      handler: (req: MockRequest) => {
        const since = typeof req.query.since === 'string' ? req.query.since : '';
        const page = Number(req.query.page ?? 1);
        const selected = items(req).filter((item) => item.updated_at >= since && (req.query.p === undefined || item.p === req.query.p));
        return { body: { data: selected.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) } };
      },
    },
  ];
}

const stateValues = (messages: Parameters<typeof states>[0]) =>
  states(messages).map((s) => (s.stream as { stream_state: unknown }).stream_state);
const urls = (requests: MockRequest[]) => requests.map((r) => r.url);
const incremental = configuredCatalog([{ name: 'items', syncMode: 'incremental' }]);

const DAYS = ['2024-01-02', '2024-01-03', '2024-01-05', '2024-01-08', '2024-01-10', '2024-01-12', '2024-01-15'];
const ITEMS: Item[] = DAYS.map((updated_at, index) => ({ id: index + 1, updated_at }));

describe('PaginationReset SPLIT_USING_CURSOR', () => {
  const split = `
    action: SPLIT_USING_CURSOR
    limits: { type: PaginationResetLimits, number_of_records: 4 }`;

  it('restarts from the first page with the slice starting at the last cursor value read', async () => {
    api = await startMockApi(itemsApi(() => ITEMS));
    const run = await runSource('read', { manifest: manifest({ reset: split }), config: { base_url: api.url }, catalog: incremental });
    expect(errors(run.messages)).toEqual([]);
    expect(run.code).toBe(0);
    expect(urls(api.requests)).toEqual([
      // The first page is asked for without a page parameter (PageIncrement's inject_on_first_request is false).
      '/items?since=2024-01-01',
      '/items?page=2&since=2024-01-01',
      // 4 records read: the slice now starts at the 4th record's cursor value (inclusive).
      '/items?since=2024-01-08',
      '/items?page=2&since=2024-01-08',
      '/items?since=2024-01-15',
    ]);
    // The records at a restart boundary are read twice, as in the CDK.
    expect(records(run.messages).map((r) => r.id)).toEqual([1, 2, 3, 4, 4, 5, 6, 7, 7]);
    // The state is that of the slice that was read (the original one), written when it closes.
    expect(stateValues(run.messages)).toEqual([{ updated_at: '2024-01-15' }, { updated_at: '2024-01-15' }]);
  });

  it('fails when a restart would not move the slice start (records not advancing the cursor)', async () => {
    const sameDay: Item[] = [1, 2, 3, 4, 5, 6].map((id) => ({ id, updated_at: '2024-01-05' }));
    api = await startMockApi(itemsApi(() => sameDay));
    const run = await runSource('read', {
      manifest: manifest({ reset: 'action: SPLIT_USING_CURSOR\nlimits: { type: PaginationResetLimits, number_of_records: 2 }' }),
      config: { base_url: api.url },
      catalog: incremental,
    });
    expect(run.code).not.toBe(0);
    expect(urls(api.requests)).toEqual(['/items?since=2024-01-01', '/items?since=2024-01-05']);
    expect(records(run.messages).map((r) => r.id)).toEqual([1, 2, 1, 2]);
    const [error] = errors(run.messages);
    expect(error?.failure_type).toBe('system_error');
    expect(error?.message).toContain('pagination was reset 1 time(s) with the same slice');
    expect(error?.message).toContain('"start_time":"2024-01-05"');
  });

  it('splits each partition of a per-partition cursor from its own last cursor value', async () => {
    const items: Item[] = [
      { id: 1, updated_at: '2024-01-02', p: 'a' },
      { id: 2, updated_at: '2024-01-03', p: 'a' },
      { id: 3, updated_at: '2024-01-04', p: 'a' },
      { id: 4, updated_at: '2024-01-06', p: 'b' },
    ];
    api = await startMockApi(itemsApi(() => items));
    const router = `
      partition_router:
        type: ListPartitionRouter
        values: [a, b]
        cursor_field: p
        request_option: { type: RequestOption, inject_into: request_parameter, field_name: p }`;
    const run = await runSource('read', {
      manifest: manifest({ reset: 'action: SPLIT_USING_CURSOR\nlimits: { type: PaginationResetLimits, number_of_records: 2 }', router }),
      config: { base_url: api.url },
      catalog: incremental,
    });
    expect(errors(run.messages)).toEqual([]);
    expect(urls(api.requests)).toEqual([
      '/items?p=a&since=2024-01-01',
      '/items?p=a&since=2024-01-03',
      '/items?p=a&since=2024-01-04',
      '/items?p=b&since=2024-01-01',
    ]);
    expect(records(run.messages).map((r) => r.id)).toEqual([1, 2, 2, 3, 3, 4]);
    const last = stateValues(run.messages).at(-1) as Record<string, unknown>;
    expect(last.states).toEqual([
      { partition: { p: 'a' }, cursor: { updated_at: '2024-01-04' } },
      { partition: { p: 'b' }, cursor: { updated_at: '2024-01-06' } },
    ]);
  });

  it('without a cursor behaves as RESET', async () => {
    api = await startMockApi(itemsApi(() => ITEMS));
    const run = await runSource('read', {
      manifest: manifest({ reset: 'action: SPLIT_USING_CURSOR\nlimits: { type: PaginationResetLimits, number_of_records: 3 }', cursor: false }),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
    });
    expect(urls(api.requests)).toEqual(['/items', '/items?page=2', '/items', '/items?page=2']);
    expect(errors(run.messages)[0]?.message).toContain('pagination was reset 2 time(s) with the same slice');
  });
});

describe('PaginationReset RESET', () => {
  it('restarts the same slice from the first page once; a second reset of the slice fails', async () => {
    api = await startMockApi(itemsApi(() => ITEMS));
    const run = await runSource('read', {
      manifest: manifest({ reset: 'action: RESET\nlimits: { type: PaginationResetLimits, number_of_records: 3 }' }),
      config: { base_url: api.url },
      catalog: incremental,
    });
    expect(run.code).not.toBe(0);
    // The cursor is not used: the restarted requests are the same as the first ones.
    expect(urls(api.requests)).toEqual([
      '/items?since=2024-01-01',
      '/items?page=2&since=2024-01-01',
      '/items?since=2024-01-01',
      '/items?page=2&since=2024-01-01',
    ]);
    expect(records(run.messages).map((r) => r.id)).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    // The failing stream writes its state once, as the CDK does: no slice closed, so it is the start.
    expect(stateValues(run.messages)).toEqual([{ updated_at: '2024-01-01' }]);
    expect(errors(run.messages)[0]?.message).toContain('pagination was reset 2 time(s) with the same slice');
  });

  it('a restarted read that stays under the limit completes the slice', async () => {
    let calls = 0;
    // The API has 5 items on the first pass and 2 once the read restarts.
    api = await startMockApi(itemsApi(() => (++calls <= 2 ? ITEMS.slice(0, 5) : ITEMS.slice(0, 2))));
    const run = await runSource('read', {
      manifest: manifest({ reset: 'action: RESET\nlimits: { type: PaginationResetLimits, number_of_records: 4 }' }),
      config: { base_url: api.url },
      catalog: incremental,
    });
    expect(errors(run.messages)).toEqual([]);
    expect(urls(api.requests)).toEqual([
      '/items?since=2024-01-01',
      '/items?page=2&since=2024-01-01',
      '/items?since=2024-01-01',
      // A full first page: the paginator asks for the next one, which is empty.
      '/items?page=2&since=2024-01-01',
    ]);
    expect(records(run.messages).map((r) => r.id)).toEqual([1, 2, 3, 4, 1, 2]);
    expect(stateValues(run.messages)).toEqual([{ updated_at: '2024-01-08' }, { updated_at: '2024-01-08' }]);
  });

  it('without limits never resets', async () => {
    api = await startMockApi(itemsApi(() => ITEMS));
    const run = await runSource('read', {
      manifest: manifest({ reset: 'action: RESET' }),
      config: { base_url: api.url },
      catalog: incremental,
    });
    expect(run.code).toBe(0);
    expect(api.requests).toHaveLength(4);
    expect(records(run.messages)).toHaveLength(7);
  });

  it('limits with a record_filter is a manifest error', async () => {
    const filter = `
        record_filter: { type: RecordFilter, condition: "{{ record.id > 0 }}" }`;
    const run = await runSource('discover', {
      manifest: manifest({ reset: 'action: RESET\nlimits: { type: PaginationResetLimits, number_of_records: 4 }', filter }),
      config: { base_url: 'http://127.0.0.1:9' },
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain('PaginationResetLimits cannot be used with a record_filter');
  });
});

describe('PaginationTracker', () => {
  const slice = { partition: {}, cursorSlice: { start: 1, end: 100 }, extraFields: {} };
  const numbers = {
    valueOf: (record: Record<string, unknown>) => record.n as number | undefined,
    compare: (a: unknown, b: unknown) => (a as number) - (b as number),
    output: (value: unknown) => value,
    boundaryFields: ['start', 'end'] as [string, string],
  };

  it('counts records since the last reset', () => {
    const tracker = new PaginationTracker(undefined, 2);
    tracker.observe({});
    expect(tracker.hasReachedLimit()).toBe(false);
    tracker.observe({});
    expect(tracker.hasReachedLimit()).toBe(true);
    tracker.reduceSlice(slice, slice);
    expect(tracker.hasReachedLimit()).toBe(false);
  });

  it('keeps the most recent value, not the last one, and keeps the original end', () => {
    const tracker = new PaginationTracker(numbers, 3);
    for (const n of [5, 9, 7]) tracker.observe({ n });
    expect(tracker.reduceSlice(slice, slice).cursorSlice).toEqual({ start: 9, end: 100 });
  });

  it('restarts from the original slice when no record had a cursor value', () => {
    const tracker = new PaginationTracker(numbers, 1);
    const reduced = { ...slice, cursorSlice: { start: 50, end: 100 } };
    tracker.observe({});
    expect(tracker.reduceSlice(reduced, slice)).toBe(slice);
  });
});
