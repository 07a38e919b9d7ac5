import type { FailureType } from '../errors/codes.js';
import { RuntimeError } from '../errors/runtime-error.js';
import type { ErrorResolution, Outcome, ResponseAction } from './error-handler.js';

/**
 * What to do with a response or exception no response filter claimed. The statuses the CDK maps
 * explicitly keep its action and failure type; the wording is ours.
 */
interface Mapped {
  action: ResponseAction;
  failureType: FailureType;
  message: string;
}

const fail = (failureType: FailureType, message: string): Mapped => ({ action: 'FAIL', failureType, message });
const retry = (message: string): Mapped => ({ action: 'RETRY', failureType: 'transient_error', message });

/** The statuses the CDK's DEFAULT_ERROR_MAPPING names. */
export const DEFAULT_STATUS_MAPPING: ReadonlyMap<number, Readonly<Mapped>> = new Map([
  [400, fail('system_error', 'HTTP 400 Bad Request: the API rejected the request as malformed; check the request parameters.')],
  [401, fail('config_error', 'HTTP 401 Unauthorized: the API did not accept the credentials; check them in the configuration.')],
  [403, fail('config_error', 'HTTP 403 Forbidden: the credentials are valid but not allowed to access this resource.')],
  [404, fail('system_error', 'HTTP 404 Not Found: the requested resource does not exist on the server.')],
  [405, fail('system_error', 'HTTP 405 Method Not Allowed: the endpoint does not accept this HTTP method.')],
  [408, retry('HTTP 408 Request Timeout: the server gave up waiting for the request.')],
  [429, { action: 'RATE_LIMITED', failureType: 'transient_error', message: 'HTTP 429 Too Many Requests: the API rate limit was reached.' }],
  [500, retry('HTTP 500 Internal Server Error: the server failed while handling the request.')],
  [502, retry('HTTP 502 Bad Gateway: a server upstream of the API answered badly.')],
  [503, retry('HTTP 503 Service Unavailable: the API is temporarily unable to answer.')],
  [504, retry('HTTP 504 Gateway Timeout: a server upstream of the API did not answer in time.')],
]);

export const SUCCESS: ErrorResolution = Object.freeze({ action: 'SUCCESS' });

/**
 * The resolution for a status: the CDK's table, else (where the CDK falls back to RETRY as a
 * system error for everything) our rule: below 400 succeeds, any other 4xx fails as a system
 * error, anything from 500 up is retried as transient.
 */
export function resolveStatus(status: number): ErrorResolution {
  const mapped = DEFAULT_STATUS_MAPPING.get(status);
  if (mapped) return { ...mapped };
  if (status < 400) return SUCCESS;
  if (status < 500) {
    return fail('system_error', `HTTP ${status}: the API refused the request with a client error status.`);
  }
  return retry(`HTTP ${status}: the API answered with a server error status.`);
}

/** The CDK's explicitly mapped failure type and message for a status, if it maps that status. */
export function mappedStatus(status: number): ErrorResolution | undefined {
  const mapped = DEFAULT_STATUS_MAPPING.get(status);
  if (mapped) return { ...mapped };
  // Our extension of the table to unmapped server errors (transient, like the mapped ones).
  if (status >= 500) return resolveStatus(status);
  return undefined;
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENETRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPROTO',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_INFO',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'ConnectTimeoutError',
  'HeadersTimeoutError',
  'BodyTimeoutError',
  'SocketError',
  'ClientClosedError',
  'ClientDestroyedError',
]);

function chain(error: Error): Error[] {
  const errors: Error[] = [];
  let current: unknown = error;
  while (current instanceof Error && errors.length < 8 && !errors.includes(current)) {
    errors.push(current);
    current = current.cause;
  }
  return errors;
}

function codeOf(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function describe(error: Error): string {
  return `${error.name}: ${error.message}`;
}

/**
 * The resolution for an exception raised while sending (no response came back). Connection
 * failures and timeouts are retried as transient; a URL with a protocol we cannot speak fails
 * as a config error; our own coded errors keep their failure type (retried only when transient).
 */
export function resolveError(error: Error): ErrorResolution {
  const errors = chain(error);
  if (error instanceof RuntimeError) {
    return {
      action: error.failureType === 'transient_error' ? 'RETRY' : 'FAIL',
      failureType: error.failureType,
      message: error.message,
    };
  }
  for (const link of errors) {
    const code = codeOf(link);
    if (link.name === 'TimeoutError' || (code !== undefined && /TIMEOUT|TIMEDOUT/.test(code))) {
      return { action: 'RETRY', failureType: 'transient_error', message: `The request timed out (${describe(link)}).` };
    }
  }
  for (const link of errors) {
    const code = codeOf(link);
    if (link.name === 'AbortError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') {
      return { action: 'FAIL', failureType: 'transient_error', message: 'The request was cancelled before it completed.' };
    }
    if (code === 'UND_ERR_INVALID_ARG' && /protocol/i.test(link.message)) {
      return {
        action: 'FAIL',
        failureType: 'config_error',
        message: `The URL uses a protocol that is not supported or not secure (${describe(link)}).`,
      };
    }
    if (code === 'ERR_INVALID_URL') {
      return {
        action: 'RETRY',
        failureType: 'transient_error',
        message: `The URL is not valid or its host could not be resolved (${describe(link)}).`,
      };
    }
    if ((code !== undefined && TRANSIENT_CODES.has(code)) || TRANSIENT_NAMES.has(link.name)) {
      return {
        action: 'RETRY',
        failureType: 'transient_error',
        message: `The connection to the API failed (${describe(link)}).`,
      };
    }
  }
  // The CDK retries any other exception as a system error, naming it.
  return { action: 'RETRY', failureType: 'system_error', message: describe(errors.at(-1) ?? error) };
}

/** The default resolution of an outcome: by status for a response, by kind for an exception. */
export function resolveDefault(outcome: Outcome): ErrorResolution {
  return outcome.response ? resolveStatus(outcome.response.status) : resolveError(outcome.error);
}
