import { describe, expect, it } from 'vitest';
import type { Json } from '../context.js';
import type { Builder, Model } from '../factory/build-context.js';
import { createRouter } from '../partitioning/builders.js';
import type { ParentEvent, ParentStream } from '../partitioning/substream.js';
import { cursorModel, drive, harness } from './__tests__/harness.js';
import { createCursor } from './builders.js';
import { PerPartitionCursor } from './per-partition.js';

const T0 = Date.UTC(2024, 0, 10, 12);

function listRouter(values: unknown[]): Model {
  return { partition_router: { type: 'ListPartitionRouter', values, cursor_field: 'id' } };
}

function setup(retriever: Model, incremental: Model = cursorModel(), builders: Record<string, Builder> = {}) {
  const h = harness({}, T0, builders);
  const router = createRouter(retriever, h.ctx.at('retriever'));
  const { cursor } = createCursor(incremental, router, h.ctx, { name: 'items' });
  return { ...h, router, cursor };
}

describe('PerPartitionCursor state', () => {
  it('writes per-partition state after the first slice, then at most every 600 s, and the global state at the end', async () => {
    const { cursor, router, clock } = setup(listRouter(['a', 'b', 'c']));
    expect(cursor).toBeInstanceOf(PerPartitionCursor);
    const records: Record<string, Json[]> = {
      a: [{ updated_at: '2024-01-03T00:00:00Z' }],
      b: [{ updated_at: '2024-01-05T00:00:00Z' }],
    };
    const result = await drive(cursor, router, undefined, (slice) => {
      clock.now += 400_000;
      return records[slice.partition.id as string] ?? [];
    });
    expect(result.slices.map((slice) => [slice.partition, slice.cursorSlice])).toEqual([
      [{ id: 'a' }, { start_time: '2024-01-01T00:00:00Z', end_time: '2024-01-10T12:00:00Z' }],
      [{ id: 'b' }, { start_time: '2024-01-01T00:00:00Z', end_time: '2024-01-10T12:06:40Z' }],
      [{ id: 'c' }, { start_time: '2024-01-01T00:00:00Z', end_time: '2024-01-10T12:13:20Z' }],
    ]);
    const a = { partition: { id: 'a' }, cursor: { updated_at: '2024-01-03T00:00:00Z' } };
    const b = { partition: { id: 'b' }, cursor: { updated_at: '2024-01-05T00:00:00Z' } };
    const c = { partition: { id: 'c' }, cursor: { updated_at: '2024-01-01T00:00:00Z' } };
    expect(result.afterSlice).toEqual([
      { use_global_cursor: false, states: [a], lookback_window: 0 },
      undefined,
      { use_global_cursor: false, states: [a, b, c], lookback_window: 0 },
    ]);
    expect(result.final).toEqual({
      use_global_cursor: false,
      states: [a, b, c],
      state: { updated_at: '2024-01-05T00:00:00Z' },
      lookback_window: 1200,
    });
    expect(JSON.stringify(result.final)).toBe(
      '{"use_global_cursor":false,"states":[{"partition":{"id":"a"},"cursor":{"updated_at":"2024-01-03T00:00:00Z"}},{"partition":{"id":"b"},"cursor":{"updated_at":"2024-01-05T00:00:00Z"}},{"partition":{"id":"c"},"cursor":{"updated_at":"2024-01-01T00:00:00Z"}}],"state":{"updated_at":"2024-01-05T00:00:00Z"},"lookback_window":1200}',
    );
  });

  it('resumes each known partition from its state and new ones from the global state minus the lookback', async () => {
    const { cursor, router } = setup(listRouter(['a', 'd']));
    const state = {
      use_global_cursor: false,
      states: [{ partition: { id: 'a' }, cursor: { updated_at: '2024-01-03T00:00:00Z' } }],
      state: { updated_at: '2024-01-05T00:00:00Z' },
      lookback_window: 1200,
    };
    const result = await drive(cursor, router, state, () => []);
    expect(result.slices.map((slice) => slice.cursorSlice.start_time)).toEqual([
      '2024-01-03T00:00:00Z',
      '2024-01-04T23:40:00Z',
    ]);
    expect(result.final).toEqual({
      use_global_cursor: false,
      states: [
        { partition: { id: 'a' }, cursor: { updated_at: '2024-01-03T00:00:00Z' } },
        { partition: { id: 'd' }, cursor: { updated_at: '2024-01-04T23:40:00Z' } },
      ],
      state: { updated_at: '2024-01-05T00:00:00Z' },
      lookback_window: 1200,
    });
  });

  it('applies a sequential (global-format) state to every partition', async () => {
    const { cursor, router } = setup(listRouter(['a', 'b']));
    const result = await drive(cursor, router, { updated_at: '2024-01-06T00:00:00Z' }, () => []);
    expect(result.slices.map((slice) => slice.cursorSlice.start_time)).toEqual([
      '2024-01-06T00:00:00Z',
      '2024-01-06T00:00:00Z',
    ]);
    expect(result.final?.state).toEqual({ updated_at: '2024-01-06T00:00:00Z' });
  });

  it('keeps one global state with global_substream_cursor, written only at the end without parents', async () => {
    const { cursor, router } = setup(listRouter(['a', 'b']), cursorModel({ global_substream_cursor: true }));
    const result = await drive(cursor, router, undefined, (slice) =>
      slice.partition.id === 'b' ? [{ updated_at: '2024-01-07T00:00:00Z' }] : [],
    );
    expect(result.afterSlice).toEqual([undefined, undefined]);
    expect(result.final).toEqual({
      use_global_cursor: true,
      state: { updated_at: '2024-01-07T00:00:00Z' },
      lookback_window: 0,
    });
  });

  it('switches to the global cursor past 10000 partitions', async () => {
    const values = Array.from({ length: 10_002 }, (_, index) => `p${index}`);
    const { cursor, router } = setup(listRouter(values));
    const result = await drive(cursor, router, undefined, (slice) =>
      slice.partition.id === 'p10001' ? [{ updated_at: '2024-01-02T00:00:00Z' }] : [],
    );
    expect(result.final).toEqual({
      use_global_cursor: true,
      state: { updated_at: '2024-01-02T00:00:00Z' },
      lookback_window: 0,
    });
  }, 60_000);

  it('a partition seen again after it closed resumes its own cursor (nothing left to read here)', async () => {
    const { cursor, router, warnings } = setup(listRouter(['a', 'a']));
    const result = await drive(cursor, router, undefined, () => []);
    expect(result.slices).toHaveLength(1);
    expect(warnings).toEqual([]);
    expect(result.final?.states).toEqual([{ partition: { id: 'a' }, cursor: { updated_at: '2024-01-01T00:00:00Z' } }]);
  });

  it('starts afresh when the same stream is read again', async () => {
    const { cursor, router } = setup(listRouter(['a']));
    const first = await drive(cursor, router, undefined, () => [{ updated_at: '2024-01-03T00:00:00Z' }]);
    const second = await drive(cursor, router, undefined, () => [{ updated_at: '2024-01-03T00:00:00Z' }]);
    expect(second.final).toEqual(first.final);
    expect(second.slices).toEqual(first.slices);
  });

  it('filters client-side per partition', async () => {
    const { cursor, router } = setup(listRouter(['a', 'b']), cursorModel({ is_client_side_incremental: true }));
    const state = {
      states: [{ partition: { id: 'a' }, cursor: { updated_at: '2024-01-05T00:00:00Z' } }],
    };
    const result = await drive(cursor, router, state, () => [{ updated_at: '2024-01-03T00:00:00Z' }]);
    // a's state is 2024-01-05: dropped there; b starts at start_datetime: kept.
    expect(result.records).toHaveLength(1);
  });

  it('sends only the cursor options; the router sends its own', async () => {
    const { cursor, router } = setup(
      {
        partition_router: {
          type: 'ListPartitionRouter',
          values: ['a'],
          cursor_field: 'id',
          request_option: { type: 'RequestOption', inject_into: 'request_parameter', field_name: 'account' },
        },
      },
      cursorModel({ start_time_option: { type: 'RequestOption', inject_into: 'request_parameter', field_name: 'since' } }),
    );
    const result = await drive(cursor, router, undefined, () => []);
    const slice = result.slices[0];
    if (!slice || !router) throw new Error('no slice');
    expect(cursor.requestOptions(slice).params).toEqual({ since: '2024-01-01T00:00:00Z' });
    expect(router.requestOptions(slice).params).toEqual({ account: 'a' });
  });

  it('is global with a GroupingPartitionRouter', async () => {
    const { cursor } = setup({
      partition_router: {
        type: 'GroupingPartitionRouter',
        group_size: 2,
        underlying_partition_router: { type: 'ListPartitionRouter', values: ['a', 'b', 'c'], cursor_field: 'id' },
      },
    });
    cursor.setInitialState(undefined);
    expect((cursor as PerPartitionCursor<unknown>).currentState()).toEqual({ use_global_cursor: true, lookback_window: 0 });
  });

  it('reads groups with one global state', async () => {
    const { cursor, router } = setup({
      partition_router: {
        type: 'GroupingPartitionRouter',
        group_size: 2,
        underlying_partition_router: { type: 'ListPartitionRouter', values: ['a', 'b', 'c'], cursor_field: 'id' },
      },
    });
    const result = await drive(cursor, router, { updated_at: '2024-01-02T00:00:00Z' }, (slice) =>
      (slice.partition.id as string[]).includes('c') ? [{ updated_at: '2024-01-04T00:00:00Z' }] : [],
    );
    expect(result.slices.map((slice) => [slice.partition, slice.cursorSlice.start_time])).toEqual([
      [{ id: ['a', 'b'] }, '2024-01-02T00:00:00Z'],
      [{ id: ['c'] }, '2024-01-02T00:00:00Z'],
    ]);
    expect(result.afterSlice).toEqual([undefined, undefined]);
    expect(result.final).toEqual({ use_global_cursor: true, state: { updated_at: '2024-01-04T00:00:00Z' }, lookback_window: 0 });
  });

  it('refuses IncrementingCountCursor with a partition router, as the CDK does', () => {
    expect(() =>
      setup(listRouter(['a']), { type: 'IncrementingCountCursor', cursor_field: 'id' }),
    ).toThrow(/PartitionRouter and an IncrementingCountCursor/);
  });
});

/** A parent stream stand-in: fixed events, and the state it was read from. */
function fakeParent(events: ParentEvent[]) {
  const reads: Array<Json | undefined> = [];
  const stream: ParentStream = {
    name: 'parents',
    cursorField: ['updated_at'],
    async *read(state) {
      reads.push(state);
      yield* events;
    },
  };
  return { stream, reads };
}

describe('PerPartitionCursor with parent state', () => {
  const parentEvents: ParentEvent[] = [
    { record: { id: 1, updated_at: '2024-01-02T00:00:00Z' } },
    { record: { id: 2, updated_at: '2024-01-04T00:00:00Z' } },
    { state: { updated_at: '2024-01-04T00:00:00Z' } },
    { state: { updated_at: '2024-01-04T00:00:00Z' } },
  ];
  const substream = (incrementalDependency: boolean): Model => ({
    partition_router: {
      type: 'SubstreamPartitionRouter',
      parent_stream_configs: [
        {
          type: 'ParentStreamConfig',
          parent_key: 'id',
          partition_field: 'parent_id',
          incremental_dependency: incrementalDependency,
          stream: { type: 'DeclarativeStream', name: 'parents' },
        },
      ],
    },
  });

  it('writes parent_state: the parent state of finished partitions, then the final one', async () => {
    const parent = fakeParent(parentEvents);
    const { cursor, router } = setup(substream(true), cursorModel(), { DeclarativeStream: () => parent.stream });
    const result = await drive(cursor, router, undefined, (slice) =>
      slice.partition.parent_id === 2 ? [{ updated_at: '2024-01-08T00:00:00Z' }] : [],
    );
    expect(result.slices.map((slice) => slice.partition)).toEqual([
      { parent_id: 1, parent_slice: {} },
      { parent_id: 2, parent_slice: {} },
    ]);
    expect(result.afterSlice[0]).toEqual({
      use_global_cursor: false,
      states: [{ partition: { parent_id: 1, parent_slice: {} }, cursor: { updated_at: '2024-01-01T00:00:00Z' } }],
      lookback_window: 0,
      parent_state: { parents: {} },
    });
    expect(result.final).toEqual({
      use_global_cursor: false,
      states: [
        { partition: { parent_id: 1, parent_slice: {} }, cursor: { updated_at: '2024-01-01T00:00:00Z' } },
        { partition: { parent_id: 2, parent_slice: {} }, cursor: { updated_at: '2024-01-08T00:00:00Z' } },
      ],
      state: { updated_at: '2024-01-08T00:00:00Z' },
      lookback_window: 0,
      parent_state: { parents: { updated_at: '2024-01-04T00:00:00Z' } },
    });
    expect(parent.reads).toEqual([undefined]);
  });

  it('reads the parent from the parent_state kept in the child state', async () => {
    const parent = fakeParent(parentEvents);
    const { cursor, router } = setup(substream(true), cursorModel(), { DeclarativeStream: () => parent.stream });
    await drive(cursor, router, { states: [], parent_state: { parents: { updated_at: '2024-01-03T00:00:00Z' } } }, () => []);
    expect(parent.reads).toEqual([{ updated_at: '2024-01-03T00:00:00Z' }]);
  });

  it('falls back to the global state, then to a lone value, for the parent state', async () => {
    const first = fakeParent([]);
    const a = setup(substream(true), cursorModel(), { DeclarativeStream: () => first.stream });
    await drive(a.cursor, a.router, { state: { updated_at: '2024-01-02T00:00:00Z' } }, () => []);
    expect(first.reads).toEqual([{ updated_at: '2024-01-02T00:00:00Z' }]);
    const second = fakeParent([]);
    const b = setup(substream(true), cursorModel(), { DeclarativeStream: () => second.stream });
    await drive(b.cursor, b.router, { created: '2024-01-02T00:00:00Z' }, () => []);
    expect(second.reads).toEqual([{ updated_at: '2024-01-02T00:00:00Z' }]);
  });

  it('writes an empty parent_state when no parent is an incremental dependency', async () => {
    const parent = fakeParent(parentEvents);
    const { cursor, router } = setup(substream(false), cursorModel(), { DeclarativeStream: () => parent.stream });
    const result = await drive(cursor, router, { parent_state: { parents: { updated_at: 'x' } } }, () => []);
    expect(parent.reads).toEqual([undefined]);
    expect(result.final?.parent_state).toEqual({});
  });
});
