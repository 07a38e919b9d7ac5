/**
 * Every error code the runtime throws, grouped by prefix. A code says what went wrong; the
 * failure type says who must act (Airbyte's `config_error` / `system_error` / `transient_error`).
 */
export type FailureType = 'config_error' | 'system_error' | 'transient_error';

export const ErrorCodes = {
  // The manifest itself: YAML, $ref, schema, component construction.
  MANIFEST_YAML: 'config_error',
  MANIFEST_REF: 'config_error',
  MANIFEST_INVALID: 'config_error',
  MANIFEST_CUSTOM_COMPONENT: 'config_error',
  MANIFEST_UNSUPPORTED: 'config_error',
  MANIFEST_NOT_FOUND: 'config_error',
  // The user's config, catalog and state.
  CONFIG_INVALID: 'config_error',
  CONFIG_FILE: 'config_error',
  CATALOG_INVALID: 'config_error',
  CATALOG_UNKNOWN_STREAM: 'config_error',
  STATE_INVALID: 'config_error',
  // Templates.
  INTERP_SYNTAX: 'config_error',
  INTERP_UNDEFINED: 'config_error',
  INTERP_EVAL: 'config_error',
  INTERP_SANDBOX: 'config_error',
  INTERP_STREAM_STATE: 'config_error',
  DATETIME_FORMAT: 'config_error',
  // HTTP: classified by the error handlers.
  HTTP_CONFIG: 'config_error',
  HTTP_TRANSIENT: 'transient_error',
  HTTP_SYSTEM: 'system_error',
  HTTP_DECODE: 'transient_error',
  AUTH_FAILED: 'config_error',
  PAGINATION_LOOP: 'system_error',
  RECORD_EXTRACT: 'system_error',
  // The CLI and protocol.
  CLI_USAGE: 'config_error',
  INTERNAL: 'system_error',
} as const satisfies Record<string, FailureType>;

export type ErrorCode = keyof typeof ErrorCodes;
