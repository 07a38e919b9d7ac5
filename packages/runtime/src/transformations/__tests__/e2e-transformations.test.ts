/**
 * Every record transformation run as a whole source against a local mock API, with the exact records
 * out. Expected values follow Airbyte's CDK v7.28.2, quirks included (FlattenFields keeps a parent
 * name only after a collision or once a list was flattened; KeysToLower touches top-level keys only).
 */
import { type MockApi, configuredCatalog, records, startMockApi } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../../source/__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function manifest(transformations: string, retriever = ''): string {
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
        extractor: { type: DpathExtractor, field_path: [data] }
${retriever}
    transformations:
${transformations}
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string }, source: { type: string } } }
`;
}

async function transform(data: unknown[], transformations: string, options: { retriever?: string; config?: Record<string, unknown> } = {}) {
  api = await startMockApi([{ path: '/items', response: { body: { data } } }]);
  const run = await runSource('read', {
    manifest: manifest(transformations, options.retriever),
    config: { base_url: api.url, ...options.config },
    catalog: configuredCatalog(['items']),
  });
  expect(run.code).toBe(0);
  return records(run.messages);
}

describe('AddFields', () => {
  it('values from the record, the config and the slice; value_type casts; nested paths; later fields see earlier ones', async () => {
    const out = await transform(
      [{ id: 1, price: '12.5', flag: 'true' }],
      `      - type: AddFields
        fields:
          - { path: [source], value: "{{ config['source'] }}" }
          - { path: [region], value: "{{ stream_slice.region }}" }
          - { path: [meta, price_int], value: "{{ record['price'] | float | int }}", value_type: integer }
          - { path: [meta, price], value: "{{ record['price'] }}", value_type: number }
          - { path: [meta, flag], value: "{{ record['flag'] == 'true' }}", value_type: boolean }
          - { path: [meta, flag_text], value: "{{ record['flag'] }}", value_type: boolean }
          - { path: [meta, id_text], value: "{{ record['id'] }}", value_type: string }
          - { path: [sum], value: "{{ 1 + 1 }}" }
          - { path: [copy], value: "{{ record['meta']['price_int'] }}" }`,
      {
        config: { source: 'crm' },
        retriever: `      partition_router: { type: ListPartitionRouter, values: [eu], cursor_field: region }`,
      },
    );
    expect(out).toEqual([
      {
        id: 1,
        price: '12.5',
        flag: 'true',
        source: 'crm',
        region: 'eu',
        // 'true' is no Python literal, so it stays the rendered string; '1' is an int, not a str, so it stays '1'.
        meta: { price_int: 12, price: 12.5, flag: true, flag_text: 'true', id_text: '1' },
        sum: 2,
        copy: 12,
      },
    ]);
  });

  it('a value that renders empty stays an empty string (the CDK falls back to the template itself); "None" becomes null', async () => {
    const out = await transform(
      [{ id: 1 }],
      `      - type: AddFields
        fields:
          - { path: [missing], value: "{{ record['nope'] }}" }
          - { path: [empty], value: "{{ '' }}" }
          - { path: [none_text], value: "{{ None }}" }`,
    );
    expect(out).toEqual([{ id: 1, missing: '', empty: '', none_text: null }]);
  });

  it('condition: a field is added only where the condition holds (it sees the value and the record)', async () => {
    const out = await transform(
      [{ id: 1, kind: 'a' }, { id: 2, kind: 'b' }],
      `      - type: AddFields
        condition: "{{ record['kind'] == 'a' and value is not none }}"
        fields:
          - { path: [is_a], value: "yes" }`,
    );
    expect(out).toEqual([{ id: 1, kind: 'a', is_a: 'yes' }, { id: 2, kind: 'b' }]);
  });
});

describe('RemoveFields', () => {
  it('top-level and nested pointers, wildcards; a missing path is skipped', async () => {
    const out = await transform(
      [{ id: 1, secret: 's', nested: { keep: 1, drop: 2 }, list: [{ pw: 'a', ok: 1 }, { pw: 'b', ok: 2 }] }],
      `      - type: RemoveFields
        field_pointers: [[secret], [nested, drop], [list, "*", pw], [not, there]]`,
    );
    expect(out).toEqual([{ id: 1, nested: { keep: 1 }, list: [{ ok: 1 }, { ok: 2 }] }]);
  });

  it('condition: only the values for which it holds (as `property`) are removed', async () => {
    const out = await transform(
      [{ id: 1, a: null, b: '', c: 'x' }],
      `      - type: RemoveFields
        field_pointers: [["*"]]
        condition: "{{ property is none or property == '' }}"`,
    );
    expect(out).toEqual([{ id: 1, c: 'x' }]);
  });
});

describe('key transformations', () => {
  it('KeysToLower changes top-level keys only', async () => {
    const out = await transform([{ Id: 1, Meta: { CreatedAt: 2 } }], '      - type: KeysToLower');
    expect(out).toEqual([{ id: 1, meta: { CreatedAt: 2 } }]);
  });

  it('KeysToSnakeCase: nested objects too, ASCII transliteration, a leading digit gets an underscore', async () => {
    const out = await transform(
      [{ FullName: 'a', 'user ID': 1, HTTPStatus: 200, 'Résumé Count': 3, '2fa-Enabled': true, Meta: { CreatedAt: 2, list: [{ InList: 1 }] } }],
      '      - type: KeysToSnakeCase',
    );
    expect(out).toEqual([
      { full_name: 'a', user_id: 1, httpstatus: 200, resume_count: 3, _2_fa_enabled: true, meta: { created_at: 2, list: [{ InList: 1 }] } },
    ]);
  });

  it('KeysReplace replaces a substring in every key of nested objects, with interpolated old/new', async () => {
    const out = await transform(
      [{ 'a b': 1, nested: { 'c d e': 2 }, list: [{ 'f g': 3 }] }],
      `      - type: KeysReplace
        old: " "
        new: "{{ config['source'] }}"`,
      { config: { source: '_' } },
    );
    expect(out).toEqual([{ a_b: 1, nested: { c_d_e: 2 }, list: [{ 'f g': 3 }] }]);
  });
});

describe('FlattenFields', () => {
  it('without lists: nested keys keep their own name; a clash is only seen once written, so a nested value is lost', async () => {
    const out = await transform([{ id: 1, a: { x: 1, id: 2 } }, { b: 1, a: { c: 2 }, c: 3 }], '      - type: FlattenFields');
    // The CDK names keys when it stacks them and writes them when it pops them: a.id is named 'id'
    // before the top-level id is written, then the top-level id (popped last) overwrites it.
    // In the second record the top-level c is written first, so the nested one becomes 'a.c'.
    expect(out).toEqual([
      { id: 1, x: 1 },
      { c: 3, 'a.c': 2, b: 1 },
    ]);
  });

  it('once a list is flattened every later key carries its parent name', async () => {
    const out = await transform([{ a: 1, b: { c: 2 }, d: ['x', 'y'] }], '      - type: FlattenFields');
    expect(out).toEqual([{ 'd.0': 'x', 'd.1': 'y', 'b.c': 2, a: 1 }]);
  });

  it('flatten_lists: false keeps lists as they are', async () => {
    const out = await transform([{ a: [1, 2], b: { c: 3 } }], '      - type: FlattenFields\n        flatten_lists: false');
    expect(out).toEqual([{ a: [1, 2], c: 3 }]);
  });
});

describe('DpathFlattenFields', () => {
  const data = [{ id: 1, meta: { x: 1, y: 2 } }];

  it('copies the object at field_path to the top level; the origin stays by default', async () => {
    expect(await transform(data, '      - { type: DpathFlattenFields, field_path: [meta] }')).toEqual([{ id: 1, meta: { x: 1, y: 2 }, x: 1, y: 2 }]);
  });

  it('delete_origin_value removes the origin; key_transformation adds a prefix and a suffix', async () => {
    const out = await transform(
      data,
      `      - type: DpathFlattenFields
        field_path: [meta]
        delete_origin_value: true
        key_transformation: { type: KeyTransformation, prefix: "m_", suffix: "_v" }`,
    );
    expect(out).toEqual([{ id: 1, m_x_v: 1, m_y_v: 2 }]);
  });

  it('a key that collides with a top-level key leaves the record untouched', async () => {
    const out = await transform([{ id: 1, meta: { id: 9, y: 2 } }], '      - { type: DpathFlattenFields, field_path: [meta], delete_origin_value: true }');
    expect(out).toEqual([{ id: 1, meta: { id: 9, y: 2 } }]);
  });

  it('a wildcard in field_path takes the first match; a path to a non-object changes nothing', async () => {
    const out = await transform(
      [{ id: 1, parts: { a: { x: 1 }, b: { y: 2 } } }, { id: 2, meta: 'text' }],
      `      - { type: DpathFlattenFields, field_path: [parts, "*"] }
      - { type: DpathFlattenFields, field_path: [meta] }`,
    );
    expect(out).toEqual([
      { id: 1, parts: { a: { x: 1 }, b: { y: 2 } }, x: 1 },
      { id: 2, meta: 'text' },
    ]);
  });

  it('replace_record: the record becomes the object at field_path', async () => {
    expect(await transform(data, '      - { type: DpathFlattenFields, field_path: [meta], replace_record: true }')).toEqual([{ x: 1, y: 2 }]);
  });
});

describe('$parameters', () => {
  it('stream $parameters reach the requester path and the transformations; a component $parameters overrides them', async () => {
    api = await startMockApi([{ path: '/v2/things', response: { body: { data: [{ id: 1 }] } } }]);
    const manifestText = manifest(
      `      - type: AddFields
        fields:
          - { path: [kind], value: "{{ parameters['kind'] }}" }
      - type: AddFields
        $parameters: { kind: own }
        fields:
          - { path: [own_kind], value: "{{ parameters.kind }}" }`,
    )
      .replace('    name: items\n', '    name: items\n    $parameters: { kind: thing, resource: things }\n')
      .replace('path: items }', 'path: "v2/{{ parameters.resource }}" }');
    const run = await runSource('read', { manifest: manifestText, config: { base_url: api.url }, catalog: configuredCatalog(['items']) });
    expect(run.code).toBe(0);
    expect(api.requests.map((r) => r.url)).toEqual(['/v2/things']);
    expect(records(run.messages)).toEqual([{ id: 1, kind: 'thing', own_kind: 'own' }]);
  });
});

describe('order', () => {
  it('transformations run in the order listed', async () => {
    const out = await transform(
      [{ Name: 'a' }],
      `      - type: AddFields
        fields: [{ path: [Copy], value: "{{ record['Name'] }}" }]
      - type: KeysToLower
      - type: RemoveFields
        field_pointers: [[name]]`,
    );
    expect(out).toEqual([{ copy: 'a' }]);
  });
});
