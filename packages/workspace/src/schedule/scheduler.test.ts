import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryDestinations } from '../__tests__/memory-destination.js';
import { shopSetup, testWorkspace } from '../__tests__/setup.js';
import { type ShopApi, startShopApi } from '../__tests__/shop-api.js';
import type { Workspace } from '../workspace.js';
import { type SchedulerEvent, type SchedulerHandle, startScheduler } from './scheduler.js';

let shop: ShopApi;
beforeAll(async () => {
  shop = await startShopApi();
});
afterAll(() => shop.close());
beforeEach(() => {
  shop.api.reset();
  shop.delayMs = 0;
  shop.customersStatus = undefined;
});

const MINUTE = 60_000;

interface Harness {
  workspace: Workspace;
  scheduler: SchedulerHandle;
  events: SchedulerEvent[];
  timers: number[];
  /** Moves the fake clock to `minutes` after `base` and runs one check. */
  tickAt(minutes: number): Promise<void>;
  base: number;
}

async function harness(connections: Array<Parameters<Workspace['createConnection']>[0]>): Promise<Harness> {
  const workspace = testWorkspace({ createDestination: memoryDestinations().create });
  await shopSetup(workspace, shop);
  for (const input of connections) await workspace.createConnection(input);
  const base = Date.now();
  let now = base;
  const events: SchedulerEvent[] = [];
  const timers: number[] = [];
  const scheduler = startScheduler(workspace, {
    clock: () => new Date(now),
    // Ticks are driven by the test; the timer only records what was asked for.
    setTimer: (_callback, ms) => {
      timers.push(ms);
      return () => undefined;
    },
    onEvent: (event) => events.push(event),
  });
  await scheduler.tick();
  return {
    workspace,
    scheduler,
    events,
    timers,
    base,
    async tickAt(minutes) {
      now = base + minutes * MINUTE;
      await scheduler.tick();
    },
  };
}

const kinds = (events: SchedulerEvent[]) => events.map((e) => `${e.type}${'connection' in e && e.connection ? ` ${e.connection.name}` : ''}${e.type === 'finished' ? ` ${e.result.status}` : ''}`);

describe('startScheduler', () => {
  it('runs an interval connection once it is due, never twice at once, and counts from the last start', async () => {
    shop.delayMs = 150;
    const h = await harness([{ name: 'hourly', source: 'shop', destination: 'warehouse', streams: ['orders'], schedule: { intervalMinutes: 60 } }]);
    expect(h.timers).toEqual([30_000]);
    await h.tickAt(59);
    await h.scheduler.idle();
    expect(await h.workspace.history('hourly')).toHaveLength(0);

    await h.tickAt(61);
    // Still running: another check (even much later) must not start a second sync.
    await h.tickAt(200);
    await h.scheduler.idle();
    expect(kinds(h.events)).toEqual(['started hourly', 'finished hourly succeeded']);
    const history = await h.workspace.history('hourly');
    expect(history.map((e) => e.status)).toEqual(['succeeded']);

    // Next run: 60 minutes after the start at minute 61.
    await h.tickAt(120);
    await h.scheduler.idle();
    expect(await h.workspace.history('hourly')).toHaveLength(1);
    await h.tickAt(122);
    await h.scheduler.idle();
    expect(await h.workspace.history('hourly')).toHaveLength(2);
    await h.scheduler.stop();
  });

  it('collapses runs missed while it was down into one, and ignores inactive and unscheduled connections', async () => {
    const h = await harness([
      { name: 'every-5', source: 'shop', destination: 'warehouse', streams: ['orders'], schedule: { intervalMinutes: 5 } },
      { name: 'paused', source: 'shop', destination: 'warehouse', streams: ['orders'], schedule: { intervalMinutes: 5 } },
      { name: 'manual', source: 'shop', destination: 'warehouse', streams: ['orders'] },
    ]);
    await h.workspace.updateConnection('paused', { status: 'inactive' });
    await h.tickAt(600);
    await h.scheduler.idle();
    await h.tickAt(600);
    await h.tickAt(603);
    await h.scheduler.idle();
    expect(kinds(h.events)).toEqual(['started every-5', 'finished every-5 succeeded']);
    expect(await h.workspace.history('every-5')).toHaveLength(1);
    expect(await h.workspace.history('paused')).toHaveLength(0);
    expect(await h.workspace.history('manual')).toHaveLength(0);
    await h.scheduler.stop();
  });

  it('runs a cron connection at its next matching minute (UTC)', async () => {
    const h = await harness([{ name: 'on-the-hour', source: 'shop', destination: 'warehouse', streams: ['orders'], schedule: { cron: '0 * * * *' } }]);
    const created = Date.parse((await h.workspace.getConnection('on-the-hour')).createdAt);
    const nextHour = Math.floor(created / (60 * MINUTE)) * 60 * MINUTE + 60 * MINUTE;
    await h.tickAt((nextHour - h.base) / MINUTE - 0.1);
    await h.scheduler.idle();
    expect(await h.workspace.history('on-the-hour')).toHaveLength(0);
    await h.tickAt((nextHour - h.base) / MINUTE);
    await h.scheduler.idle();
    expect(await h.workspace.history('on-the-hour')).toHaveLength(1);
    await h.scheduler.stop();
  });

  it('skips, without failing, a connection another process is syncing, and runs it once that ends', async () => {
    const h = await harness([{ name: 'busy', source: 'shop', destination: 'warehouse', streams: ['orders'], schedule: { intervalMinutes: 1 } }]);
    const connection = await h.workspace.getConnection('busy');
    const lock = join(h.workspace.dir, 'syncs', connection.id, '.lock');
    mkdirSync(join(h.workspace.dir, 'syncs', connection.id), { recursive: true });
    // The parent process stands in for a CLI `manifold sync` holding the lock.
    writeFileSync(lock, String(process.ppid));
    await h.tickAt(2);
    await h.scheduler.idle();
    expect(kinds(h.events)).toEqual(['skipped busy']);
    expect(await h.workspace.history('busy')).toHaveLength(0);

    writeFileSync(lock, '999999999');
    await h.tickAt(2.5);
    await h.scheduler.idle();
    expect(kinds(h.events)).toEqual(['skipped busy', 'started busy', 'finished busy succeeded']);
    await h.scheduler.stop();
  });

  it('keeps going when one sync fails: the others run, and the failed one runs again on schedule', async () => {
    shop.customersStatus = 400;
    const h = await harness([
      { name: 'broken', source: 'shop', destination: 'warehouse', streams: ['customers'], schedule: { intervalMinutes: 10 } },
      { name: 'fine', source: 'shop', destination: 'warehouse', streams: ['orders'], schedule: { intervalMinutes: 10 } },
    ]);
    await h.tickAt(11);
    await h.scheduler.idle();
    expect(kinds(h.events).filter((k) => k.startsWith('finished')).sort()).toEqual(['finished broken failed', 'finished fine succeeded']);
    shop.customersStatus = undefined;
    await h.tickAt(22);
    await h.scheduler.idle();
    expect((await h.workspace.history('broken')).map((e) => e.status)).toEqual(['succeeded', 'failed']);
    expect(await h.workspace.history('fine')).toHaveLength(2);
    await h.scheduler.stop();
  });

  it('stop() cancels running syncs and resolves once they have ended', async () => {
    shop.delayMs = 5_000;
    const h = await harness([{ name: 'slow', source: 'shop', destination: 'warehouse', streams: ['orders'], schedule: { intervalMinutes: 1 } }]);
    await h.tickAt(2);
    await waitFor(() => h.events.some((e) => e.type === 'started'));
    const begun = Date.now();
    await h.scheduler.stop();
    expect(Date.now() - begun).toBeLessThan(4_000);
    expect((await h.workspace.history('slow')).map((e) => e.status)).toEqual(['cancelled']);
    await h.tickAt(10);
    expect(await h.workspace.history('slow')).toHaveLength(1);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
