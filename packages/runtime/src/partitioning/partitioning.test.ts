import { describe, expect, it } from 'vitest';
import type { Json } from '../context.js';
import type { Model } from '../factory/build-context.js';
import { harness } from '../incremental/__tests__/harness.js';
import { mergeRequestOptions } from '../requesters/request-options.js';
import { createRouter } from './builders.js';
import { CartesianProductStreamSlicer } from './cartesian.js';
import { dpathGet } from './dpath.js';
import type { PartitionRouter } from './partition-router.js';
import type { StreamSlice } from './stream-slice.js';
import { type ParentEvent, type ParentStream, SubstreamPartitionRouter } from './substream.js';

async function all(router: PartitionRouter): Promise<StreamSlice[]> {
  const out: StreamSlice[] = [];
  for await (const slice of router.partitions()) out.push(slice);
  return out;
}

function parentStream(name: string, events: ParentEvent[], reads: Array<Json | undefined> = []): ParentStream {
  return {
    name,
    cursorField: ['updated_at'],
    async *read(state) {
      reads.push(state);
      yield* events;
    },
  };
}

function routerFor(model: Model | Model[], config: Json = {}, parents: Record<string, ParentStream> = {}) {
  const h = harness(config, undefined, {
    DeclarativeStream: (stream) => {
      const parent = parents[String(stream.name)];
      if (!parent) throw new Error(`no parent ${String(stream.name)}`);
      return parent;
    },
  });
  const router = createRouter({ partition_router: model }, h.ctx.at('retriever'));
  if (!router) throw new Error('no router');
  return router;
}

const param = (name: string) => ({ type: 'RequestOption', inject_into: 'request_parameter', field_name: name });

describe('ListPartitionRouter', () => {
  it('yields one partition per value and sends it', async () => {
    const router = routerFor({ type: 'ListPartitionRouter', values: ['a', 'b'], cursor_field: 'section', request_option: param('s') });
    const slices = await all(router);
    expect(slices).toEqual([
      { partition: { section: 'a' }, cursorSlice: {}, extraFields: {} },
      { partition: { section: 'b' }, cursorSlice: {}, extraFields: {} },
    ]);
    expect(router.requestOptions(slices[0] as StreamSlice).params).toEqual({ s: 'a' });
  });

  it('evaluates a template to the list, and the cursor_field template', async () => {
    const router = routerFor(
      { type: 'ListPartitionRouter', values: "{{ config['ids'] }}", cursor_field: "{{ parameters['key'] }}", $parameters: { key: 'id' } },
      { ids: [1, 2, 3] },
    );
    expect((await all(router)).map((slice) => slice.partition)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('does not send a falsy value', async () => {
    const router = routerFor({ type: 'ListPartitionRouter', values: [0, ''], cursor_field: 'n', request_option: param('n') });
    for (const slice of await all(router)) expect(router.requestOptions(slice)).toEqual({});
  });
});

describe('SubstreamPartitionRouter', () => {
  const events: ParentEvent[] = [
    { record: { id: 1, owner: { login: 'ann' }, name: 'one' } },
    { record: { name: 'no id' } },
    { record: { id: 2, owner: { login: 'bob' } } },
    { state: { updated_at: '2024-01-02T00:00:00Z' } },
  ];

  it('yields a partition per parent record with the parent key, its parent slice and extra fields', async () => {
    const router = routerFor(
      {
        type: 'SubstreamPartitionRouter',
        parent_stream_configs: [
          {
            type: 'ParentStreamConfig',
            parent_key: 'owner/login',
            partition_field: 'login',
            extra_fields: [['name'], ['owner', 'login']],
            request_option: param('user'),
            stream: { type: 'DeclarativeStream', name: 'repos' },
          },
        ],
      },
      {},
      { repos: parentStream('repos', events) },
    );
    const slices = await all(router);
    expect(slices).toEqual([
      { partition: { login: 'ann', parent_slice: {} }, cursorSlice: {}, extraFields: { name: 'one', 'owner.login': 'ann' } },
      { partition: { login: 'bob', parent_slice: {} }, cursorSlice: {}, extraFields: { name: null, 'owner.login': 'bob' } },
    ]);
    expect(router.requestOptions(slices[1] as StreamSlice).params).toEqual({ user: 'bob' });
    expect(router.parentState?.()).toEqual({});
  });

  it('keeps the parent record slice partition as parent_slice when the parent read gives it', async () => {
    const parentSlice = { partition: { org: 'x', parent_slice: {} }, cursorSlice: {}, extraFields: {} };
    const router = routerFor(
      {
        type: 'SubstreamPartitionRouter',
        parent_stream_configs: [
          { type: 'ParentStreamConfig', parent_key: 'id', partition_field: 'repo', stream: { type: 'DeclarativeStream', name: 'repos' } },
        ],
      },
      {},
      { repos: parentStream('repos', [{ record: { id: 7 }, slice: parentSlice }]) },
    );
    expect((await all(router))[0]?.partition).toEqual({ repo: 7, parent_slice: { org: 'x', parent_slice: {} } });
  });

  it('reads several parents in order and reports the state of incremental dependencies', async () => {
    const reads: Array<Json | undefined> = [];
    const router = routerFor(
      {
        type: 'SubstreamPartitionRouter',
        parent_stream_configs: [
          { type: 'ParentStreamConfig', parent_key: 'id', partition_field: 'a', stream: { type: 'DeclarativeStream', name: 'one' } },
          {
            type: 'ParentStreamConfig',
            parent_key: 'id',
            partition_field: 'b',
            incremental_dependency: true,
            stream: { type: 'DeclarativeStream', name: 'two' },
          },
        ],
      },
      {},
      {
        one: parentStream('one', [{ record: { id: 1 } }]),
        two: parentStream('two', [{ record: { id: 2 } }, { state: { updated_at: 'T2' } }], reads),
      },
    );
    router.setParentState?.({ parent_state: { two: { updated_at: 'T1' } } });
    expect(router.parentState?.()).toEqual({ two: { updated_at: 'T1' } });
    expect((await all(router)).map((slice) => slice.partition)).toEqual([
      { a: 1, parent_slice: {} },
      { b: 2, parent_slice: {} },
    ]);
    expect(reads).toEqual([{ updated_at: 'T1' }]);
    expect(router.parentState?.()).toEqual({ two: { updated_at: 'T2' } });
  });

  it('gives the partition of a slice\'s last record only after the parent wrote its state', async () => {
    const router = routerFor(
      {
        type: 'SubstreamPartitionRouter',
        parent_stream_configs: [
          {
            type: 'ParentStreamConfig',
            parent_key: 'id',
            partition_field: 'id',
            incremental_dependency: true,
            stream: { type: 'DeclarativeStream', name: 'p' },
          },
        ],
      },
      {},
      {
        p: parentStream('p', [
          { record: { id: 1 } },
          { record: { id: 2 } },
          { state: { updated_at: 'S1' } },
          { record: { id: 3 } },
          { state: { updated_at: 'S2' } },
        ]),
      },
    );
    expect(router).toBeInstanceOf(SubstreamPartitionRouter);
    const seen: unknown[] = [];
    for await (const slice of router.partitions()) seen.push([slice.partition.id, router.parentState?.()]);
    expect(seen).toEqual([
      [1, { p: {} }],
      [2, { p: { updated_at: 'S1' } }],
      [3, { p: { updated_at: 'S2' } }],
    ]);
  });
});

describe('CartesianProductStreamSlicer', () => {
  it('combines the routers (first varies slowest) and merges their request options', async () => {
    const router = routerFor([
      { type: 'ListPartitionRouter', values: [1, 2], cursor_field: 'i', request_option: param('i') },
      { type: 'ListPartitionRouter', values: ['x', 'y'], cursor_field: 's', request_option: param('s') },
    ]);
    expect(router).toBeInstanceOf(CartesianProductStreamSlicer);
    const slices = await all(router);
    expect(slices.map((slice) => slice.partition)).toEqual([
      { s: 'x', i: 1 },
      { s: 'y', i: 1 },
      { s: 'x', i: 2 },
      { s: 'y', i: 2 },
    ]);
    const options = mergeRequestOptions([router.requestOptions(slices[3] as StreamSlice)]);
    expect(options.params).toEqual({ s: 'y', i: 2 });
  });

  it('lets the first router win a key conflict', async () => {
    const router = routerFor({
      type: 'CartesianProductStreamSlicer',
      stream_slicers: [
        { type: 'ListPartitionRouter', values: ['first'], cursor_field: 'k' },
        { type: 'ListPartitionRouter', values: ['second'], cursor_field: 'k' },
      ],
    });
    expect((await all(router))[0]?.partition).toEqual({ k: 'first' });
  });
});

describe('GroupingPartitionRouter', () => {
  it('groups partitions, dropping duplicates by default', async () => {
    const router = routerFor({
      type: 'GroupingPartitionRouter',
      group_size: 2,
      underlying_partition_router: { type: 'ListPartitionRouter', values: ['a', 'b', 'a', 'c', 'd'], cursor_field: 'id' },
    });
    const slices = await all(router);
    expect(slices.map((slice) => slice.partition)).toEqual([{ id: ['a', 'b'] }, { id: ['c', 'd'] }]);
    expect(router.requestOptions(slices[0] as StreamSlice)).toEqual({});
  });

  it('keeps duplicates without deduplicate and groups extra fields', async () => {
    const router = routerFor(
      {
        type: 'GroupingPartitionRouter',
        group_size: 2,
        deduplicate: false,
        underlying_partition_router: {
          type: 'SubstreamPartitionRouter',
          parent_stream_configs: [
            {
              type: 'ParentStreamConfig',
              parent_key: 'id',
              partition_field: 'id',
              extra_fields: [['name']],
              stream: { type: 'DeclarativeStream', name: 'p' },
            },
          ],
        },
      },
      {},
      { p: parentStream('p', [{ record: { id: 1, name: 'a' } }, { record: { id: 1, name: 'b' } }, { record: { id: 3 } }]) },
    );
    const slices = await all(router);
    expect(slices).toEqual([
      { partition: { id: [1, 1], parent_slice: [{}, {}] }, cursorSlice: {}, extraFields: { name: ['a', 'b'] } },
      { partition: { id: [3], parent_slice: [{}] }, cursorSlice: {}, extraFields: { name: [null] } },
    ]);
    expect(router.parentState?.()).toEqual({});
  });

  it('refuses request options in the underlying router and a group size below 1', () => {
    expect(() =>
      routerFor({
        type: 'GroupingPartitionRouter',
        group_size: 2,
        underlying_partition_router: { type: 'ListPartitionRouter', values: ['a'], cursor_field: 'id', request_option: param('id') },
      }),
    ).toThrow(/Request options are not supported/);
    expect(() =>
      routerFor({
        type: 'GroupingPartitionRouter',
        group_size: 0,
        underlying_partition_router: { type: 'ListPartitionRouter', values: ['a'], cursor_field: 'id' },
      }),
    ).toThrow(/Group size must be greater than 0/);
  });
});

describe('createRouter and dpath', () => {
  it('has no router without partition_router or with an empty list', () => {
    const h = harness();
    expect(createRouter({}, h.ctx)).toBeUndefined();
    expect(createRouter({ partition_router: [] }, h.ctx)).toBeUndefined();
  });

  it('reads nested keys and list items, and fails on missing ones', () => {
    const record = { a: { b: [{ c: 1 }, { c: null }] } };
    expect(dpathGet(record, 'a/b/0/c')).toBe(1);
    expect(dpathGet(record, ['a', 'b', '1', 'c'])).toBeNull();
    expect(() => dpathGet(record, 'a/x')).toThrow();
  });
});
