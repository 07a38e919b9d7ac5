/**
 * A stream that fails still writes its state once before its INCOMPLETE status, as the CDK's
 * concurrent read does (ensure_at_least_one_state_emitted): the state of the slices that closed,
 * the incoming or start state when none did, and never a state past the failure.
 */
import { type MockApi, configuredCatalog, errors, records, startMockApi, states, streamState } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from './__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function manifest(incremental: string): string {
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
      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: items
        error_handler:
          type: DefaultErrorHandler
          response_filters:
            - { type: HttpResponseFilter, http_codes: [403], action: FAIL, failure_type: config_error, error_message: "no access" }
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
${incremental}
    schema_loader:
      type: InlineSchemaLoader
      schema: { type: object, properties: { id: { type: integer }, updated_at: { type: string } } }
spec:
  type: Spec
  connection_specification:
    type: object
    properties:
      base_url: { type: string }
`;
}

const DAILY = `    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      end_datetime: "2024-01-03"
      step: P1D
      cursor_granularity: P1D
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: day }`;

/** The messages of the read, as types in order, with each STATE's stream_state. */
function outline(messages: { type: string; state?: { stream?: { stream_state?: unknown } }; trace?: { type: string; stream_status?: { status: string } } }[]) {
  return messages
    .filter((m) => m.type === 'STATE' || (m.type === 'TRACE' && m.trace?.type === 'STREAM_STATUS'))
    .map((m) => (m.type === 'STATE' ? m.state?.stream?.stream_state : m.trace?.stream_status?.status));
}

describe('a failing stream writes its state once', () => {
  it('incremental: the closed day, again, then INCOMPLETE; the failed day is not covered', async () => {
    api = await startMockApi([
      {
        path: '/items',
        handler: (req) =>
          req.query.day === '2024-01-01'
            ? { body: { data: [{ id: 1, updated_at: '2024-01-01' }] } }
            : { status: 403, body: { error: 'forbidden' } },
      },
    ]);
    const run = await runSource('read', {
      manifest: manifest(DAILY),
      config: { base_url: api.url },
      catalog: configuredCatalog([{ name: 'items', syncMode: 'incremental' }]),
    });
    expect(run.code).not.toBe(0);
    expect(records(run.messages).map((r) => r.id)).toEqual([1]);
    expect(outline(run.messages as never)).toEqual([
      'STARTED',
      'RUNNING',
      { updated_at: '2024-01-01' },
      { updated_at: '2024-01-01' },
      'INCOMPLETE',
    ]);
    expect(errors(run.messages)[0]?.failure_type).toBe('config_error');
  });

  it('incremental with incoming state, failing at once: the incoming state, unchanged', async () => {
    api = await startMockApi([{ path: '/items', handler: () => ({ status: 403, body: {} }) }]);
    const run = await runSource('read', {
      manifest: manifest(DAILY),
      config: { base_url: api.url },
      catalog: configuredCatalog([{ name: 'items', syncMode: 'incremental' }]),
      state: [streamState('items', { updated_at: '2024-01-02' })],
    });
    expect(run.code).not.toBe(0);
    expect(states(run.messages).map((s) => (s.stream as { stream_state: unknown }).stream_state)).toEqual([
      { updated_at: '2024-01-02' },
    ]);
  });

  it('full refresh: the no-cursor marker, then INCOMPLETE', async () => {
    api = await startMockApi([{ path: '/items', handler: () => ({ status: 403, body: {} }) }]);
    const run = await runSource('read', {
      manifest: manifest(''),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).not.toBe(0);
    expect(outline(run.messages as never)).toEqual(['STARTED', { __ab_no_cursor_state_message: true }, 'INCOMPLETE']);
  });
});
