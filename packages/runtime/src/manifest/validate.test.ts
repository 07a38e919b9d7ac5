import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../errors/runtime-error.js';
import { componentTypes, knownFields, loadManifest, prepareManifest, validateManifest } from './index.js';

// The definitions of the CDK 7 declarative_component_schema.yaml (hardcoded: tests must not read the CDK).
const CDK_DEFINITIONS = [
  'AddFields', 'AddedFieldDefinition', 'ApiKeyAuthenticator', 'AsyncJobStatusMap', 'AsyncRetriever',
  'AuthFlow', 'BasicHttpAuthenticator', 'BearerAuthenticator', 'BlockSimultaneousSyncsAction',
  'CheckDynamicStream', 'CheckStream', 'ComplexFieldType', 'ComponentMappingDefinition',
  'CompositeErrorHandler', 'ConcurrencyLevel', 'ConditionalStreams', 'ConfigAddFields',
  'ConfigComponentsResolver', 'ConfigMigration', 'ConfigRemapField', 'ConfigRemoveFields',
  'ConstantBackoffStrategy', 'CsvDecoder', 'CursorPagination', 'CustomAuthenticator',
  'CustomBackoffStrategy', 'CustomConfigTransformation', 'CustomDecoder', 'CustomErrorHandler',
  'CustomPaginationStrategy', 'CustomPartitionRouter', 'CustomRecordExtractor', 'CustomRecordFilter',
  'CustomRequester', 'CustomRetriever', 'CustomSchemaLoader', 'CustomSchemaNormalization',
  'CustomStateMigration', 'CustomTransformation', 'CustomValidationStrategy', 'DatetimeBasedCursor',
  'DeclarativeStream', 'DefaultErrorHandler', 'DefaultPaginator', 'DpathExtractor', 'DpathFlattenFields',
  'DpathValidator', 'DynamicDeclarativeStream', 'DynamicSchemaLoader', 'DynamicStreamCheckConfig',
  'ExponentialBackoffStrategy', 'FixedWindowCallRatePolicy', 'FlattenFields', 'GroupByKeyMergeStrategy',
  'GroupingPartitionRouter', 'GzipDecoder', 'HTTPAPIBudget', 'HttpComponentsResolver',
  'HttpRequestRegexMatcher', 'HttpRequester', 'HttpResponseFilter', 'IncrementingCountCursor',
  'InlineSchemaLoader', 'IterableDecoder', 'JsonDecoder', 'JsonFileSchemaLoader', 'JsonItemsDecoder',
  'JsonSchemaPropertySelector', 'JsonlDecoder', 'JwtAuthenticator', 'KeyTransformation', 'KeysReplace',
  'KeysToLower', 'KeysToSnakeCase', 'LegacySessionTokenAuthenticator', 'LegacyToPerPartitionStateMigration',
  'ListPartitionRouter', 'MinMaxDatetime', 'MovingWindowCallRatePolicy', 'NoAuth', 'NoPagination',
  'OAuthAuthenticator', 'OAuthConfigSpecification', 'OffsetIncrement', 'PageIncrement', 'PaginationReset',
  'PaginationResetLimits', 'ParametrizedComponentsResolver', 'ParentStreamConfig', 'PredicateValidator',
  'PrimaryKey', 'PropertiesFromEndpoint', 'PropertyChunking', 'QueryProperties', 'QuotaStatusSource', 'Rate',
  'RateLimitedMultipleTokenAuthenticator', 'RecordExpander', 'RecordFilter', 'RecordSelector',
  'RemoveFields', 'RequestBodyGraphQL', 'RequestBodyGraphQlQuery', 'RequestBodyJsonObject',
  'RequestBodyPlainText', 'RequestBodyUrlEncodedForm', 'RequestOption', 'RequestPath',
  'ResponseToFileExtractor', 'SchemaNormalization', 'SchemaTypeIdentifier', 'Schemas',
  'SelectiveAuthenticator', 'SessionTokenAuthenticator', 'SessionTokenRequestApiKeyAuthenticator',
  'SessionTokenRequestBearerAuthenticator', 'SimpleRetriever', 'Spec', 'StateDelegatingStream',
  'StreamConfig', 'StreamGroup', 'StreamParametersDefinition', 'SubstreamPartitionRouter', 'TokenQuota',
  'TypesMap', 'UnionPartitionRouter', 'UnlimitedCallRatePolicy', 'ValidateAdheresToSchema', 'ValueType',
  'WaitTimeFromHeader', 'WaitUntilTimeFromHeader', 'XmlDecoder', 'ZipfileDecoder',
];

/** A small valid manifest; `extra` lines are inserted into the first stream's retriever. */
function manifest(retrieverExtra: string[] = [], streamExtra: string[] = []): string {
  return [
    'version: 6.44.0', //                                   1
    'type: DeclarativeSource', //                           2
    'check:', //                                            3
    '  type: CheckStream', //                               4
    '  stream_names: [users]', //                           5
    'definitions:', //                                      6
    '  requester:', //                                      7
    '    type: HttpRequester', //                           8
    '    url_base: https://api.example.com', //             9
    '    authenticator:', //                               10
    '      type: BearerAuthenticator', //                  11
    '      api_token: "{{ config.token }}"', //            12
    'streams:', //                                         13
    '  - type: DeclarativeStream', //                      14
    '    name: users', //                                  15
    '    primary_key: id', //                              16
    ...streamExtra.map((l) => `    ${l}`),
    '    retriever:', //                                   17 (+ streamExtra)
    '      type: SimpleRetriever', //                      18
    '      requester:', //                                 19
    '        $ref: "#/definitions/requester"', //          20
    '        path: /users', //                             21
    '      record_selector:', //                           22
    '        type: RecordSelector', //                     23
    '        extractor:', //                               24
    '          type: DpathExtractor', //                   25
    '          field_path: [data]', //                     26
    ...retrieverExtra.map((l) => `      ${l}`),
    '',
  ].join('\n');
}

function errorsOf(text: string): RuntimeError[] {
  try {
    loadManifest(text, { fileName: 'manifest.yaml' });
  } catch (e) {
    expect(e).toBeInstanceOf(RuntimeError);
    return ((e as RuntimeError).cause as RuntimeError[]) ?? [e as RuntimeError];
  }
  return [];
}

function firstError(text: string): RuntimeError {
  try {
    loadManifest(text, { fileName: 'manifest.yaml' });
  } catch (e) {
    expect(e).toBeInstanceOf(RuntimeError);
    return e as RuntimeError;
  }
  throw new Error('expected the manifest to be rejected');
}

describe('schema coverage', () => {
  it('knows exactly the CDK component definitions, plus the DeclarativeSource root', () => {
    expect(CDK_DEFINITIONS).toHaveLength(133);
    expect([...componentTypes].sort()).toEqual([...CDK_DEFINITIONS, 'DeclarativeSource'].sort());
  });

  it('lists the fields of a component', () => {
    expect(knownFields('HttpRequester')).toEqual(expect.arrayContaining(['url_base', 'path', 'authenticator', 'error_handler', 'request_body']));
    expect(knownFields('DefaultPaginator')).toEqual(['type', 'pagination_strategy', 'page_size_option', 'page_token_option', '$parameters']);
    expect(knownFields('ApiKey')).toContain('inject_into');
    expect(knownFields('NotAType')).toEqual([]);
  });
});

describe('loadManifest', () => {
  it('loads, resolves, transforms and locates a valid manifest', () => {
    const loaded = loadManifest(manifest(), { directory: '/tmp/x' });
    expect(loaded.directory).toBe('/tmp/x');
    expect(loaded.warnings).toEqual([]);
    const stream = (loaded.manifest.streams as Record<string, unknown>[])[0] as Record<string, Record<string, unknown>>;
    const requester = stream.retriever?.requester as Record<string, unknown>;
    expect(requester).toMatchObject({ type: 'HttpRequester', url_base: 'https://api.example.com', path: '/users' });
    expect(stream.retriever?.paginator).toBeUndefined(); // defaults apply only to fields that are present
    expect(loaded.locate(requester)).toEqual({ line: 20, column: 9 });
    expect(loaded.locate(stream)).toEqual({ line: 14, column: 5 });
  });

  it('defaults the root type', () => {
    const loaded = loadManifest(manifest().replace('type: DeclarativeSource\n', ''));
    expect(loaded.manifest.type).toBe('DeclarativeSource');
  });

  it('reports a wrong value type with path, line and expectation', () => {
    const err = firstError(manifest(['paginator:', '  type: DefaultPaginator', '  pagination_strategy:', '    type: PageIncrement', '    page_size: [10]']));
    expect(err.code).toBe('MANIFEST_INVALID');
    expect(err.path).toBe('streams[0].retriever.paginator.pagination_strategy.page_size');
    expect(err.line).toBe(31);
    expect(err.message).toContain('streams[0].retriever.paginator.pagination_strategy.page_size (line 31): must be integer or string, got array');
  });

  it("reports 'must be integer, got string'", () => {
    const err = firstError(manifest(['paginator:', '  type: DefaultPaginator', '  pagination_strategy:', '    type: PageIncrement', "    start_from_page: 'abc'"]));
    expect(err.message).toContain("start_from_page (line 31): must be integer, got string 'abc'");
  });

  it('reports unknown types with the allowed ones and a suggestion', () => {
    const err = firstError(manifest(['paginator:', '  type: DefaultPaginater', '  pagination_strategy:', '    type: PageIncrement']));
    expect(err.path).toBe('streams[0].retriever.paginator');
    expect(err.line).toBe(28);
    expect(err.message).toContain("unknown type 'DefaultPaginater' — expected one of DefaultPaginator, NoPagination (did you mean 'DefaultPaginator'?)");
  });

  it('says when a known type is used in the wrong place', () => {
    const err = firstError(manifest(['paginator:', '  type: RecordSelector']));
    expect(err.message).toContain("type 'RecordSelector' is not allowed here — expected one of DefaultPaginator, NoPagination");
  });

  it('reports a wrong type for a single-component field', () => {
    const err = firstError(manifest(['pagination_reset:', '  type: PaginationResett', '  action: RESET']));
    expect(err.message).toContain("unknown type 'PaginationResett' — expected PaginationReset (did you mean 'PaginationReset'?)");
  });

  it('reports missing required fields, naming the component', () => {
    const text = manifest().replace('        path: /users\n', '').replace('    url_base: https://api.example.com\n', '    url_bse: https://api.example.com\n');
    // url_base is optional in the CDK schema; field_path is not.
    expect(() => loadManifest(text)).not.toThrow();
    const err = firstError(manifest().replace('          field_path: [data]\n', '          field_pth: [data]\n'));
    expect(err.path).toBe('streams[0].retriever.record_selector.extractor');
    expect(err.line).toBe(25);
    expect(err.message).toContain("missing required field 'field_path' of DpathExtractor (found 'field_pth' — a typo?)");
  });

  it('reports a bad enum value with the allowed values', () => {
    const err = firstError(manifest().replace('        path: /users\n', '        path: /users\n        http_method: PUT\n'));
    expect(err.message).toContain("http_method (line 22): must be one of 'GET', 'POST', got string 'PUT'");
  });

  it('points at the definition when an inherited field is wrong', () => {
    const err = firstError(manifest().replace('    url_base: https://api.example.com', '    url_base: [1]'));
    expect(err.path).toBe('streams[0].retriever.requester.url_base');
    expect(err.line).toBe(9);
  });

  it('requires streams or dynamic_streams, check and version at the root', () => {
    const errors = validateManifest({ type: 'DeclarativeSource' }).errors;
    const text = errors.map((e) => e.message).join('\n');
    expect(text).toContain("missing required field 'check' of DeclarativeSource");
    expect(text).toContain("missing required field 'version' of DeclarativeSource");
    expect(text).toContain("must define one of 'streams' or 'dynamic_streams'");
  });

  it('rejects unknown root fields (the CDK root is closed) with a suggestion', () => {
    const err = firstError(manifest().replace('check:', 'chek: {}\ncheck:'));
    expect(err.message).toContain("unknown field 'chek' on DeclarativeSource is not allowed (did you mean 'check'?)");
    expect(err.line).toBe(3);
  });

  it('returns every error, worst first, and counts the others in the thrown message', () => {
    const text = manifest([
      'paginator:',
      '  type: DefaultPaginator',
      '  pagination_strategy:',
      '    type: PageIncrement',
      '    page_size: true',
      'partition_router:',
      '  type: CustomPartitionRouter',
      '  class_name: source_x.components.Router',
    ]).replace('          field_path: [data]\n', '');
    const errors = errorsOf(text);
    expect(errors.map((e) => e.code)).toEqual(['MANIFEST_CUSTOM_COMPONENT', 'MANIFEST_INVALID', 'MANIFEST_INVALID']);
    expect(errors[1]?.message).toContain("missing required field 'field_path'");
    expect(errors[2]?.message).toContain('must be integer or string, got boolean true');
    expect(firstError(text).message).toContain('and 2 more errors');
  });

  it('rejects Custom* components: they need Python code', () => {
    const err = firstError(manifest().replace('          type: DpathExtractor\n          field_path: [data]\n', '          type: CustomRecordExtractor\n          class_name: source_x.components.MyExtractor\n'));
    expect(err.code).toBe('MANIFEST_CUSTOM_COMPONENT');
    expect(err.path).toBe('streams[0].retriever.record_selector.extractor');
    expect(err.line).toBe(25);
    expect(err.message).toContain('CustomRecordExtractor');
    expect(err.message).toContain('source_x.components.MyExtractor');
    expect(err.message).toContain('components.py');
  });

  it('rejects class_name components whose type the CDK infers (and Custom* types it no longer has)', () => {
    const inferred = firstError(manifest().replace('          type: DpathExtractor\n          field_path: [data]\n', '          class_name: source_x.components.E\n'));
    expect(inferred.code).toBe('MANIFEST_CUSTOM_COMPONENT');
    expect(inferred.message).toContain("CustomRecordExtractor 'source_x.components.E'");
    const legacy = firstError(manifest([], ['incremental_sync:', '  type: CustomIncrementalSync', '  class_name: source_x.components.Cursor']));
    expect(legacy.code).toBe('MANIFEST_CUSTOM_COMPONENT');
  });

  it('ignores custom components that are only defined, never used', () => {
    const text = manifest().replace('definitions:\n', 'definitions:\n  unused:\n    type: CustomAuthenticator\n    class_name: a.B\n');
    expect(() => loadManifest(text)).not.toThrow();
  });

  it('warns about unknown fields, with a suggestion, but not about fields from $parameters', () => {
    const loaded = loadManifest(
      manifest(['paginator:', '  type: DefaultPaginator', '  pagination_stratgy: {}', '  pagination_strategy:', '    type: OffsetIncrement'], ['$parameters:', '  custom_param: 1']),
    );
    expect(loaded.warnings).toEqual([
      {
        path: 'streams[0].retriever.paginator.pagination_stratgy',
        line: 31,
        message: "unknown field 'pagination_stratgy' on DefaultPaginator; it is ignored",
      },
    ]);
    const typo = loadManifest(manifest(['paginatr:', '  type: NoPagination']));
    expect(typo.warnings[0]).toMatchObject({
      path: 'streams[0].retriever.paginatr',
      line: 27,
      message: "unknown field 'paginatr' on SimpleRetriever (did you mean 'paginator'?); it is ignored",
    });
  });

  it('accepts what the CDK anyOf accepts: an untyped state migration', () => {
    expect(() => loadManifest(manifest([], ['state_migrations:', '  - {}']))).not.toThrow();
    const err = firstError(manifest([], ['state_migrations:', '  - type: Nope']));
    expect(err.message).toContain("unknown type 'Nope' — expected one of LegacyToPerPartitionStateMigration, CustomStateMigration");
  });

  it('reports a component given as a scalar', () => {
    const err = firstError(manifest(['paginator: NoPagination']));
    expect(err.message).toContain("streams[0].retriever.paginator (line 27): must be object, got string 'NoPagination'");
  });

  it('validates inside dynamic stream templates and resolvers', () => {
    const text = manifest().replace(
      'streams:',
      [
        'dynamic_streams:',
        '  - type: DynamicDeclarativeStream',
        '    stream_template:',
        '      type: DeclarativeStream',
        '      retriever:',
        '        type: SimpleRetriever',
        '        requester: {type: HttpRequester}',
        '        record_selector: {type: RecordSelector, extractor: {type: DpathExtractor, field_path: []}}',
        '    components_resolver:',
        '      type: ConfigComponentsResolver',
        '      stream_config: {type: StreamConfig, configs_pointer: [a]}',
        '      components_mapping:',
        '        - type: ComponentMappingDefinition',
        '          field_path: [name]',
        'streams:',
      ].join('\n'),
    );
    const err = firstError(text);
    expect(err.message).toContain("dynamic_streams[0].components_resolver.components_mapping[0] (line 25): missing required field 'value' of ComponentMappingDefinition");
  });

  it('surfaces reference errors from loading', () => {
    const err = firstError(manifest().replace('#/definitions/requester', '#/definitions/requestor'));
    expect(err.code).toBe('MANIFEST_REF');
    expect(err.line).toBe(20);
  });

  it('rejects YAML that is not a mapping', () => {
    expect(() => loadManifest('- a\n- b\n')).toThrow(RuntimeError);
  });
});

describe('prepareManifest / validateManifest', () => {
  const parsed = {
    version: '6.0.0',
    check: { stream_names: ['s'] },
    definitions: { base: { url_base: 'https://x', type: 'HttpRequester' } },
    streams: [
      {
        name: 's',
        retriever: { requester: '#/definitions/base', record_selector: { extractor: { field_path: [] } } },
      },
    ],
  };

  it('runs the same pipeline on parsed objects (no locations)', () => {
    const loaded = prepareManifest(parsed);
    const stream = (loaded.manifest.streams as Record<string, unknown>[])[0] as Record<string, unknown>;
    expect(stream.type).toBe('DeclarativeStream');
    expect(loaded.locate(stream)).toBeUndefined();
  });

  it('returns errors and warnings without throwing', () => {
    const bad = structuredClone(parsed) as Record<string, unknown>;
    (bad.check as Record<string, unknown>).stream_names = 'nope';
    const { errors } = validateManifest(bad);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toBe("check.stream_names: must be array, got string 'nope'");
    expect(errors[0]?.line).toBeUndefined();
  });

  it('turns reference errors into results', () => {
    const { errors } = validateManifest({ a: '#/nope' });
    expect(errors[0]?.code).toBe('MANIFEST_REF');
  });
});
