import { type MockApi, configuredCatalog, errors, records, startMockApi } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import { SecretMasker } from '../logging/mask.js';
import { loadManifest } from '../manifest/index.js';
import { UndiciHttpClient } from '../requesters/http-client.js';
import { DeclarativeSource } from '../source/declarative-source.js';
import { catalogOf, connectionStatus, runCli } from './__tests__/cli.js';
import { resolveDynamicStreams } from './index.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const HEAD = `
version: 7.0.0
type: DeclarativeSource
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string } } }
`;

/** A stream template reading `/placeholder`; resolvers map the name and path onto it. */
const TEMPLATE = `
    stream_template:
      type: DeclarativeStream
      name: placeholder
      primary_key: id
      schema_loader: { type: InlineSchemaLoader, schema: { type: object, properties: { id: { type: integer } } } }
      retriever:
        type: SimpleRetriever
        requester:
          type: HttpRequester
          url_base: "{{ config.base_url }}"
          path: /placeholder
          request_parameters:
            tenant: "{{ parameters.tenant }}"
          $parameters:
            tenant: from-requester
        record_selector: { type: RecordSelector, extractor: { type: DpathExtractor, field_path: [data] } }
`;

const STATIC = `
streams:
  - type: DeclarativeStream
    name: meta
    schema_loader: { type: InlineSchemaLoader, schema: {} }
    retriever:
      type: SimpleRetriever
      requester: { type: HttpRequester, url_base: "{{ config.base_url }}", path: /meta }
      record_selector: { type: RecordSelector, extractor: { type: DpathExtractor, field_path: [] } }
`;

function configManifest(extra = ''): string {
  return `${HEAD}
check: { type: CheckStream, stream_names: [meta] }
${STATIC}
dynamic_streams:
  - type: DynamicDeclarativeStream
    name: tables
    $parameters: { tenant: from-definition }
${extra}${TEMPLATE}
    components_resolver:
      type: ConfigComponentsResolver
      stream_config:
        type: StreamConfig
        configs_pointer: [tables]
      components_mapping:
        - type: ComponentMappingDefinition
          field_path: [name]
          value: "{{ components_values['name'] }}"
        - type: ComponentMappingDefinition
          field_path: [retriever, requester, path]
          value: "/{{ components_values.path }}"
        - type: ComponentMappingDefinition
          field_path: [retriever, requester, request_parameters, limit]
          value: "{{ components_values.limit }}"
          value_type: integer
          create_or_update: true
          condition: "{{ components_values.limit is defined }}"
`;
}

const TABLES = { base_url: '', tables: [{ name: 'users', path: 'u' }, { name: 'orders', path: 'o', limit: 10 }] };

describe('dynamic_streams with ConfigComponentsResolver', () => {
  it('discover lists the generated streams after the static ones', async () => {
    const result = await runCli('discover', configManifest(), TABLES);
    expect(errors(result.messages)).toEqual([]);
    expect(catalogOf(result).map((s) => [s.name, s.source_defined_primary_key ?? null])).toEqual([
      ['meta', null],
      ['users', [['id']]],
      ['orders', [['id']]],
    ]);
  });

  it('reads a generated stream with the mapped path, created options and the parent parameters', async () => {
    api = await startMockApi([
      { path: '/u', response: { body: { data: [{ id: 1 }] } } },
      { path: '/o', response: { body: { data: [{ id: 2 }, { id: 3 }] } } },
    ]);
    const config = { ...TABLES, base_url: api.url };
    const result = await runCli('read', configManifest(), config, configuredCatalog(['users', 'orders']));
    expect(errors(result.messages)).toEqual([]);
    expect(records(result.messages, 'users')).toEqual([{ id: 1 }]);
    expect(records(result.messages, 'orders')).toEqual([{ id: 2 }, { id: 3 }]);
    // use_parent_parameters defaults to true: the definition's $parameters win over the requester's.
    expect(api.requests.map((r) => r.url)).toEqual(['/u?tenant=from-definition', '/o?tenant=from-definition&limit=10']);
  });

  it('use_parent_parameters: false lets the component keep its own parameters', async () => {
    api = await startMockApi([{ path: '/u', response: { body: { data: [] } } }]);
    const config = { ...TABLES, base_url: api.url };
    const result = await runCli('read', configManifest('    use_parent_parameters: false\n'), config, configuredCatalog(['users']));
    expect(errors(result.messages)).toEqual([]);
    expect(api.requests.map((r) => r.url)).toEqual(['/u?tenant=from-requester']);
  });

  it('a duplicate generated name is a config_error', async () => {
    const config = { base_url: 'http://localhost', tables: [{ name: 'users', path: 'u' }, { name: 'users', path: 'v' }] };
    const result = await runCli('discover', configManifest(), config);
    expect(result.code).not.toBe(0);
    const [error] = errors(result.messages);
    expect(error?.failure_type).toBe('config_error');
    expect(error?.message).toContain('Dynamic streams list contains a duplicate name: users. Please check your configuration.');
  });

  it('no configs → no generated streams; default_values still make one', async () => {
    const none = await runCli('discover', configManifest(), { base_url: 'http://localhost' });
    expect(catalogOf(none).map((s) => s.name)).toEqual(['meta']);
    const withDefaults = configManifest().replace(
      'configs_pointer: [tables]',
      'configs_pointer: [tables]\n        default_values: [{ name: fallback, path: f }]',
    );
    const result = await runCli('discover', withDefaults, { base_url: 'http://localhost' });
    expect(catalogOf(result).map((s) => s.name)).toEqual(['meta', 'fallback']);
  });
});

const HTTP_MANIFEST = `${HEAD}
check: { type: CheckDynamicStream, stream_count: 2 }
dynamic_streams:
  - type: DynamicDeclarativeStream
    name: tables
${TEMPLATE}
    components_resolver:
      type: HttpComponentsResolver
      retriever:
        type: SimpleRetriever
        requester: { type: HttpRequester, url_base: "{{ config.base_url }}", path: /tables }
        record_selector: { type: RecordSelector, extractor: { type: DpathExtractor, field_path: [tables] } }
      components_mapping:
        - type: ComponentMappingDefinition
          field_path: [name]
          value: "{{ components_values.name }}"
        - type: ComponentMappingDefinition
          field_path: [retriever, requester, path]
          value: "/tables/{{ components_values.id }}/rows"
`;

describe('dynamic_streams with HttpComponentsResolver', () => {
  const tables = { body: { tables: [{ id: 't1', name: 'alpha' }, { id: 't2', name: 'beta' }, { id: 't3', name: 'gamma' }] } };

  it('discover reads the API once and lists one stream per record', async () => {
    api = await startMockApi([{ path: '/tables', response: tables }]);
    const result = await runCli('discover', HTTP_MANIFEST, { base_url: api.url });
    expect(errors(result.messages)).toEqual([]);
    expect(catalogOf(result).map((s) => s.name)).toEqual(['alpha', 'beta', 'gamma']);
    expect(api.requests.map((r) => r.url)).toEqual(['/tables']);
  });

  it('reads a generated stream', async () => {
    api = await startMockApi([
      { path: '/tables', response: tables },
      { path: '/tables/t2/rows', response: { body: { data: [{ id: 7 }] } } },
    ]);
    const result = await runCli('read', HTTP_MANIFEST, { base_url: api.url }, configuredCatalog(['beta']));
    expect(errors(result.messages)).toEqual([]);
    expect(records(result.messages, 'beta')).toEqual([{ id: 7 }]);
    expect(api.requests.map((r) => r.url)).toEqual(['/tables', '/tables/t2/rows?tenant=from-requester']);
  });

  it('CheckDynamicStream reads the first stream_count streams', async () => {
    api = await startMockApi([
      { path: '/tables', response: tables },
      { path: /^\/tables\/t\d\/rows$/, response: { body: { data: [{ id: 1 }] } } },
    ]);
    const result = await runCli('check', HTTP_MANIFEST, { base_url: api.url });
    expect(connectionStatus(result)).toEqual({ status: 'SUCCEEDED' });
    expect(api.requests.map((r) => r.path)).toEqual(['/tables', '/tables/t1/rows', '/tables/t2/rows']);
  });

  it('CheckDynamicStream reports the failing stream', async () => {
    api = await startMockApi([
      { path: '/tables', response: tables },
      { path: '/tables/t1/rows', response: { status: 403, body: { error: 'forbidden' } } },
    ]);
    const result = await runCli('check', HTTP_MANIFEST, { base_url: api.url });
    const status = connectionStatus(result) as { status: string; message: string };
    expect(status.status).toBe('FAILED');
    expect(status.message).toContain('Stream alpha is not available');
  });

  it('CheckDynamicStream with use_check_availability: false only resolves the streams', async () => {
    api = await startMockApi([{ path: '/tables', response: tables }]);
    const manifest = HTTP_MANIFEST.replace('stream_count: 2 }', 'stream_count: 2, use_check_availability: false }');
    const result = await runCli('check', manifest, { base_url: api.url });
    expect(connectionStatus(result)).toEqual({ status: 'SUCCEEDED' });
    expect(api.requests.map((r) => r.path)).toEqual(['/tables']);
  });

  it('duplicate names from the API are a system_error', async () => {
    api = await startMockApi([{ path: '/tables', response: { body: { tables: [{ id: 'a', name: 'x' }, { id: 'b', name: 'x' }] } } }]);
    const result = await runCli('discover', HTTP_MANIFEST, { base_url: api.url });
    const [error] = errors(result.messages);
    expect(error?.failure_type).toBe('system_error');
    expect(error?.message).toContain('Dynamic streams list contains a duplicate name: x');
  });

  it('resolveDynamicStreams returns the fully resolved manifest with dynamic_stream_name', async () => {
    api = await startMockApi([{ path: '/tables', response: tables }]);
    const loaded = loadManifest(`${HTTP_MANIFEST}${STATIC}`);
    const http = new UndiciHttpClient();
    const source = new DeclarativeSource(loaded, {
      config: { base_url: api.url },
      logger: silentLogger(),
      http,
      masker: new SecretMasker(),
      clock: () => 0,
      sleep: async () => undefined,
      emit: () => undefined,
    });
    try {
      const manifest = await resolveDynamicStreams(source, { maxStreams: 2 });
      const streams = manifest.streams as Array<Record<string, unknown>>;
      expect(streams.map((s) => [s.name, s.dynamic_stream_name])).toEqual([
        ['meta', null],
        ['alpha', 'tables'],
        ['beta', 'tables'],
      ]);
      const beta = streams[2] as { retriever: { requester: { path: string; $parameters: unknown } }; type: string };
      expect(beta.type).toBe('DeclarativeStream');
      expect(beta.retriever.requester.path).toBe('/tables/t2/rows');
      expect(beta.retriever.requester.$parameters).toEqual({ tenant: 'from-requester' });
      expect(manifest.dynamic_streams).toBe(source.manifest.dynamic_streams);
    } finally {
      await http.close();
    }
  });
});

describe('dynamic_streams with ParametrizedComponentsResolver', () => {
  const manifest = `${HEAD}
check: { type: CheckDynamicStream, stream_count: 1 }
dynamic_streams:
  - type: DynamicDeclarativeStream
${TEMPLATE}
    components_resolver:
      type: ParametrizedComponentsResolver
      stream_parameters:
        type: StreamParametersDefinition
        list_of_parameters_for_stream:
          - { name: first, path: one, fields: "[a, b]" }
          - { name: second, path: two, fields: "[c]" }
      components_mapping:
        - type: ComponentMappingDefinition
          field_path: [name]
          value: "{{ components_values.name }}"
        - type: ComponentMappingDefinition
          field_path: [retriever, requester, path]
          value: "{{ components_values.path }}"
        - type: ComponentMappingDefinition
          field_path: [retriever, requester, request_parameters, fields]
          value: "{{ components_values.fields }}"
          create_or_update: true
`;

  it('makes one stream per parameter set; YAML-looking values become lists', async () => {
    api = await startMockApi([{ path: '/one', response: { body: { data: [{ id: 1 }] } } }]);
    const discovered = await runCli('discover', manifest, { base_url: api.url });
    expect(errors(discovered.messages)).toEqual([]);
    expect(catalogOf(discovered).map((s) => s.name)).toEqual(['first', 'second']);
    const result = await runCli('read', manifest, { base_url: api.url }, configuredCatalog(['first']));
    expect(errors(result.messages)).toEqual([]);
    expect(records(result.messages, 'first')).toEqual([{ id: 1 }]);
    expect(api.requests.map((r) => r.url)).toEqual(['/one?tenant=from-requester&fields=a&fields=b']);
  });
});
