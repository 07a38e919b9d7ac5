import { type MockApi, configuredCatalog, errors, records, startMockApi } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogOf, runCli } from '../../resolvers/__tests__/cli.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function manifest(loader: string): string {
  return `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string } } }
streams:
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester: { type: HttpRequester, url_base: "{{ config.base_url }}", path: /items }
      record_selector: { type: RecordSelector, extractor: { type: DpathExtractor, field_path: [data] } }
    schema_loader:
${loader}`;
}

const LOADER = `      type: DynamicSchemaLoader
      retriever:
        type: SimpleRetriever
        requester: { type: HttpRequester, url_base: "{{ config.base_url }}", path: /describe }
        record_selector: { type: RecordSelector, extractor: { type: DpathExtractor, field_path: [] } }
      schema_filter:
        type: RecordFilter
        condition: "{{ 'secret' not in record }}"
      schema_transformations:
        - type: AddFields
          fields: [{ path: [extra], value: "{{ {'type': ['null', 'string']} }}" }]
      schema_type_identifier:
        type: SchemaTypeIdentifier
        schema_pointer: [fields]
        key_pointer: [name]
        type_pointer: [kind]
        types_mapping:
          - { type: TypesMap, current_type: int, target_type: integer }
          - { type: TypesMap, current_type: ts, target_type: timestamp_with_timezone }
          - { type: TypesMap, current_type: text, target_type: date, condition: "{{ raw_schema['name'] == 'born' }}" }
          - { type: TypesMap, current_type: text, target_type: string }
          - { type: TypesMap, current_type: tags, target_type: { type: ComplexFieldType, field_type: array, items: string } }
          - { type: TypesMap, current_type: [int, text], target_type: [integer, string] }
`;

const DESCRIBE = {
  body: {
    fields: [
      { name: 'id', kind: 'int' },
      { name: 'created', kind: 'ts' },
      { name: 'born', kind: 'text' },
      { name: 'title', kind: 'text' },
      { name: 'tags', kind: 'tags' },
      { name: 'either', kind: ['int', 'text'] },
      { name: 'plain' },
      { name: 'secret', kind: 'text' },
    ],
  },
};

describe('DynamicSchemaLoader', () => {
  it('builds the discovered schema from the API, with types_mapping, schema_filter and schema_transformations', async () => {
    api = await startMockApi([{ path: '/describe', response: DESCRIBE }]);
    const result = await runCli('discover', manifest(LOADER), { base_url: api.url });
    expect(errors(result.messages)).toEqual([]);
    expect(catalogOf(result)[0]?.json_schema).toEqual({
      $schema: 'https://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: true,
      properties: {
        id: { type: ['null', 'integer'] },
        created: { type: ['null', 'string'], format: 'date-time' },
        born: { type: ['null', 'string'], format: 'date' },
        title: { type: ['null', 'string'] },
        tags: { type: ['null', 'array'], items: { type: ['null', 'string'] } },
        either: { oneOf: [{ type: ['null', 'integer'] }, { type: ['null', 'string'] }] },
        plain: { type: ['null', 'string'] },
        extra: { type: ['null', 'string'] },
      },
    });
    expect(api.requests.map((r) => r.url)).toEqual(['/describe']);
  });

  it('an unknown type is an error naming it', async () => {
    api = await startMockApi([{ path: '/describe', response: { body: { fields: [{ name: 'id', kind: 'uuid' }] } } }]);
    const result = await runCli('discover', manifest(LOADER), { base_url: api.url });
    expect(result.code).not.toBe(0);
    expect(errors(result.messages)[0]?.message).toContain('Invalid Airbyte data type: uuid');
  });

  it('a read loads the schema of the selected stream only when it reads it', async () => {
    api = await startMockApi([
      { path: '/describe', response: DESCRIBE },
      { path: '/items', response: { body: { data: [{ id: 1 }] } } },
    ]);
    const result = await runCli('read', manifest(LOADER), { base_url: api.url }, configuredCatalog(['items']));
    expect(errors(result.messages)).toEqual([]);
    expect(records(result.messages, 'items')).toEqual([{ id: 1 }]);
    expect(api.requests.map((r) => r.url)).toEqual(['/describe', '/items']);
  });

  it('an empty response gives a schema without properties', async () => {
    api = await startMockApi([{ path: '/describe', response: { body: {} } }]);
    const loader = LOADER.replace(/ {6}schema_transformations:\n.*\n.*\n/, '');
    const result = await runCli('discover', manifest(loader), { base_url: api.url });
    expect(errors(result.messages)).toEqual([]);
    expect((catalogOf(result)[0]?.json_schema as { properties: unknown }).properties).toEqual({});
  });
});
