/**
 * Where we are deliberately stricter than Airbyte's CDK (see docs/differences.md): one test per
 * rule, against a local mock API, checking the exact records emitted and the last state before
 * the failure.
 */
import {
  type MockApi,
  configuredCatalog,
  errors,
  faults,
  records,
  startMockApi,
  states,
  streamState,
} from '@manifold/testkit';
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
    required: [base_url]
    properties:
      base_url: { type: string }
      token: { type: string, airbyte_secret: true }
`;

/** A stream reading `path`, cursor-paginated on `response.next`. */
function manifest(options: { path?: string; paginator?: string; incremental?: string; authenticator?: string; extra?: string } = {}): string {
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
        path: ${options.path ?? 'items'}
${options.authenticator ?? ''}
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
${
  options.paginator ??
  `      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.next }}", stop_condition: "{{ not response.next }}" }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: cursor }`
}
${options.incremental ?? ''}
    schema_loader: { type: InlineSchemaLoader, schema: { type: object } }
${options.extra ?? ''}
${SPEC}`;
}

const page = (ids: number[], next: string | null) => ({ body: { data: ids.map((id) => ({ id })), next } });
const ids = (messages: Parameters<typeof records>[0]) => records(messages).map((r) => r.id);

describe('stricter than the CDK', () => {
  it('retries a 2xx body that is not JSON, then reads on when it heals', async () => {
    api = await startMockApi([
      {
        path: '/items',
        handler: (req, { callCount }) => {
          if (!req.query.cursor) return page([1, 2], 'p2');
          return callCount === 2 ? faults.truncatedJson({ data: [{ id: 3 }], next: null }) : page([3], null);
        },
      },
    ]);
    const run = await runSource('read', { manifest: manifest(), config: { base_url: api.url }, catalog: configuredCatalog(['items']) });
    expect(run.code).toBe(0);
    expect(ids(run.messages)).toEqual([1, 2, 3]);
    expect(api.requestsTo('/items').map((r) => r.query.cursor ?? null)).toEqual([null, 'p2', 'p2']);
  });

  it('fails the stream when a 2xx body stays undecodable; earlier records stay, state does not cover the bad page', async () => {
    api = await startMockApi([
      {
        path: '/items',
        handler: (req) => {
          const start = String(req.query.start);
          if (start === '2024-01-01') return { body: { data: [{ id: 1, updated_at: '2024-01-01' }, { id: 2, updated_at: '2024-01-01' }] } };
          return faults.html();
        },
      },
    ]);
    const incremental = `
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      end_datetime: "2024-01-03"
      step: P1D
      cursor_granularity: P1D
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: start }`;
    const run = await runSource('read', {
      manifest: manifest({ paginator: '', incremental }).replace('field_path: [data]', 'field_path: [data]'),
      config: { base_url: api.url },
      catalog: configuredCatalog([{ name: 'items', syncMode: 'incremental' }]),
    });
    expect(run.code).not.toBe(0);
    expect(ids(run.messages)).toEqual([1, 2]);
    const [error] = errors(run.messages);
    expect(error?.failure_type).toBe('transient_error');
    expect(error?.message).toMatch(/JSON|decode/i);
    // The first day was read and its state written; nothing covers the second day (the state is
    // written once more as the stream fails, as the CDK does).
    expect(states(run.messages).map((s) => (s.stream as { stream_state: unknown }).stream_state)).toEqual([
      { updated_at: '2024-01-01' },
      { updated_at: '2024-01-01' },
    ]);
    // Retried with backoff before giving up: 1 + 5 retries of the bad window.
    expect(api.requests.filter((r) => String(r.query.start) === '2024-01-02')).toHaveLength(6);
  });

  it('stops with a system_error naming the token when the paginator repeats it', async () => {
    api = await startMockApi([{ path: '/items', handler: (req) => page(req.query.cursor ? [2] : [1], 'same-token') }]);
    const run = await runSource('read', { manifest: manifest(), config: { base_url: api.url }, catalog: configuredCatalog(['items']) });
    expect(run.code).not.toBe(0);
    expect(ids(run.messages)).toEqual([1, 2]);
    const [error] = errors(run.messages);
    expect(error?.failure_type).toBe('system_error');
    expect(error?.message).toContain('"same-token"');
    expect(api.requests).toHaveLength(2);
  });

  it('refuses a configured stream the manifest does not define, before any request', async () => {
    api = await startMockApi([{ path: '/items', response: page([1], null) }]);
    const run = await runSource('read', {
      manifest: manifest(),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items', 'ghosts']),
    });
    expect(run.code).not.toBe(0);
    expect(errors(run.messages)[0]).toMatchObject({ failure_type: 'config_error' });
    expect(errors(run.messages)[0]?.message).toContain("'ghosts'");
    expect(api.requests).toHaveLength(0);
  });

  it.each([
    ['not JSON', '{"type": "STREAM",'],
    ['not an Airbyte state', JSON.stringify([{ type: 'STREAM', stream: { stream_state: {} } }])],
  ])('refuses a state file that is %s, before any request', async (_what, state) => {
    api = await startMockApi([{ path: '/items', response: page([1], null) }]);
    const run = await runSource('read', {
      manifest: manifest(),
      config: { base_url: api.url },
      catalog: configuredCatalog(['items']),
      state,
    });
    expect(run.code).not.toBe(0);
    const [error] = errors(run.messages);
    expect(error?.failure_type).toBe('config_error');
    expect(error?.message).toContain('state.json');
    expect(api.requests).toHaveLength(0);
  });

  it.each([
    ['an unknown component type', 'paginator: { type: DefaultPaginater }', 'streams[0].retriever.paginator', 'DefaultPaginater'],
    ['a missing required field', 'paginator: { type: DefaultPaginator }', 'streams[0].retriever.paginator', 'pagination_strategy'],
    ['a wrong value type', 'paginator: { type: DefaultPaginator, pagination_strategy: { type: PageIncrement, page_size: [1] } }', 'page_size', 'page_size'],
  ])('reports %s as a config_error naming the path and the field', async (_what, paginator, path, field) => {
    const run = await runSource('read', {
      manifest: manifest({ paginator: `      ${paginator}` }),
      config: { base_url: 'http://127.0.0.1:9' },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).not.toBe(0);
    const [error] = errors(run.messages);
    expect(error?.failure_type).toBe('config_error');
    expect(error?.message).toContain(path);
    expect(error?.message).toContain(field);
  });

  it.each([
    ['seconds', '7', 7000],
    ['an HTTP date', new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), 30_000],
  ])('honours Retry-After given in %s with the default error handler', async (_form, retryAfter, expectedMs) => {
    api = await startMockApi([
      { path: '/items', handler: faults.rateLimited(retryAfter, page([1], null)) },
    ]);
    const run = await runSource(
      'read',
      { manifest: manifest(), config: { base_url: api.url }, catalog: configuredCatalog(['items']) },
      { clock: () => Date.UTC(2030, 0, 1, 0, 0, 0) },
    );
    expect(run.code).toBe(0);
    expect(ids(run.messages)).toEqual([1]);
    expect(run.sleeps).toEqual([expectedMs]);
  });

  it('refreshes an OAuth token once on a 401 and retries; a second 401 is a config_error', async () => {
    let issued = 0;
    api = await startMockApi([
      {
        method: 'POST',
        path: '/oauth/token',
        handler: () => {
          issued += 1;
          return { body: { access_token: `token-${issued}`, expires_in: 3600 } };
        },
      },
      {
        path: '/items',
        handler: (req) => (req.headers.authorization === 'Bearer token-2' ? page([1], null) : { status: 401, body: { error: 'expired' } }),
      },
      { path: '/never', response: { status: 401, body: { error: 'nope' } } },
    ]);
    const authenticator = `        authenticator:
          type: OAuthAuthenticator
          token_refresh_endpoint: "{{ config['base_url'] }}/oauth/token"
          client_id: id
          client_secret: "{{ config['token'] }}"
          refresh_token: refresh-secret-value`;
    const ok = await runSource('read', {
      manifest: manifest({ authenticator }),
      config: { base_url: api.url, token: 'client-secret-value' },
      catalog: configuredCatalog(['items']),
    });
    expect(ok.code).toBe(0);
    expect(ids(ok.messages)).toEqual([1]);
    expect(issued).toBe(2);

    const failed = await runSource('read', {
      manifest: manifest({ authenticator, path: 'never' }),
      config: { base_url: api.url, token: 'client-secret-value' },
      catalog: configuredCatalog(['items']),
    });
    expect(failed.code).not.toBe(0);
    expect(errors(failed.messages)[0]?.failure_type).toBe('config_error');
    expect(api.requestsTo('/never')).toHaveLength(2);
    expect(failed.stdout).not.toContain('client-secret-value');
    expect(failed.stdout).not.toContain('token-3');
  });

  it.each([
    [503, 'transient_error', 6],
    [401, 'config_error', 1],
    [403, 'config_error', 1],
    [400, 'system_error', 1],
    [404, 'system_error', 1],
  ])('a %i ends the stream with failure_type %s after %i attempt(s)', async (status, failureType, attempts) => {
    api = await startMockApi([{ path: '/items', response: { status, body: { error: 'x' } } }]);
    const run = await runSource('read', { manifest: manifest(), config: { base_url: api.url }, catalog: configuredCatalog(['items']) });
    expect(run.code).not.toBe(0);
    expect(errors(run.messages)[0]?.failure_type).toBe(failureType);
    expect(api.requests).toHaveLength(attempts);
  });

  it('keeps state from an Airbyte sync and resumes from it', async () => {
    api = await startMockApi([{ path: '/items', handler: () => page([7], null) }]);
    const incremental = `
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      end_datetime: "2024-01-05"
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: since }`;
    const run = await runSource('read', {
      manifest: manifest({ paginator: '', incremental }),
      config: { base_url: api.url },
      catalog: configuredCatalog([{ name: 'items', syncMode: 'incremental' }]),
      state: [streamState('items', { updated_at: '2024-01-03' })],
    });
    expect(run.code).toBe(0);
    expect(api.requests[0]?.query.since).toBe('2024-01-03');
  });
});
