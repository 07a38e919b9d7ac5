import { describe, expect, it, vi } from 'vitest';
import { parseErrorMessage, responseContext } from './error-message.js';
import type { HttpResponseFilter } from './response-filter.js';
import { build, fakeRun, response } from './__tests__/support.js';


const filter = (model: Record<string, unknown>, config: Record<string, unknown> = {}) =>
  build<HttpResponseFilter>({ type: 'HttpResponseFilter', ...model }, config);

describe('HttpResponseFilter matching', () => {
  it.each([
    ['listed code', { http_codes: [404] }, response(404), true],
    ['unlisted code', { http_codes: [404] }, response(500), false],
    ['code on a success', { http_codes: [200] }, response(200), true],
    ['predicate on body', { predicate: "{{ 'code' in response }}" }, response(200, { code: 7 }), true],
    ['predicate false', { predicate: "{{ 'code' in response }}" }, response(200, { ok: 1 }), false],
    ['predicate on headers, any case', { predicate: "{{ headers['X-Error'] == 'yes' }}" }, response(200, '', { 'x-error': 'yes' }), true],
    ['predicate on non-JSON body sees {}', { predicate: '{{ response == {} }}' }, response(500, '<html>'), true],
    ['message contains (JSON)', { error_message_contains: 'not enabled' }, response(400, { error: { message: 'API not enabled here' } }), true],
    ['message contains (text)', { error_message_contains: 'not enabled' }, response(400, 'feature not enabled'), true],
    ['message does not contain', { error_message_contains: 'quota' }, response(400, { message: 'bad' }), false],
    ['any condition suffices (OR)', { http_codes: [401], error_message_contains: 'quota' }, response(403, { message: 'quota exceeded' }), true],
  ])('%s', async (_, model, res, matches) => {
    const built = await filter({ action: 'IGNORE', ...model });
    expect(built.matches({ response: res }) !== undefined).toBe(matches);
  });

  it('never matches without an action, and warns at build', async () => {
    const run = fakeRun();
    const warn = vi.spyOn(run.run.logger, 'warn');
    const built = await build<HttpResponseFilter>({ type: 'HttpResponseFilter', http_codes: [404] }, {}, run);
    expect(built.matches({ response: response(404) })).toBeUndefined();
    expect(warn).toHaveBeenCalledOnce();
  });

  it('never matches without a condition, and warns at build', async () => {
    const run = fakeRun();
    const warn = vi.spyOn(run.run.logger, 'warn');
    const built = await build<HttpResponseFilter>({ type: 'HttpResponseFilter', action: 'IGNORE' }, {}, run);
    expect(built.matches({ response: response(404) })).toBeUndefined();
    expect(warn).toHaveBeenCalledOnce();
  });

  it('never matches an exception', async () => {
    const built = await filter({ action: 'IGNORE', predicate: '{{ true }}' });
    expect(built.matches({ error: new Error('ECONNRESET') })).toBeUndefined();
  });

  it.each(['SUCCESS', 'FAIL', 'RETRY', 'IGNORE', 'RATE_LIMITED', 'RESET_PAGINATION', 'REFRESH_TOKEN_THEN_RETRY'])(
    'returns action %s',
    async (action) => {
      const built = await filter({ action, http_codes: [418] });
      expect(built.matches({ response: response(418) })?.action).toBe(action);
    },
  );

  it('rejects an unknown action or failure type', async () => {
    await expect(filter({ action: 'EXPLODE', http_codes: [400] })).rejects.toThrow(/unknown action 'EXPLODE'/);
    await expect(filter({ action: 'FAIL', failure_type: 'user_error', http_codes: [400] })).rejects.toThrow(/unknown failure_type/);
  });
});

describe('HttpResponseFilter resolution', () => {
  it.each([
    // [action, failure_type, status, expected failure type]
    ['FAIL', 'config_error', 404, 'config_error'], // configured type used with FAIL
    ['FAIL', 'transient_error', 200, 'transient_error'],
    ['RETRY', 'config_error', 404, 'system_error'], // ignored without FAIL: the mapping's
    ['RETRY', 'config_error', 401, 'config_error'],
    ['IGNORE', undefined, 429, 'transient_error'],
    ['FAIL', undefined, 403, 'config_error'],
    ['FAIL', undefined, 409, 'system_error'], // unmapped status
    ['FAIL', undefined, 200, 'system_error'],
    ['RETRY', undefined, 501, 'transient_error'], // our extension: 5xx are transient
  ] as const)('%s with failure_type %s on %i → %s', async (action, failureType, status, expected) => {
    const built = await filter({ action, failure_type: failureType, http_codes: [status] });
    expect(built.matches({ response: response(status) })?.failureType).toBe(expected);
  });

  it('uses the rendered error_message', async () => {
    const built = await filter(
      { action: 'FAIL', http_codes: [400], error_message: "Account {{ config['account'] }}: {{ response.error }} ({{ headers['X-Request-Id'] }})" },
      { account: 'acme' },
    );
    const res = response(400, { error: 'bad field' }, { 'x-request-id': 'r-1' });
    expect(built.matches({ response: res })?.message).toBe('Account acme: bad field (r-1)');
  });

  it('falls back to the default message of the status, then to none', async () => {
    const mapped = await filter({ action: 'FAIL', http_codes: [403] });
    expect(mapped.matches({ response: response(403) })?.message).toMatch(/^HTTP 403/);
    const blank = await filter({ action: 'FAIL', http_codes: [403], error_message: "{{ response.missing or '' }}" });
    expect(blank.matches({ response: response(403, {}) })?.message).toMatch(/^HTTP 403/);
    const unmapped = await filter({ action: 'FAIL', http_codes: [409] });
    const resolution = unmapped.matches({ response: response(409) });
    expect(resolution).toEqual({ action: 'FAIL', failureType: 'system_error' });
  });
});

describe('error message parsing (as for error_message_contains)', () => {
  it.each([
    [{ message: 'plain' }, 'plain'],
    [{ error: 'err field' }, 'err field'],
    [{ error: { message: 'nested' } }, 'nested'],
    [{ errors: [{ message: 'a' }, { detail: 'b' }, { code: 1 }] }, 'a, b'],
    [{ message: '', error: 'second key wins over empty first' }, 'second key wins over empty first'],
    [{ messages: ['x', 'y'] }, 'x, y'],
    [{ failures: 'f' }, 'f'],
    [{ detail: 'd' }, 'd'],
    [{ err: 'e' }, 'e'],
    [{ error_message: 'em' }, 'em'],
    [{ msg: 'm' }, 'm'],
    [{ reason: 'r' }, 'r'],
    [{ status_message: 's' }, 's'],
    [{ error: 500 }, undefined],
    [{ code: 'nothing known' }, undefined],
    [['top', { message: 'level' }], 'top, level'],
    ['bare string', 'bare string'],
    [42, undefined],
  ])('%j → %j', (body, expected) => {
    expect(parseErrorMessage(response(400, JSON.stringify(body)))).toBe(expected);
  });

  it('returns the text of a body that is not JSON', () => {
    expect(parseErrorMessage(response(502, '<html>Bad gateway</html>'))).toBe('<html>Bad gateway</html>');
  });

  it('gives templates the JSON body, or {} when not JSON', () => {
    expect(responseContext(response(200, '[1,2]')).response).toEqual([1, 2]);
    expect(responseContext(response(200, 'nope')).response).toEqual({});
    expect(responseContext(response(200, '')).response).toEqual({});
  });
});
