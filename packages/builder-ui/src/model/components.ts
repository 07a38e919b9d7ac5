/**
 * Descriptions of the declarative components the forms can edit: which fields a component type has
 * and how to show them. The generic component editor renders from these; anything else (custom
 * components, fields not listed) is kept as written and flagged "edited in YAML".
 */
import { isPlainObject, type Obj } from './refs.js';

export type FieldKind =
  | 'text' // plain string
  | 'tpl' // interpolated string
  | 'secret' // interpolated string that usually references a secret
  | 'intOrTpl'
  | 'num'
  | 'bool'
  | 'enum'
  | 'strings' // list of strings
  | 'ints'
  | 'map' // string → string
  | 'json' // any JSON value
  | 'datetime' // an interpolated datetime string (a MinMaxDatetime mapping falls back to JSON)
  | 'component' // a nested component (one of `types`)
  | 'components'; // a list of components (each one of `types`)

export interface FieldDesc {
  key: string;
  label: string;
  kind: FieldKind;
  help?: string;
  options?: string[];
  types?: string[];
  required?: boolean;
  placeholder?: string;
  /** Shown in an "Advanced" fold. */
  advanced?: boolean;
  /** A problem with a string value, shown beside the field (the value is still kept). */
  validate?: (value: string) => string | undefined;
}

/** ISO 8601 durations as the runtime accepts them (P1D, PT1H, P1Y2M, P1W, PT0.5S); templates are checked at read time. */
export function checkDuration(value: string): string | undefined {
  if (value.includes('{{')) return undefined;
  return /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(value.trim())
    ? undefined
    : `“${value}” is not an ISO 8601 duration: write it like P1D (a day), PT1H (an hour), P1M (a month)`;
}

/** An API base URL needs its scheme (a bare host is a common slip); templates are checked at read time. */
export function checkUrlBase(value: string): string | undefined {
  if (value.trim() === '' || value.includes('{{')) return undefined;
  return /^https?:\/\/[^\s/]+/.test(value.trim()) ? undefined : `“${value}” is not a URL: start it with https:// (or http://)`;
}

/** A strftime-style format needs at least one % directive (or is a template). */
export function checkDatetimeFormat(value: string): string | undefined {
  if (value.includes('{{') || value.includes('%')) return undefined;
  return `“${value}” has no % directive: write a format like %Y-%m-%dT%H:%M:%SZ, %Y-%m-%d or %s`;
}

export interface ComponentDesc {
  label: string;
  fields: FieldDesc[];
  /** The value a freshly picked component starts with. */
  init?: () => Obj;
}

const requestOption = (key: string, label: string, advanced = false): FieldDesc => ({
  key, label, kind: 'component', types: ['RequestOption'], advanced,
});

export const SLOTS = {
  authenticator: [
    'NoAuth', 'ApiKeyAuthenticator', 'BearerAuthenticator', 'BasicHttpAuthenticator', 'OAuthAuthenticator', 'JwtAuthenticator',
    'SessionTokenAuthenticator', 'SelectiveAuthenticator', 'RateLimitedMultipleTokenAuthenticator', 'LegacySessionTokenAuthenticator',
  ],
  paginator: ['NoPagination', 'DefaultPaginator'],
  paginationStrategy: ['CursorPagination', 'OffsetIncrement', 'PageIncrement'],
  pageTokenOption: ['RequestOption', 'RequestPath'],
  incrementalSync: ['DatetimeBasedCursor', 'IncrementingCountCursor'],
  partitionRouter: ['ListPartitionRouter', 'SubstreamPartitionRouter'],
  errorHandler: ['DefaultErrorHandler', 'CompositeErrorHandler'],
  backoff: ['ExponentialBackoffStrategy', 'ConstantBackoffStrategy', 'WaitTimeFromHeader', 'WaitUntilTimeFromHeader'],
  transformation: ['AddFields', 'RemoveFields', 'KeysToLower', 'KeysToSnakeCase', 'FlattenFields', 'DpathFlattenFields', 'KeysReplace'],
  sessionRequestAuth: ['SessionTokenRequestApiKeyAuthenticator', 'SessionTokenRequestBearerAuthenticator'],
} as const;

export const COMPONENTS: Record<string, ComponentDesc> = {
  NoAuth: { label: 'No authentication', fields: [] },
  ApiKeyAuthenticator: {
    label: 'API key',
    fields: [
      { key: 'api_token', label: 'API key', kind: 'secret', placeholder: "{{ config['api_key'] }}" },
      requestOption('inject_into', 'Inject API key into'),
      { key: 'header', label: 'Header (deprecated, use "Inject into")', kind: 'tpl', advanced: true },
    ],
    init: () => ({
      type: 'ApiKeyAuthenticator', api_token: "{{ config['api_key'] }}",
      inject_into: { type: 'RequestOption', inject_into: 'header', field_name: 'X-API-Key' },
    }),
  },
  BearerAuthenticator: {
    label: 'Bearer token',
    fields: [{ key: 'api_token', label: 'API token', kind: 'secret', required: true, placeholder: "{{ config['api_key'] }}" }],
    init: () => ({ type: 'BearerAuthenticator', api_token: "{{ config['api_key'] }}" }),
  },
  BasicHttpAuthenticator: {
    label: 'Basic HTTP',
    fields: [
      { key: 'username', label: 'Username', kind: 'tpl', required: true },
      { key: 'password', label: 'Password', kind: 'secret' },
    ],
    init: () => ({ type: 'BasicHttpAuthenticator', username: "{{ config['username'] }}", password: "{{ config['password'] }}" }),
  },
  OAuthAuthenticator: {
    label: 'OAuth 2.0',
    fields: [
      { key: 'grant_type', label: 'Grant type', kind: 'enum', options: ['refresh_token', 'client_credentials'] },
      { key: 'token_refresh_endpoint', label: 'Token endpoint URL', kind: 'text', required: true },
      { key: 'client_id', label: 'Client ID', kind: 'secret' },
      { key: 'client_secret', label: 'Client secret', kind: 'secret' },
      { key: 'refresh_token', label: 'Refresh token', kind: 'secret' },
      { key: 'scopes', label: 'Scopes', kind: 'strings' },
      { key: 'refresh_token_updater', label: 'Refresh token updater (rotating refresh tokens)', kind: 'json', help: 'e.g. {"refresh_token_name": "refresh_token"}; {} enables it with defaults' },
      { key: 'access_token_name', label: 'Access token property name', kind: 'text', advanced: true },
      { key: 'expires_in_name', label: 'Expires-in property name', kind: 'text', advanced: true },
      { key: 'token_expiry_date_format', label: 'Token expiry date format', kind: 'text', advanced: true },
      { key: 'refresh_request_body', label: 'Refresh request body', kind: 'json', advanced: true },
      { key: 'refresh_request_headers', label: 'Refresh request headers', kind: 'json', advanced: true },
      { key: 'access_token_value', label: 'Access token value (skip refresh)', kind: 'secret', advanced: true },
      { key: 'client_id_name', label: 'Client ID property name', kind: 'text', advanced: true },
      { key: 'client_secret_name', label: 'Client secret property name', kind: 'text', advanced: true },
      { key: 'refresh_token_name', label: 'Refresh token property name', kind: 'text', advanced: true },
      { key: 'grant_type_name', label: 'Grant type property name', kind: 'text', advanced: true },
      { key: 'send_refresh_request_as_query_params', label: 'Send refresh request as query parameters', kind: 'bool', advanced: true },
    ],
    init: () => ({
      type: 'OAuthAuthenticator', grant_type: 'refresh_token', token_refresh_endpoint: 'https://api.example.com/oauth/token',
      client_id: "{{ config['client_id'] }}", client_secret: "{{ config['client_secret'] }}",
      refresh_token: "{{ config['client_refresh_token'] }}",
    }),
  },
  JwtAuthenticator: {
    label: 'JWT',
    fields: [
      { key: 'secret_key', label: 'Secret key', kind: 'secret', required: true },
      { key: 'algorithm', label: 'Algorithm', kind: 'enum', options: ['HS256', 'HS384', 'HS512', 'ES256', 'ES256K', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA'], required: true },
      { key: 'base64_encode_secret_key', label: 'Base64-encode secret key', kind: 'bool' },
      { key: 'token_duration', label: 'Token duration (seconds)', kind: 'intOrTpl' },
      { key: 'header_prefix', label: 'Header prefix', kind: 'text' },
      { key: 'jwt_headers', label: 'JWT headers (kid, typ, cty)', kind: 'json' },
      { key: 'jwt_payload', label: 'JWT payload (iss, sub, aud)', kind: 'json' },
      { key: 'additional_jwt_headers', label: 'Additional JWT headers', kind: 'json', advanced: true },
      { key: 'additional_jwt_payload', label: 'Additional JWT payload', kind: 'json', advanced: true },
      requestOption('request_option', 'Inject token into', true),
    ],
    init: () => ({ type: 'JwtAuthenticator', secret_key: "{{ config['secret_key'] }}", algorithm: 'HS256', token_duration: 1200 }),
  },
  SessionTokenAuthenticator: {
    label: 'Session token',
    fields: [
      { key: 'login_requester', label: 'Login request', kind: 'component', types: ['HttpRequester'] },
      { key: 'session_token_path', label: 'Session token path (in login response)', kind: 'strings', required: true },
      { key: 'expiration_duration', label: 'Expiration duration (ISO 8601, e.g. PT1H)', kind: 'text' },
      { key: 'request_authentication', label: 'Use the session token as', kind: 'component', types: [...SLOTS.sessionRequestAuth] },
    ],
    init: () => ({
      type: 'SessionTokenAuthenticator',
      login_requester: {
        type: 'HttpRequester', url_base: 'https://api.example.com', path: '/login', http_method: 'POST',
        request_body_json: { username: "{{ config['username'] }}", password: "{{ config['password'] }}" },
      },
      session_token_path: ['token'], expiration_duration: 'PT1H',
      request_authentication: { type: 'SessionTokenRequestBearerAuthenticator' },
    }),
  },
  SessionTokenRequestApiKeyAuthenticator: {
    label: 'API key',
    fields: [requestOption('inject_into', 'Inject session token into')],
    init: () => ({ type: 'SessionTokenRequestApiKeyAuthenticator', inject_into: { type: 'RequestOption', inject_into: 'header', field_name: 'X-Session-Token' } }),
  },
  SessionTokenRequestBearerAuthenticator: { label: 'Bearer token', fields: [] },
  HttpRequester: {
    label: 'HTTP request',
    fields: [
      { key: 'url_base', label: 'URL base', kind: 'tpl' },
      { key: 'path', label: 'Path', kind: 'tpl' },
      { key: 'http_method', label: 'Method', kind: 'enum', options: ['GET', 'POST'] },
      { key: 'request_parameters', label: 'Query parameters', kind: 'map' },
      { key: 'request_headers', label: 'Headers', kind: 'map' },
      { key: 'request_body_json', label: 'JSON body', kind: 'json' },
      { key: 'request_body_data', label: 'Form body', kind: 'map' },
      { key: 'authenticator', label: 'Authenticator', kind: 'component', types: [...SLOTS.authenticator], advanced: true },
    ],
  },
  SelectiveAuthenticator: {
    label: 'Selective (chosen by a user input)',
    fields: [
      { key: 'authenticator_selection_path', label: 'Selection path in config', kind: 'strings', required: true, help: 'e.g. auth, auth_type' },
      { key: 'authenticators', label: 'Authenticators by selected value', kind: 'json', help: 'A mapping from the config value to an authenticator' },
    ],
    init: () => ({
      type: 'SelectiveAuthenticator', authenticator_selection_path: ['auth', 'auth_type'],
      authenticators: {
        api_key: { type: 'BearerAuthenticator', api_token: "{{ config['auth']['api_key'] }}" },
        basic: { type: 'BasicHttpAuthenticator', username: "{{ config['auth']['username'] }}", password: "{{ config['auth']['password'] }}" },
      },
    }),
  },
  RateLimitedMultipleTokenAuthenticator: {
    label: 'Several API tokens, rotated by remaining quota',
    fields: [
      { key: 'tokens', label: 'Tokens (a list, or one string split by the delimiter)', kind: 'secret', required: true, placeholder: "{{ config['api_tokens'] }}" },
      { key: 'token_delimiter', label: 'Token delimiter', kind: 'text', help: 'default ","' },
      { key: 'auth_method', label: 'Auth method (header prefix)', kind: 'text', help: 'default Bearer' },
      { key: 'header', label: 'Header', kind: 'text', help: 'default Authorization' },
      { key: 'quota_status_source', label: 'Quota status endpoint', kind: 'json', required: true, help: '{"type": "QuotaStatusSource", "url": "https://api.example.com/rate_limit"}' },
      { key: 'quotas', label: 'Quotas', kind: 'json', required: true, help: 'a list of TokenQuota: name, remaining_path, reset_path, limit_path, matchers, headers' },
      { key: 'max_wait_time', label: 'Longest wait for a reset (ISO 8601)', kind: 'text', advanced: true },
      { key: 'budget_reserve_fraction', label: 'Reserve fraction of each budget', kind: 'num', advanced: true },
      { key: 'budget_min_reserve', label: 'Minimum reserve (calls)', kind: 'intOrTpl', advanced: true },
    ],
    init: () => ({
      type: 'RateLimitedMultipleTokenAuthenticator', tokens: "{{ config['api_tokens'] }}",
      quota_status_source: { type: 'QuotaStatusSource', url: 'https://api.example.com/rate_limit' },
      quotas: [{ type: 'TokenQuota', name: 'core', remaining_path: ['resources', 'core', 'remaining'], reset_path: ['resources', 'core', 'reset'] }],
    }),
  },
  LegacySessionTokenAuthenticator: {
    label: 'Session token (legacy: login URL + header)',
    fields: [
      { key: 'login_url', label: 'Login URL', kind: 'tpl', required: true },
      { key: 'username', label: 'Username', kind: 'tpl' },
      { key: 'password', label: 'Password', kind: 'secret' },
      { key: 'session_token', label: 'Session token (skips the login)', kind: 'secret' },
      { key: 'session_token_response_key', label: 'Token key in the login response', kind: 'text', required: true },
      { key: 'header', label: 'Header carrying the token', kind: 'text', required: true },
      { key: 'validate_session_url', label: 'Session check URL', kind: 'tpl', required: true },
    ],
    init: () => ({
      type: 'LegacySessionTokenAuthenticator', login_url: 'https://api.example.com/session', username: "{{ config['username'] }}",
      password: "{{ config['password'] }}", session_token_response_key: 'id', header: 'X-Session-Token',
      validate_session_url: 'https://api.example.com/user/current',
    }),
  },
  RequestOption: {
    label: 'Request option',
    fields: [
      { key: 'inject_into', label: 'Inject into', kind: 'enum', options: ['request_parameter', 'header', 'body_data', 'body_json'], required: true },
      { key: 'field_name', label: 'Field name', kind: 'tpl' },
      { key: 'field_path', label: 'Field path (nested JSON body)', kind: 'strings', advanced: true },
    ],
    init: () => ({ type: 'RequestOption', inject_into: 'request_parameter', field_name: '' }),
  },
  RequestPath: { label: 'Request path (the token is the next URL path)', fields: [] },
  NoPagination: { label: 'No pagination', fields: [] },
  DefaultPaginator: {
    label: 'Paginated',
    fields: [
      { key: 'pagination_strategy', label: 'Strategy', kind: 'component', types: [...SLOTS.paginationStrategy], required: true },
      { key: 'page_size_option', label: 'Inject page size into', kind: 'component', types: ['RequestOption'] },
      { key: 'page_token_option', label: 'Inject page token / offset / page number into', kind: 'component', types: [...SLOTS.pageTokenOption] },
    ],
    init: () => ({
      type: 'DefaultPaginator',
      pagination_strategy: { type: 'CursorPagination', cursor_value: '{{ response.next_page }}', stop_condition: '{{ not response.next_page }}' },
      page_token_option: { type: 'RequestOption', inject_into: 'request_parameter', field_name: 'page' },
    }),
  },
  CursorPagination: {
    label: 'Cursor',
    fields: [
      { key: 'cursor_value', label: 'Next page cursor', kind: 'tpl', required: true, help: "e.g. {{ response.next }} or {{ headers['link']['next']['url'] }}" },
      { key: 'stop_condition', label: 'Stop condition', kind: 'tpl', help: 'e.g. {{ not response.next }}' },
      { key: 'page_size', label: 'Page size', kind: 'intOrTpl' },
    ],
    init: () => ({ type: 'CursorPagination', cursor_value: '{{ response.next_page }}', stop_condition: '{{ not response.next_page }}' }),
  },
  OffsetIncrement: {
    label: 'Offset increment',
    fields: [
      { key: 'page_size', label: 'Page size (limit)', kind: 'intOrTpl' },
      { key: 'inject_on_first_request', label: 'Inject offset on first request', kind: 'bool' },
    ],
    init: () => ({ type: 'OffsetIncrement', page_size: 100 }),
  },
  PageIncrement: {
    label: 'Page increment',
    fields: [
      { key: 'page_size', label: 'Page size', kind: 'intOrTpl' },
      { key: 'start_from_page', label: 'Start from page', kind: 'intOrTpl' },
      { key: 'inject_on_first_request', label: 'Inject page number on first request', kind: 'bool' },
    ],
    init: () => ({ type: 'PageIncrement', page_size: 100, start_from_page: 1 }),
  },
  DatetimeBasedCursor: {
    label: 'Datetime cursor',
    fields: [
      { key: 'cursor_field', label: 'Cursor field', kind: 'tpl', required: true },
      { key: 'datetime_format', label: 'API datetime format', kind: 'text', required: true, help: 'e.g. %Y-%m-%dT%H:%M:%SZ, %s (epoch seconds)', validate: checkDatetimeFormat },
      { key: 'cursor_datetime_formats', label: 'Cursor datetime formats (records)', kind: 'strings' },
      { key: 'start_datetime', label: 'Start datetime', kind: 'datetime', required: true, placeholder: "{{ config['start_date'] }}", help: 'Usually a user input; written in the API datetime format' },
      { key: 'end_datetime', label: 'End datetime', kind: 'datetime', placeholder: '{{ now_utc().strftime(\'%Y-%m-%dT%H:%M:%SZ\') }}', help: 'Empty = now' },
      { key: 'start_time_option', label: 'Inject start time into', kind: 'component', types: ['RequestOption'] },
      { key: 'end_time_option', label: 'Inject end time into', kind: 'component', types: ['RequestOption'] },
      { key: 'step', label: 'Step (ISO 8601 duration, e.g. P30D)', kind: 'text', help: 'Splits the time range into slices of this length; needs a cursor granularity', validate: checkDuration },
      { key: 'cursor_granularity', label: 'Cursor granularity (e.g. PT1S)', kind: 'text', help: 'The smallest time step of the cursor; a slice ends this much before the next one starts', validate: checkDuration },
      { key: 'lookback_window', label: 'Lookback window', kind: 'tpl', advanced: true, validate: checkDuration },
      { key: 'is_data_feed', label: 'Data feed (newest first, stop at last seen)', kind: 'bool', advanced: true },
      { key: 'is_client_side_incremental', label: 'Filter records client-side', kind: 'bool', advanced: true },
      { key: 'partition_field_start', label: 'Slice start field name', kind: 'text', advanced: true },
      { key: 'partition_field_end', label: 'Slice end field name', kind: 'text', advanced: true },
    ],
    init: () => ({
      type: 'DatetimeBasedCursor', cursor_field: 'updated_at', datetime_format: '%Y-%m-%dT%H:%M:%SZ',
      start_datetime: "{{ config['start_date'] }}",
      start_time_option: { type: 'RequestOption', inject_into: 'request_parameter', field_name: 'since' },
    }),
  },
  IncrementingCountCursor: {
    label: 'Incrementing count',
    fields: [
      { key: 'cursor_field', label: 'Cursor field', kind: 'tpl', required: true },
      { key: 'start_value', label: 'Start value', kind: 'json' },
      { key: 'start_value_option', label: 'Inject start value into', kind: 'component', types: ['RequestOption'] },
    ],
    init: () => ({ type: 'IncrementingCountCursor', cursor_field: 'id', start_value: 0 }),
  },
  ListPartitionRouter: {
    label: 'List of values',
    fields: [
      { key: 'values', label: 'Values', kind: 'json', required: true, help: 'A list like ["a", "b"] or a template like "{{ config[\'ids\'] }}"' },
      { key: 'cursor_field', label: 'Current value identifier', kind: 'tpl', required: true, help: "Use it as {{ stream_partition['<identifier>'] }}" },
      { key: 'request_option', label: 'Inject value into', kind: 'component', types: ['RequestOption'] },
    ],
    init: () => ({ type: 'ListPartitionRouter', values: ['a', 'b'], cursor_field: 'item' }),
  },
  SubstreamPartitionRouter: {
    label: 'Parent stream',
    fields: [{ key: 'parent_stream_configs', label: 'Parent streams', kind: 'components', types: ['ParentStreamConfig'] }],
    init: () => ({ type: 'SubstreamPartitionRouter', parent_stream_configs: [] }),
  },
  ParentStreamConfig: {
    label: 'Parent stream',
    fields: [
      { key: 'stream', label: 'Parent stream', kind: 'json', required: true, help: 'Picked from the streams list' },
      { key: 'parent_key', label: 'Parent key (field of the parent record)', kind: 'tpl', required: true },
      { key: 'partition_field', label: 'Current parent key value identifier', kind: 'tpl', required: true, help: "Use it as {{ stream_partition['<identifier>'] }}" },
      { key: 'request_option', label: 'Inject parent key into', kind: 'component', types: ['RequestOption'] },
      { key: 'incremental_dependency', label: 'Incremental dependency', kind: 'bool', advanced: true },
    ],
  },
  DefaultErrorHandler: {
    label: 'Default error handler',
    fields: [
      { key: 'max_retries', label: 'Max retries', kind: 'intOrTpl' },
      { key: 'backoff_strategies', label: 'Backoff strategies', kind: 'components', types: [...SLOTS.backoff] },
      { key: 'response_filters', label: 'Response filters', kind: 'components', types: ['HttpResponseFilter'] },
    ],
    init: () => ({ type: 'DefaultErrorHandler', max_retries: 5, backoff_strategies: [{ type: 'ExponentialBackoffStrategy', factor: 5 }] }),
  },
  CompositeErrorHandler: {
    label: 'Composite (several handlers)',
    fields: [{ key: 'error_handlers', label: 'Error handlers', kind: 'components', types: ['DefaultErrorHandler'] }],
    init: () => ({ type: 'CompositeErrorHandler', error_handlers: [{ type: 'DefaultErrorHandler' }] }),
  },
  HttpResponseFilter: {
    label: 'Response filter',
    fields: [
      { key: 'action', label: 'Action', kind: 'enum', options: ['SUCCESS', 'FAIL', 'RETRY', 'IGNORE', 'RATE_LIMITED', 'REFRESH_TOKEN_THEN_RETRY', 'RESET_PAGINATION'] },
      { key: 'http_codes', label: 'HTTP codes', kind: 'ints' },
      { key: 'error_message_contains', label: 'Error message contains', kind: 'text' },
      { key: 'predicate', label: 'Predicate', kind: 'tpl' },
      { key: 'error_message', label: 'Error message', kind: 'tpl' },
      { key: 'failure_type', label: 'Failure type', kind: 'enum', options: ['system_error', 'config_error', 'transient_error'] },
    ],
    init: () => ({ type: 'HttpResponseFilter', action: 'IGNORE', http_codes: [404] }),
  },
  ExponentialBackoffStrategy: {
    label: 'Exponential',
    fields: [{ key: 'factor', label: 'Factor (seconds)', kind: 'intOrTpl' }],
    init: () => ({ type: 'ExponentialBackoffStrategy', factor: 5 }),
  },
  ConstantBackoffStrategy: {
    label: 'Constant',
    fields: [{ key: 'backoff_time_in_seconds', label: 'Backoff time (seconds)', kind: 'intOrTpl', required: true }],
    init: () => ({ type: 'ConstantBackoffStrategy', backoff_time_in_seconds: 10 }),
  },
  WaitTimeFromHeader: {
    label: 'Wait time from header',
    fields: [
      { key: 'header', label: 'Header', kind: 'tpl', required: true },
      { key: 'regex', label: 'Regex', kind: 'text' },
      { key: 'max_waiting_time_in_seconds', label: 'Max waiting time (s)', kind: 'intOrTpl' },
    ],
    init: () => ({ type: 'WaitTimeFromHeader', header: 'Retry-After' }),
  },
  WaitUntilTimeFromHeader: {
    label: 'Wait until time from header',
    fields: [
      { key: 'header', label: 'Header', kind: 'tpl', required: true },
      { key: 'min_wait', label: 'Min wait (s)', kind: 'intOrTpl' },
      { key: 'regex', label: 'Regex', kind: 'tpl' },
    ],
    init: () => ({ type: 'WaitUntilTimeFromHeader', header: 'X-RateLimit-Reset' }),
  },
  AddFields: {
    label: 'Add fields',
    fields: [
      { key: 'fields', label: 'Fields (path + value)', kind: 'json', required: true, help: '[{"path": ["new_field"], "value": "{{ record.id }}"}]' },
      { key: 'condition', label: 'Condition', kind: 'tpl' },
    ],
    init: () => ({ type: 'AddFields', fields: [{ type: 'AddedFieldDefinition', path: ['new_field'], value: '{{ record.id }}' }] }),
  },
  RemoveFields: {
    label: 'Remove fields',
    fields: [
      { key: 'field_pointers', label: 'Field paths (one path per line, parts separated by /)', kind: 'json', required: true, help: '[["field"], ["nested", "field"]]' },
      { key: 'condition', label: 'Condition', kind: 'tpl' },
    ],
    init: () => ({ type: 'RemoveFields', field_pointers: [['field_to_remove']] }),
  },
  KeysToLower: { label: 'Keys to lower case', fields: [] },
  KeysToSnakeCase: { label: 'Keys to snake_case', fields: [] },
  FlattenFields: { label: 'Flatten fields', fields: [{ key: 'flatten_lists', label: 'Flatten lists', kind: 'bool' }] },
  DpathFlattenFields: {
    label: 'Flatten a field into the record',
    fields: [
      { key: 'field_path', label: 'Field path', kind: 'strings', required: true },
      { key: 'delete_origin_value', label: 'Delete the original field', kind: 'bool' },
      { key: 'replace_record', label: 'Replace the record', kind: 'bool' },
    ],
    init: () => ({ type: 'DpathFlattenFields', field_path: ['data'] }),
  },
  KeysReplace: {
    label: 'Replace text in keys',
    fields: [
      { key: 'old', label: 'Old', kind: 'tpl', required: true },
      { key: 'new', label: 'New', kind: 'tpl', required: true },
    ],
    init: () => ({ type: 'KeysReplace', old: ' ', new: '_' }),
  },
};

/** A fresh component of a type. */
export function initComponent(type: string): Obj {
  const d = COMPONENTS[type];
  return d?.init ? d.init() : { type };
}

export interface ComponentSupport {
  /** The form can show and edit this component. */
  editable: boolean;
  /** Why not (shown as "edited in YAML: …"). */
  reason?: string;
  /** Keys the form does not show; kept as written. */
  extraKeys: string[];
}

const ALWAYS_OK = new Set(['type', '$parameters']);

/** Can the generic editor show `value` as one of `types`? */
export function componentSupport(value: unknown, types: readonly string[]): ComponentSupport {
  if (value === undefined) return { editable: true, extraKeys: [] };
  if (!isPlainObject(value)) return { editable: false, reason: 'written as an expression or reference', extraKeys: [] };
  const type = typeof value.type === 'string' ? value.type : undefined;
  if (!type) return { editable: false, reason: 'has no type', extraKeys: [] };
  if (!types.includes(type) || !COMPONENTS[type]) {
    return { editable: false, reason: type.startsWith('Custom') ? `${type} (custom code) is not supported by the form` : `${type} is not available in the form here`, extraKeys: [] };
  }
  const known = new Set(COMPONENTS[type]!.fields.map((f) => f.key));
  const extraKeys = Object.keys(value).filter((k) => !known.has(k) && !ALWAYS_OK.has(k));
  return { editable: true, extraKeys };
}
