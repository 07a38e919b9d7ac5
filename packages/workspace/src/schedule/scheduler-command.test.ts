import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startManifold } from '../__tests__/run-manifold.js';
import { memoryDestinations } from '../__tests__/memory-destination.js';
import { TEST_KEY, shopSetup, tempDir } from '../__tests__/setup.js';
import { SHOP_MANIFEST, type ShopApi, shopConfig, startShopApi } from '../__tests__/shop-api.js';
import { main } from '../cli.js';
import { openWorkspace } from '../workspace.js';

let shop: ShopApi;
beforeAll(async () => {
  shop = await startShopApi();
});
afterAll(() => shop.close());

function capture(): { io: { stdout: { write(t: string): boolean }; stderr: { write(t: string): boolean }; env: Record<string, string> }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (t) => Boolean((out += t)) }, stderr: { write: (t) => Boolean((err += t)) }, env: { MANIFOLD_SECRET_KEY: TEST_KEY } },
    out: () => out,
    err: () => err,
  };
}

describe('manifold scheduler', () => {
  it('--help says how schedules run', async () => {
    const output = capture();
    expect(await main(['scheduler', '--help'], { io: output.io })).toBe(0);
    expect(output.out()).toMatch(/usage: manifold scheduler/);
    expect(output.out()).toMatch(/cron\s+schedule\s+\(UTC\)/);
    const create = capture();
    expect(await main(['connection', 'create', '--help'], { io: create.io })).toBe(0);
    expect(create.out()).not.toMatch(/stored only/);
  });

  it('connection create rejects a bad cron naming the field', async () => {
    const dir = tempDir();
    const workspace = openWorkspace(dir, { env: { MANIFOLD_SECRET_KEY: TEST_KEY }, createDestination: memoryDestinations().create });
    await shopSetup(workspace, shop);
    const output = capture();
    const code = await main(['connection', 'create', '--name', 'c', '--source', 'shop', '--destination', 'warehouse', '--schedule', '61 * * * *', '--workspace', dir], {
      io: output.io,
    });
    expect(code).toBe(1);
    expect(output.err()).toMatch(/minute field '61' is out of range 0-59/);
  });

  it('runs a due sync in the foreground and exits cleanly on SIGINT', async () => {
    const dir = tempDir();
    const files = tempDir('manifold-files-');
    // Its own key file, as the spawned CLI will use (no MANIFOLD_SECRET_KEY).
    const workspace = openWorkspace(dir, { env: {} });
    await workspace.publishConnector({ name: 'Shop', manifest: readFileSync(SHOP_MANIFEST, 'utf8') });
    await workspace.createSource({ name: 'shop', connector: 'Shop', config: shopConfig(shop.api) });
    await workspace.createDestination({ name: 'files', config: { type: 'jsonl', directory: join(files, 'out') } });
    await workspace.createConnection({ name: 'often', source: 'shop', destination: 'files', streams: ['orders'], syncMode: 'incremental_append', schedule: { intervalMinutes: 1 } });

    const run = startManifold(['scheduler', '--workspace', dir], {
      MANIFOLD_SECRET_KEY: undefined,
      MANIFOLD_SCHEDULER_TICK_MS: '50',
      MANIFOLD_SCHEDULER_MINUTE_MS: '300',
    });
    let stdout = '';
    run.child.stdout?.on('data', (chunk) => (stdout += chunk));
    const until = Date.now() + 20_000;
    while (!/of often succeeded/.test(stdout) && Date.now() < until && run.child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/scheduler started: 1 scheduled connection\(s\)\n {2}often: every 1 min/);
    expect(result.stdout).toMatch(/sync \S+ of often started/);
    expect(result.stdout).toMatch(/sync \S+ of often succeeded in .*, 4 record\(s\)/);
    expect(result.stdout).toMatch(/scheduler stopped\n$/);
    expect(result.code).toBe(0);
    const history = await workspace.history('often');
    expect(history.length).toBeGreaterThanOrEqual(1);
    expect(history.every((entry) => entry.status === 'succeeded' || entry.status === 'cancelled')).toBe(true);
  }, 30_000);
});
