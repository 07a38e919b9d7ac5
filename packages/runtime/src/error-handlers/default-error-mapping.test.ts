import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../errors/runtime-error.js';
import { DEFAULT_STATUS_MAPPING, resolveDefault, resolveError, resolveStatus } from './default-error-mapping.js';
import { response } from './__tests__/support.js';

describe('default mapping by status', () => {
  it.each([
    [200, 'SUCCESS', undefined],
    [204, 'SUCCESS', undefined],
    [301, 'SUCCESS', undefined],
    [304, 'SUCCESS', undefined],
    [400, 'FAIL', 'system_error'],
    [401, 'FAIL', 'config_error'],
    [403, 'FAIL', 'config_error'],
    [404, 'FAIL', 'system_error'],
    [405, 'FAIL', 'system_error'],
    [408, 'RETRY', 'transient_error'],
    [429, 'RATE_LIMITED', 'transient_error'],
    [500, 'RETRY', 'transient_error'],
    [502, 'RETRY', 'transient_error'],
    [503, 'RETRY', 'transient_error'],
    [504, 'RETRY', 'transient_error'],
    // unmapped by the CDK: our rule
    [402, 'FAIL', 'system_error'],
    [409, 'FAIL', 'system_error'],
    [422, 'FAIL', 'system_error'],
    [501, 'RETRY', 'transient_error'],
    [520, 'RETRY', 'transient_error'],
  ] as const)('%i → %s %s', (status, action, failureType) => {
    const resolution = resolveStatus(status);
    expect(resolution.action).toBe(action);
    expect(resolution.failureType).toBe(failureType);
    if (action !== 'SUCCESS') expect(resolution.message).toMatch(new RegExp(`^HTTP ${status}\\b`));
    expect(resolveDefault({ response: response(status) })).toEqual(resolution);
  });

  it('maps exactly the statuses the CDK maps', () => {
    expect([...DEFAULT_STATUS_MAPPING.keys()].sort()).toEqual([400, 401, 403, 404, 405, 408, 429, 500, 502, 503, 504]);
  });

  it('returns copies, so callers cannot corrupt the table', () => {
    const resolution = resolveStatus(401);
    resolution.message = 'changed';
    expect(resolveStatus(401).message).not.toBe('changed');
  });
});

function coded(message: string, code: string, name = 'Error'): Error {
  const error = new Error(message) as Error & { code: string };
  error.code = code;
  error.name = name;
  return error;
}

describe('default mapping by exception', () => {
  const wrapped = new TypeError('fetch failed', { cause: coded('read ECONNRESET', 'ECONNRESET') });
  const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
  const abort = new DOMException('This operation was aborted', 'AbortError');
  it.each([
    ['connection reset', coded('read ECONNRESET', 'ECONNRESET'), 'RETRY', 'transient_error'],
    ['connection refused', coded('connect ECONNREFUSED', 'ECONNREFUSED'), 'RETRY', 'transient_error'],
    ['DNS failure', coded('getaddrinfo ENOTFOUND api.example.com', 'ENOTFOUND'), 'RETRY', 'transient_error'],
    ['undici socket', coded('other side closed', 'UND_ERR_SOCKET', 'SocketError'), 'RETRY', 'transient_error'],
    ['connect timeout', coded('Connect Timeout Error', 'UND_ERR_CONNECT_TIMEOUT', 'ConnectTimeoutError'), 'RETRY', 'transient_error'],
    ['headers timeout', coded('Headers Timeout Error', 'UND_ERR_HEADERS_TIMEOUT'), 'RETRY', 'transient_error'],
    ['body timeout', coded('Body Timeout Error', 'UND_ERR_BODY_TIMEOUT'), 'RETRY', 'transient_error'],
    ['abort by timeout signal', timeout, 'RETRY', 'transient_error'],
    ['wrapped cause', wrapped, 'RETRY', 'transient_error'],
    ['invalid URL', coded('Invalid URL', 'ERR_INVALID_URL', 'TypeError'), 'RETRY', 'transient_error'],
    ['unsupported protocol', coded('Invalid URL protocol: the URL must start with `http:` or `https:`.', 'UND_ERR_INVALID_ARG'), 'FAIL', 'config_error'],
    ['cancelled', abort, 'FAIL', 'transient_error'],
    ['anything else', new Error('boom'), 'RETRY', 'system_error'],
    ['our config error', new RuntimeError('AUTH_FAILED', 'token refused'), 'FAIL', 'config_error'],
    ['our transient error', new RuntimeError('HTTP_DECODE', 'truncated body'), 'RETRY', 'transient_error'],
  ] as const)('%s → %s %s', (_, error, action, failureType) => {
    const resolution = resolveError(error);
    expect(resolution).toMatchObject({ action, failureType });
    expect(resolution.message).toBeTruthy();
    expect(resolveDefault({ error })).toEqual(resolution);
  });

  it('names an unknown exception like the CDK does', () => {
    expect(resolveError(new RangeError('out of range')).message).toBe('RangeError: out of range');
  });
});
