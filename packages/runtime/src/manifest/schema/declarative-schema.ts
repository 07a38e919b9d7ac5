/**
 * Our JSON Schema (draft-07) of Airbyte's declarative manifest format, covering every component of
 * the CDK 7 declarative component schema: same components, fields, required fields and JSON types.
 * Unions are dispatched on `type` so a validator reports against the component the author meant.
 *
 * Like the CDK's, components allow fields beyond the listed ones (parameters become fields); the
 * pipeline warns about those separately. Only the root, `jwt_headers`, `jwt_payload` and
 * `config_normalization_rules` are closed, as in the CDK.
 */
import {

  arr,
  bool,
  component as c,
  custom,
  int,
  ints,
  kinds,
  mapOf,
  min,
  num,
  obj,
  objs,
  oneOrMany,
  ref,
  str,
  strEnum,
  strs,
  tpl,
  union,
  type Schema,
} from './dsl.js';

const intOrTpl = kinds({ integer: int, string: tpl });
const numOrTpl = kinds({ number: num, string: tpl });
const strMapOrTpl = kinds({ object: mapOf(str), string: tpl });

const AUTHENTICATORS = [
  'ApiKeyAuthenticator', 'BasicHttpAuthenticator', 'BearerAuthenticator', 'OAuthAuthenticator',
  'JwtAuthenticator', 'SessionTokenAuthenticator', 'SelectiveAuthenticator', 'CustomAuthenticator',
  'NoAuth', 'LegacySessionTokenAuthenticator', 'RateLimitedMultipleTokenAuthenticator',
];
const RETRIEVERS = ['SimpleRetriever', 'AsyncRetriever', 'CustomRetriever'];
const REQUESTERS = ['HttpRequester', 'CustomRequester'];
const EXTRACTORS = ['DpathExtractor', 'CustomRecordExtractor'];
const TRANSFORMATIONS = [
  'AddFields', 'RemoveFields', 'KeysToLower', 'KeysToSnakeCase', 'FlattenFields',
  'DpathFlattenFields', 'KeysReplace', 'CustomTransformation',
];
const DECODERS = [
  'JsonDecoder', 'JsonItemsDecoder', 'XmlDecoder', 'CsvDecoder', 'JsonlDecoder', 'GzipDecoder',
  'IterableDecoder', 'ZipfileDecoder', 'CustomDecoder',
];
const INNER_DECODERS = ['CsvDecoder', 'GzipDecoder', 'JsonDecoder', 'JsonItemsDecoder', 'JsonlDecoder'];
const PARTITION_ROUTERS = [
  'SubstreamPartitionRouter', 'ListPartitionRouter', 'GroupingPartitionRouter',
  'UnionPartitionRouter', 'CustomPartitionRouter',
];
const NESTED_ROUTERS = ['ListPartitionRouter', 'SubstreamPartitionRouter', 'UnionPartitionRouter', 'CustomPartitionRouter'];
const BACKOFFS = [
  'ConstantBackoffStrategy', 'ExponentialBackoffStrategy', 'WaitTimeFromHeader',
  'WaitUntilTimeFromHeader', 'CustomBackoffStrategy',
];
const SCHEMA_LOADERS = ['InlineSchemaLoader', 'DynamicSchemaLoader', 'JsonFileSchemaLoader', 'CustomSchemaLoader'];
const CONFIG_TRANSFORMATIONS = ['ConfigRemapField', 'ConfigAddFields', 'ConfigRemoveFields', 'CustomConfigTransformation'];
const PAGINATORS = ['DefaultPaginator', 'NoPagination'];

const routers = (names: string[]): Schema => kinds({ object: union(...names), array: arr(union(...names)) });
const matchers = arr(ref('HttpRequestRegexMatcher'));
const scopeList = arr({ type: 'object', required: ['scope'], properties: { scope: str } });

const definitions: Record<string, Schema> = {
  // ── record transformations ──────────────────────────────────────────────────────────────
  AddedFieldDefinition: c('AddedFieldDefinition', { path: strs, value: tpl, value_type: ref('ValueType') }, { required: ['path', 'value'] }),
  AddFields: c('AddFields', { fields: arr(ref('AddedFieldDefinition')), condition: tpl }, { required: ['fields'] }),
  RemoveFields: c('RemoveFields', { condition: tpl, field_pointers: arr(strs) }, { required: ['field_pointers'] }),
  KeysToLower: c('KeysToLower', {}),
  KeysToSnakeCase: c('KeysToSnakeCase', {}),
  FlattenFields: c('FlattenFields', { flatten_lists: bool }),
  KeyTransformation: c('KeyTransformation', { prefix: str, suffix: str }),
  DpathFlattenFields: c('DpathFlattenFields', {
    field_path: strs, delete_origin_value: bool, replace_record: bool, key_transformation: ref('KeyTransformation'),
  }, { required: ['field_path'] }),
  KeysReplace: c('KeysReplace', { old: tpl, new: tpl }, { required: ['old', 'new'] }),
  CustomTransformation: custom('CustomTransformation'),

  // ── authenticators ──────────────────────────────────────────────────────────────────────
  ApiKeyAuthenticator: c('ApiKeyAuthenticator', { api_token: tpl, header: tpl, inject_into: ref('RequestOption') }),
  BasicHttpAuthenticator: c('BasicHttpAuthenticator', { username: tpl, password: tpl }, { required: ['username'] }),
  BearerAuthenticator: c('BearerAuthenticator', { api_token: tpl }, { required: ['api_token'] }),
  SelectiveAuthenticator: c('SelectiveAuthenticator', {
    authenticator_selection_path: strs,
    authenticators: mapOf(union(...AUTHENTICATORS.filter((a) => a !== 'SelectiveAuthenticator'))),
  }, { required: ['authenticators', 'authenticator_selection_path'] }),
  RateLimitedMultipleTokenAuthenticator: c('RateLimitedMultipleTokenAuthenticator', {
    tokens: kinds({ string: tpl, array: { type: 'array', items: str, minItems: 1 } }),
    token_delimiter: str, auth_method: str, header: str,
    quota_status_source: ref('QuotaStatusSource'),
    quotas: { type: 'array', items: ref('TokenQuota'), minItems: 1 },
    max_wait_time: tpl, budget_reserve_fraction: num, budget_min_reserve: int,
  }, { required: ['tokens', 'quota_status_source', 'quotas'] }),
  QuotaStatusSource: c('QuotaStatusSource', {
    url: tpl, http_method: strEnum('GET', 'POST'), request_headers: mapOf(str), unavailable_status_codes: ints,
  }, { required: ['url'] }),
  TokenQuota: c('TokenQuota', {
    name: str, remaining_path: strs, reset_path: strs, limit_path: strs, matchers,
    remaining_header: str, reset_header: str, limit_header: str, exhaustion_status_codes: ints,
  }, { required: ['name', 'remaining_path', 'reset_path'] }),
  JwtAuthenticator: c('JwtAuthenticator', {
    secret_key: tpl, base64_encode_secret_key: bool,
    algorithm: strEnum('HS256', 'HS384', 'HS512', 'ES256', 'ES256K', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA'),
    token_duration: int, header_prefix: str,
    jwt_headers: { type: 'object', additionalProperties: false, properties: { kid: str, typ: str, cty: str } },
    additional_jwt_headers: mapOf(),
    jwt_payload: { type: 'object', additionalProperties: false, properties: { iss: str, sub: str, aud: str } },
    additional_jwt_payload: mapOf(), passphrase: str, request_option: ref('RequestOption'),
  }, { required: ['secret_key', 'algorithm'] }),
  OAuthAuthenticator: c('OAuthAuthenticator', {
    client_id_name: str, client_id: tpl, client_secret_name: str, client_secret: tpl,
    refresh_token_name: str, refresh_token: tpl, token_refresh_endpoint: str,
    access_token_name: str, access_token_value: tpl, expires_in_name: str,
    grant_type_name: str, grant_type: str, refresh_request_body: mapOf(), refresh_request_headers: mapOf(),
    send_refresh_request_as_query_params: bool, scopes: strs, token_expiry_date: str,
    token_expiry_date_format: str, refresh_token_error_status_codes: ints, refresh_token_error_key: str,
    refresh_token_error_values: strs,
    refresh_token_updater: {
      properties: {
        refresh_token_name: str, access_token_config_path: strs, refresh_token_config_path: strs,
        token_expiry_date_config_path: strs, refresh_token_error_status_codes: ints,
        refresh_token_error_key: str, refresh_token_error_values: strs,
      },
    },
    profile_assertion: ref('JwtAuthenticator'), use_profile_assertion: bool,
  }),
  SessionTokenAuthenticator: c('SessionTokenAuthenticator', {
    login_requester: ref('HttpRequester'), session_token_path: strs, expiration_duration: str,
    request_authentication: union('SessionTokenRequestApiKeyAuthenticator', 'SessionTokenRequestBearerAuthenticator'),
    decoder: union('JsonDecoder', 'XmlDecoder'),
  }, { required: ['login_requester', 'session_token_path', 'request_authentication'] }),
  SessionTokenRequestApiKeyAuthenticator: c('SessionTokenRequestApiKeyAuthenticator', {
    inject_into: ref('RequestOption'), api_token: tpl,
  }, { required: ['inject_into'] }),
  SessionTokenRequestBearerAuthenticator: c('SessionTokenRequestBearerAuthenticator', {}, { loose: true }),
  LegacySessionTokenAuthenticator: c('LegacySessionTokenAuthenticator', {
    header: str, login_url: str, session_token: str, session_token_response_key: str,
    username: str, password: str, validate_session_url: str,
  }, { required: ['header', 'login_url', 'session_token_response_key', 'validate_session_url'] }),
  NoAuth: c('NoAuth', {}),
  CustomAuthenticator: custom('CustomAuthenticator'),

  // ── checks, spec, source-level settings ─────────────────────────────────────────────────
  CheckStream: c('CheckStream', {
    stream_names: strs, dynamic_streams_check_configs: arr(ref('DynamicStreamCheckConfig')), config_overrides: mapOf(),
  }),
  DynamicStreamCheckConfig: c('DynamicStreamCheckConfig', { dynamic_stream_name: str, stream_count: min(int, 1) }, { required: ['dynamic_stream_name'] }),
  CheckDynamicStream: c('CheckDynamicStream', { stream_count: int, use_check_availability: bool, config_overrides: mapOf() }, { required: ['stream_count'] }),
  ConcurrencyLevel: c('ConcurrencyLevel', { default_concurrency: intOrTpl, max_concurrency: int }, { typeOptional: true, required: ['default_concurrency'] }),
  Spec: c('Spec', {
    connection_specification: mapOf(), documentation_url: str, advanced_auth: ref('AuthFlow'),
    config_normalization_rules: {
      type: 'object', additionalProperties: false, required: ['type'],
      properties: {
        type: { const: 'ConfigNormalizationRules' },
        config_migrations: arr(ref('ConfigMigration')),
        transformations: arr(union(...CONFIG_TRANSFORMATIONS)),
        validations: arr(union('DpathValidator', 'PredicateValidator')),
      },
    },
  }, { required: ['connection_specification'] }),
  AuthFlow: c('AuthFlow', {
    auth_flow_type: strEnum('oauth2.0', 'oauth1.0'), predicate_key: strs, predicate_value: str,
    oauth_config_specification: ref('OAuthConfigSpecification'),
  }, { untyped: true }),
  OAuthConfigSpecification: c('OAuthConfigSpecification', {
    oauth_user_input_from_connector_config_specification: obj,
    oauth_connector_input_specification: {
      type: 'object', required: ['consent_url', 'access_token_url'],
      properties: {
        consent_url: str, scope: str, scopes: scopeList, optional_scopes: scopeList,
        scopes_join_strategy: strEnum('space', 'comma', 'plus'), access_token_url: str,
        access_token_headers: mapOf(), access_token_params: mapOf(), extract_output: strs,
        state: { type: 'object', required: ['min', 'max'], properties: { min: int, max: int } },
        client_id_key: str, client_secret_key: str, scope_key: str, state_key: str, auth_code_key: str, redirect_uri_key: str,
      },
    },
    complete_oauth_output_specification: mapOf(),
    complete_oauth_server_input_specification: mapOf(),
    complete_oauth_server_output_specification: mapOf(),
  }, { untyped: true }),
  ConfigMigration: c('ConfigMigration', { description: str, transformations: arr(union(...CONFIG_TRANSFORMATIONS)) }, { required: ['transformations'] }),
  ConfigRemapField: c('ConfigRemapField', { map: { type: ['object', 'string'] }, field_path: strs }, { required: ['map', 'field_path'] }),
  ConfigAddFields: c('ConfigAddFields', { fields: arr(ref('AddedFieldDefinition')), condition: tpl }, { required: ['fields'] }),
  ConfigRemoveFields: c('ConfigRemoveFields', { field_pointers: arr(strs), condition: tpl }, { required: ['field_pointers'] }),
  CustomConfigTransformation: custom('CustomConfigTransformation'),
  DpathValidator: c('DpathValidator', {
    field_path: strs, validation_strategy: union('ValidateAdheresToSchema', 'CustomValidationStrategy'),
  }, { required: ['field_path', 'validation_strategy'] }),
  PredicateValidator: c('PredicateValidator', {
    value: { type: ['string', 'number', 'object', 'array', 'boolean', 'null'] },
    validation_strategy: union('ValidateAdheresToSchema', 'CustomValidationStrategy'),
  }, { required: ['value', 'validation_strategy'] }),
  ValidateAdheresToSchema: c('ValidateAdheresToSchema', { base_schema: { type: ['string', 'object'] } }, { required: ['base_schema'] }),
  CustomValidationStrategy: custom('CustomValidationStrategy'),
  Schemas: c('Schemas', {}, { untyped: true }),
  StreamGroup: c('StreamGroup', { streams: arr(ref('DeclarativeStream')), action: ref('BlockSimultaneousSyncsAction') }, { untyped: true, required: ['streams', 'action'] }),
  BlockSimultaneousSyncsAction: c('BlockSimultaneousSyncsAction', {}),

  // ── API budget ──────────────────────────────────────────────────────────────────────────
  HTTPAPIBudget: c('HTTPAPIBudget', {
    policies: arr(union('FixedWindowCallRatePolicy', 'MovingWindowCallRatePolicy', 'UnlimitedCallRatePolicy')),
    ratelimit_reset_header: str, ratelimit_remaining_header: str, status_codes_for_ratelimit_hit: ints,
  }, { required: ['policies'] }),
  FixedWindowCallRatePolicy: c('FixedWindowCallRatePolicy', { period: str, call_limit: int, matchers }, { required: ['period', 'call_limit', 'matchers'] }),
  MovingWindowCallRatePolicy: c('MovingWindowCallRatePolicy', { rates: arr(ref('Rate')), matchers }, { required: ['rates', 'matchers'] }),
  UnlimitedCallRatePolicy: c('UnlimitedCallRatePolicy', { matchers }, { required: ['matchers'] }),
  Rate: c('Rate', { limit: intOrTpl, interval: str }, { untyped: true, required: ['limit', 'interval'] }),
  HttpRequestRegexMatcher: c('HttpRequestRegexMatcher', {
    method: str, url_base: str, url_path_pattern: str, params: mapOf(), headers: mapOf(), weight: intOrTpl,
  }, { untyped: true }),

  // ── streams ─────────────────────────────────────────────────────────────────────────────
  DeclarativeStream: c('DeclarativeStream', {
    name: str,
    retriever: union(...RETRIEVERS),
    incremental_sync: union('DatetimeBasedCursor', 'IncrementingCountCursor'),
    primary_key: ref('PrimaryKey'),
    schema_loader: kinds({ object: union(...SCHEMA_LOADERS), array: arr(union(...SCHEMA_LOADERS)) }),
    transformations: arr(union(...TRANSFORMATIONS)),
    state_migrations: arr(union('LegacyToPerPartitionStateMigration', 'CustomStateMigration')),
    file_uploader: {
      type: 'object', required: ['type', 'requester', 'download_target_extractor'],
      properties: {
        type: { const: 'FileUploader' }, requester: union(...REQUESTERS),
        download_target_extractor: union(...EXTRACTORS), file_extractor: union(...EXTRACTORS),
        filename_extractor: tpl, $parameters: obj,
      },
    },
  }, { required: ['retriever'] }),
  StateDelegatingStream: c('StateDelegatingStream', {
    name: str, full_refresh_stream: ref('DeclarativeStream'), incremental_stream: ref('DeclarativeStream'), api_retention_period: str,
  }, { required: ['name', 'full_refresh_stream', 'incremental_stream'] }),
  ConditionalStreams: c('ConditionalStreams', { condition: tpl, streams: arr(ref('DeclarativeStream')) }, { required: ['streams', 'condition'] }),
  DynamicDeclarativeStream: c('DynamicDeclarativeStream', {
    name: str,
    stream_template: union('DeclarativeStream', 'StateDelegatingStream'),
    components_resolver: union('HttpComponentsResolver', 'ConfigComponentsResolver', 'ParametrizedComponentsResolver'),
    use_parent_parameters: bool,
  }, { required: ['stream_template', 'components_resolver'] }),
  PrimaryKey: kinds({ string: str, array: { type: 'array', anyOf: [{ items: str }, { items: strs }] } }),
  LegacyToPerPartitionStateMigration: c('LegacyToPerPartitionStateMigration', {}, { typeOptional: true }),
  CustomStateMigration: custom('CustomStateMigration'),

  // ── dynamic stream resolvers ────────────────────────────────────────────────────────────
  ComponentMappingDefinition: c('ComponentMappingDefinition', {
    field_path: strs, value: tpl, value_type: ref('ValueType'), create_or_update: bool, condition: tpl,
  }, { required: ['field_path', 'value'] }),
  HttpComponentsResolver: c('HttpComponentsResolver', {
    retriever: union(...RETRIEVERS), components_mapping: arr(ref('ComponentMappingDefinition')),
  }, { required: ['retriever', 'components_mapping'] }),
  StreamConfig: c('StreamConfig', { configs_pointer: strs, default_values: objs }, { required: ['configs_pointer'] }),
  ConfigComponentsResolver: c('ConfigComponentsResolver', {
    stream_config: kinds({ array: arr(ref('StreamConfig')), object: ref('StreamConfig') }),
    components_mapping: arr(ref('ComponentMappingDefinition')),
  }, { required: ['stream_config', 'components_mapping'] }),
  StreamParametersDefinition: c('StreamParametersDefinition', { list_of_parameters_for_stream: objs }, { required: ['list_of_parameters_for_stream'] }),
  ParametrizedComponentsResolver: c('ParametrizedComponentsResolver', {
    stream_parameters: ref('StreamParametersDefinition'), components_mapping: arr(ref('ComponentMappingDefinition')),
  }, { required: ['stream_parameters', 'components_mapping'] }),

  // ── incremental sync ────────────────────────────────────────────────────────────────────
  DatetimeBasedCursor: c('DatetimeBasedCursor', {
    clamping: { type: 'object', required: ['target'], properties: { target: tpl, target_details: mapOf() } },
    cursor_field: tpl, allow_catalog_defined_cursor_field: bool, cursor_datetime_formats: strs,
    start_datetime: kinds({ object: ref('MinMaxDatetime'), string: tpl }),
    start_time_option: ref('RequestOption'),
    end_datetime: kinds({ object: ref('MinMaxDatetime'), string: tpl }),
    end_time_option: ref('RequestOption'),
    datetime_format: str, cursor_granularity: str, is_data_feed: bool, is_client_side_incremental: bool,
    is_compare_strictly: bool, global_substream_cursor: bool, lookback_window: tpl,
    partition_field_end: str, partition_field_start: str, step: str,
  }, { required: ['cursor_field', 'datetime_format', 'start_datetime'] }),
  IncrementingCountCursor: c('IncrementingCountCursor', {
    cursor_field: tpl, allow_catalog_defined_cursor_field: bool,
    start_value: kinds({ string: tpl, integer: int }), start_value_option: ref('RequestOption'),
  }, { required: ['cursor_field'] }),
  MinMaxDatetime: c('MinMaxDatetime', { datetime: tpl, datetime_format: str, max_datetime: tpl, min_datetime: tpl }, { required: ['datetime'] }),

  // ── retrievers ──────────────────────────────────────────────────────────────────────────
  SimpleRetriever: c('SimpleRetriever', {
    requester: union(...REQUESTERS), decoder: union(...DECODERS), record_selector: ref('RecordSelector'),
    paginator: union(...PAGINATORS), pagination_reset: ref('PaginationReset'),
    ignore_stream_slicer_parameters_on_paginated_requests: bool, partition_router: routers(PARTITION_ROUTERS),
  }, { required: ['record_selector', 'requester'] }),
  PaginationReset: c('PaginationReset', { action: strEnum('SPLIT_USING_CURSOR', 'RESET'), limits: ref('PaginationResetLimits') }, { required: ['action'] }),
  PaginationResetLimits: c('PaginationResetLimits', { number_of_records: int }),
  AsyncRetriever: c('AsyncRetriever', {
    record_selector: ref('RecordSelector'), status_mapping: ref('AsyncJobStatusMap'),
    status_extractor: union(...EXTRACTORS), download_target_extractor: union(...EXTRACTORS),
    download_extractor: union(...EXTRACTORS, 'ResponseToFileExtractor'),
    creation_requester: union(...REQUESTERS), polling_requester: union(...REQUESTERS),
    polling_job_timeout: intOrTpl, failed_retry_wait_time_in_seconds: kinds({ integer: min(int, 1), string: tpl }),
    download_target_requester: union(...REQUESTERS), download_requester: union(...REQUESTERS),
    download_paginator: union(...PAGINATORS), abort_requester: union(...REQUESTERS), delete_requester: union(...REQUESTERS),
    partition_router: routers(PARTITION_ROUTERS), decoder: union(...DECODERS), download_decoder: union(...DECODERS),
  }, { required: ['record_selector', 'status_mapping', 'creation_requester', 'polling_requester', 'download_requester', 'status_extractor'] }),
  AsyncJobStatusMap: c('AsyncJobStatusMap', { running: strs, completed: strs, failed: strs, timeout: strs, skipped: strs }, {
    typeOptional: true, required: ['running', 'completed', 'failed', 'timeout'],
  }),
  CustomRetriever: custom('CustomRetriever'),

  // ── requesting ──────────────────────────────────────────────────────────────────────────
  HttpRequester: c('HttpRequester', {
    url_base: tpl, url: tpl, path: tpl, http_method: strEnum('GET', 'POST'),
    authenticator: union(...AUTHENTICATORS),
    fetch_properties_from_endpoint: ref('PropertiesFromEndpoint'), query_properties: ref('QueryProperties'),
    request_parameters: kinds({ object: mapOf(kinds({ string: tpl, object: ref('QueryProperties') })), string: tpl }),
    request_headers: strMapOrTpl, request_body_data: strMapOrTpl,
    request_body_json: kinds({ object: mapOf(), string: tpl }),
    request_body: union('RequestBodyPlainText', 'RequestBodyUrlEncodedForm', 'RequestBodyJsonObject', 'RequestBodyGraphQL'),
    error_handler: union('DefaultErrorHandler', 'CompositeErrorHandler', 'CustomErrorHandler'),
    use_cache: bool,
  }),
  CustomRequester: custom('CustomRequester'),
  RequestOption: c('RequestOption', {
    inject_into: { enum: ['request_parameter', 'header', 'body_data', 'body_json'] }, field_name: tpl, field_path: strs,
  }, { required: ['inject_into'] }),
  RequestPath: c('RequestPath', {}),
  RequestBodyPlainText: c('RequestBodyPlainText', { value: str }, { required: ['value'] }),
  RequestBodyUrlEncodedForm: c('RequestBodyUrlEncodedForm', { value: mapOf(str) }, { required: ['value'] }),
  RequestBodyJsonObject: c('RequestBodyJsonObject', { value: mapOf() }, { required: ['value'] }),
  RequestBodyGraphQL: c('RequestBodyGraphQL', { value: ref('RequestBodyGraphQlQuery') }, { required: ['value'] }),
  RequestBodyGraphQlQuery: c('RequestBodyGraphQlQuery', { query: str }, { untyped: true, required: ['query'] }),
  PropertiesFromEndpoint: c('PropertiesFromEndpoint', {
    property_field_path: strs, retriever: union('SimpleRetriever', 'CustomRetriever'),
  }, { required: ['property_field_path', 'retriever'] }),
  PropertyChunking: c('PropertyChunking', {
    property_limit_type: { enum: ['characters', 'property_count'] }, property_limit: int,
    record_merge_strategy: ref('GroupByKeyMergeStrategy'),
  }, { required: ['property_limit_type'] }),
  GroupByKeyMergeStrategy: c('GroupByKeyMergeStrategy', { key: oneOrMany(str) }, { loose: true, required: ['key'] }),
  QueryProperties: c('QueryProperties', {
    property_list: kinds({ array: strs, object: ref('PropertiesFromEndpoint') }), always_include_properties: strs,
    property_chunking: ref('PropertyChunking'), property_selector: ref('JsonSchemaPropertySelector'),
  }, { required: ['property_list'] }),
  JsonSchemaPropertySelector: c('JsonSchemaPropertySelector', { transformations: arr(union(...TRANSFORMATIONS)) }),

  // ── error handling ──────────────────────────────────────────────────────────────────────
  DefaultErrorHandler: c('DefaultErrorHandler', {
    backoff_strategies: arr(union(...BACKOFFS)), max_retries: intOrTpl, response_filters: arr(ref('HttpResponseFilter')),
  }),
  CompositeErrorHandler: c('CompositeErrorHandler', {
    error_handlers: arr(union('CompositeErrorHandler', 'DefaultErrorHandler', 'CustomErrorHandler')),
  }, { required: ['error_handlers'] }),
  CustomErrorHandler: custom('CustomErrorHandler'),
  HttpResponseFilter: c('HttpResponseFilter', {
    action: strEnum('SUCCESS', 'FAIL', 'RETRY', 'IGNORE', 'RESET_PAGINATION', 'RATE_LIMITED', 'REFRESH_TOKEN_THEN_RETRY'),
    failure_type: strEnum('system_error', 'config_error', 'transient_error'),
    error_message: tpl, error_message_contains: str, http_codes: ints, predicate: tpl,
  }),
  ConstantBackoffStrategy: c('ConstantBackoffStrategy', {
    backoff_time_in_seconds: kinds({ number: min(num, 0), string: tpl }), jitter_range_in_seconds: min(num, 0),
  }, { required: ['backoff_time_in_seconds'] }),
  ExponentialBackoffStrategy: c('ExponentialBackoffStrategy', { factor: numOrTpl, jitter_range_in_seconds: min(num, 0) }),
  WaitTimeFromHeader: c('WaitTimeFromHeader', { header: tpl, regex: str, max_waiting_time_in_seconds: numOrTpl }, { required: ['header'] }),
  WaitUntilTimeFromHeader: c('WaitUntilTimeFromHeader', {
    header: tpl, min_wait: numOrTpl, regex: tpl, max_waiting_time_in_seconds: numOrTpl,
  }, { required: ['header'] }),
  CustomBackoffStrategy: custom('CustomBackoffStrategy'),

  // ── pagination ──────────────────────────────────────────────────────────────────────────
  DefaultPaginator: c('DefaultPaginator', {
    pagination_strategy: union('PageIncrement', 'OffsetIncrement', 'CursorPagination', 'CustomPaginationStrategy'),
    page_size_option: ref('RequestOption'), page_token_option: union('RequestOption', 'RequestPath'),
  }, { required: ['pagination_strategy'] }),
  NoPagination: c('NoPagination', {}),
  PageIncrement: c('PageIncrement', { page_size: intOrTpl, start_from_page: int, inject_on_first_request: bool }),
  OffsetIncrement: c('OffsetIncrement', { page_size: intOrTpl, inject_on_first_request: bool }),
  CursorPagination: c('CursorPagination', { cursor_value: tpl, page_size: intOrTpl, stop_condition: tpl }, { required: ['cursor_value'] }),
  CustomPaginationStrategy: custom('CustomPaginationStrategy'),

  // ── record selection ────────────────────────────────────────────────────────────────────
  RecordSelector: c('RecordSelector', {
    extractor: union(...EXTRACTORS), record_filter: union('RecordFilter', 'CustomRecordFilter'),
    schema_normalization: kinds({ string: ref('SchemaNormalization'), object: ref('CustomSchemaNormalization') }),
    transform_before_filtering: bool,
  }, { required: ['extractor'] }),
  DpathExtractor: c('DpathExtractor', { field_path: strs, record_expander: ref('RecordExpander') }, { required: ['field_path'] }),
  RecordExpander: c('RecordExpander', {
    expand_records_from_field: strs, remain_original_record: bool, on_no_records: strEnum('skip', 'emit_parent'),
  }, { required: ['expand_records_from_field'] }),
  ResponseToFileExtractor: c('ResponseToFileExtractor', { preserve_na_values: bool }),
  CustomRecordExtractor: custom('CustomRecordExtractor'),
  RecordFilter: c('RecordFilter', { condition: tpl }),
  CustomRecordFilter: custom('CustomRecordFilter'),
  SchemaNormalization: strEnum('Default', 'None'),
  CustomSchemaNormalization: custom('CustomSchemaNormalization'),

  // ── decoders ────────────────────────────────────────────────────────────────────────────
  JsonDecoder: c('JsonDecoder', {}),
  JsonItemsDecoder: c('JsonItemsDecoder', { items_path: str, encoding: str }, { required: ['items_path'] }),
  JsonlDecoder: c('JsonlDecoder', {}),
  XmlDecoder: c('XmlDecoder', {}),
  IterableDecoder: c('IterableDecoder', {}),
  CsvDecoder: c('CsvDecoder', { encoding: str, delimiter: str, set_values_to_none: strs }),
  GzipDecoder: c('GzipDecoder', { decoder: union(...INNER_DECODERS) }, { required: ['decoder'] }),
  ZipfileDecoder: c('ZipfileDecoder', { decoder: union(...INNER_DECODERS) }, { required: ['decoder'] }),
  CustomDecoder: custom('CustomDecoder'),

  // ── partition routing ───────────────────────────────────────────────────────────────────
  ListPartitionRouter: c('ListPartitionRouter', {
    cursor_field: tpl, values: kinds({ string: tpl, array: strs }), request_option: ref('RequestOption'),
  }, { required: ['cursor_field', 'values'] }),
  SubstreamPartitionRouter: c('SubstreamPartitionRouter', { parent_stream_configs: arr(ref('ParentStreamConfig')) }, { required: ['parent_stream_configs'] }),
  ParentStreamConfig: c('ParentStreamConfig', {
    stream: union('DeclarativeStream', 'StateDelegatingStream'), parent_key: str, partition_field: str,
    request_option: ref('RequestOption'), incremental_dependency: bool, lazy_read_pointer: strs, extra_fields: arr(strs),
  }, { required: ['parent_key', 'partition_field', 'stream'] }),
  GroupingPartitionRouter: c('GroupingPartitionRouter', {
    group_size: int, underlying_partition_router: union(...NESTED_ROUTERS), deduplicate: bool,
  }, { required: ['group_size', 'underlying_partition_router'] }),
  UnionPartitionRouter: c('UnionPartitionRouter', {
    partition_field: tpl, partition_routers: { type: 'array', items: union(...NESTED_ROUTERS), minItems: 2 },
  }, { required: ['partition_field', 'partition_routers'] }),
  CustomPartitionRouter: custom('CustomPartitionRouter'),

  // ── schema loading ──────────────────────────────────────────────────────────────────────
  InlineSchemaLoader: c('InlineSchemaLoader', { schema: mapOf() }),
  JsonFileSchemaLoader: c('JsonFileSchemaLoader', { file_path: tpl }),
  DynamicSchemaLoader: c('DynamicSchemaLoader', {
    retriever: union(...RETRIEVERS), schema_filter: union('RecordFilter', 'CustomRecordFilter'),
    schema_transformations: arr(union(...TRANSFORMATIONS)), schema_type_identifier: ref('SchemaTypeIdentifier'),
  }, { required: ['retriever', 'schema_type_identifier'] }),
  SchemaTypeIdentifier: c('SchemaTypeIdentifier', {
    schema_pointer: strs, key_pointer: strs, type_pointer: strs, types_mapping: arr(ref('TypesMap')),
  }, { typeOptional: true, required: ['key_pointer'] }),
  TypesMap: c('TypesMap', {
    target_type: kinds({ string: str, array: strs, object: ref('ComplexFieldType') }),
    current_type: kinds({ string: str, array: strs }), condition: tpl,
  }, { untyped: true, required: ['target_type', 'current_type'] }),
  ComplexFieldType: c('ComplexFieldType', {
    field_type: str, items: kinds({ string: str, object: ref('ComplexFieldType') }),
  }, { untyped: true, required: ['field_type'] }),
  CustomSchemaLoader: custom('CustomSchemaLoader'),
  ValueType: strEnum('string', 'number', 'integer', 'boolean'),
};

/** The root: a DeclarativeSource. Closed, as in the CDK. */
const root: Schema = {
  type: 'object',
  required: ['type', 'check', 'version'],
  anyOf: [{ required: ['streams'] }, { required: ['dynamic_streams'] }],
  additionalProperties: false,
  properties: {
    type: { const: 'DeclarativeSource' },
    check: union('CheckStream', 'CheckDynamicStream'),
    streams: arr(union('ConditionalStreams', 'DeclarativeStream', 'StateDelegatingStream')),
    dynamic_streams: arr(ref('DynamicDeclarativeStream')),
    version: str,
    schemas: ref('Schemas'),
    definitions: obj,
    spec: ref('Spec'),
    concurrency_level: ref('ConcurrencyLevel'),
    api_budget: ref('HTTPAPIBudget'),
    stream_groups: mapOf(ref('StreamGroup')),
    max_concurrent_async_job_count: { type: ['integer', 'string'] },
    metadata: mapOf(),
    description: str,
  },
};

export const ROOT_TYPE = 'DeclarativeSource';

/** The ajv options the schema is compiled with, at build time and at run time alike. */
export const AJV_OPTIONS = { allErrors: true, strict: false, allowUnionTypes: true, verbose: true } as const;

export const declarativeSchema: Schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://manifold.dev/schemas/declarative-source.json',
  ...root,
  definitions: { ...definitions, [ROOT_TYPE]: root },
};

/** The components the schema defines (CDK definition names, plus the root). */
export const definitionNames: readonly string[] = Object.freeze(Object.keys(definitions).concat(ROOT_TYPE).sort());


