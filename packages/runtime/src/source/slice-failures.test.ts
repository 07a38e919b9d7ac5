/**
 * One slice of a stream fails, the others are still read (the CDK's concurrent read does the
 * same): their records come out, each failed slice gets its ERROR trace when it fails, the state
 * never covers a failed slice, and the stream ends INCOMPLETE with the sync failing at the end.
 */
import { type MockApi, configuredCatalog, errors, records, startMockApi, states } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from './__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function manifest(options: { router?: string; incremental?: string; concurrency?: number }): string {
  return `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
${options.concurrency ? `concurrency_level: { type: ConcurrencyLevel, default_concurrency: ${options.concurrency}, max_concurrency: ${options.concurrency} }` : ''}
streams:
  - type: DeclarativeStream
    name: items
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: "${options.router ? '/items/{{ stream_partition.p }}' : '/items'}"
        error_handler:
          type: DefaultErrorHandler
          response_filters:
            - { type: HttpResponseFilter, http_codes: [403], action: FAIL, failure_type: config_error, error_message: "no access to this one" }
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
${options.router ?? ''}
${options.incremental ?? ''}
    schema_loader:
      type: InlineSchemaLoader
      schema: { type: object, properties: { id: { type: string }, updated_at: { type: string } } }
spec:
  type: Spec
  connection_specification:
    type: object
    properties:
      base_url: { type: string }
`;
}

const ROUTER = `      partition_router:
        type: ListPartitionRouter
        values: [a, b, c]
        cursor_field: p`;

const daily = (end: string) => `    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      end_datetime: "${end}"
      step: P1D
      cursor_granularity: P1D
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: day }`;

/** RECORD ids, ERROR traces and statuses in the order they came. */
function outline(messages: unknown[]): string[] {
  return (messages as { type: string; record?: { data: { id: string } }; trace?: { type: string; error?: { message: string }; stream_status?: { status: string } } }[])
    .flatMap((m) => {
      if (m.type === 'RECORD') return [`record ${m.record!.data.id}`];
      if (m.type === 'TRACE' && m.trace!.type === 'ERROR') return [`error ${m.trace!.error!.message}`];
      if (m.type === 'TRACE' && m.trace!.type === 'STREAM_STATUS') return [m.trace!.stream_status!.status];
      return [];
    });
}

describe('a failing slice does not stop the other slices', () => {
  it('partitions: b fails, a and c are read; b is reported when it fails', async () => {
    api = await startMockApi([
      { path: '/items/a', handler: () => ({ body: { data: [{ id: 'a1' }, { id: 'a2' }] } }) },
      { path: '/items/b', handler: () => ({ status: 403, body: {} }) },
      { path: '/items/c', handler: () => ({ body: { data: [{ id: 'c1' }] } }) },
    ]);
    const run = await runSource('read', { manifest: manifest({ router: ROUTER }), config: { base_url: api.url }, catalog: configuredCatalog(['items']) });
    expect(run.code).not.toBe(0);
    expect(outline(run.messages)).toEqual([
      'STARTED',
      'RUNNING',
      'record a1',
      'record a2',
      expect.stringMatching(/^error .*no access to this one/),
      'record c1',
      'INCOMPLETE',
      expect.stringMatching(/^error During the sync, the following streams did not sync successfully: items/),
    ]);
    expect(errors(run.messages)[0]?.failure_type).toBe('config_error');
  });

  it('partitions with a cursor: the state covers a and c, and b only up to its start', async () => {
    api = await startMockApi([
      { path: '/items/a', handler: (req) => ({ body: { data: [{ id: `a-${String(req.query.day)}`, updated_at: String(req.query.day) }] } }) },
      { path: '/items/b', handler: () => ({ status: 403, body: {} }) },
      { path: '/items/c', handler: (req) => ({ body: { data: [{ id: `c-${String(req.query.day)}`, updated_at: String(req.query.day) }] } }) },
    ]);
    const run = await runSource('read', {
      manifest: manifest({ router: ROUTER, incremental: daily('2024-01-04') }),
      config: { base_url: api.url },
      catalog: configuredCatalog([{ name: 'items', syncMode: 'incremental' }]),
    });
    expect(run.code).not.toBe(0);
    expect(records(run.messages).map((r) => r.id)).toEqual(['a-2024-01-01', 'a-2024-01-02', 'a-2024-01-03', 'c-2024-01-01', 'c-2024-01-02', 'c-2024-01-03']);
    const last = states(run.messages).at(-1)?.stream?.stream_state as { states: { partition: { p: string }; cursor: unknown }[] };
    // b's cursor stays at the start: nothing of it is covered.
    expect(last.states.map((s) => [s.partition.p, s.cursor])).toEqual([
      ['a', { updated_at: '2024-01-03' }],
      ['b', { updated_at: '2024-01-01' }],
      ['c', { updated_at: '2024-01-03' }],
    ]);
  });

  it('day slices read at once: day 2 fails, day 3 is read, the state stays at day 1', async () => {
    api = await startMockApi([
      {
        path: '/items',
        handler: (req) =>
          req.query.day === '2024-01-02' ? { status: 403, body: {} } : { body: { data: [{ id: `d-${String(req.query.day)}`, updated_at: String(req.query.day) }] } },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest({ incremental: daily('2024-01-04'), concurrency: 3 }),
      config: { base_url: api.url },
      catalog: configuredCatalog([{ name: 'items', syncMode: 'incremental' }]),
    });
    expect(run.code).not.toBe(0);
    expect(records(run.messages).map((r) => r.id).sort()).toEqual(['d-2024-01-01', 'd-2024-01-03']);
    const values = states(run.messages).map((s) => (s.stream as { stream_state: unknown }).stream_state);
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) expect(value).toEqual({ updated_at: '2024-01-01' });
  });
});
