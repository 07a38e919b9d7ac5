import { join } from 'node:path';
import {
  type MockApi,
  type MockRequest,
  configuredCatalog,
  errors,
  records,
  startMockApi,
  states,
  streamStatuses,
} from '@manifold/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, tempFiles } from './run-cli.js';

const MANIFEST = join(FIXTURES, 'widgets.yaml');
const SECRET = 'sk-sentinel-9f3a7c51e2';

const WIDGETS = [
  { id: 1, name: 'a', status: 'active', internal: 'x' },
  { id: 2, name: 'b', status: 'deleted', internal: 'x' },
  { id: 3, name: 'c', status: 'active', internal: 'x' },
  { id: 4, name: 'd', status: 'active', internal: 'x' },
  { id: 5, name: 'e', status: 'active', internal: 'x' },
];

function widgetsHandler(req: MockRequest) {
  if (req.headers['x-api-key'] !== SECRET) return { status: 401, body: { error: 'bad key' } };
  const page = Number(req.query.page);
  const size = Number(req.query.page_size);
  return { body: { data: WIDGETS.slice((page - 1) * size, page * size) } };
}

const GADGET_PAGES: Record<string, { data: unknown[]; next_cursor: string | null }> = {
  '': { data: [{ id: 10, label: 'x' }, { id: 11, label: 'y' }], next_cursor: 'c2' },
  c2: { data: [{ id: 12, label: 'z' }], next_cursor: null },
};

let api: MockApi;
beforeAll(async () => {
  api = await startMockApi([
    { method: 'GET', path: '/api/v1/widgets', handler: widgetsHandler },
    { method: 'GET', path: '/api/v1/gadgets', handler: (req) => ({ body: GADGET_PAGES[String(req.query.cursor ?? '')] }) },
  ]);
});
afterAll(() => api.close());
beforeEach(() => api.reset());

const config = () => ({ api_key: SECRET, base_url: api.url, color: 'red' });

describe('source-declarative-manifest', () => {
  it('spec prints the connector specification', async () => {
    const result = await runCli(['spec', '--manifest-path', MANIFEST]);
    expect(result.code).toBe(0);
    expect(result.messages).toHaveLength(1);
    const spec = result.messages[0] as { type: string; spec: Record<string, unknown> };
    expect(spec.type).toBe('SPEC');
    expect(spec.spec.documentationUrl).toBe('https://example.com/docs/widgets');
    expect((spec.spec.connectionSpecification as { required: string[] }).required).toEqual(['api_key', 'base_url']);
  });

  it('check succeeds with a good key and fails cleanly with a bad one', async () => {
    const good = tempFiles({ 'config.json': config() });
    const ok = await runCli(['check', '--manifest-path', MANIFEST, '--config', good['config.json'] as string]);
    expect(ok.code).toBe(0);
    expect(ok.messages.at(-1)).toMatchObject({ type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED' } });

    const bad = tempFiles({ 'config.json': { ...config(), api_key: 'wrong-key-123' } });
    const failed = await runCli(['check', '--manifest-path', MANIFEST, '--config', bad['config.json'] as string]);
    expect(failed.code).toBe(0);
    const status = failed.messages.at(-1) as { connectionStatus: { status: string; message: string } };
    expect(status.connectionStatus.status).toBe('FAILED');
    expect(status.connectionStatus.message).toContain('401');
    expect(failed.stdout).not.toContain('wrong-key-123');
  });

  it('discover reports schemas, sync modes and primary keys', async () => {
    const files = tempFiles({ 'config.json': config() });
    const result = await runCli(['discover', '--manifest-path', MANIFEST, '--config', files['config.json'] as string]);
    expect(result.code).toBe(0);
    const catalog = result.messages[0] as { type: string; catalog: { streams: Array<Record<string, unknown>> } };
    expect(catalog.type).toBe('CATALOG');
    expect(catalog.catalog.streams.map((s) => s.name)).toEqual(['widgets', 'gadgets']);
    expect(catalog.catalog.streams[0]).toMatchObject({
      supported_sync_modes: ['full_refresh'],
      source_defined_primary_key: [['id']],
      json_schema: { type: 'object', properties: { id: { type: 'integer' } } },
    });
  });

  it('read paginates, filters, transforms and sends the exact requests', async () => {
    const files = tempFiles({ 'config.json': config(), 'catalog.json': configuredCatalog(['widgets', 'gadgets']) });
    const result = await runCli([
      'read', '--manifest-path', MANIFEST, '--config', files['config.json'] as string, '--catalog', files['catalog.json'] as string,
    ]);
    expect(result.code).toBe(0);
    expect(records(result.messages, 'widgets')).toEqual([
      { id: 1, name: 'a', status: 'active', source: 'widgets-api' },
      { id: 3, name: 'c', status: 'active', source: 'widgets-api' },
      { id: 4, name: 'd', status: 'active', source: 'widgets-api' },
      { id: 5, name: 'e', status: 'active', source: 'widgets-api' },
    ]);
    expect(records(result.messages, 'gadgets').map((r) => r.id)).toEqual([10, 11, 12]);
    // Page 1 is full (3 raw records, one filtered out): pagination continues to page 2, which is short.
    expect(api.requestsTo('/api/v1/widgets').map((r) => r.url)).toEqual([
      '/api/v1/widgets?color=red&page=1&page_size=3',
      '/api/v1/widgets?color=red&page=2&page_size=3',
    ]);
    expect(api.requestsTo('/api/v1/gadgets').map((r) => r.query.cursor ?? null)).toEqual([null, 'c2']);
    expect(streamStatuses(result.messages, 'widgets').map((s) => s.status)).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(states(result.messages).at(-1)).toMatchObject({
      type: 'STREAM',
      stream: { stream_descriptor: { name: 'gadgets' }, stream_state: { __ab_no_cursor_state_message: true } },
    });
    // Only protocol messages on stdout, and the secret nowhere outside requests.
    expect(result.stdout).not.toContain(SECRET);
  });

  it('an invalid config is a config_error naming the field, before any request', async () => {
    const files = tempFiles({ 'config.json': { base_url: api.url }, 'catalog.json': configuredCatalog(['widgets']) });
    const result = await runCli([
      'read', '--manifest-path', MANIFEST, '--config', files['config.json'] as string, '--catalog', files['catalog.json'] as string,
    ]);
    expect(result.code).not.toBe(0);
    const [error] = errors(result.messages);
    expect(error?.failure_type).toBe('config_error');
    expect(error?.message).toContain("'api_key' is a required property");
    expect(api.requests).toHaveLength(0);
  });

  it('a catalog stream the manifest does not define is a config_error before any request', async () => {
    const files = tempFiles({ 'config.json': config(), 'catalog.json': configuredCatalog(['widgets', 'sprockets']) });
    const result = await runCli([
      'read', '--manifest-path', MANIFEST, '--config', files['config.json'] as string, '--catalog', files['catalog.json'] as string,
    ]);
    expect(result.code).not.toBe(0);
    expect(errors(result.messages)[0]).toMatchObject({ failure_type: 'config_error' });
    expect(errors(result.messages)[0]?.message).toContain("'sprockets'");
    expect(api.requests).toHaveLength(0);
  });

  it('a state file that is not JSON is a config_error naming the file', async () => {
    const files = tempFiles({ 'config.json': config(), 'catalog.json': configuredCatalog(['widgets']), 'state.json': '{not json' });
    const result = await runCli([
      'read', '--manifest-path', MANIFEST, '--config', files['config.json'] as string,
      '--catalog', files['catalog.json'] as string, '--state', files['state.json'] as string,
    ]);
    expect(result.code).not.toBe(0);
    expect(errors(result.messages)[0]?.failure_type).toBe('config_error');
    expect(errors(result.messages)[0]?.message).toContain('state.json');
    expect(api.requests).toHaveLength(0);
  });

  it('reads the manifest from the config when no path is given', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const manifest = parse(readFileSync(MANIFEST, 'utf8'));
    const files = tempFiles({
      'config.json': { ...config(), __injected_declarative_manifest: manifest },
      'catalog.json': configuredCatalog(['gadgets']),
    });
    const result = await runCli(['read', '--config', files['config.json'] as string, '--catalog', files['catalog.json'] as string]);
    expect(result.code).toBe(0);
    expect(records(result.messages, 'gadgets')).toHaveLength(3);
  });

  it('an unknown command prints usage and a config_error trace', async () => {
    const result = await runCli(['fly']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('usage:');
    expect(errors(result.messages)[0]?.failure_type).toBe('config_error');
  });
});
