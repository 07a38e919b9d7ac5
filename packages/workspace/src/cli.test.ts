import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryDuckDB } from './__tests__/duckdb-rows.js';
import { runManifold, startManifold } from './__tests__/run-manifold.js';
import { tempDir } from './__tests__/setup.js';
import { openWorkspace } from './workspace.js';
import { API_KEY, type Order, SHOP_MANIFEST, type ShopApi, shopConfig, startShopApi } from './__tests__/shop-api.js';

let shop: ShopApi;
const initialOrders: Order[] = [];
beforeAll(async () => {
  shop = await startShopApi();
  initialOrders.push(...shop.orders);
});
afterAll(() => shop.close());
beforeEach(() => {
  shop.orders.splice(0, Infinity, ...initialOrders);
  shop.delayMs = 0;
  shop.customersStatus = undefined;
  shop.api.reset();
});

/**
 * A workspace (its own key file: no MANIFOLD_SECRET_KEY) with the shop connector, a source and a
 * DuckDB destination, made through the CLI, or through the API when the test is about later steps
 * (a CLI start costs seconds on a busy machine).
 */
async function workspaceWithShop(via: 'cli' | 'api' = 'api'): Promise<{ ws: string[]; dir: string; duckdb: string }> {
  const dir = tempDir();
  const ws = ['--workspace', dir];
  const files = tempDir('manifold-files-');
  const configPath = join(files, 'config.json');
  writeFileSync(configPath, JSON.stringify(shopConfig(shop.api)));
  const duckdb = join(files, 'warehouse.duckdb');
  if (via === 'api') {
    const workspace = openWorkspace(dir, { env: {} });
    await workspace.publishConnector({ name: 'Shop', manifest: readFileSync(SHOP_MANIFEST, 'utf8') });
    await workspace.createSource({ name: 'shop', connector: 'Shop@1', config: shopConfig(shop.api) });
    await workspace.createDestination({ name: 'warehouse', config: { type: 'duckdb', path: duckdb } });
    return { ws, dir, duckdb };
  }
  for (const args of [
    ['publish', SHOP_MANIFEST, '--name', 'Shop'],
    ['source', 'create', '--name', 'shop', '--connector', 'Shop@1', '--config', configPath],
    ['destination', 'create', '--name', 'warehouse', '--type', 'duckdb', '--path', duckdb],
  ]) {
    const result = await runManifold([...args, ...ws], { MANIFOLD_SECRET_KEY: undefined });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }
  return { ws, dir, duckdb };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('manifold CLI', { timeout: 120_000 }, () => {
  it('--help lists the commands; each command has its own help', async () => {
    const overview = await runManifold(['--help']);
    expect(overview.code).toBe(0);
    expect(overview.stdout).toContain('connection create');
    const help = await runManifold(['destination', 'create', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--password-env <VAR>');
  });

  it('errors say what is wrong and what to do', async () => {
    const dir = tempDir();
    const unknown = await runManifold(['sauce', '--workspace', dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'sauce'");
    const missing = await runManifold(['source', 'create', '--name', 'x', '--workspace', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--connector is required/);
    const noSuch = await runManifold(['sync', 'nope', '--workspace', dir]);
    expect(noSuch.code).toBe(1);
    expect(noSuch.stderr).toContain("no connection named 'nope'");
    expect(noSuch.stderr).toContain('manifold connection create');
  });

  it('source create validates the config against the connector spec, naming the field', async () => {
    const { ws } = await workspaceWithShop();
    const bad = join(tempDir('manifold-files-'), 'bad.json');
    writeFileSync(bad, JSON.stringify({ base_url: shop.api.url, start_date: '2024-01-01', end_date: '2024-01-02' }));
    const result = await runManifold(['source', 'create', '--name', 'bad', '--connector', 'Shop', '--config', bad, ...ws]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("'api_key' is a required property");
  });

  it('keeps the secret out of every workspace file and every listing', async () => {
    const { ws, dir } = await workspaceWithShop('cli');
    const connectors = await runManifold(['connectors', ...ws]);
    expect(connectors.stdout).toMatch(/Shop\s+1/);
    const sources = await runManifold(['sources', '--json', ...ws]);
    expect(sources.code).toBe(0);
    expect(JSON.parse(sources.stdout)[0].config.api_key).toBe('**********');
    expect(sources.stdout).not.toContain(API_KEY);
    for (const file of filesUnder(dir)) expect(readFileSync(file, 'utf8')).not.toContain(API_KEY);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);

    const wrongKey = await runManifold(['connection', 'create', '--name', 'c', '--source', 'shop', '--destination', 'warehouse', ...ws], {
      MANIFOLD_SECRET_KEY: 'not the passphrase it was saved with',
    });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('does not decrypt');
  });

  it('connection create, sync into DuckDB, history, state and reset', async () => {
    const { ws, duckdb } = await workspaceWithShop();
    const created = await runManifold(['connection', 'create', '--name', 'shop-dw', '--source', 'shop', '--destination', 'warehouse', ...ws]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/orders\s+incremental_append_dedup/);
    expect(created.stdout).toMatch(/customers\s+full_refresh_overwrite/);

    const synced = await runManifold(['sync', 'shop-dw', ...ws]);
    expect(synced.stderr).toBe('');
    expect(synced.code).toBe(0);
    expect(synced.stdout).toContain('succeeded');
    expect(synced.stdout).toMatch(/orders\s+4/);
    expect((await queryDuckDB(duckdb, 'SELECT id::INTEGER AS id FROM orders ORDER BY id')).map((r) => r.id)).toEqual([1, 2, 3, 4]);

    const state = await runManifold(['state', 'shop-dw', ...ws]);
    expect(JSON.parse(state.stdout)).toContainEqual(
      expect.objectContaining({ stream: expect.objectContaining({ stream_state: { updated_at: '2024-01-03' } }) }),
    );
    // A second, incremental sync: order 3 changed and order 5 is new. It starts from the cursor,
    // and with dedup every order is in the table once, in its latest version.
    shop.orders[2] = { id: 3, amount: 33, updated_at: '2024-01-04' };
    shop.orders.push({ id: 5, amount: 50, updated_at: '2024-01-04' });
    shop.api.reset();
    const second = await runManifold(['sync', 'shop-dw', ...ws]);
    expect(second.code).toBe(0);
    expect(shop.api.requestsTo('/orders')[0]?.query.from).toBe('2024-01-03');
    const rows = await queryDuckDB(duckdb, 'SELECT id::INTEGER AS id, amount::INTEGER AS amount FROM orders ORDER BY id');
    expect(rows).toEqual([
      { id: 1, amount: 10 },
      { id: 2, amount: 20 },
      { id: 3, amount: 33 },
      { id: 4, amount: 40 },
      { id: 5, amount: 50 },
    ]);
    expect((await queryDuckDB(duckdb, 'SELECT count(*)::INTEGER AS n FROM customers'))[0]?.n).toBe(2);

    const history = await runManifold(['history', 'shop-dw', '--json', ...ws]);
    expect(JSON.parse(history.stdout)).toMatchObject([
      { status: 'succeeded', streams: { orders: { records: 3 } } },
      { status: 'succeeded', streams: { orders: { records: 4 } } },
    ]);

    const reset = await runManifold(['reset', 'shop-dw', '--stream', 'orders', ...ws]);
    expect(reset.code).toBe(0);
    expect(await queryDuckDB(duckdb, 'SELECT id FROM orders')).toEqual([]);
  });

  it('a failed sync exits non-zero with the source error', async () => {
    const { ws } = await workspaceWithShop();
    await runManifold(['connection', 'create', '--name', 'c', '--source', 'shop', '--destination', 'warehouse', ...ws]);
    shop.customersStatus = 400;
    const result = await runManifold(['sync', 'c', ...ws]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('failed');
    expect(result.stdout).toContain('customers');
    expect(result.stdout + result.stderr).not.toContain(API_KEY);
  });

  it('Ctrl-C (SIGINT) cancels a sync: exit 130, history says cancelled', async () => {
    const { ws } = await workspaceWithShop();
    await runManifold(['connection', 'create', '--name', 'c', '--source', 'shop', '--destination', 'warehouse', ...ws]);
    shop.delayMs = 400;
    const sync = startManifold(['sync', 'c', ...ws]);
    await waitFor(() => shop.api.requestsTo('/orders').length >= 1, 20_000);
    sync.child.kill('SIGINT');
    const result = await sync.done;
    expect(result.code).toBe(130);
    const history = JSON.parse((await runManifold(['history', 'c', '--json', ...ws])).stdout) as Array<{ status: string }>;
    expect(history.map((h) => h.status)).toEqual(['cancelled']);
  });

  it('a sync killed after a committed state resumes from it: nothing lost, nothing doubled', async () => {
    const { ws, duckdb } = await workspaceWithShop();
    await runManifold(['connection', 'create', '--name', 'c', '--source', 'shop', '--destination', 'warehouse', ...ws]);
    shop.delayMs = 400;
    const killed = startManifold(['sync', 'c', ...ws]);
    // The third /orders request is made only after the second day's state was committed.
    await waitFor(() => shop.api.requestsTo('/orders').length >= 3, 20_000);
    killed.child.kill('SIGKILL');
    const first = await killed.done;
    expect(first.signal).toBe('SIGKILL');

    shop.delayMs = 0;
    shop.api.reset();
    const resumed = await runManifold(['sync', 'c', ...ws]);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    // Resumed from the committed cursor (2024-01-02), not from the start date.
    expect(shop.api.requestsTo('/orders')[0]?.query.from).toBe('2024-01-02');
    const ids = (await queryDuckDB(duckdb, 'SELECT id::INTEGER AS id FROM orders ORDER BY id')).map((r) => r.id);
    expect(ids).toEqual([1, 2, 3, 4]);
    expect((await queryDuckDB(duckdb, 'SELECT count(*)::INTEGER AS n FROM customers'))[0]?.n).toBe(2);

    const history = JSON.parse((await runManifold(['history', 'c', '--json', ...ws])).stdout) as Array<{ status: string; error?: string }>;
    expect(history.map((h) => h.status)).toEqual(['succeeded', 'failed']);
    expect(history[1]?.error).toContain('interrupted');
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
