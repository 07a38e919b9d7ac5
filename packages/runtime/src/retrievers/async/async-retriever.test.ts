import { gzipSync } from 'node:zlib';
import { type MockApi, type MockResponse, configuredCatalog, errors, records, startMockApi } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../resolvers/__tests__/cli.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const run = runCli;

function manifest(options: { extra?: string; timeout?: number; slices?: boolean; targetExtractor?: string } = {}): string {
  return `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [exports] }
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string } } }
streams:
  - type: DeclarativeStream
    name: exports
    primary_key: id
    schema_loader: { type: InlineSchemaLoader, schema: { type: object, properties: { id: { type: string } } } }
    transformations:
      - type: AddFields
        fields: [{ path: [job], value: "{{ stream_slice.region or 'all' }}" }]
    retriever:
      type: AsyncRetriever
${options.slices ? `      partition_router: { type: ListPartitionRouter, cursor_field: region, values: [eu, us] }\n` : ''}${options.timeout ? `      polling_job_timeout: ${options.timeout}\n` : ''}      status_mapping: { running: [pending, working], completed: [done], failed: [error], timeout: [expired], skipped: [empty] }
      status_extractor: { type: DpathExtractor, field_path: [state] }
      download_target_extractor: ${options.targetExtractor ?? '{ type: DpathExtractor, field_path: [files, "*", url] }'}
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [ignored] }
        record_filter: { type: RecordFilter, condition: "{{ record.id != 'skip' }}" }
      creation_requester:
        type: HttpRequester
        url_base: "{{ config.base_url }}"
        path: /exports
        http_method: POST
        request_body_json: { region: "{{ stream_slice.region or 'all' }}" }
      polling_requester:
        type: HttpRequester
        url_base: "{{ config.base_url }}"
        path: "/exports/{{ creation_response['id'] }}"
      download_requester:
        type: HttpRequester
        url_base: "{{ download_target }}"
        request_headers: { X-Export: "{{ creation_response.id }}-{{ polling_response.state }}" }
      download_decoder: { type: GzipDecoder, decoder: { type: CsvDecoder } }
      delete_requester:
        type: HttpRequester
        url_base: "{{ config.base_url }}"
        path: "/exports/{{ creation_response.id }}/delete"
        http_method: POST
${options.extra ?? ''}`;
}

const csv = (text: string): MockResponse => ({ body: gzipSync(Buffer.from(text)), headers: { 'content-type': 'application/gzip' } });

describe('AsyncRetriever', () => {
  it('creates a job, polls it until done, downloads gzip CSV targets and deletes the job', async () => {
    api = await startMockApi([
      { method: 'POST', path: '/exports', response: { body: { id: 'job-1' } } },
      { method: 'GET', path: '/files/a.csv.gz', response: csv('id,name\n1,Ann\nskip,Nobody\n') },
      { method: 'GET', path: '/files/b.csv.gz', response: csv('id,name\n2,Bob\n') },
      { method: 'POST', path: '/exports/job-1/delete', response: { status: 204 } },
    ]);
    // The completed poll names the download URLs on the mock server.
    api.route({
      method: 'GET',
      path: '/exports/job-1',
      responses: [
        { body: { state: 'pending' } },
        { body: { state: 'working' } },
        { body: { state: 'done', files: [{ url: `${api.url}/files/a.csv.gz` }, { url: `${api.url}/files/b.csv.gz` }] } },
      ],
    });
    const result = await run('read', manifest(), { base_url: api.url }, configuredCatalog(['exports']));
    expect(errors(result.messages)).toEqual([]);
    expect(result.code).toBe(0);
    expect(records(result.messages, 'exports')).toEqual([
      { id: '1', name: 'Ann', job: 'all' },
      { id: '2', name: 'Bob', job: 'all' },
    ]);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /exports',
      'GET /exports/job-1',
      'GET /exports/job-1',
      'GET /exports/job-1',
      'GET /files/a.csv.gz',
      'GET /files/b.csv.gz',
      'POST /exports/job-1/delete',
    ]);
    expect(api.requests[0]?.json).toEqual({ region: 'all' });
    expect(api.requests[4]?.headers['x-export']).toBe('job-1-done');
    // The first poll is immediate; then one 5-second wait per running status.
    expect(result.sleeps).toEqual([5000, 5000]);
  });

  it('runs one job per slice, with the slice in the creation request', async () => {
    let created = 0;
    api = await startMockApi([
      { method: 'POST', path: '/exports', handler: () => ({ body: { id: `job-${++created}` } }) },
      { method: 'POST', path: /^\/exports\/[^/]+\/delete$/, response: { status: 204 } },
    ]);
    const url = api.url;
    api.route({
      method: 'GET',
      path: '/exports/:id',
      handler: (req) => ({ body: { state: 'done', files: [{ url: `${url}/files/${req.params.id}.csv.gz` }] } }),
    });
    api.route({ method: 'GET', path: '/files/:file', handler: (req) => csv(`id\n${req.params.file?.split('.')[0]}\n`) });
    const result = await run('read', manifest({ slices: true }), { base_url: api.url }, configuredCatalog(['exports']));
    expect(errors(result.messages)).toEqual([]);
    expect(records(result.messages, 'exports')).toEqual([
      { id: 'job-1', job: 'eu' },
      { id: 'job-2', job: 'us' },
    ]);
    expect(api.requestsTo('/exports').map((r) => r.json)).toEqual([{ region: 'eu' }, { region: 'us' }]);
    expect(result.sleeps).toEqual([]);
  });

  it('retries a failed job twice, then fails the read with a clear error (never zero records silently)', async () => {
    let created = 0;
    api = await startMockApi([
      { method: 'POST', path: '/exports', handler: () => ({ body: { id: `job-${++created}` } }) },
      { method: 'GET', path: '/exports/:id', response: { body: { state: 'error' } } },
    ]);
    const result = await run('read', manifest(), { base_url: api.url }, configuredCatalog(['exports']));
    expect(result.code).not.toBe(0);
    expect(records(result.messages)).toEqual([]);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /exports',
      'GET /exports/job-1',
      'POST /exports',
      'GET /exports/job-2',
      'POST /exports',
      'GET /exports/job-3',
    ]);
    const [error] = errors(result.messages);
    expect(error?.failure_type).toBe('system_error');
    expect(error?.message).toContain("Async job of stream 'exports' failed (API status 'error'); gave up after 3 attempts");
  });

  it('times a job out after polling_job_timeout minutes, aborts it and fails after 3 attempts', async () => {
    let created = 0;
    api = await startMockApi([
      { method: 'POST', path: '/exports', handler: () => ({ body: { id: `job-${++created}` } }) },
      { method: 'GET', path: '/exports/:id', response: { body: { state: 'working' } } },
      { method: 'POST', path: '/exports/:id/cancel', response: { body: {} } },
    ]);
    const abort = `      abort_requester:
        type: HttpRequester
        url_base: "{{ config.base_url }}"
        path: "/exports/{{ creation_response.id }}/cancel"
        http_method: POST
`;
    const result = await run('read', manifest({ timeout: 1, extra: abort }), { base_url: api.url }, configuredCatalog(['exports']));
    expect(result.code).not.toBe(0);
    expect(records(result.messages)).toEqual([]);
    // 1 minute = 12 polls 5 seconds apart, then the 13th check finds the job timed out.
    expect(api.requestsTo('/exports/job-1')).toHaveLength(13);
    expect(api.requests.filter((r) => r.path.endsWith('/cancel')).map((r) => r.path)).toEqual([
      '/exports/job-1/cancel',
      '/exports/job-2/cancel',
      '/exports/job-3/cancel',
    ]);
    expect(errors(result.messages)[0]?.message).toContain(
      "Async job of stream 'exports' did not complete within the polling_job_timeout of 1 minute(s); gave up after 3 attempts",
    );
  });

  it('an API status missing from status_mapping is an error at once', async () => {
    api = await startMockApi([
      { method: 'POST', path: '/exports', response: { body: { id: 'job-1' } } },
      { method: 'GET', path: '/exports/job-1', response: { body: { state: 'mystery' } } },
    ]);
    const result = await run('read', manifest(), { base_url: api.url }, configuredCatalog(['exports']));
    expect(result.code).not.toBe(0);
    expect(errors(result.messages)[0]?.message).toContain("the API reported status 'mystery'");
    expect(api.requests).toHaveLength(2);
  });

  it('discover and check see AsyncRetriever streams', async () => {
    api = await startMockApi([
      { method: 'POST', path: '/exports', response: { body: { id: 'job-1' } } },
      { method: 'GET', path: '/exports/job-1', response: { body: { state: 'done', files: [] } } },
      { method: 'POST', path: '/exports/job-1/delete', response: { status: 204 } },
    ]);
    const discovered = await run('discover', manifest(), { base_url: api.url });
    const catalog = discovered.messages.find((m) => m.type === 'CATALOG')?.catalog as { streams: Array<{ name: string }> };
    expect(catalog.streams.map((s) => s.name)).toEqual(['exports']);
    const checked = await run('check', manifest(), { base_url: api.url });
    expect(checked.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus).toEqual({ status: 'SUCCEEDED' });
  });

  it('a skipped job (no data to return) ends the slice without records or errors', async () => {
    api = await startMockApi([
      { method: 'POST', path: '/exports', response: { body: { id: 'job-1' } } },
      { method: 'GET', path: '/exports/job-1', response: { body: { state: 'empty' } } },
    ]);
    const result = await run('read', manifest(), { base_url: api.url }, configuredCatalog(['exports']));
    expect(errors(result.messages)).toEqual([]);
    expect(records(result.messages)).toEqual([]);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /exports', 'GET /exports/job-1']);
  });

  it('download_target_requester: the targets come from a further request that sees polling_response', async () => {
    api = await startMockApi([
      { method: 'POST', path: '/exports', response: { body: { id: 'job-1' } } },
      { method: 'GET', path: '/exports/job-1', response: { body: { state: 'done', report: 'r-9' } } },
      { method: 'POST', path: '/exports/job-1/delete', response: { status: 204 } },
    ]);
    const url = api.url;
    api.route({ method: 'GET', path: '/reports/r-9', response: { body: { links: [`${url}/files/x.csv.gz`] } } });
    api.route({ method: 'GET', path: '/files/x.csv.gz', response: csv('id\nx1\n') });
    const targets = `      download_target_requester:
        type: HttpRequester
        url_base: "{{ config.base_url }}"
        path: "/reports/{{ polling_response.report }}"
`;
    const result = await run(
      'read',
      manifest({ extra: targets, targetExtractor: '{ type: DpathExtractor, field_path: [links] }' }),
      { base_url: api.url },
      configuredCatalog(['exports']),
    );
    expect(errors(result.messages)).toEqual([]);
    expect(records(result.messages)).toEqual([{ id: 'x1', job: 'all' }]);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /exports',
      'GET /exports/job-1',
      'GET /reports/r-9',
      'GET /files/x.csv.gz',
      'POST /exports/job-1/delete',
    ]);
  });

  it('a job that could not be created is retried as a new job; a later success reads normally', async () => {
    api = await startMockApi([
      { method: 'POST', path: '/exports', responses: [{ status: 400, body: { error: 'busy' } }, { body: { id: 'job-2' } }] },
      { method: 'GET', path: '/exports/job-2', response: { body: { state: 'done', files: [] } } },
      { method: 'POST', path: '/exports/job-2/delete', response: { status: 204 } },
    ]);
    const result = await run('read', manifest(), { base_url: api.url }, configuredCatalog(['exports']));
    expect(errors(result.messages)).toEqual([]);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /exports',
      'POST /exports',
      'GET /exports/job-2',
      'POST /exports/job-2/delete',
    ]);
  });

  it('failed_retry_wait_time_in_seconds waits before starting the failed job again', async () => {
    let created = 0;
    api = await startMockApi([
      { method: 'POST', path: '/exports', handler: () => ({ body: { id: `job-${++created}` } }) },
      { method: 'GET', path: '/exports/job-1', response: { body: { state: 'error' } } },
      { method: 'GET', path: '/exports/job-2', response: { body: { state: 'done', files: [] } } },
      { method: 'POST', path: /delete$/, response: { status: 204 } },
    ]);
    const result = await run('read', manifest({ extra: '      failed_retry_wait_time_in_seconds: 30\n' }), { base_url: api.url }, configuredCatalog(['exports']));
    expect(errors(result.messages)).toEqual([]);
    expect(result.sleeps).toEqual([30000]);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /exports',
      'GET /exports/job-1',
      'POST /exports',
      'GET /exports/job-2',
      'POST /exports/job-2/delete',
    ]);
  });
});
