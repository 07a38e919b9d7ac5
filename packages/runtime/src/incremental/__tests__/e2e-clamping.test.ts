/**
 * DatetimeBasedCursor `clamping` run as a whole source against a local mock API: the exact window
 * requests, the records out and the STATE messages. Expected values follow Airbyte's CDK v7.28.2
 * (ConcurrentCursor._split_per_slice_range with a clamping strategy, ClampingEndProvider).
 */
import { type MockApi, type MockRequest, configuredCatalog, records, startMockApi, states, streamState } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../../source/__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function manifest(cursor: string): string {
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
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: since }
      end_time_option: { type: RequestOption, inject_into: request_parameter, field_name: until }
${cursor}
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string }, start: { type: string } } }
`;
}

const RECORDS = [
  { id: 1, updated_at: '2023-11-20T10:00:00Z' },
  { id: 2, updated_at: '2024-01-10T08:00:00Z' },
  { id: 3, updated_at: '2024-01-16T09:00:00Z' },
  { id: 4, updated_at: '2024-01-29T01:00:00Z' },
  { id: 5, updated_at: '2024-02-29T23:00:00Z' },
];
/** Answers a window [since, until] with the records inside it (dates compare as prefixes of datetimes). */
const byWindow = (req: MockRequest) => {
  const since = String(req.query.since);
  const until = String(req.query.until);
  const inside = (value: string) => value >= since && (until.length === 10 ? value.slice(0, 10) <= until : value <= until);
  return { body: { data: RECORDS.filter((r) => inside(r.updated_at)) } };
};

const stateValues = (messages: Parameters<typeof states>[0]) => states(messages).map((s) => (s.stream as { stream_state: unknown }).stream_state);

async function read(cursor: string, now: number, start: string, state?: unknown) {
  const run = await runSource(
    'read',
    {
      manifest: manifest(cursor),
      config: { base_url: (api as MockApi).url, start },
      catalog: configuredCatalog([{ name: 'items', syncMode: 'incremental', cursorField: ['updated_at'] }]),
      state,
    },
    { clock: () => now },
  );
  expect(run.code).toBe(0);
  return run;
}

const WEEKLY = `      datetime_format: "%Y-%m-%dT%H:%M:%SZ"
      start_datetime: "{{ config['start'] }}"
      step: P7D
      cursor_granularity: PT1S
      clamping: { target: WEEK, target_details: { weekday: MONDAY } }`;

describe('DatetimeBasedCursor clamping, whole source', () => {
  it('WEEK on Mondays with a P7D step: whole weeks up to the last complete one, then a resumed run', async () => {
    api = await startMockApi([{ path: '/items', handler: byWindow }]);
    // Thursday 2024-02-01 10:00: the last complete week ended Sunday 2024-01-28.
    const now = Date.UTC(2024, 1, 1, 10);
    const first = await read(WEEKLY, now, '2024-01-08T00:00:00Z');
    expect(api.requests.map((r) => [r.query.since, r.query.until])).toEqual([
      ['2024-01-08T00:00:00Z', '2024-01-14T23:59:59Z'],
      ['2024-01-15T00:00:00Z', '2024-01-21T23:59:59Z'],
      ['2024-01-22T00:00:00Z', '2024-01-28T23:59:59Z'],
    ]);
    expect(records(first.messages).map((r) => r.id)).toEqual([2, 3]);
    expect(stateValues(first.messages)).toEqual([
      { updated_at: '2024-01-10T08:00:00Z' },
      { updated_at: '2024-01-16T09:00:00Z' },
      { updated_at: '2024-01-16T09:00:00Z' },
      { updated_at: '2024-01-16T09:00:00Z' },
    ]);

    // A week later the state (mid-week) is rounded up to the next Monday; the end is the last Sunday.
    api.reset();
    const second = await read(WEEKLY, Date.UTC(2024, 1, 8, 10), '2024-01-08T00:00:00Z', [
      streamState('items', { updated_at: '2024-01-16T09:00:00Z' }),
    ]);
    expect(api.requests.map((r) => [r.query.since, r.query.until])).toEqual([
      ['2024-01-22T00:00:00Z', '2024-01-28T23:59:59Z'],
      ['2024-01-29T00:00:00Z', '2024-02-04T23:59:59Z'],
    ]);
    expect(records(second.messages).map((r) => r.id)).toEqual([4]);
    expect(stateValues(second.messages).at(-1)).toEqual({ updated_at: '2024-01-16T09:00:00Z' });
  });

  it('MONTH with a P1M step from mid-month: the first window starts at the next 1st, months end on their last day', async () => {
    api = await startMockApi([{ path: '/items', handler: byWindow }]);
    const run = await read(
      `      datetime_format: "%Y-%m-%d"
      start_datetime: "{{ config['start'] }}"
      step: P1M
      cursor_granularity: P1D
      clamping: { target: "{{ 'MONTH' }}" }`,
      Date.UTC(2024, 2, 10, 12),
      '2023-11-15',
    );
    expect(api.requests.map((r) => [r.query.since, r.query.until])).toEqual([
      ['2023-12-01', '2023-12-31'],
      ['2024-01-01', '2024-01-31'],
      ['2024-02-01', '2024-02-29'],
    ]);
    // id 1 (2023-11-20) falls in the part of November skipped by the rounding.
    expect(records(run.messages).map((r) => r.id)).toEqual([2, 3, 4, 5]);
    // The windows are not contiguous with the start (2023-11-15 .. 2023-12-01), so, as in the CDK,
    // the state stays at the start.
    expect(stateValues(run.messages)).toEqual([
      { updated_at: '2023-11-15' },
      { updated_at: '2023-11-15' },
      { updated_at: '2023-11-15' },
      { updated_at: '2023-11-15' },
    ]);
  });
});
