import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryDestinations } from './__tests__/memory-destination.js';
import { shopSetup, TEST_KEY, testWorkspace } from './__tests__/setup.js';
import { type ShopApi, startShopApi } from './__tests__/shop-api.js';
import { main } from './cli.js';

let shop: ShopApi;
beforeAll(async () => {
  shop = await startShopApi();
});
afterAll(() => shop.close());
beforeEach(() => {
  shop.delayMs = 0;
  shop.api.reset();
});

/** main() in this process, with captured output and a terminal (or not) on stderr. */
async function setup() {
  const destinations = memoryDestinations();
  const workspace = testWorkspace({ createDestination: destinations.create });
  await shopSetup(workspace, shop);
  await workspace.createConnection({ name: 'c', source: 'shop', destination: 'warehouse' });
  const run = async (args: string[], options: { tty?: boolean; signal?: AbortSignal } = {}) => {
    let stdout = '';
    let stderr = '';
    const code = await main([...args, '--workspace', workspace.dir], {
      io: {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text), isTTY: options.tty ?? false },
        env: { MANIFOLD_SECRET_KEY: TEST_KEY },
      },
      workspace: { createDestination: destinations.create },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { code, stdout, stderr };
  };
  return { run };
}

describe('manifold sync (in-process main)', () => {
  it('draws a progress line on a terminal and a summary on stdout', async () => {
    const { run } = await setup();
    const result = await run(['sync', 'c'], { tty: true });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/\r\x1b\[2Kdone [0-9.]+ (ms|s) \| 6 records/);
    expect(result.stdout).toMatch(/^Sync \S+ succeeded in/);
    expect(result.stdout).toMatch(/customers\s+2/);
  });

  it('prints no progress when stderr is not a terminal', async () => {
    const { run } = await setup();
    const result = await run(['sync', 'c']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('a cancelled sync exits 130', async () => {
    const { run } = await setup();
    shop.delayMs = 300;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await run(['sync', 'c'], { signal: controller.signal });
    expect(result.code).toBe(130);
    expect(result.stdout).toContain('cancelled');
    const history = await run(['history', 'c']);
    expect(history.stdout).toMatch(/cancelled/);
  });
});
