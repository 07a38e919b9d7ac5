import { describe, expect, it } from 'vitest';
import type { Json } from '../context.js';
import type { Model } from '../factory/build-context.js';
import { createRouter } from '../partitioning/builders.js';
import type { StreamSlice } from '../partitioning/stream-slice.js';
import type { SimpleRetriever } from '../retrievers/simple-retriever.js';
import { DeclarativeStream, type StreamEvent } from '../streams/declarative-stream.js';
import { type Harness, cursorModel, harness } from './__tests__/harness.js';
import { createCursor } from './builders.js';

/** A real DeclarativeStream over a retriever that answers from a function. */
function stream(
  h: Harness,
  name: string,
  incremental: Model | undefined,
  retrieverModel: Model,
  recordsFor: (slice: StreamSlice) => Json[],
  requests: StreamSlice[] = [],
  concurrency = 1,
): DeclarativeStream {
  const router = createRouter(retrieverModel, h.ctx.at('retriever'));
  const { cursor, incremental: isIncremental } = createCursor(incremental, router, h.ctx, { name });
  const retriever = {
    async *read(slice: StreamSlice) {
      requests.push(slice);
      yield* recordsFor(slice);
    },
  } as unknown as SimpleRetriever;
  return new DeclarativeStream(
    { name, primaryKey: [['id']], retriever, router, cursor, schemaLoader: { schema: () => ({}) }, incremental: isIncremental, concurrency },
    h.run,
  );
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('cursors inside DeclarativeStream', () => {
  it('an incremental substream keeps its parent state (read from the parent cursor) in its own state', async () => {
    const parentRecords = [
      { id: 'p1', updated_at: '2024-01-03T00:00:00Z' },
      { id: 'p2', updated_at: '2024-01-06T00:00:00Z' },
    ];
    const h = harness({}, Date.UTC(2024, 0, 10, 12), {
      DeclarativeStream: (model, ctx) => stream(harnessFor(ctx), String(model.name), cursorModel(), {}, () => parentRecords),
    });
    const harnessFor = (ctx: typeof h.ctx): Harness => ({ ...h, ctx });
    const childRequests: StreamSlice[] = [];
    const child = stream(
      h,
      'comments',
      cursorModel({ cursor_field: 'created_at' }),
      {
        partition_router: {
          type: 'SubstreamPartitionRouter',
          parent_stream_configs: [
            {
              type: 'ParentStreamConfig',
              parent_key: 'id',
              partition_field: 'post_id',
              incremental_dependency: true,
              stream: { type: 'DeclarativeStream', name: 'posts' },
            },
          ],
        },
      },
      (slice) => (slice.partition.post_id === 'p2' ? [{ id: 'c1', created_at: '2024-01-07T00:00:00Z' }] : []),
      childRequests,
    );
    const events = await collect(child.read(undefined));
    expect(events.filter((event) => event.record).map((event) => event.record?.id)).toEqual(['c1']);
    const states = events.filter((event) => event.state).map((event) => event.state);
    expect(states).toEqual([
      {
        use_global_cursor: false,
        states: [{ partition: { parent_slice: {}, post_id: 'p1' }, cursor: { created_at: '2024-01-01T00:00:00Z' } }],
        lookback_window: 0,
        parent_state: { posts: { updated_at: '2024-01-01T00:00:00Z' } },
      },
      {
        use_global_cursor: false,
        states: [
          { partition: { parent_slice: {}, post_id: 'p1' }, cursor: { created_at: '2024-01-01T00:00:00Z' } },
          { partition: { parent_slice: {}, post_id: 'p2' }, cursor: { created_at: '2024-01-07T00:00:00Z' } },
        ],
        state: { created_at: '2024-01-07T00:00:00Z' },
        lookback_window: 0,
        parent_state: { posts: { updated_at: '2024-01-06T00:00:00Z' } },
      },
    ]);
    expect(childRequests.map((slice) => slice.partition.post_id)).toEqual(['p1', 'p2']);
  });

  it('a full-refresh stream with a router reads every partition and ends with the no-cursor state', async () => {
    const h = harness();
    const events = await collect(
      stream(h, 'items', undefined, { partition_router: { type: 'ListPartitionRouter', values: ['a', 'b'], cursor_field: 'k' } }, (slice) => [
        { id: slice.partition.k },
      ]).read(undefined),
    );
    expect(events.map((event) => (event.record ? { record: event.record, partition: event.slice.partition } : event))).toEqual([
      { record: { id: 'a' }, partition: { k: 'a' } },
      { record: { id: 'b' }, partition: { k: 'b' } },
      { state: { __ab_no_cursor_state_message: true } },
    ]);
  });

  it('keeps the state right when windows are read concurrently and close out of order', async () => {
    const h = harness();
    const delays: Record<string, number> = { '2024-01-01T00:00:00Z': 30, '2024-01-04T00:00:00Z': 0, '2024-01-07T00:00:00Z': 10 };
    const retrieverRecords = (slice: StreamSlice): Json[] => [{ id: slice.cursorSlice.start_time, updated_at: slice.cursorSlice.start_time }];
    const base = stream(h, 'items', cursorModel({ step: 'P3D', cursor_granularity: 'PT1S' }), {}, retrieverRecords, [], 3);
    const slow = {
      async *read(slice: StreamSlice) {
        await new Promise((resolve) => setTimeout(resolve, delays[String(slice.cursorSlice.start_time)] ?? 0));
        yield* retrieverRecords(slice);
      },
    } as unknown as SimpleRetriever;
    const concurrent = new DeclarativeStream({ ...base.parts, retriever: slow }, h.run);
    const events = await collect(concurrent.read(undefined));
    const states = events.filter((event) => event.state).map((event) => event.state?.updated_at);
    // Until the first window closes, the later ones cannot move the state.
    expect(states[0]).toBe('2024-01-01T00:00:00Z');
    expect(states[states.length - 1]).toBe('2024-01-10T00:00:00Z');
    expect(events.filter((event) => event.record)).toHaveLength(4);
  });
});
