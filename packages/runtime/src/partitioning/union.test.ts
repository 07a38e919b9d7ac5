/**
 * UnionPartitionRouter: unit checks of the union itself, then a whole-source read against a
 * local mock API (requests, records, per-partition state keys).
 */
import { type MockApi, type MockRequest, configuredCatalog, records, startMockApi, states } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { Json } from '../context.js';
import type { Model } from '../factory/build-context.js';
import { harness } from '../incremental/__tests__/harness.js';
import { runSource } from '../source/__tests__/harness.js';
import type { PartitionRouter } from './partition-router.js';
import { type StreamSlice, makeSlice } from './stream-slice.js';
import { UnionPartitionRouter, buildUnionPartitionRouter } from './union.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function fixed(slices: StreamSlice[], parentState?: Json, seen: Array<Json | undefined> = []): PartitionRouter {
  return {
    async *partitions() {
      yield* slices;
    },
    requestOptions: () => ({}),
    parentState: parentState ? () => parentState : undefined,
    setParentState: (state) => seen.push(state),
  };
}

async function all(router: PartitionRouter): Promise<StreamSlice[]> {
  const out: StreamSlice[] = [];
  for await (const slice of router.partitions()) out.push(slice);
  return out;
}

function build(model: Model, config: Json = {}) {
  const h = harness(config, undefined, { UnionPartitionRouter: buildUnionPartitionRouter });
  return { router: h.ctx.at('retriever').at('partition_router').component<UnionPartitionRouter>(model), warnings: h.warnings };
}

describe('UnionPartitionRouter', () => {
  it('yields each value once, the first child winning, other partition keys moved to the extra fields', async () => {
    const h = harness();
    const union = new UnionPartitionRouter(
      [
        fixed([makeSlice({ repository: 'org/a' }), makeSlice({ repository: 'org/b' })]),
        fixed([
          makeSlice({ repository: 'org/b', parent_slice: { org: 'x' } }, {}, { stars: 1 }),
          makeSlice({ repository: 'org/c', parent_slice: { org: 'x' } }, {}, { stars: 2 }),
        ]),
      ],
      'repository',
      h.run.logger,
    );
    expect(await all(union)).toEqual([
      makeSlice({ repository: 'org/a' }),
      makeSlice({ repository: 'org/b' }),
      makeSlice({ repository: 'org/c' }, {}, { stars: 2, parent_slice: { org: 'x' } }),
    ]);
  });

  it('deduplicates as Python hashes: 1, 1.0 and True are the same value; "1" is not', async () => {
    const h = harness();
    const union = new UnionPartitionRouter(
      [fixed([makeSlice({ id: 1 }), makeSlice({ id: '1' })]), fixed([makeSlice({ id: true }), makeSlice({ id: 2 })])],
      'id',
      h.run.logger,
    );
    expect((await all(union)).map((slice) => slice.partition.id)).toEqual([1, '1', 2]);
  });

  it('fails on a child partition without the partition field, and on values Python cannot hash', async () => {
    const h = harness();
    await expect(all(new UnionPartitionRouter([fixed([makeSlice({ other: 1 })]), fixed([])], 'id', h.run.logger))).rejects.toThrow(
      "expects every child partition router to give the partition field 'id', got the partition {\"other\":1}",
    );
    await expect(all(new UnionPartitionRouter([fixed([makeSlice({ id: [1] })]), fixed([])], 'id', h.run.logger))).rejects.toThrow(
      'can only deduplicate scalar partition values',
    );
  });

  it('merges the children parent states (the last wins, with a warning) and passes the child state to each child', () => {
    const h = harness();
    const seenA: Array<Json | undefined> = [];
    const seenB: Array<Json | undefined> = [];
    const union = new UnionPartitionRouter(
      [fixed([], { repos: { at: 1 }, orgs: { at: 1 } }, seenA), fixed([], { repos: { at: 2 } }, seenB)],
      'id',
      h.run.logger,
    );
    expect(union.parentState()).toEqual({ repos: { at: 2 }, orgs: { at: 1 } });
    expect(h.warnings.join('\n')).toContain('the parent stream(s) repos');
    union.setParentState({ parent_state: {} });
    expect([seenA, seenB]).toEqual([[{ parent_state: {} }], [{ parent_state: {} }]]);
  });

  it('builds with the partition field evaluated against the config', async () => {
    const { router } = build(
      {
        type: 'UnionPartitionRouter',
        partition_field: "{{ config['field'] }}",
        partition_routers: [
          { type: 'ListPartitionRouter', values: ['a', 'b'], cursor_field: 'key' },
          { type: 'ListPartitionRouter', values: ['b', 'c'], cursor_field: "{{ config['field'] }}" },
        ],
      },
      { field: 'key' },
    );
    expect((await all(router)).map((slice) => slice.partition)).toEqual([{ key: 'a' }, { key: 'b' }, { key: 'c' }]);
    expect(router.requestOptions()).toEqual({});
  });

  it.each([
    [
      'a child with another partition field',
      [
        { type: 'ListPartitionRouter', values: ['a'], cursor_field: 'key' },
        { type: 'ListPartitionRouter', values: ['b'], cursor_field: 'other' },
      ],
      "expects every child partition router to give the partition field 'key', but this ListPartitionRouter gives 'other'",
    ],
    [
      'a child with a request option',
      [
        { type: 'ListPartitionRouter', values: ['a'], cursor_field: 'key' },
        {
          type: 'ListPartitionRouter',
          values: ['b'],
          cursor_field: 'key',
          request_option: { type: 'RequestOption', inject_into: 'request_parameter', field_name: 'key' },
        },
      ],
      'Request options are not supported',
    ],
    ['a single child', [{ type: 'ListPartitionRouter', values: ['a'], cursor_field: 'key' }], 'needs at least 2 child partition routers'],
  ])('rejects %s at build time', (_what, children, message) => {
    expect(() => build({ type: 'UnionPartitionRouter', partition_field: 'key', partition_routers: children })).toThrow(message);
  });
});

describe('UnionPartitionRouter in a read', () => {
  const manifest = `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [issues] }
definitions:
  requester:
    type: HttpRequester
    url_base: "{{ config['base_url'] }}"
  selector:
    type: RecordSelector
    extractor: { type: DpathExtractor, field_path: [data] }
streams:
  - type: DeclarativeStream
    name: issues
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester:
        $ref: "#/definitions/requester"
        path: issues
        request_parameters:
          repo: "{{ stream_partition.repository }}"
      record_selector: { $ref: "#/definitions/selector" }
      partition_router:
        type: UnionPartitionRouter
        partition_field: repository
        partition_routers:
          - type: ListPartitionRouter
            values: "{{ config['repositories'] }}"
            cursor_field: repository
          - type: SubstreamPartitionRouter
            parent_stream_configs:
              - type: ParentStreamConfig
                parent_key: full_name
                partition_field: repository
                stream:
                  type: DeclarativeStream
                  name: starred
                  retriever:
                    type: SimpleRetriever
                    requester: { $ref: "#/definitions/requester", path: starred }
                    record_selector: { $ref: "#/definitions/selector" }
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-01"
      end_datetime: "2024-01-31"
spec:
  type: Spec
  connection_specification:
    type: object
    properties:
      base_url: { type: string }
      repositories: { type: array }
`;

  it('reads each repository once; per-partition state is keyed by the repository alone', async () => {
    api = await startMockApi([
      { path: '/starred', response: { body: { data: [{ full_name: 'org/b' }, { full_name: 'org/c' }] } } },
      {
        path: '/issues',
        handler: (req: MockRequest) => ({ body: { data: [{ id: `${String(req.query.repo)}#1`, updated_at: '2024-01-05' }] } }),
      },
    ]);
    const run = await runSource('read', {
      manifest,
      config: { base_url: api.url, repositories: ['org/a', 'org/b'] },
      catalog: configuredCatalog([{ name: 'issues', syncMode: 'incremental' }]),
    });
    expect(run.code).toBe(0);
    // The per-partition cursor looks one partition ahead, so the parent is read before org/b's issues.
    expect(api.requests.map((r) => r.url)).toEqual(['/issues?repo=org%2Fa', '/starred', '/issues?repo=org%2Fb', '/issues?repo=org%2Fc']);
    expect(records(run.messages).map((r) => r.id)).toEqual(['org/a#1', 'org/b#1', 'org/c#1']);
    const last = states(run.messages).at(-1)?.stream as { stream_state: { states: unknown } };
    expect(last.stream_state.states).toEqual([
      { partition: { repository: 'org/a' }, cursor: { updated_at: '2024-01-05' } },
      { partition: { repository: 'org/b' }, cursor: { updated_at: '2024-01-05' } },
      { partition: { repository: 'org/c' }, cursor: { updated_at: '2024-01-05' } },
    ]);
  });
});
