import { describe, expect, it, vi } from 'vitest';
import { DefaultErrorHandler } from './default-error-handler.js';
import type { BackoffStrategy, ErrorHandler } from './error-handler.js';
import { build, response } from './__tests__/support.js';


const handler = (model: Record<string, unknown> = {}, config: Record<string, unknown> = {}) =>
  build<ErrorHandler>({ type: 'DefaultErrorHandler', ...model }, config);

const fixed = (seconds: number | undefined): BackoffStrategy => ({ backoffSeconds: () => seconds });

describe('DefaultErrorHandler.interpret', () => {
  it('uses the default mapping when no filter is configured', async () => {
    const built = await handler();
    expect(built.interpret({ response: response(200) }).action).toBe('SUCCESS');
    expect(built.interpret({ response: response(401) })).toMatchObject({ action: 'FAIL', failureType: 'config_error' });
    expect(built.interpret({ response: response(429) }).action).toBe('RATE_LIMITED');
    expect(built.interpret({ error: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }).action).toBe('RETRY');
  });

  it('asks the filters first, in order, and falls back to the mapping', async () => {
    const built = await handler({
      response_filters: [
        { type: 'HttpResponseFilter', http_codes: [404], action: 'IGNORE' },
        { type: 'HttpResponseFilter', http_codes: [404, 403], action: 'RETRY' },
        { type: 'HttpResponseFilter', predicate: "{{ response.status == 'error' }}", action: 'FAIL', failure_type: 'config_error', error_message: 'Body says error' },
      ],
    });
    expect(built.interpret({ response: response(404) }).action).toBe('IGNORE');
    expect(built.interpret({ response: response(403) }).action).toBe('RETRY');
    // filters see successful responses too
    expect(built.interpret({ response: response(200, { status: 'error' }) })).toEqual({
      action: 'FAIL',
      failureType: 'config_error',
      message: 'Body says error',
    });
    expect(built.interpret({ response: response(200, { status: 'ok' }) }).action).toBe('SUCCESS');
    expect(built.interpret({ response: response(500) }).action).toBe('RETRY');
  });

  it('accepts filters without a type (the default type)', async () => {
    const built = await handler({ response_filters: [{ http_codes: [400], action: 'IGNORE' }] });
    expect(built.interpret({ response: response(400) }).action).toBe('IGNORE');
  });
});

describe('DefaultErrorHandler limits', () => {
  it.each([
    [{}, {}, 5],
    [{ max_retries: 0 }, {}, 0],
    [{ max_retries: 12 }, {}, 12],
    [{ max_retries: "{{ config['retries'] }}" }, { retries: 3 }, 3],
    [{ max_retries: "{{ config['retries'] }}" }, { retries: '7' }, 7],
    [{ max_retries: "{{ config['retries'] }}" }, {}, 5], // template default
  ])('max_retries %j with config %j → %i', async (model, config, expected) => {
    expect((await handler(model, config)).maxRetries).toBe(expected);
  });

  it('refuses a max_retries that is not an integer', async () => {
    await expect(handler({ max_retries: "{{ config['retries'] }}" }, { retries: 'many' })).rejects.toThrow(/max_retries did not evaluate to an integer/);
  });

  it('has the CDK max time of 600 seconds, or max_time when given', async () => {
    expect((await handler()).maxTimeSeconds).toBe(600);
    expect((await handler({ max_time: 30 })).maxTimeSeconds).toBe(30);
  });
});

describe('DefaultErrorHandler.backoffSeconds', () => {
  const outcome = { response: response(500) };
  it.each([
    [[], undefined],
    [[undefined], undefined],
    [[3], 3],
    [[undefined, 4, 9], 4],
    [[0, 6], 6], // a zero wait is no opinion, as in the CDK
    [[Number.NaN, 2], 2],
  ])('strategies %j → %j', (values, expected) => {
    const built = new DefaultErrorHandler({ strategies: values.map(fixed) });
    expect(built.backoffSeconds(outcome, 1)).toBe(expected);
  });

  it('passes the attempt to the strategies', async () => {
    const built = await handler({ backoff_strategies: [{ type: 'ExponentialBackoffStrategy', factor: 2 }] });
    expect([1, 2, 3].map((attempt) => built.backoffSeconds(outcome, attempt))).toEqual([4, 8, 16]);
  });

  it('lets a refusing strategy stop the read', async () => {
    const built = await handler({
      backoff_strategies: [{ type: 'WaitTimeFromHeader', header: 'Retry-After', max_waiting_time_in_seconds: 60 }],
    });
    expect(() => built.backoffSeconds({ response: response(429, '', { 'retry-after': '3600' }) }, 1)).toThrow(
      /max_waiting_time_in_seconds/,
    );
  });
});
