import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryDestinations, rowsOf } from './__tests__/memory-destination.js';
import { shopSetup, tempDir, testWorkspace } from './__tests__/setup.js';
import { API_KEY, SHOP_MANIFEST, type ShopApi, shopConfig, startShopApi } from './__tests__/shop-api.js';
import { openWorkspace, parseConnectorRef } from './workspace.js';

let shop: ShopApi;
beforeAll(async () => {
  shop = await startShopApi();
});
afterAll(() => shop.close());
beforeEach(() => shop.api.reset());

const PG_PASSWORD = 'pg-sentinel-0b7d44';

describe('Workspace store', () => {
  it('sources: validated against the connector spec, secrets kept apart, pinned versions', async () => {
    const workspace = testWorkspace();
    await shopSetup(workspace, shop);
    await expect(workspace.createSource({ name: 'shop', connector: 'Shop', config: shopConfig(shop.api) })).rejects.toThrow(/already exists/);
    await expect(workspace.createSource({ name: 'x', connector: 'Nope', config: {} })).rejects.toThrow(/no connector named 'Nope'.*/);
    await expect(
      workspace.createSource({ name: 'x', connector: 'Shop', config: { ...shopConfig(shop.api), start_date: 20240101 } }),
    ).rejects.toThrow(/'start_date' must be string/);

    const source = await workspace.getSource('shop');
    expect(source.connector).toEqual({ name: 'Shop', version: 'latest' });
    expect(source.config).not.toHaveProperty('api_key');
    expect(source.secretFields).toEqual([['api_key']]);
    expect(await workspace.maskedSourceConfig('shop')).toMatchObject({ api_key: '**********', start_date: '2024-01-01' });
    expect(readFileSync(join(workspace.dir, 'sources', `${source.id}.json`), 'utf8')).not.toContain(API_KEY);
    expect(readFileSync(join(workspace.dir, 'secrets.enc.json'), 'utf8')).not.toContain(API_KEY);

    const pinned = await workspace.createSource({ name: 'pinned', connector: 'Shop@1', config: shopConfig(shop.api) });
    expect(pinned.connector.version).toBe(1);
    await expect(workspace.createSource({ name: 'p2', connector: 'Shop@2', config: shopConfig(shop.api) })).rejects.toThrow(/no version 2/);
  });

  it('parses connector references', () => {
    expect(parseConnectorRef('shop')).toEqual({ name: 'shop', version: 'latest' });
    expect(parseConnectorRef('shop@3')).toEqual({ name: 'shop', version: 3 });
    expect(parseConnectorRef('@scope/x@latest')).toEqual({ name: '@scope/x', version: 'latest' });
    expect(() => parseConnectorRef('shop@v1')).toThrow(/must be a number or 'latest'/);
  });

  it('destinations: checked against their spec, passwords encrypted and masked', async () => {
    const workspace = testWorkspace();
    await expect(
      workspace.createDestination({ name: 'pg', config: { type: 'postgres', host: 'db', port: 5432, user: 'u' } as never }),
    ).rejects.toThrow(/'database' is a required property/);
    await expect(workspace.createDestination({ name: 'x', config: { type: 'mysql' } as never })).rejects.toThrow(/unknown destination type 'mysql'/);
    const entry = await workspace.createDestination({
      name: 'pg',
      config: { type: 'postgres', host: 'db', port: 5432, database: 'dw', user: 'u', password: PG_PASSWORD },
    });
    expect(entry.config).not.toHaveProperty('password');
    expect(await workspace.maskedDestinationConfig('pg')).toMatchObject({ password: '**********', host: 'db' });
    const image = await workspace.createDestination({
      name: 'img',
      config: { type: 'airbyte-image', image: 'airbyte/destination-x:1', config: { token: PG_PASSWORD } },
    });
    expect(image.secretFields).toEqual([['config']]);
    const files = readdirSync(workspace.dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.map((f) => f.name)).toContain('secrets.enc.json');
    for (const file of files) expect(readFileSync(join(file.parentPath, file.name), 'utf8')).not.toContain(PG_PASSWORD);
    expect(JSON.stringify(await workspace.listDestinations())).not.toContain(PG_PASSWORD);
  });

  it('the destination gets its secrets back when it is created for a sync', async () => {
    const destinations = memoryDestinations();
    const workspace = testWorkspace({ createDestination: destinations.create });
    await workspace.createDestination({
      name: 'pg',
      config: { type: 'postgres', host: 'db', port: 5432, database: 'dw', user: 'u', password: PG_PASSWORD },
    });
    await shopSetup(workspace, shop);
    await workspace.createConnection({ name: 'c', source: 'shop', destination: 'pg', streams: ['customers'] });
    await workspace.state('c');
    expect(destinations.tables.configs[0]).toMatchObject({ type: 'postgres', password: PG_PASSWORD });
  });

  it('connections: default modes, explicit streams and modes, bad choices named', async () => {
    const workspace = testWorkspace({ createDestination: memoryDestinations().create });
    await shopSetup(workspace, shop);
    const chosen = await workspace.createConnection({
      name: 'orders-only',
      source: 'shop',
      destination: 'warehouse',
      streams: ['orders'],
      syncMode: 'incremental_append',
      schedule: { cron: '0  * * * *' },
    });
    expect(chosen.streams).toEqual([{ name: 'orders', syncMode: 'incremental_append' }]);
    expect(chosen.schedule).toEqual({ cron: '0 * * * *' });
    await expect(
      workspace.createConnection({ name: 'bad', source: 'shop', destination: 'warehouse', streams: ['customers'], syncMode: 'incremental_append' }),
    ).rejects.toThrow(/'customers' does not support incremental/);
    await expect(workspace.createConnection({ name: 'bad', source: 'shop', destination: 'warehouse', streams: ['nope'] })).rejects.toThrow(
      /no stream named 'nope'.*/,
    );
    await expect(
      workspace.createConnection({ name: 'bad', source: 'shop', destination: 'warehouse', schedule: { cron: 'hourly' } }),
    ).rejects.toThrow(/not a cron expression/);

    const updated = await workspace.updateConnection('orders-only', { streams: ['orders', 'customers'], schedule: { intervalMinutes: 30 } });
    expect(updated.streams.map((s) => `${s.name}:${s.syncMode}`)).toEqual(['orders:incremental_append_dedup', 'customers:full_refresh_overwrite']);
    expect(updated.schedule).toEqual({ intervalMinutes: 30 });

    await expect(workspace.deleteSource('shop')).rejects.toThrow(/used by connection/);
    await workspace.deleteConnection('orders-only');
    await workspace.deleteSource('shop');
    expect(await workspace.listSources()).toEqual([]);
  });

  it('defaults to $MANIFOLD_WORKSPACE', () => {
    const dir = tempDir();
    expect(openWorkspace(undefined, { env: { MANIFOLD_WORKSPACE: dir } }).dir).toBe(dir);
  });
});

describe('docker sources', () => {
  it('run `docker run --rm -i --network host <image> read ...` and parse its stdout', async () => {
    const here = join(import.meta.dirname, '__tests__', 'fixtures');
    const log = join(tempDir(), 'docker.log');
    process.env.FAKE_DOCKER_MANIFEST = SHOP_MANIFEST;
    process.env.FAKE_DOCKER_LOG = log;
    const destinations = memoryDestinations();
    const workspace = testWorkspace({ createDestination: destinations.create, docker: join(here, 'fake-docker.mjs') });
    await workspace.publishConnector({ name: 'Shop', manifest: readFileSync(SHOP_MANIFEST, 'utf8') });
    await workspace.createSource({ name: 'shop', connector: 'Shop', config: shopConfig(shop.api), runtime: { type: 'docker', image: 'example/source-shop:1' } });
    await workspace.createDestination({ name: 'warehouse', config: { type: 'jsonl', directory: '/unused' } });
    const connection = await workspace.createConnection({ name: 'c', source: 'shop', destination: 'warehouse' });
    const result = await workspace.runSync('c');
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('succeeded');
    expect(rowsOf(destinations.tables, connection.id, 'orders').map((r) => r.id)).toEqual([1, 2, 3, 4]);
    const calls = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as string[]);
    const read = calls.find((args) => args.includes('read')) as string[];
    expect(read.slice(0, 5)).toEqual(['run', '--rm', '-i', '--network', 'host']);
    expect(read).toContain('example/source-shop:1');
    expect(read).toEqual(expect.arrayContaining(['--config', '--catalog', '--state']));
    expect(readFileSync(log, 'utf8')).not.toContain(API_KEY);
    writeFileSync(log, '');
    delete process.env.FAKE_DOCKER_MANIFEST;
    delete process.env.FAKE_DOCKER_LOG;
  });
});
