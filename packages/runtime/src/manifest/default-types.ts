/**
 * The component type the CDK assumes when a component omits `type`, keyed by the parent's type and
 * the field the component sits in. Same pairs as the CDK 7 transformer's table — including its
 * quirks: `DynamicDeclarativeStream.components_resolver` names `ConfigComponentResolver` (no such
 * type; the CDK then fails validation, and so do we) and the resolver entries are filed under
 * `ConfigComponentsResolver`.
 */
const DEFAULTS: Record<string, Record<string, string>> = {
  AddFields: { fields: 'AddedFieldDefinition' },
  CompositeErrorHandler: { error_handlers: 'DefaultErrorHandler' },
  ConfigComponentsResolver: { stream_config: 'StreamConfig', components_mapping: 'ComponentMappingDefinition' },
  CursorPagination: { decoder: 'JsonDecoder' },
  CustomPartitionRouter: { parent_stream_configs: 'ParentStreamConfig' },
  DatetimeBasedCursor: {
    start_datetime: 'MinMaxDatetime',
    end_datetime: 'MinMaxDatetime',
    start_time_option: 'RequestOption',
    end_time_option: 'RequestOption',
  },
  DeclarativeSource: { check: 'CheckStream', spec: 'Spec', streams: 'DeclarativeStream' },
  // Not in the CDK 7 table: manifests written for 6.x (e.g. Airbyte's airtable) leave this type
  // out, and there is only one type it can be.
  Spec: { config_normalization_rules: 'ConfigNormalizationRules' },
  DeclarativeStream: { retriever: 'SimpleRetriever', schema_loader: 'JsonFileSchemaLoader' },
  DefaultErrorHandler: { response_filters: 'HttpResponseFilter' },
  DefaultPaginator: { decoder: 'JsonDecoder', page_size_option: 'RequestOption' },
  DpathExtractor: { decoder: 'JsonDecoder', record_expander: 'RecordExpander' },
  DynamicDeclarativeStream: { stream_template: 'DeclarativeStream', components_resolver: 'ConfigComponentResolver' },
  DynamicSchemaLoader: { retriever: 'SimpleRetriever' },
  HttpComponentsResolver: { retriever: 'SimpleRetriever', components_mapping: 'ComponentMappingDefinition' },
  HttpRequester: { error_handler: 'DefaultErrorHandler' },
  ListPartitionRouter: { request_option: 'RequestOption' },
  ParentStreamConfig: { request_option: 'RequestOption', stream: 'DeclarativeStream' },
  RecordSelector: { extractor: 'DpathExtractor', record_filter: 'RecordFilter' },
  SchemaTypeIdentifier: { types_map: 'TypesMap' },
  SimpleRetriever: { paginator: 'NoPagination', record_selector: 'RecordSelector', requester: 'HttpRequester' },
  SubstreamPartitionRouter: { parent_stream_configs: 'ParentStreamConfig' },
};

/** For components that carry `class_name` but no `type`: the Custom* type the CDK assumes. */
const CUSTOM_DEFAULTS: Record<string, Record<string, string>> = {
  CompositeErrorHandler: { backoff_strategies: 'CustomBackoffStrategy' },
  DeclarativeStream: { retriever: 'CustomRetriever', transformations: 'CustomTransformation' },
  DefaultErrorHandler: { backoff_strategies: 'CustomBackoffStrategy' },
  DefaultPaginator: { pagination_strategy: 'CustomPaginationStrategy' },
  HttpRequester: { authenticator: 'CustomAuthenticator', error_handler: 'CustomErrorHandler' },
  RecordSelector: { extractor: 'CustomRecordExtractor' },
  SimpleRetriever: { partition_router: 'CustomPartitionRouter' },
};

function flatten(table: Record<string, Record<string, string>>): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const [parent, fields] of Object.entries(table)) {
    for (const [field, type] of Object.entries(fields)) out.set(`${parent}.${field}`, type);
  }
  return out;
}

/** `Parent.field` → default type. */
export const DEFAULT_TYPES: ReadonlyMap<string, string> = flatten(DEFAULTS);
/** `Parent.field` → Custom* type, for components with `class_name`. */
export const CUSTOM_DEFAULT_TYPES: ReadonlyMap<string, string> = flatten(CUSTOM_DEFAULTS);
