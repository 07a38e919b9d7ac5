import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryDestinations, rowsOf } from '../__tests__/memory-destination.js';
import { shopSetup, testWorkspace } from '../__tests__/setup.js';
import { API_KEY, type Order, type ShopApi, startShopApi } from '../__tests__/shop-api.js';
import type { SyncProgress } from './progress.js';

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

async function setup() {
  const destinations = memoryDestinations();
  const workspace = testWorkspace({ createDestination: destinations.create });
  await shopSetup(workspace, shop);
  const connection = await workspace.createConnection({ name: 'shop-to-warehouse', source: 'shop', destination: 'warehouse' });
  return { workspace, connection, tables: destinations.tables };
}

describe('runSync', () => {
  it('a full then an incremental sync write every record exactly once', async () => {
    const { workspace, connection, tables } = await setup();
    expect(connection.streams).toEqual([
      { name: 'orders', syncMode: 'incremental_append_dedup' },
      { name: 'customers', syncMode: 'full_refresh_overwrite' },
    ]);

    const first = await workspace.runSync(connection.id);
    expect(first.error).toBeUndefined();
    expect(first.status).toBe('succeeded');
    expect(first.streams.orders?.records).toBe(4);
    expect(first.streams.customers?.records).toBe(2);
    expect(rowsOf(tables, connection.id, 'orders').map((r) => r.id)).toEqual([1, 2, 3, 4]);
    expect(rowsOf(tables, connection.id, 'customers').map((r) => r.name)).toEqual(['Ada', 'Grace']);
    const state = await workspace.state(connection.id);
    expect(state.find((s) => s.stream?.stream_descriptor.name === 'orders')?.stream?.stream_state).toEqual({ updated_at: '2024-01-03' });

    shop.orders.push({ id: 5, amount: 50, updated_at: '2024-01-04' }, { id: 6, amount: 60, updated_at: '2024-01-05' });
    shop.api.reset();
    const second = await workspace.runSync('shop-to-warehouse');
    expect(second.status).toBe('succeeded');
    // Resumed from the committed cursor, which is inclusive (as in the CDK): the boundary day's
    // order 4 comes again with the two new ones, and dedup keeps one row of it.
    expect(shop.api.requestsTo('/orders')[0]?.query.from).toBe('2024-01-03');
    expect(second.streams.orders?.records).toBe(3);
    expect(rowsOf(tables, connection.id, 'orders').map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6]);
    // The full refresh stream was replaced, not appended.
    expect(rowsOf(tables, connection.id, 'customers')).toHaveLength(2);

    const history = await workspace.history(connection.id);
    expect(history.map((h) => h.id)).toEqual([second.id, first.id]);
    expect(history.every((h) => h.status === 'succeeded')).toBe(true);
  });

  it('commits each state with the records before it, in order, then completes', async () => {
    const { workspace, connection, tables } = await setup();
    await workspace.runSync(connection.id);
    const commits = tables.calls.filter((call) => call.startsWith('commit') || call === 'complete');
    // Day slices: 2 records on the 1st, 1 on the 2nd, 1 on the 3rd, none on the 4th and 5th.
    expect(commits.slice(0, 5)).toEqual(['commit orders after 2', 'commit orders after 1', 'commit orders after 1', 'commit orders after 0', 'commit orders after 0']);
    expect(commits.at(-1)).toBe('complete');
  });

  it('full refresh streams get no state, even when the destination holds one', async () => {
    const { workspace, connection, tables } = await setup();
    tables.states.set(connection.id, new Map([
      ['customers', { type: 'STREAM', stream: { stream_descriptor: { name: 'customers' }, stream_state: { bogus: true } } }],
    ]));
    const result = await workspace.runSync(connection.id);
    expect(result.status).toBe('succeeded');
    expect(result.streams.customers?.records).toBe(2);
  });

  it('reports progress and writes masked logs to the history entry', async () => {
    const { workspace, connection } = await setup();
    const events: SyncProgress[] = [];
    const result = await workspace.runSync(connection.id, { onProgress: (p) => events.push(p) });
    expect(events[0]?.phase).toBe('discovering');
    expect(events.at(-1)).toMatchObject({ phase: 'done', records: 6 });
    expect(events.at(-1)?.streams.orders?.pages).toBeGreaterThan(0);
    const log = readFileSync(result.logsPath, 'utf8');
    expect(log).toContain('Marking stream orders as STARTED');
    expect(log).not.toContain(API_KEY);
  });

  it('a failing source aborts the writer and records the error trace', async () => {
    const { workspace, connection, tables } = await setup();
    shop.customersStatus = 400;
    const result = await workspace.runSync(connection.id);
    expect(result.status).toBe('failed');
    expect(result.error).toContain('customers');
    expect(result.error).not.toContain(API_KEY);
    expect(tables.calls.at(-1)).toBe('abort');
    // What orders committed before the failure stays: the next sync resumes from it.
    expect(rowsOf(tables, connection.id, 'orders')).toHaveLength(4);
    const [entry] = await workspace.history(connection.id);
    expect(entry?.status).toBe('failed');
    expect(JSON.stringify(entry)).not.toContain(API_KEY);
  });

  it('a failing destination stops the read and fails the sync', async () => {
    const { workspace, connection, tables } = await setup();
    tables.failAfterRecords = 1;
    const result = await workspace.runSync(connection.id);
    expect(result.status).toBe('failed');
    expect(result.error).toContain('disk full');
    expect(shop.api.requestsTo('/customers')).toHaveLength(0);
  });

  it('an aborted signal cancels the sync', async () => {
    const { workspace, connection, tables } = await setup();
    shop.delayMs = 300;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await workspace.runSync(connection.id, { signal: controller.signal });
    expect(result.status).toBe('cancelled');
    expect(tables.calls.at(-1)).toBe('abort');
  });

  it('a history entry left running by a dead process is marked interrupted', async () => {
    const { workspace, connection } = await setup();
    const first = await workspace.runSync(connection.id);
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const stale = { ...first, id: '00000000T000000000Z-dead', status: 'running', endedAt: undefined, pid: 2 ** 22 + 12345 };
    writeFileSync(join(workspace.dir, 'syncs', connection.id, `${stale.id}.json`), JSON.stringify(stale));
    const history = await workspace.history(connection.id);
    expect(history.find((h) => h.id === stale.id)).toMatchObject({ status: 'failed', error: expect.stringContaining('interrupted') });
  });

  it('a running entry of a live process that holds no lock is marked interrupted when the next sync starts', async () => {
    const { workspace, connection } = await setup();
    const first = await workspace.runSync(connection.id);
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    // The pid of a process that is alive but not running this sync (its pid was reused).
    const stale = { ...first, id: '00000000T000000000Z-reused', status: 'running', endedAt: undefined, pid: process.ppid };
    writeFileSync(join(workspace.dir, 'syncs', connection.id, `${stale.id}.json`), JSON.stringify(stale));
    expect((await workspace.history(connection.id)).find((h) => h.id === stale.id)?.status).toBe('running');
    await workspace.runSync(connection.id);
    expect((await workspace.history(connection.id)).find((h) => h.id === stale.id)?.status).toBe('failed');
  });

  it('refuses a second sync of a connection while one is running', async () => {
    const { workspace, connection } = await setup();
    shop.delayMs = 200;
    const first = workspace.runSync(connection.id);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(workspace.runSync(connection.id)).rejects.toThrow(/already running/);
    await expect(workspace.reset(connection.id)).rejects.toThrow(/already running/);
    expect((await first).status).toBe('succeeded');
  });

  it('reset forgets the rows and state of one stream', async () => {
    const { workspace, connection, tables } = await setup();
    await workspace.runSync(connection.id);
    expect(await workspace.reset(connection.id, 'orders')).toEqual(['orders']);
    expect(rowsOf(tables, connection.id, 'orders')).toEqual([]);
    expect((await workspace.state(connection.id)).map((s) => s.stream?.stream_descriptor.name)).not.toContain('orders');
    await expect(workspace.reset(connection.id, 'nope')).rejects.toThrow(/no stream named 'nope'/);
    const again = await workspace.runSync(connection.id);
    expect(again.streams.orders?.records).toBe(4);
  });
});
