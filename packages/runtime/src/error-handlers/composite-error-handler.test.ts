import { describe, expect, it, vi } from 'vitest';
import { CompositeErrorHandler } from './composite-error-handler.js';
import type { ErrorHandler, ErrorResolution, ResponseAction } from './error-handler.js';
import { build, response } from './__tests__/support.js';


function stub(action: ResponseAction, extra: Partial<ErrorHandler> & { backoff?: number } = {}): ErrorHandler {
  const resolution: ErrorResolution = { action, message: action };
  return {
    maxRetries: extra.maxRetries ?? 5,
    maxTimeSeconds: extra.maxTimeSeconds,
    interpret: () => resolution,
    backoffSeconds: () => extra.backoff,
  };
}

const outcome = { response: response(500) };

describe('CompositeErrorHandler.interpret', () => {
  it.each([
    [['RETRY', 'FAIL'], 'RETRY'],
    [['IGNORE', 'RETRY'], 'IGNORE'],
    [['SUCCESS', 'FAIL'], 'SUCCESS'],
    [['RESET_PAGINATION', 'FAIL'], 'RESET_PAGINATION'],
    // FAIL / RATE_LIMITED / REFRESH_TOKEN_THEN_RETRY do not settle: later handlers speak
    [['FAIL', 'RETRY'], 'RETRY'],
    [['FAIL', 'IGNORE'], 'IGNORE'],
    [['RATE_LIMITED', 'RETRY'], 'RETRY'],
    [['REFRESH_TOKEN_THEN_RETRY', 'SUCCESS'], 'SUCCESS'],
    // none settles: the last one stands
    [['FAIL', 'RATE_LIMITED'], 'RATE_LIMITED'],
    [['RATE_LIMITED', 'FAIL'], 'FAIL'],
    [['RATE_LIMITED', 'REFRESH_TOKEN_THEN_RETRY', 'FAIL'], 'FAIL'],
    [['FAIL'], 'FAIL'],
  ] as const)('%j → %s', (actions, expected) => {
    const composite = new CompositeErrorHandler(actions.map((action) => stub(action)));
    expect(composite.interpret(outcome).action).toBe(expected);
  });

  it('takes max_retries from the first handler and max time from the largest', () => {
    const composite = new CompositeErrorHandler([
      stub('FAIL', { maxRetries: 2, maxTimeSeconds: 10 }),
      stub('FAIL', { maxRetries: 9, maxTimeSeconds: 600 }),
      stub('FAIL', { maxRetries: 1, maxTimeSeconds: undefined }),
    ]);
    expect(composite.maxRetries).toBe(2);
    expect(composite.maxTimeSeconds).toBe(600);
  });

  it('takes the first usable backoff across all handlers, whatever handler resolved', () => {
    const composite = new CompositeErrorHandler([stub('RETRY'), stub('FAIL', { backoff: 0 }), stub('FAIL', { backoff: 7 }), stub('FAIL', { backoff: 9 })]);
    expect(composite.backoffSeconds(outcome, 1)).toBe(7);
    expect(new CompositeErrorHandler([stub('RETRY')]).backoffSeconds(outcome, 1)).toBeUndefined();
  });

  it('builds from a manifest, nesting composites', async () => {
    const built = await build<ErrorHandler>({
      type: 'CompositeErrorHandler',
      error_handlers: [
        {
          type: 'DefaultErrorHandler',
          max_retries: 3,
          response_filters: [{ type: 'HttpResponseFilter', predicate: "{{ 'retry_me' in response }}", action: 'RETRY' }],
          backoff_strategies: [{ type: 'ConstantBackoffStrategy', backoff_time_in_seconds: 5 }],
        },
        {
          type: 'CompositeErrorHandler',
          error_handlers: [
            {
              type: 'DefaultErrorHandler',
              response_filters: [{ type: 'HttpResponseFilter', http_codes: [403], action: 'IGNORE' }],
              backoff_strategies: [{ type: 'ConstantBackoffStrategy', backoff_time_in_seconds: 10 }],
            },
          ],
        },
      ],
    });
    expect(built.maxRetries).toBe(3);
    expect(built.interpret({ response: response(400, { retry_me: 1 }) }).action).toBe('RETRY');
    // first handler FAILs the 403 by default mapping; the second IGNOREs it
    expect(built.interpret({ response: response(403) }).action).toBe('IGNORE');
    expect(built.interpret({ response: response(401) })).toMatchObject({ action: 'FAIL', failureType: 'config_error' });
    expect(built.backoffSeconds({ response: response(403) }, 1)).toBe(5);
  });

  it('refuses an empty list of handlers', async () => {
    await expect(build({ type: 'CompositeErrorHandler', error_handlers: [] })).rejects.toThrow(/at least one/);
  });
});
