import { describe, expect, it } from 'vitest';
import { CUSTOM_DEFAULT_TYPES, DEFAULT_TYPES } from './default-types.js';
import { ComponentTransformer, parametersOf, propagateTypesAndParameters, pyTruthy } from './parameters.js';

type Obj = Record<string, unknown>;
const t = new ComponentTransformer();
const propagate = (field: string, c: Obj, params: Obj = {}, useParent?: boolean) => t.propagate(field, c, params, useParent);

// The (parent type, field) → default type pairs of the CDK 7 transformer.
const DEFAULTS: [string, string][] = [
  ['CompositeErrorHandler.error_handlers', 'DefaultErrorHandler'],
  ['CursorPagination.decoder', 'JsonDecoder'],
  ['DatetimeBasedCursor.end_datetime', 'MinMaxDatetime'],
  ['DatetimeBasedCursor.end_time_option', 'RequestOption'],
  ['DatetimeBasedCursor.start_datetime', 'MinMaxDatetime'],
  ['DatetimeBasedCursor.start_time_option', 'RequestOption'],
  ['DeclarativeSource.check', 'CheckStream'],
  ['DeclarativeSource.spec', 'Spec'],
  ['DeclarativeSource.streams', 'DeclarativeStream'],
  ['DeclarativeStream.retriever', 'SimpleRetriever'],
  ['DeclarativeStream.schema_loader', 'JsonFileSchemaLoader'],
  ['DynamicDeclarativeStream.stream_template', 'DeclarativeStream'],
  ['DynamicDeclarativeStream.components_resolver', 'ConfigComponentResolver'],
  ['HttpComponentsResolver.retriever', 'SimpleRetriever'],
  ['HttpComponentsResolver.components_mapping', 'ComponentMappingDefinition'],
  ['ConfigComponentsResolver.stream_config', 'StreamConfig'],
  ['ConfigComponentsResolver.components_mapping', 'ComponentMappingDefinition'],
  ['DefaultErrorHandler.response_filters', 'HttpResponseFilter'],
  ['DefaultPaginator.decoder', 'JsonDecoder'],
  ['DefaultPaginator.page_size_option', 'RequestOption'],
  ['DpathExtractor.decoder', 'JsonDecoder'],
  ['DpathExtractor.record_expander', 'RecordExpander'],
  ['HttpRequester.error_handler', 'DefaultErrorHandler'],
  ['ListPartitionRouter.request_option', 'RequestOption'],
  ['ParentStreamConfig.request_option', 'RequestOption'],
  ['ParentStreamConfig.stream', 'DeclarativeStream'],
  ['RecordSelector.extractor', 'DpathExtractor'],
  ['RecordSelector.record_filter', 'RecordFilter'],
  ['SimpleRetriever.paginator', 'NoPagination'],
  ['SimpleRetriever.record_selector', 'RecordSelector'],
  ['SimpleRetriever.requester', 'HttpRequester'],
  ['SubstreamPartitionRouter.parent_stream_configs', 'ParentStreamConfig'],
  // Ours, not the CDK's: 6.x manifests leave this type out (see default-types.ts).
  ['Spec.config_normalization_rules', 'ConfigNormalizationRules'],
  ['AddFields.fields', 'AddedFieldDefinition'],
  ['CustomPartitionRouter.parent_stream_configs', 'ParentStreamConfig'],
  ['DynamicSchemaLoader.retriever', 'SimpleRetriever'],
  ['SchemaTypeIdentifier.types_map', 'TypesMap'],
];

const CUSTOM: [string, string][] = [
  ['CompositeErrorHandler.backoff_strategies', 'CustomBackoffStrategy'],
  ['DeclarativeStream.retriever', 'CustomRetriever'],
  ['DeclarativeStream.transformations', 'CustomTransformation'],
  ['DefaultErrorHandler.backoff_strategies', 'CustomBackoffStrategy'],
  ['DefaultPaginator.pagination_strategy', 'CustomPaginationStrategy'],
  ['HttpRequester.authenticator', 'CustomAuthenticator'],
  ['HttpRequester.error_handler', 'CustomErrorHandler'],
  ['RecordSelector.extractor', 'CustomRecordExtractor'],
  ['SimpleRetriever.partition_router', 'CustomPartitionRouter'],
];

describe('default types', () => {
  it('has exactly the CDK pairs', () => {
    expect(new Map(DEFAULTS)).toEqual(DEFAULT_TYPES);
    expect(new Map(CUSTOM)).toEqual(CUSTOM_DEFAULT_TYPES);
  });

  it.each(DEFAULTS)('%s defaults to %s', (key, expected) => {
    const [parent, field] = key.split('.') as [string, string];
    const out = propagate('', { type: parent, [field]: { some: 'value' } });
    expect((out[field] as Obj).type).toBe(expected);
  });

  it.each(CUSTOM)('%s with class_name defaults to %s', (key, expected) => {
    const [parent, field] = key.split('.') as [string, string];
    const out = propagate('', { type: parent, [field]: { class_name: 'x.Y' } });
    expect((out[field] as Obj).type).toBe(expected);
  });

  it('types list elements too', () => {
    const out = propagate('', { type: 'DeclarativeSource', streams: [{ name: 'a' }, { type: 'StateDelegatingStream' }] });
    expect((out.streams as Obj[]).map((s) => s.type)).toEqual(['DeclarativeStream', 'StateDelegatingStream']);
  });

  it('never overrides an explicit type, and leaves unknown pairs untyped', () => {
    const out = propagate('', { type: 'SimpleRetriever', paginator: { type: 'DefaultPaginator' }, other: { a: 1 } });
    expect((out.paginator as Obj).type).toBe('DefaultPaginator');
    expect(out.other).toEqual({ a: 1 });
  });

  it('a class_name component outside the custom table stays untyped', () => {
    const out = propagate('', { type: 'SimpleRetriever', paginator: { class_name: 'x.Y' } });
    expect((out.paginator as Obj).type).toBeUndefined();
  });
});

describe('$parameters', () => {
  it('flow to children, become fields, and are kept as $parameters', () => {
    const out = propagate('DeclarativeSource.streams', {
      $parameters: { name: 'users', path: '/users' },
      retriever: { requester: { url_base: 'https://x' }, record_selector: { extractor: { field_path: [] } } },
    });
    expect(out.type).toBe('DeclarativeStream');
    expect(out.name).toBe('users');
    expect(out.$parameters).toEqual({ name: 'users', path: '/users' });
    const requester = (out.retriever as Obj).requester as Obj;
    expect(requester).toMatchObject({ type: 'HttpRequester', url_base: 'https://x', name: 'users', path: '/users' });
    expect(parametersOf(requester)).toEqual({ name: 'users', path: '/users' });
    const extractor = ((out.retriever as Obj).record_selector as Obj).extractor as Obj;
    expect(extractor).toMatchObject({ type: 'DpathExtractor', name: 'users', path: '/users' });
  });

  it("the child's own parameters win over the parent's", () => {
    const out = propagate('', {
      type: 'SimpleRetriever',
      $parameters: { path: '/parent', a: 1 },
      requester: { type: 'HttpRequester', $parameters: { path: '/child' } },
    });
    const requester = out.requester as Obj;
    expect(requester.path).toBe('/child');
    expect(requester.$parameters).toEqual({ path: '/child', a: 1 });
    expect(out.path).toBe('/parent');
  });

  it('an existing truthy field wins over a parameter; falsy fields are replaced', () => {
    const out = propagate('', {
      type: 'HttpRequester',
      $parameters: { path: '/p', name: 'n', use_cache: true, page: 7 },
      path: '/own',
      name: '',
      use_cache: false,
      page: 0,
    });
    expect(out).toMatchObject({ path: '/own', name: 'n', use_cache: true, page: 7 });
  });

  it('when use_parent_parameters is set, the parent wins', () => {
    const out = propagate('', { type: 'HttpRequester', $parameters: { path: '/child' } }, { path: '/parent' }, true);
    expect(out.path).toBe('/parent');
  });

  it('a parameter named like a field is not passed down into that field', () => {
    const out = propagate('', {
      type: 'SimpleRetriever',
      $parameters: { requester: { url_base: 'https://param' }, x: 1 },
      requester: { type: 'HttpRequester' },
    });
    const requester = out.requester as Obj;
    expect(requester.$parameters).toEqual({ x: 1 });
    expect(requester.requester).toBeUndefined();
    expect(out.$parameters).toEqual({ x: 1, requester: { url_base: 'https://param' } });
  });

  it('dict-valued parameters become typed sub-components when the field has a default type', () => {
    const out = propagate('', { type: 'SimpleRetriever', $parameters: { paginator: { page: 1 } } });
    expect(out.paginator).toMatchObject({ type: 'NoPagination', page: 1 });
  });

  it('JSON-schema objects are left alone (their $parameters dropped)', () => {
    const schema = { type: 'object', $parameters: { a: 1 }, properties: { id: { type: 'string' } } };
    const out = propagate('', { type: 'InlineSchemaLoader', $parameters: { name: 's' }, schema });
    expect(out.schema).toEqual({ type: 'object', properties: { id: { type: 'string' } } });
    const nullable = propagate('', { type: ['null', 'object'], $parameters: { a: 1 }, x: { type: 'RecordFilter' } });
    expect(nullable).toEqual({ type: ['null', 'object'], x: { type: 'RecordFilter' } });
  });

  it('untyped objects pass parameters to their direct typed children only', () => {
    const out = propagate('', {
      type: 'HttpRequester',
      $parameters: { name: 'users' },
      request_parameters: { fields: { type: 'QueryProperties', property_list: ['a'] }, plain: 'x' },
    });
    const rp = out.request_parameters as Obj;
    expect(rp.fields).toMatchObject({ type: 'QueryProperties', name: 'users', $parameters: { name: 'users' } });
    expect(rp.plain).toBe('x');
    expect(rp.$parameters).toBeUndefined();
    expect(rp.name).toBeUndefined();
  });

  it('never mutates its input and never shares parameter values between components', () => {
    const input = {
      type: 'DeclarativeSource',
      $parameters: { cfg: { k: ['v'] } },
      streams: [{ retriever: {} }, { retriever: {} }],
    };
    const before = JSON.stringify(input);
    const out = propagateTypesAndParameters(input);
    expect(JSON.stringify(input)).toBe(before);
    const [a, b] = out.streams as Obj[];
    expect(a?.cfg).toEqual(b?.cfg);
    expect(a?.cfg).not.toBe(b?.cfg);
  });
});

describe('pyTruthy', () => {
  it.each([
    [null, false], [0, false], ['', false], [false, false], [[], false], [{}, false],
    [1, true], ['a', true], [[0], true], [{ a: 0 }, true], [true, true],
  ])('%j → %s', (v, expected) => expect(pyTruthy(v)).toBe(expected));
});
