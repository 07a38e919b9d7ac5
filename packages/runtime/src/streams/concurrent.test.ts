import { describe, expect, it } from 'vitest';
import { readConcurrently, type SliceEvent } from './concurrent.js';

async function* fromArray<T>(items: T[]): AsyncIterable<T> {
  for (const item of items) yield item;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function collect<S, R>(events: AsyncIterable<SliceEvent<S, R>>): Promise<SliceEvent<S, R>[]> {
  const out: SliceEvent<S, R>[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('readConcurrently', () => {
  it('with limit 1 reads slices in order', async () => {
    const events = await collect(readConcurrently(fromArray([1, 2]), 1, (s) => fromArray([`${s}a`, `${s}b`])));
    expect(events).toEqual([
      { slice: 1, item: '1a' },
      { slice: 1, item: '1b' },
      { slice: 1, done: true },
      { slice: 2, item: '2a' },
      { slice: 2, item: '2b' },
      { slice: 2, done: true },
    ]);
  });

  it('keeps each slice in order, marks each done after its items, loses nothing', async () => {
    const slices = Array.from({ length: 20 }, (_, i) => i);
    const events = await collect(
      readConcurrently(fromArray(slices), 5, async function* (s) {
        for (let i = 0; i < 5; i += 1) {
          await sleep((s * 7 + i * 3) % 5);
          yield `${s}:${i}`;
        }
      }),
    );
    for (const s of slices) {
      const mine = events.filter((e) => e.slice === s);
      expect(mine.map((e) => (e.done ? 'done' : e.failed ? 'failed' : e.item))).toEqual([`${s}:0`, `${s}:1`, `${s}:2`, `${s}:3`, `${s}:4`, 'done']);
    }
    expect(events).toHaveLength(20 * 6);
  });

  it('runs up to the limit at once, never more', async () => {
    let inFlight = 0;
    let peak = 0;
    const read = async function* (s: number) {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await sleep(30);
      inFlight -= 1;
      yield s;
    };
    await collect(readConcurrently(fromArray([1, 2, 3, 4, 5, 6, 7, 8]), 4, read));
    expect(peak).toBe(4);
  });

  it('rethrows the first error and stops', async () => {
    const run = collect(
      readConcurrently(fromArray([1, 2, 3]), 2, async function* (s) {
        await sleep(s * 5);
        if (s === 2) throw new Error('boom');
        yield s;
      }),
    );
    await expect(run).rejects.toThrow('boom');
  });

  it('bounds the queue: a slow consumer holds producers back', async () => {
    let produced = 0;
    const events = readConcurrently(
      fromArray([1, 2]),
      2,
      async function* () {
        for (let i = 0; i < 100; i += 1) {
          produced += 1;
          yield i;
        }
      },
      10,
    );
    const iterator = events[Symbol.asyncIterator]();
    await iterator.next();
    await sleep(20);
    expect(produced).toBeLessThanOrEqual(12);
    await iterator.return?.();
  });

  it.each([1, 3])('isolateFailures (limit %i): a failed slice ends with a failed event, the others are read', async (limit) => {
    const events = await collect(
      readConcurrently(
        fromArray([1, 2, 3, 4]),
        limit,
        async function* (s) {
          await sleep(s);
          yield `${s}:a`;
          if (s === 2) throw new Error('slice 2 broke');
          yield `${s}:b`;
        },
        1000,
        true,
      ),
    );
    const of = (s: number) =>
      events.filter((e) => e.slice === s).map((e) => (e.done ? 'done' : e.failed ? String((e.failed.error as Error).message) : e.item));
    expect(of(1)).toEqual(['1:a', '1:b', 'done']);
    expect(of(2)).toEqual(['2:a', 'slice 2 broke']);
    expect(of(3)).toEqual(['3:a', '3:b', 'done']);
    expect(of(4)).toEqual(['4:a', '4:b', 'done']);
  });

  it('isolateFailures: an error of the slice generator still stops the read', async () => {
    async function* broken(): AsyncIterable<number> {
      yield 1;
      throw new Error('no more slices');
    }
    const run = collect(readConcurrently(broken(), 2, async function* (s) { yield s; }, 1000, true));
    await expect(run).rejects.toThrow('no more slices');
  });
});
