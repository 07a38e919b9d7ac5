import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockApi, type MockRequest, startMockApi } from '@manifold/testkit';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';

const API_KEY = 'warehouse-key-SENTINEL-4f0c2b9e';
const PG_PASSWORD = 'pg-password-SENTINEL-71aa';
const SECRET_KEY = Buffer.alloc(32, 3).toString('base64');

/** Our own fixture: a library API with books (incremental, one day per slice) and authors (full refresh). */
const LIBRARY_MANIFEST = `
version: 6.44.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [authors] }
definitions:
  requester:
    type: HttpRequester
    url_base: "{{ config['base_url'] }}"
    http_method: GET
    authenticator:
      type: ApiKeyAuthenticator
      api_token: "{{ config['api_key'] }}"
      inject_into: { type: RequestOption, inject_into: header, field_name: X-Api-Key }
  selector:
    type: RecordSelector
    extractor: { type: DpathExtractor, field_path: [items] }
streams:
  - type: DeclarativeStream
    name: books
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: /books }
      record_selector: { $ref: "#/definitions/selector" }
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: added_on
      datetime_format: "%Y-%m-%d"
      start_datetime: "{{ config['start_date'] }}"
      end_datetime: "2024-03-06"
      step: P1D
      cursor_granularity: P1D
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: from }
      end_time_option: { type: RequestOption, inject_into: request_parameter, field_name: to }
    schema_loader:
      type: InlineSchemaLoader
      schema: { type: object, properties: { id: { type: integer }, title: { type: string }, added_on: { type: string } } }
  - type: DeclarativeStream
    name: authors
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: /authors }
      record_selector: { $ref: "#/definitions/selector" }
    schema_loader:
      type: InlineSchemaLoader
      schema: { type: object, properties: { id: { type: integer }, name: { type: string } } }
spec:
  type: Spec
  connection_specification:
    type: object
    required: [api_key, base_url, start_date]
    properties:
      api_key: { type: string, title: API key, airbyte_secret: true }
      base_url: { type: string, title: Base URL }
      start_date: { type: string, title: Start date }
`;

const books = [
  { id: 1, title: 'Dune', added_on: '2024-03-01' },
  { id: 2, title: 'Emma', added_on: '2024-03-01' },
  { id: 3, title: 'Ulysses', added_on: '2024-03-02' },
];
const authors = [
  { id: 10, name: 'Frank Herbert' },
  { id: 11, name: 'Jane Austen' },
];

interface Sent {
  url: string;
  body: string;
}

describe('/api/workspace', () => {
  let api: MockApi;
  let catalog: typeof books;
  /** How long each /books answer waits (the cancel test slows the read down). */
  let booksDelayMs = 0;
  let work: string;
  let app: FastifyInstance;
  const responses: Sent[] = [];

  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse> => {
    const response = await app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
    responses.push({ url, body: response.body });
    return response;
  };
  const json = <T = Record<string, unknown>>(response: LightMyRequestResponse) => response.json() as T;

  beforeAll(async () => {
    const authorized = (req: MockRequest) => req.headers['x-api-key'] === API_KEY;
    api = await startMockApi([
      {
        method: 'GET',
        path: '/books',
        handler: (req) => {
          if (!authorized(req)) return { status: 401, body: { error: 'bad key' } };
          const from = String(req.query.from);
          const to = String(req.query.to);
          return { body: { items: catalog.filter((b) => b.added_on >= from && b.added_on <= to) }, delayMs: booksDelayMs };
        },
      },
      { method: 'GET', path: '/authors', handler: (req) => (authorized(req) ? { body: { items: authors } } : { status: 401, body: {} }) },
    ]);
  });
  afterAll(async () => api.close());

  beforeEach(async () => {
    catalog = [...books];
    booksDelayMs = 0;
    responses.length = 0;
    work = mkdtempSync(join(tmpdir(), 'builder-ws-routes-'));
    app = await buildApp({ workspaceDir: work, uiDir: join(work, 'no-ui'), workspace: { env: { MANIFOLD_SECRET_KEY: SECRET_KEY } } });
    const project = json<{ id: string }>(await call('POST', '/api/projects', { name: 'Library', manifest: LIBRARY_MANIFEST }));
    expect((await call('POST', `/api/projects/${project.id}/publish`, { description: 'first' })).statusCode).toBe(201);
  });
  afterEach(async () => {
    // No response of any test may carry a secret, nor may any file but the encrypted one.
    for (const sent of responses) {
      expect(sent.body, sent.url).not.toContain(API_KEY);
      expect(sent.body, sent.url).not.toContain(PG_PASSWORD);
    }
    for (const file of filesUnder(work)) {
      if (file.endsWith('.duckdb') || file.endsWith('.wal')) continue;
      expect(readFileSync(file, 'utf8'), file).not.toContain(API_KEY);
    }
    await app.close();
    rmSync(work, { recursive: true, force: true });
  });

  const sourceConfig = () => ({ api_key: API_KEY, base_url: api.url, start_date: '2024-03-01' });
  const createSource = async () => json<{ id: string }>(await call('POST', '/api/workspace/sources', { name: 'library', connector: 'Library', config: sourceConfig() }));
  const createWarehouse = async () =>
    json<{ id: string }>(await call('POST', '/api/workspace/destinations', { name: 'warehouse', config: { type: 'duckdb', path: join(work, 'warehouse.duckdb') } }));

  /** Reads the sync's Server-Sent Events to the end. */
  const events = async (connectionId: string) => {
    const response = await call('GET', `/api/workspace/connections/${connectionId}/sync/events`);
    expect(response.headers['content-type']).toContain('text/event-stream');
    return response.body
      .split('\n\n')
      .filter((chunk) => chunk.trim() !== '')
      .map((chunk) => {
        const [eventLine, dataLine] = chunk.split('\n');
        return { type: eventLine!.replace('event: ', ''), data: JSON.parse(dataLine!.replace('data: ', '')) as Record<string, unknown> };
      });
  };

  it('lists published connectors with the spec of each version', async () => {
    const { connectors } = json<{ connectors: Array<{ name: string; latest_version: number; versions: Array<{ spec: { required: string[] } }> }> }>(
      await call('GET', '/api/workspace/connectors'),
    );
    expect(connectors).toHaveLength(1);
    expect(connectors[0]).toMatchObject({ name: 'Library', latest_version: 1 });
    expect(connectors[0]!.versions[0]!.spec.required).toEqual(['api_key', 'base_url', 'start_date']);
  });

  it('creates a source with its secret masked, and names the field a bad config lacks', async () => {
    const created = await call('POST', '/api/workspace/sources', { name: 'library', connector: 'Library', version: 1, config: sourceConfig() });
    expect(created.statusCode).toBe(201);
    expect(json(created)).toMatchObject({ name: 'library', connector: { name: 'Library', version: 1 }, config: { api_key: '**********', base_url: api.url } });
    const listed = json<{ sources: Array<{ config: Record<string, unknown> }> }>(await call('GET', '/api/workspace/sources'));
    expect(listed.sources[0]!.config.api_key).toBe('**********');

    const missing = await call('POST', '/api/workspace/sources', { name: 'bad', connector: 'Library', config: { api_key: API_KEY, base_url: api.url } });
    expect(missing.statusCode).toBe(400);
    expect(json(missing)).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(json<{ detail: string }>(missing).detail).toContain("'start_date' is a required property");

    const wrongType = await call('POST', '/api/workspace/sources', { name: 'bad', connector: 'Library', config: { ...sourceConfig(), base_url: 42 } });
    expect(json<{ detail: string }>(wrongType).detail).toContain("'base_url' must be string");

    expect(json(await call('POST', '/api/workspace/sources', { name: 'library', connector: 'Library', config: sourceConfig() }))).toMatchObject({ code: 'NAME_TAKEN' });
    expect((await call('POST', '/api/workspace/sources', { name: 'x', connector: 'Nope', config: {} })).statusCode).toBe(404);
    expect(json(await call('POST', '/api/workspace/sources', { name: 'x', connector: 'Library', version: 'two', config: {} }))).toMatchObject({
      code: 'INVALID_FIELD',
      detail: expect.stringContaining("'version'"),
    });
    expect(json(await call('POST', '/api/workspace/sources', { name: 'x', connector: 'Library' }))).toMatchObject({ detail: "Missing field 'config' (an object)" });
  });

  it('discovers streams with their default sync modes', async () => {
    const source = await createSource();
    const { streams } = json<{ streams: Array<Record<string, unknown>> }>(await call('GET', `/api/workspace/sources/${source.id}/streams`));
    expect(streams.map((s) => [s.name, s.defaultSyncMode])).toEqual([
      ['books', 'incremental_append_dedup'],
      ['authors', 'full_refresh_overwrite'],
    ]);
    expect(streams[1]!.syncModes).toEqual(['full_refresh_overwrite', 'full_refresh_append']);
    expect(streams[0]!.fields).toEqual(['id', 'title', 'added_on']);
  });

  it('lists destination types with their specs, and masks a Postgres password', async () => {
    const types = json<{ types: Array<{ type: string; spec: { properties: Record<string, unknown> } }>; default: { type: string } }>(
      await call('GET', '/api/workspace/destination-types'),
    );
    expect(types.types.map((t) => t.type)).toEqual(['duckdb', 'jsonl', 'postgres', 'airbyte-image']);
    expect(types.default.type).toBe('duckdb');
    expect(types.types[2]!.spec.properties.password).toMatchObject({ airbyte_secret: true });

    const pg = await call('POST', '/api/workspace/destinations', {
      name: 'pg',
      config: { type: 'postgres', host: '127.0.0.1', port: 5432, database: 'db', user: 'me', password: PG_PASSWORD },
    });
    expect(pg.statusCode).toBe(201);
    expect(json(pg)).toMatchObject({ config: { password: '**********', host: '127.0.0.1' } });
    const bad = await call('POST', '/api/workspace/destinations', { name: 'pg2', config: { type: 'postgres', host: '127.0.0.1', port: 'x', database: 'db', user: 'me', password: PG_PASSWORD } });
    expect(bad.statusCode).toBe(400);
    expect(json<{ detail: string }>(bad).detail).toContain("'port' must be integer");
    const unknown = await call('POST', '/api/workspace/destinations', { name: 'x', config: { type: 'snowflake' } });
    expect(json<{ detail: string }>(unknown).detail).toContain("unknown destination type 'snowflake'");
    expect((await call('DELETE', `/api/workspace/destinations/${json<{ id: string }>(pg).id}`)).statusCode).toBe(204);
    expect(json<{ destinations: unknown[] }>(await call('GET', '/api/workspace/destinations')).destinations).toEqual([]);
  });

  it('creates, updates and deletes a connection, and refuses bad stream modes by name', async () => {
    const source = await createSource();
    const warehouse = await createWarehouse();
    const created = await call('POST', '/api/workspace/connections', { name: 'library → warehouse', source: source.id, destination: warehouse.id });
    expect(created.statusCode).toBe(201);
    const connection = json<{ id: string; streams: unknown[]; lastSync: unknown; running: boolean }>(created);
    expect(connection.streams).toEqual([
      { name: 'books', syncMode: 'incremental_append_dedup' },
      { name: 'authors', syncMode: 'full_refresh_overwrite' },
    ]);
    expect(connection).toMatchObject({ lastSync: null, running: false });

    const patched = await call('PATCH', `/api/workspace/connections/${connection.id}`, { streams: [{ name: 'books', syncMode: 'incremental_append' }] });
    expect(json(patched)).toMatchObject({ streams: [{ name: 'books', syncMode: 'incremental_append' }] });
    const badMode = await call('PATCH', `/api/workspace/connections/${connection.id}`, { streams: [{ name: 'authors', syncMode: 'incremental_append' }] });
    expect(badMode.statusCode).toBe(400);
    expect(json<{ detail: string }>(badMode).detail).toContain("stream 'authors' does not support incremental");
    const unknownMode = await call('POST', '/api/workspace/connections', { name: 'c2', source: source.id, destination: warehouse.id, streams: [{ name: 'books', syncMode: 'sideways' }] });
    expect(json<{ detail: string }>(unknownMode).detail).toContain('streams[0].syncMode must be one of');

    expect(json(await call('DELETE', `/api/workspace/sources/${source.id}`))).toMatchObject({ code: 'INVALID_INPUT' });
    expect((await call('DELETE', `/api/workspace/connections/${connection.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/workspace/connections/${connection.id}`)).statusCode).toBe(404);
  });

  it('takes a schedule on create and update, naming a bad cron field; null removes it', async () => {
    const source = await createSource();
    const warehouse = await createWarehouse();
    const badCron = await call('POST', '/api/workspace/connections', { name: 'c', source: source.id, destination: warehouse.id, schedule: { cron: '61 * * * *' } });
    expect(badCron.statusCode).toBe(400);
    expect(json<{ detail: string }>(badCron).detail).toContain("minute field '61' is out of range 0-59");
    const badInterval = await call('POST', '/api/workspace/connections', { name: 'c', source: source.id, destination: warehouse.id, schedule: { intervalMinutes: 0 } });
    expect(json<{ detail: string }>(badInterval).detail).toContain('at least 1');
    const created = json<{ id: string; schedule: unknown }>(
      await call('POST', '/api/workspace/connections', { name: 'c', source: source.id, destination: warehouse.id, schedule: { cron: '0  6 * * MON-FRI' } }),
    );
    expect(created.schedule).toEqual({ cron: '0 6 * * MON-FRI' });
    const badUpdate = await call('PATCH', `/api/workspace/connections/${created.id}`, { schedule: { cron: '* * * * 8' } });
    expect(json<{ detail: string }>(badUpdate).detail).toContain("day-of-week field '8' is out of range 0-7");
    expect(json(await call('PATCH', `/api/workspace/connections/${created.id}`, { schedule: { intervalMinutes: 15 } }))).toMatchObject({ schedule: { intervalMinutes: 15 } });
    expect(json(await call('PATCH', `/api/workspace/connections/${created.id}`, { schedule: null }))).not.toHaveProperty('schedule');
  });

  it('runs scheduled syncs while the app runs; they show in the history like manual ones', async () => {
    await app.close();
    let aheadMs = 0;
    app = await buildApp({
      workspaceDir: work,
      uiDir: join(work, 'no-ui'),
      workspace: { env: { MANIFOLD_SECRET_KEY: SECRET_KEY } },
      scheduler: { clock: () => new Date(Date.now() + aheadMs), tickMs: 20 },
    });
    const source = await createSource();
    const warehouse = await createWarehouse();
    const connection = json<{ id: string }>(
      await call('POST', '/api/workspace/connections', { name: 'hourly', source: source.id, destination: warehouse.id, schedule: { intervalMinutes: 60 } }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(json(await call('GET', `/api/workspace/connections/${connection.id}`))).toMatchObject({ lastSync: null });
    aheadMs = 61 * 60_000;
    const until = Date.now() + 10_000;
    let view = json<{ lastSync: { status: string } | null }>(await call('GET', `/api/workspace/connections/${connection.id}`));
    while (view.lastSync?.status !== 'succeeded' && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      view = json(await call('GET', `/api/workspace/connections/${connection.id}`));
    }
    expect(view.lastSync).toMatchObject({ status: 'succeeded' });
  });

  it('syncs into DuckDB with progress events, then an incremental sync reads only what is new', async () => {
    const source = await createSource();
    const warehouse = await createWarehouse();
    const connection = json<{ id: string }>(await call('POST', '/api/workspace/connections', { name: 'lib', source: source.id, destination: warehouse.id }));

    booksDelayMs = 150; // slow enough for progress events between the first and the last
    const started = await call('POST', `/api/workspace/connections/${connection.id}/sync`);
    expect(started.statusCode).toBe(202);
    const { syncId } = json<{ syncId: string }>(started);
    expect(syncId).toBeTruthy();
    const first = await events(connection.id);
    expect(first[0]!.type).toBe('progress');
    expect(first[0]!.data).toMatchObject({ status: 'running', syncId });
    const progress = first.filter((e) => e.type === 'progress').map((e) => e.data as { elapsedMs: number; streams: Record<string, { records: number }> });
    expect(progress.some((p) => (p.streams.books?.records ?? 0) > 0 && (p.streams.books?.records ?? 0) < 3)).toBe(true);
    expect(progress.map((p) => p.elapsedMs)).toEqual([...progress.map((p) => p.elapsedMs)].sort((a, b) => a - b));
    const summary = first[first.length - 1]!;
    expect(summary.type).toBe('summary');
    expect(summary.data).toMatchObject({ id: syncId, status: 'succeeded', records: 5, streams: { books: { records: 3 }, authors: { records: 2 } } });

    booksDelayMs = 0;
    catalog.push({ id: 4, title: 'Middlemarch', added_on: '2024-03-04' });
    const second = json<{ syncId: string }>(await call('POST', `/api/workspace/connections/${connection.id}/sync`));
    const secondEvents = await events(connection.id);
    expect(secondEvents[secondEvents.length - 1]!.data).toMatchObject({ id: second.syncId, status: 'succeeded' });

    const history = json<{ syncs: Array<Record<string, unknown>> }>(await call('GET', `/api/workspace/connections/${connection.id}/history`)).syncs;
    expect(history.map((h) => [h.id, h.status])).toEqual([
      [second.syncId, 'succeeded'],
      [syncId, 'succeeded'],
    ]);
    expect(history[1]).toMatchObject({ records: 5, streams: { books: { records: 3 }, authors: { records: 2 } } });
    // the second read resumed from the cursor, 2024-03-02 (inclusive: that day is read again), so
    // it brings Ulysses again and the new book, not the three of the first day
    expect((history[0]!.streams as Record<string, { records: number }>).books!.records).toBe(2);
    expect(history[0]!.durationMs).toEqual(expect.any(Number));

    const { state } = json<{ state: Array<{ stream?: { stream_descriptor: { name: string } } }> }>(await call('GET', `/api/workspace/connections/${connection.id}/state`));
    expect(state.map((s) => s.stream?.stream_descriptor.name)).toContain('books');
    const connectionView = json<{ lastSync: { id: string } }>(await call('GET', `/api/workspace/connections/${connection.id}`));
    expect(connectionView.lastSync.id).toBe(second.syncId);

    // after the end, the events stream answers with the last summary at once
    const late = await events(connection.id);
    expect(late).toEqual([{ type: 'summary', data: expect.objectContaining({ id: second.syncId }) }]);

    expect(json(await call('POST', `/api/workspace/connections/${connection.id}/reset`, { stream: 'books' }))).toEqual({ reset: ['books'] });
    expect(json<{ state: unknown[] }>(await call('GET', `/api/workspace/connections/${connection.id}/state`)).state.some((s) => JSON.stringify(s).includes('books'))).toBe(false);
  });

  it('runs one sync per connection at a time, and cancels', async () => {
    const source = await createSource();
    const warehouse = await createWarehouse();
    const connection = json<{ id: string }>(await call('POST', '/api/workspace/connections', { name: 'lib', source: source.id, destination: warehouse.id }));
    booksDelayMs = 400;
    const [a, b] = await Promise.all([call('POST', `/api/workspace/connections/${connection.id}/sync`), call('POST', `/api/workspace/connections/${connection.id}/sync`)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([202, 409]);
    expect(json([a, b].find((r) => r.statusCode === 409)!)).toMatchObject({ code: 'SYNC_RUNNING' });
    const cancel = await call('POST', `/api/workspace/connections/${connection.id}/sync/cancel`);
    expect(cancel.statusCode).toBe(202);
    const end = await events(connection.id);
    expect(end[end.length - 1]).toMatchObject({ type: 'summary', data: { status: 'cancelled' } });
    const history = json<{ syncs: Array<{ status: string }> }>(await call('GET', `/api/workspace/connections/${connection.id}/history`)).syncs;
    expect(history.map((h) => h.status)).toEqual(['cancelled']);
    expect((await call('POST', `/api/workspace/connections/${connection.id}/sync/cancel`)).statusCode).toBe(409);
    expect(json(await call('GET', '/api/workspace/connections/nope/history'))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('syncs into a JSON Lines directory', async () => {
    const source = await createSource();
    const lake = json<{ id: string }>(await call('POST', '/api/workspace/destinations', { name: 'lake', config: { type: 'jsonl', directory: join(work, 'lake') } }));
    const connection = json<{ id: string }>(await call('POST', '/api/workspace/connections', { name: 'files', source: 'library', destination: lake.id, streams: ['books'] }));
    // JSON Lines cannot deduplicate: books defaults to incremental_append there, and dedup is refused by name
    expect(json(await call('GET', `/api/workspace/connections/${connection.id}`))).toMatchObject({ streams: [{ name: 'books', syncMode: 'incremental_append' }] });
    const { streams } = json<{ streams: Array<{ name: string; defaultSyncMode: string; syncModes: string[] }> }>(
      await call('GET', `/api/workspace/sources/${source.id}/streams?destination=${lake.id}`),
    );
    expect(streams[0]).toMatchObject({ name: 'books', defaultSyncMode: 'incremental_append' });
    expect(streams[0]!.syncModes).not.toContain('incremental_append_dedup');
    const dedup = await call('POST', '/api/workspace/connections', { name: 'files2', source: 'library', destination: lake.id, streams: [{ name: 'books', syncMode: 'incremental_append_dedup' }] });
    expect(dedup.statusCode).toBe(400);
    expect(json<{ detail: string }>(dedup).detail).toContain("stream 'books': this destination cannot write incremental_append_dedup");
    const patched = await call('PATCH', `/api/workspace/connections/${connection.id}`, { syncMode: 'incremental_append_dedup' });
    expect(json(patched)).toMatchObject({ code: 'SYNC_MODE_UNSUPPORTED' });

    await call('POST', `/api/workspace/connections/${connection.id}/sync`);
    const end = await events(connection.id);
    expect(end[end.length - 1]!.data.error).toBeUndefined();
    expect(end[end.length - 1]).toMatchObject({ type: 'summary', data: { status: 'succeeded', records: 3 } });
    const lines = readdirSync(join(work, 'lake')).filter((name) => name.endsWith('.jsonl')).flatMap((name) => readFileSync(join(work, 'lake', name), 'utf8').trim().split('\n'));
    expect(lines).toHaveLength(3);
    expect(source.id).toBeTruthy();
  });

  it('answers idle events for a connection that never synced', async () => {
    const source = await createSource();
    const warehouse = await createWarehouse();
    const connection = json<{ id: string }>(await call('POST', '/api/workspace/connections', { name: 'lib', source: source.id, destination: warehouse.id }));
    expect(await events(connection.id)).toEqual([{ type: 'idle', data: { connectionId: connection.id } }]);
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
