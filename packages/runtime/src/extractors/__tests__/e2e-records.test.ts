/**
 * Record selection run as a whole source against a local mock API: DpathExtractor paths, RecordFilter,
 * transform_before_filtering and schema normalization, with the exact records out. Expected values
 * follow Airbyte's CDK v7.28.2 (filter, then transform, then normalize, unless told to transform first).
 */
import { type MockApi, configuredCatalog, records, startMockApi } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../../source/__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** One stream `items` at /items; `selector` replaces the RecordSelector fields, `stream` adds stream-level YAML. */
function manifest(selector: string, stream = ''): string {
  return `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
streams:
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: items }
      record_selector:
        type: RecordSelector
${selector}
${stream}
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string }, min: { type: integer } } }
`;
}

async function read(body: unknown, selector: string, stream = '', config: Record<string, unknown> = {}) {
  api = await startMockApi([{ path: '/items', response: { body } }]);
  const run = await runSource('read', { manifest: manifest(selector, stream), config: { base_url: api.url, ...config }, catalog: configuredCatalog(['items']) });
  expect(run.code).toBe(0);
  expect(api.requests.map((r) => r.url)).toEqual(['/items']);
  return records(run.messages);
}

describe('DpathExtractor', () => {
  it('a nested path to a list yields each element', async () => {
    expect(await read({ result: { items: [{ id: 1 }, { id: 2 }] } }, '        extractor: { type: DpathExtractor, field_path: [result, items] }')).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
  });

  it('a path to one object yields that object', async () => {
    expect(await read({ result: { id: 9 } }, '        extractor: { type: DpathExtractor, field_path: [result] }')).toEqual([{ id: 9 }]);
  });

  it('a wildcard collects the matches in order, each match one record', async () => {
    const body = { groups: [{ owner: { id: 1 } }, { none: true }, { owner: { id: 3 } }] };
    expect(await read(body, "        extractor: { type: DpathExtractor, field_path: [groups, '*', owner] }")).toEqual([{ id: 1 }, { id: 3 }]);
  });

  it('a missing path or an empty list is no records, not an error', async () => {
    expect(await read({ other: [] }, '        extractor: { type: DpathExtractor, field_path: [data] }')).toEqual([]);
    await api?.close();
    expect(await read({ data: [] }, '        extractor: { type: DpathExtractor, field_path: [data] }')).toEqual([]);
  });

  it('an interpolated path segment from the config', async () => {
    expect(
      await read({ eu: [{ id: 'e' }], us: [{ id: 'u' }] }, "        extractor: { type: DpathExtractor, field_path: [\"{{ config['region'] }}\"] }", '', { region: 'us' }),
    ).toEqual([{ id: 'u' }]);
  });
});

describe('RecordFilter and transform_before_filtering', () => {
  const body = { data: [{ Id: 1, Score: 3 }, { Id: 2, Score: 7 }, { Id: 3, Score: 9 }] };
  const lower = `    transformations:
      - type: KeysToLower`;

  it('filters the extracted record by default (before transformations), with config in the condition', async () => {
    const selected = await read(
      body,
      `        extractor: { type: DpathExtractor, field_path: [data] }
        record_filter: { type: RecordFilter, condition: "{{ record['Score'] > config['min'] }}" }`,
      lower,
      { min: 5 },
    );
    expect(selected).toEqual([
      { id: 2, score: 7 },
      { id: 3, score: 9 },
    ]);
  });

  it('the condition sees the slice: stream_interval and stream_partition', async () => {
    api = await startMockApi([
      {
        path: '/items',
        response: {
          body: { data: [{ id: 1, day: '2024-01-01', region: 'eu' }, { id: 2, day: '2024-01-02', region: 'eu' }, { id: 3, day: '2024-01-02', region: 'us' }] },
        },
      },
    ]);
    const run = await runSource(
      'read',
      {
        manifest: manifest(
          `        extractor: { type: DpathExtractor, field_path: [data] }
        record_filter:
          type: RecordFilter
          condition: "{{ record['day'] >= stream_interval['start_time'] and record['region'] == stream_partition['region'] }}"`,
          `    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: day
      datetime_format: "%Y-%m-%d"
      start_datetime: "2024-01-02"
      end_datetime: "2024-01-03"`,
        ).replace(
          '      record_selector:',
          '      partition_router: { type: ListPartitionRouter, values: [eu], cursor_field: region }\n      record_selector:',
        ),
        config: { base_url: api.url },
        catalog: configuredCatalog([{ name: 'items', syncMode: 'incremental' }]),
      },
      { clock: () => Date.UTC(2024, 0, 3) },
    );
    expect(run.code).toBe(0);
    expect(records(run.messages).map((r) => r.id)).toEqual([2]);
  });

  it('transform_before_filtering: the condition sees the transformed record', async () => {
    const selected = await read(
      body,
      `        extractor: { type: DpathExtractor, field_path: [data] }
        transform_before_filtering: true
        record_filter: { type: RecordFilter, condition: "{{ record['score'] > 5 and record['id'] != 3 }}" }`,
      lower,
    );
    expect(selected).toEqual([{ id: 2, score: 7 }]);
  });

  it('without transform_before_filtering, a condition on transformed keys sees none of them and drops everything', async () => {
    const selected = await read(
      body,
      `        extractor: { type: DpathExtractor, field_path: [data] }
        record_filter: { type: RecordFilter, condition: "{{ record.get('score', 0) > 5 }}" }`,
      lower,
    );
    expect(selected).toEqual([]);
  });
});

describe('schema_normalization', () => {
  const schema = `    schema_loader:
      type: InlineSchemaLoader
      schema:
        type: object
        properties:
          id: { type: integer }
          name: { type: string }
          active: { type: boolean }
          price: { type: [number, "null"] }
          tags: { type: array, items: { type: [string] } }
          letters: { type: array, items: { type: string } }
          other: { type: [integer, string] }`;

  it('Default converts values to the schema types where it can, after filtering and transforming', async () => {
    const selected = await read(
      { data: [{ id: '10', name: 5, active: 'true', price: '1.5', tags: 'solo', letters: 'solo', other: '3', extra: '7' }, { id: 'x', name: 'ok', active: false, price: null }] },
      `        extractor: { type: DpathExtractor, field_path: [data] }
        schema_normalization: Default`,
      schema,
    );
    expect(selected).toEqual([
      // 'other' has two non-null types: left as it is; 'extra' is not in the schema. A bare string
      // items.type ('letters') is not wrapped: the CDK takes set('string') as a set of letters.
      { id: 10, name: '5', active: true, price: 1.5, tags: ['solo'], letters: 'solo', other: '3', extra: '7' },
      // 'x' cannot become an integer: left as it is.
      { id: 'x', name: 'ok', active: false, price: null },
    ]);
  });

  it('None (the default) leaves the values as the API sent them', async () => {
    const selected = await read({ data: [{ id: '10', name: 5 }] }, '        extractor: { type: DpathExtractor, field_path: [data] }', schema);
    expect(selected).toEqual([{ id: '10', name: 5 }]);
  });
});

describe('integers beyond 2^53 through filter, AddFields and normalization', () => {
  /** The RECORD lines' data as written on stdout: the raw text, since JSON.parse would round. */
  function recordData(stdout: string): string[] {
    return stdout
      .split('\n')
      .filter((line) => line.startsWith('{"type":"RECORD"'))
      .map((line) => line.slice(line.indexOf('"data":') + 7, line.lastIndexOf(',"emitted_at"')));
  }

  it('a filter compares big ids exactly; AddFields computes with them; a string field gets their digits', async () => {
    const body = '{"data":[{"id":12345678901234567890,"n":1},{"id":12345678901234567891,"n":2},{"id":9007199254740993,"n":3},{"id":9007199254740992,"n":4}]}';
    api = await startMockApi([{ path: '/items', response: { body, headers: { 'content-type': 'application/json' } } }]);
    const stream = `    transformations:
      - type: AddFields
        fields:
          - { path: [next_id], value: "{{ record['id'] + 1 }}" }
          - { path: [as_text], value: "{{ record['id'] }}" }
          - { path: [label], value: "id {{ record['id'] }}" }
    schema_loader:
      type: InlineSchemaLoader
      schema:
        type: object
        properties:
          id: { type: integer }
          as_text: { type: string }`;
    const selector = `        extractor: { type: DpathExtractor, field_path: [data] }
        record_filter: { type: RecordFilter, condition: "{{ record['id'] > 9007199254740992 and record['id'] != 12345678901234567891 }}" }
        schema_normalization: Default`;
    const run = await runSource('read', { manifest: manifest(selector, stream), config: { base_url: api.url }, catalog: configuredCatalog(['items']) });
    expect(run.code).toBe(0);
    expect(recordData(run.stdout)).toEqual([
      '{"id":12345678901234567890,"n":1,"next_id":12345678901234567891,"as_text":"12345678901234567890","label":"id 12345678901234567890"}',
      '{"id":9007199254740993,"n":3,"next_id":9007199254740994,"as_text":"9007199254740993","label":"id 9007199254740993"}',
    ]);
  });
});
