import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { type Fixture, MANIFEST_YAML, ROTATING_MANIFEST_YAML, SECRETS, USERS, startFixtureApi } from './fixtures.js';

let fx: Fixture;
let app: FastifyInstance;
let workspace: string;
let repo: string;
/** Every response body any test saw: none may hold a secret. */
const bodies: string[] = [];

beforeAll(async () => {
  fx = await startFixtureApi();
  workspace = await mkdtemp(join(tmpdir(), 'builder-ws-'));
  repo = await mkdtemp(join(tmpdir(), 'builder-repo-'));
  app = await buildApp({ workspaceDir: workspace, repoDir: repo, uiDir: join(workspace, 'no-ui') });
});

afterAll(async () => {
  await app.close();
  await fx.api.close();
  await rm(workspace, { recursive: true, force: true });
  await rm(repo, { recursive: true, force: true });
});

async function call(options: InjectOptions) {
  const res = await app.inject(options);
  bodies.push(res.body);
  return res;
}

const post = (url: string, payload: unknown) => call({ method: 'POST', url, payload: payload as Record<string, unknown> });

type Json = Record<string, any>;

function allRecords(read: Json): Json[] {
  return read.slices.flatMap((slice: Json) => slice.pages.flatMap((page: Json) => page.records));
}

describe('health and capabilities', () => {
  it('answers on both APIs', async () => {
    for (const url of ['/v1/health', '/health/', '/health']) {
      const res = await call({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    }
    const caps = await call({ method: 'GET', url: '/capabilities/' });
    expect(caps.json()).toEqual({ custom_code_execution: false });
  });

  it('serves a page saying the UI is not built', async () => {
    const res = await call({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/not built/);
  });
});

describe('POST /v1/stream/read (builder API)', () => {
  it('reads a paginated stream, grouped in pages, with the inferred schema and datetime formats', async () => {
    const res = await post('/v1/stream/read', { manifest: MANIFEST_YAML, config: fx.config, stream: 'users' });
    expect(res.statusCode).toBe(200);
    const read = res.json();
    expect(read.slices).toHaveLength(1);
    const pages = read.slices[0].pages;
    expect(pages.map((p: Json) => p.records.length)).toEqual([2, 2, 1]);
    expect(pages[1].request.url).toContain('page=2');
    expect(pages[0].request.http_method).toBe('GET');
    expect(pages[0].request.headers['X-Api-Key']).toBe('****');
    expect(pages[0].response.status).toBe(200);
    expect(pages[0].response.body).toContain('served for ****');
    expect(allRecords(read).map((r) => r.id)).toEqual(USERS.map((u) => u.id));
    expect(read.test_read_limit_reached).toBe(false);
    expect(read.auxiliary_requests).toEqual([]);
    expect(read.latest_config_update).toBeNull();
    expect(read.inferred_schema).toEqual({
      $schema: 'http://json-schema.org/schema#',
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'number' },
        name: { type: ['string', 'null'] },
        created: { type: ['string', 'null'] },
        note: { type: ['string', 'null'] },
        tags: { type: ['array', 'null'], items: { type: ['string', 'null'] } },
        address: {
          type: ['object', 'null'],
          properties: { city: { type: ['string', 'null'] }, zip: { type: ['string', 'null'] } },
        },
      },
    });
    expect(read.inferred_datetime_formats).toEqual({ created: '%Y-%m-%d' });
  });

  it('stops at the record limit in the middle of a page, and says the limit was reached', async () => {
    const res = await post('/v1/stream/read', { manifest: MANIFEST_YAML, config: fx.config, stream: 'users', record_limit: 3 });
    const read = res.json();
    expect(read.slices[0].pages.map((p: Json) => p.records.length)).toEqual([2, 1]);
    expect(read.test_read_limit_reached).toBe(true);
  });

  it('a limit counts as reached when met exactly', async () => {
    const records = await post('/v1/stream/read', { manifest: MANIFEST_YAML, config: fx.config, stream: 'users', record_limit: 5 });
    expect(allRecords(records.json())).toHaveLength(5);
    expect(records.json().test_read_limit_reached).toBe(true);
    const pages = await post('/v1/stream/read', { manifest: MANIFEST_YAML, config: fx.config, stream: 'users', page_limit: 2 });
    expect(pages.json().slices[0].pages).toHaveLength(2);
    expect(pages.json().test_read_limit_reached).toBe(true);
  });

  it('reads an incremental stream in slices, with state, and the OAuth token call as an AUTH request', async () => {
    const res = await post('/v1/stream/read', { manifest: MANIFEST_YAML, config: fx.config, stream: 'events' });
    expect(res.statusCode).toBe(200);
    const read = res.json();
    expect(read.slices.map((s: Json) => s.slice_descriptor.start_time)).toEqual([
      '2024-01-01T00:00:00Z',
      '2024-01-02T00:00:00Z',
      '2024-01-03T00:00:00Z',
    ]);
    expect(read.slices[0].state[0].stream.stream_state).toEqual({ updated_at: '2024-01-01T02:00:00Z' });
    expect(read.slices[0].pages[0].request.headers.Authorization).toBe('Bearer ****');
    const auth = read.auxiliary_requests.filter((a: Json) => a.type === 'AUTH');
    expect(auth).toHaveLength(1);
    expect(auth[0].request.url).toBe(`${fx.api.url}/oauth/token`);
    expect(auth[0].response.body).toContain('****');
    expect(read.inferred_datetime_formats).toEqual({ updated_at: '%Y-%m-%dT%H:%M:%SZ' });
    expect(read.inferred_schema.required).toEqual(['id', 'updated_at']);
    expect(read.inferred_schema.properties.amount).toEqual({ type: ['number', 'null'] });
  });

  it('starts an incremental stream from the given state', async () => {
    const state = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'events' }, stream_state: { updated_at: '2024-01-03T00:00:00Z' } } }];
    const read = (await post('/v1/stream/read', { manifest: MANIFEST_YAML, config: fx.config, stream: 'events', state })).json();
    expect(read.slices[0].slice_descriptor.start_time).toBe('2024-01-03T00:00:00Z');
  });

  it('reads a child stream per parent record; the parent pages are PARENT_STREAM requests', async () => {
    const read = (await post('/v1/stream/read', { manifest: MANIFEST_YAML, config: fx.config, stream: 'posts', slice_limit: 2 })).json();
    expect(read.slices).toHaveLength(2);
    expect(read.slices.map((s: Json) => s.slice_descriptor.user_id)).toEqual([1, 2]);
    expect(read.slices[0].pages[0].request.url).toContain('/users/1/posts');
    expect(read.test_read_limit_reached).toBe(true);
    const parents = read.auxiliary_requests.filter((a: Json) => a.type === 'PARENT_STREAM');
    expect(parents.length).toBeGreaterThanOrEqual(1);
    expect(parents[0].request.url).toContain('/users');
    expect(parents[0].request.headers['X-Api-Key']).toBe('****');
    expect(parents[0].title).toMatch(/users/);
  });

  it('returns the updated config when the read rotated a refresh token (masked)', async () => {
    const config = {
      ...fx.config,
      credentials: { client_id: 'my-client', client_secret: SECRETS.clientSecret, refresh_token: SECRETS.refreshToken },
    };
    const read = (await post('/v1/stream/read', { manifest: ROTATING_MANIFEST_YAML(), config, stream: 'events', slice_limit: 1 })).json();
    expect(read.logs.filter((l: Json) => l.level === 'ERROR')).toEqual([]);
    expect(read.latest_config_update).not.toBeNull();
    expect(read.latest_config_update.credentials.refresh_token).toBe('****');
    expect(read.latest_config_update.credentials.access_token).toBe('****');
    expect(read.latest_config_update.base_url).toBe(fx.api.url);
  });

  it('answers a read that fails part-way with what it read and the error as a log', async () => {
    const config = { ...fx.config, api_key: `wrong-${SECRETS.apiKey}` };
    const res = await post('/v1/stream/read', { manifest: MANIFEST_YAML, config, stream: 'users' });
    expect(res.statusCode).toBe(200);
    const read = res.json();
    const errors = read.logs.filter((l: Json) => l.level === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/401/);
    expect(read.slices[0].pages[0].response.status).toBe(401);
  });

  it('reads one slice at a time even when the manifest asks for concurrency', async () => {
    const manifest = `${MANIFEST_YAML}\nconcurrency_level:\n  type: ConcurrencyLevel\n  default_concurrency: 4\n  max_concurrency: 4\n`;
    const read = (await post('/v1/stream/read', { manifest, config: fx.config, stream: 'events' })).json();
    expect(read.slices.map((s: Json) => s.pages[0].records.map((r: Json) => r.id.slice(0, 10)))).toEqual([
      ['2024-01-01', '2024-01-01'],
      ['2024-01-02', '2024-01-02'],
      ['2024-01-03', '2024-01-03'],
    ]);
  });

  it('accepts the legacy {stream: state} shape of state', async () => {
    const state = { events: { updated_at: '2024-01-02T00:00:00Z' } };
    const read = (await post('/v1/stream/read', { manifest: MANIFEST_YAML, config: fx.config, stream: 'events', state })).json();
    expect(read.slices[0].slice_descriptor.start_time).toBe('2024-01-02T00:00:00Z');
  });

  it('shows manifest warnings as WARN logs', async () => {
    const manifest = MANIFEST_YAML.replace('$ref: "#/definitions/selector"', '$ref: "*ref(definitions.selector)"');
    const read = (await post('/v1/stream/read', { manifest, config: fx.config, stream: 'events', slice_limit: 1 })).json();
    expect(read.logs).toEqual(expect.arrayContaining([expect.objectContaining({ level: 'WARN', message: expect.stringMatching(/legacy reference/) })]));
  });

  it('shows a failed token call as an AUTH request and the failure as an ERROR log, masked', async () => {
    const config = { ...fx.config, refresh_token: `bad-${SECRETS.refreshToken}` };
    const res = await post('/v1/manifest/test_read', { manifest: MANIFEST_YAML, config, stream_name: 'events' });
    expect(res.statusCode).toBe(200);
    const read = res.json();
    const auth = read.auxiliary_requests.filter((a: Json) => a.type === 'AUTH');
    expect(auth.length).toBeGreaterThanOrEqual(1);
    expect(auth[0].response.status).toBe(400);
    expect(auth[0].request.body).toContain('****');
    expect(read.logs.some((l: Json) => l.level === 'ERROR')).toBe(true);
    expect(allRecords(read)).toEqual([]);
  });

  it('accepts the manifest as an object too', async () => {
    const manifest = parseYaml(MANIFEST_YAML);
    const res = await post('/v1/stream/read', { manifest, config: fx.config, stream: 'users', record_limit: 1 });
    expect(res.statusCode).toBe(200);
    expect(allRecords(res.json())).toHaveLength(1);
  });
});

describe('POST /v1/manifest/test_read (manifest-server API)', () => {
  it('reads with stream_name and the default limits', async () => {
    const res = await post('/v1/manifest/test_read', {
      manifest: parseYaml(MANIFEST_YAML),
      config: fx.config,
      stream_name: 'users',
      state: [],
      context: { workspace_id: 'w', project_id: 'p' },
    });
    expect(res.statusCode).toBe(200);
    const read = res.json();
    expect(Object.keys(read).sort()).toEqual(
      ['auxiliary_requests', 'inferred_datetime_formats', 'inferred_schema', 'latest_config_update', 'logs', 'slices', 'test_read_limit_reached'].sort(),
    );
    expect(allRecords(read)).toHaveLength(5);
  });

  it('refuses custom components code', async () => {
    const res = await post('/v1/manifest/test_read', { manifest: MANIFEST_YAML, config: fx.config, stream_name: 'users', custom_components_code: 'import os' });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/custom_components_code/);
  });
});

describe('check, discover, streams list', () => {
  it('checks a connection', async () => {
    const ok = await post('/v1/manifest/check', { manifest: MANIFEST_YAML, config: fx.config });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ success: true, message: null });
    const bad = await post('/v1/manifest/check', { manifest: MANIFEST_YAML, config: { ...fx.config, api_key: `x${SECRETS.apiKey}` } });
    expect(bad.json().success).toBe(false);
    expect(bad.json().message).toMatch(/users/);
    const invalid = await post('/v1/manifest/check', { manifest: MANIFEST_YAML, config: { base_url: fx.api.url } });
    expect(invalid.json().success).toBe(false);
    expect(invalid.json().message).toMatch(/api_key/);
  });

  it('discovers the catalog', async () => {
    const res = await post('/v1/manifest/discover', { manifest: MANIFEST_YAML, config: fx.config });
    expect(res.statusCode).toBe(200);
    const streams = res.json().catalog.streams as Json[];
    expect(streams.map((s) => s.name)).toEqual(['users', 'events', 'posts']);
    const events = streams.find((s) => s.name === 'events') as Json;
    expect(events.supported_sync_modes).toEqual(['full_refresh', 'incremental']);
    expect(events.default_cursor_field).toEqual(['updated_at']);
  });

  it('lists streams with their URLs', async () => {
    const res = await post('/v1/streams/list', { manifest: MANIFEST_YAML, config: fx.config });
    expect(res.statusCode).toBe(200);
    expect(res.json().streams).toEqual([
      { name: 'users', url: "{{ config['base_url'] }}/users" },
      { name: 'events', url: "{{ config['base_url'] }}/events" },
      { name: 'posts', url: "{{ config['base_url'] }}/users/{{ stream_partition.user_id }}/posts" },
    ]);
  });
});

describe('resolve and full_resolve (shared paths)', () => {
  it('resolves $refs and propagates types', async () => {
    for (const manifest of [MANIFEST_YAML, parseYaml(MANIFEST_YAML)]) {
      const res = await post('/v1/manifest/resolve', { manifest, context: { project_id: 'p' } });
      expect(res.statusCode).toBe(200);
      const resolved = res.json().manifest;
      expect(JSON.stringify(resolved)).not.toContain('$ref');
      expect(resolved.streams[0].retriever.requester.path).toBe('/users');
      expect(resolved.streams[0].retriever.paginator.type).toBe('DefaultPaginator');
    }
  });

  it('full_resolve marks every stream with dynamic_stream_name, with or without config', async () => {
    const withConfig = await post('/v1/manifest/full_resolve', { manifest: MANIFEST_YAML, config: fx.config, stream_limit: 10 });
    expect(withConfig.statusCode).toBe(200);
    expect(withConfig.json().manifest.streams.map((s: Json) => s.dynamic_stream_name)).toEqual([null, null, null]);
    const oldShape = await post('/v1/manifest/full_resolve', { manifest: MANIFEST_YAML });
    expect(oldShape.statusCode).toBe(200);
  });
});

describe('full_resolve with dynamic_streams', () => {
  const manifest = () => {
    const base = parseYaml(MANIFEST_YAML) as Json;
    base.dynamic_streams = [
      {
        type: 'DynamicDeclarativeStream',
        name: 'per_item',
        stream_template: { ...structuredClone(base.definitions.users_stream), name: 'placeholder' },
        components_resolver: {
          type: 'ConfigComponentsResolver',
          stream_config: { type: 'StreamConfig', configs_pointer: ['items'] },
          components_mapping: [
            { type: 'ComponentMappingDefinition', field_path: ['name'], value: "{{ components_values['name'] }}" },
          ],
        },
      },
    ];
    return base;
  };

  it('appends the generated streams (at most stream_limit per definition) once the runtime resolves them', async () => {
    const config = { ...fx.config, items: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] };
    const res = await post('/v1/manifest/full_resolve', { manifest: manifest(), config, stream_limit: 2 });
    expect(res.statusCode).toBe(200);
    const streams = res.json().manifest.streams as Json[];
    expect(streams.slice(0, 3).map((s) => s.dynamic_stream_name)).toEqual([null, null, null]);
    expect(streams.slice(3).map((s) => [s.name, s.dynamic_stream_name])).toEqual([
      ['a', 'per_item'],
      ['b', 'per_item'],
    ]);
  });
});

describe('bad input', () => {
  const routes = [
    { url: '/v1/stream/read', body: () => ({ manifest: MANIFEST_YAML, config: fx.config, stream: 'users' }), stream: 'stream' },
    { url: '/v1/manifest/test_read', body: () => ({ manifest: MANIFEST_YAML, config: fx.config, stream_name: 'users' }), stream: 'stream_name' },
  ];

  it('malformed JSON is a 400 and the server keeps serving', async () => {
    for (const url of ['/v1/stream/read', '/v1/manifest/test_read', '/v1/manifest/resolve', '/api/projects']) {
      const res = await call({ method: 'POST', url, payload: '{"manifest": ', headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toMatch(/not valid JSON/);
    }
    expect((await call({ method: 'GET', url: '/v1/health' })).statusCode).toBe(200);
  });

  it('a body that is not an object is a 400', async () => {
    const res = await call({ method: 'POST', url: '/v1/manifest/resolve', payload: '[1,2]', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/JSON object/);
  });

  it('a missing field is a 400 naming it', async () => {
    for (const route of routes) {
      for (const field of ['manifest', 'config', route.stream]) {
        const body = route.body() as Json;
        delete body[field];
        const res = await post(route.url, body);
        expect(res.statusCode, `${route.url} without ${field}`).toBe(400);
        expect(res.json().detail).toContain(`'${field}'`);
      }
    }
    for (const url of ['/v1/manifest/check', '/v1/manifest/discover', '/v1/streams/list']) {
      const res = await post(url, { manifest: MANIFEST_YAML });
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toContain("'config'");
    }
    const res = await post('/v1/manifest/resolve', {});
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain("'manifest'");
  });

  it('an unknown component type is a 400 naming it and its manifest path', async () => {
    const manifest = MANIFEST_YAML.replace('type: PageIncrement', 'type: PageIncrementz');
    for (const route of routes) {
      const res = await post(route.url, { ...route.body(), manifest });
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.detail).toContain('PageIncrementz');
      expect(body.path).toMatch(/^streams\[0\]\.retriever\.paginator/);
      expect(body.line).toBeGreaterThan(0);
      expect(body.code).toBe('MANIFEST_INVALID');
    }
    for (const url of ['/v1/manifest/resolve', '/v1/manifest/full_resolve', '/v1/manifest/check', '/v1/manifest/discover', '/v1/streams/list']) {
      const res = await post(url, { manifest, config: fx.config });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().detail).toContain('PageIncrementz');
    }
  });

  it('an undefined $ref is a 400 naming it', async () => {
    const manifest = MANIFEST_YAML.replace('$ref: "#/definitions/selector"', '$ref: "#/definitions/nowhere"');
    for (const route of routes) {
      const res = await post(route.url, { ...route.body(), manifest });
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toContain('nowhere');
    }
    const res = await post('/v1/manifest/resolve', { manifest });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('nowhere');
  });

  it('a stream that does not exist is a 404 listing the streams', async () => {
    for (const route of routes) {
      const res = await post(route.url, { ...route.body(), [route.stream]: 'nope' });
      expect(res.statusCode).toBe(404);
      expect(res.json().detail).toMatch(/'nope'.*users.*events.*posts/);
    }
  });

  it('a limit out of range is a 422 naming the limit and its range', async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['record_limit', 0, /record_limit.*1 and 5000/],
      ['record_limit', 5001, /record_limit.*1 and 5000/],
      ['page_limit', 21, /page_limit.*1 and 20/],
      ['slice_limit', 0, /slice_limit.*1 and 20/],
      ['page_limit', 'five', /page_limit/],
      ['slice_limit', 2.5, /slice_limit/],
    ];
    for (const route of routes) {
      for (const [field, value, message] of cases) {
        const res = await post(route.url, { ...route.body(), [field]: value });
        expect(res.statusCode, `${field}=${String(value)}`).toBe(422);
        expect(res.json().detail).toMatch(message);
      }
    }
    const res = await post('/v1/manifest/full_resolve', { manifest: MANIFEST_YAML, config: {}, stream_limit: 101 });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/stream_limit/);
  });

  it('wrongly typed fields are 400s', async () => {
    const res = await post('/v1/stream/read', { manifest: 42, config: 'x', stream: 'users' });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/'config' must be an object/);
    const yaml = await post('/v1/manifest/resolve', { manifest: 'streams: [unclosed' });
    expect(yaml.statusCode).toBe(400);
    const state = await post('/v1/stream/read', { manifest: MANIFEST_YAML, config: fx.config, stream: 'events', state: [{ type: 'NOPE' }] });
    expect(state.statusCode).toBe(400);
    expect(state.json().detail).toMatch(/state/);
  });

  it('a body over 10 MiB is a 413; a manifest of a few MiB works', async () => {
    const big = 'x'.repeat(11 * 1024 * 1024);
    const tooLarge = await call({ method: 'POST', url: '/v1/manifest/resolve', payload: JSON.stringify({ manifest: { description: big } }), headers: { 'content-type': 'application/json' } });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().detail).toMatch(/10 MiB/);
    for (const url of ['/v1/stream/read', '/v1/manifest/test_read', '/api/projects']) {
      const res = await call({ method: 'POST', url, payload: JSON.stringify({ manifest: big, config: {}, stream: 'users' }), headers: { 'content-type': 'application/json' } });
      expect(res.statusCode, url).toBe(413);
    }
    const manifest = parseYaml(MANIFEST_YAML) as Json;
    manifest.definitions.padding = { text: 'y'.repeat(3 * 1024 * 1024) };
    const ok = await post('/v1/manifest/resolve', { manifest });
    expect(ok.statusCode).toBe(200);
    expect((await call({ method: 'GET', url: '/v1/health' })).statusCode).toBe(200);
  });

  it('an unknown route is a 404 with a detail', async () => {
    const res = await call({ method: 'POST', url: '/v1/nothing', payload: {} });
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toMatch(/No route/);
  });

  it('secrets in error messages are masked', async () => {
    const res = await post('/v1/stream/read', { manifest: MANIFEST_YAML, config: fx.config, stream: SECRETS.apiKey });
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toContain("'****'");
  });
});

describe('projects, publish and contribute', () => {
  let id: string;

  it('creates, lists, reads, updates and downloads a project', async () => {
    const created = await post('/api/projects', { name: 'Fixture API', manifest: MANIFEST_YAML });
    expect(created.statusCode).toBe(201);
    id = created.json().id;
    expect(created.json()).toMatchObject({ name: 'Fixture API', manifest: MANIFEST_YAML });
    const list = await call({ method: 'GET', url: '/api/projects' });
    expect(list.json().projects.map((p: Json) => p.id)).toContain(id);
    const got = await call({ method: 'GET', url: `/api/projects/${id}` });
    expect(got.json().name).toBe('Fixture API');
    const updated = await call({ method: 'PUT', url: `/api/projects/${id}`, payload: { name: 'Fixture API', manifest: `${MANIFEST_YAML}\n# edited\n` } });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().manifest).toContain('# edited');
    expect(updated.json().updated_at >= created.json().updated_at).toBe(true);
    const download = await call({ method: 'GET', url: `/api/projects/${id}/download` });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toContain('manifest.yaml');
    expect(download.body).toContain('# edited');
  });

  it('never stores testing values', async () => {
    const res = await call({ method: 'PUT', url: `/api/projects/${id}`, payload: { config: fx.config } });
    expect(res.statusCode).toBe(400);
    const files = await readdir(join(workspace, 'projects'));
    for (const file of files) {
      const text = await readFile(join(workspace, 'projects', file), 'utf8');
      for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    }
  });

  it('rejects bad project input', async () => {
    expect((await post('/api/projects', {})).statusCode).toBe(400);
    expect((await post('/api/projects', { name: 'x', manifest: 'a: [' })).json().detail).toMatch(/YAML/);
    expect((await call({ method: 'GET', url: '/api/projects/does-not-exist' })).statusCode).toBe(404);
    expect((await call({ method: 'GET', url: '/api/projects/..%2F..%2Fetc' })).statusCode).toBe(404);
  });

  it('publishes versions and lists connectors', async () => {
    const first = await post(`/api/projects/${id}/publish`, { description: 'first' });
    expect(first.statusCode).toBe(201);
    expect(first.json().version).toBe(1);
    const second = await post(`/api/projects/${id}/publish`, {});
    expect(second.json().version).toBe(2);
    const list = await call({ method: 'GET', url: '/api/connectors' });
    const connector = list.json().connectors.find((c: Json) => c.project_id === id);
    expect(connector.name).toBe('Fixture API');
    expect(connector.latest_version).toBe(2);
    expect(connector.versions.map((v: Json) => v.version)).toEqual([1, 2]);
    expect(connector.versions[0].description).toBe('first');
  });

  it('refuses to publish an invalid manifest', async () => {
    const bad = await post('/api/projects', { name: 'Broken', manifest: MANIFEST_YAML.replace('type: PageIncrement', 'type: Nope') });
    const res = await post(`/api/projects/${bad.json().id}/publish`, {});
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('Nope');
  });

  it('contributes manifest.yaml and metadata.yaml to the repo', async () => {
    const res = await post(`/api/projects/${id}/contribute`, { tags: ['category:test'] });
    expect(res.statusCode).toBe(201);
    expect(res.json().directory).toBe('connectors/source-fixture-api');
    const dir = join(repo, 'connectors', 'source-fixture-api');
    expect(await readFile(join(dir, 'manifest.yaml'), 'utf8')).toContain('# edited');
    const metadata = parseYaml(await readFile(join(dir, 'metadata.yaml'), 'utf8'));
    expect(metadata.metadataSpecVersion).toBe('1.0');
    expect(metadata.data).toMatchObject({
      name: 'Fixture API',
      connectorType: 'source',
      connectorSubtype: 'api',
      dockerRepository: 'manifold/source-fixture-api',
      dockerImageTag: '0.1.0',
      releaseStage: 'alpha',
      license: 'MIT',
    });
    expect(metadata.data.definitionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(metadata.data.documentationUrl).toMatch(/^https:\/\//);
    expect(metadata.data.tags).toEqual(expect.arrayContaining(['language:manifest-only', 'category:test']));
    // Contributing again keeps the definition id.
    await post(`/api/projects/${id}/contribute`, {});
    const again = parseYaml(await readFile(join(dir, 'metadata.yaml'), 'utf8'));
    expect(again.data.definitionId).toBe(metadata.data.definitionId);
  });

  it('deletes a project', async () => {
    const res = await call({ method: 'DELETE', url: `/api/projects/${id}` });
    expect(res.statusCode).toBe(204);
    expect((await call({ method: 'GET', url: `/api/projects/${id}` })).statusCode).toBe(404);
    expect((await call({ method: 'DELETE', url: `/api/projects/${id}` })).statusCode).toBe(404);
  });
});

describe('secrets', () => {
  it('no secret appears in any response body of any route', () => {
    expect(bodies.length).toBeGreaterThan(50);
    for (const body of bodies) {
      for (const secret of Object.values(SECRETS)) expect(body.includes(secret), `a response holds ${secret.slice(0, 12)}…`).toBe(false);
    }
  });
});

describe('integers beyond 2^53', () => {
  it('a test read returns their exact digits (the reply is not written by JSON.stringify)', async () => {
    const { startMockApi } = await import('@manifold/testkit');
    const api = await startMockApi([
      {
        method: 'GET',
        path: '/users',
        response: { headers: { 'content-type': 'application/json' }, body: '{"data":[{"id":12345678901234567890,"name":"Big"}]}' },
      },
    ]);
    try {
      const res = await post('/v1/stream/read', { manifest: MANIFEST_YAML, config: { ...fx.config, base_url: api.url }, stream: 'users' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('"id":12345678901234567890');
    } finally {
      await api.close();
    }
  });
});
