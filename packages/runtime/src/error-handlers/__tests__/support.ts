/**
 * Test support for error handling and rate limiting: a fake run (fake clock and sleep), a build
 * context with our builders, responses, and a tiny stand-in for the interpolation engine (it
 * evaluates `{{ expr }}` as a JavaScript expression over config/response/headers/parameters),
 * used through `vi.mock` of our interpolation adapter.
 */
import type { RunContext } from '../../context.js';
import { BuildContext, type Builder, type Model } from '../../factory/build-context.js';
import { silentLogger } from '../../logging/logger.js';
import { SecretMasker } from '../../logging/mask.js';
import { type HttpRequest, type HttpResponse, makeResponse } from '../../requesters/http-client.js';
import type { Condition, Template } from '../interpolate.js';

export const T0 = 1_700_000_000_000;

export interface FakeRun {
  run: RunContext;
  sleeps: number[];
  now(): number;
  advance(ms: number): void;
}

export function fakeRun(config: Record<string, unknown> = {}, start = T0): FakeRun {
  let now = start;
  const sleeps: number[] = [];
  const run: RunContext = {
    config,
    logger: silentLogger(),
    http: {
      send: () => Promise.reject(new Error('no HTTP in these tests')),
      close: () => Promise.resolve(),
    },
    masker: new SecretMasker(),
    clock: () => now,
    sleep: (ms: number) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    emit: () => {},
  };
  return { run, sleeps, now: () => now, advance: (ms) => (now += ms) };
}

export async function buildersContext(run: RunContext, path = 'error_handler'): Promise<BuildContext> {
  const { errorHandlerBuilders } = await import('../builders.js');
  const { rateLimitBuilders } = await import('../../rate-limiting/builders.js');
  const registry = new Map<string, Builder>(Object.entries({ ...errorHandlerBuilders, ...rateLimitBuilders }));
  return new BuildContext(run, registry, path);
}

export async function build<T>(model: Model, config: Record<string, unknown> = {}, run?: FakeRun): Promise<T> {
  const ctx = await buildersContext((run ?? fakeRun(config)).run);
  return ctx.component<T>(model);
}

export const REQUEST: HttpRequest = { method: 'GET', url: 'https://api.example.com/v1/items', headers: {} };

export function response(status: number, body: unknown = '', headers: Record<string, string> = {}): HttpResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return makeResponse(REQUEST, status, headers, Buffer.from(text));
}

// ---- the interpolation stand-in ----

function evaluate(expression: string, scope: Record<string, unknown>): unknown {
  const js = expression
    .replace(/\bTrue\b/g, 'true')
    .replace(/\bFalse\b/g, 'false')
    .replace(/\bNone\b/g, 'null')
    .replace(/\band\b/g, '&&')
    .replace(/\bor\b/g, '||')
    .replace(/\bnot\b/g, '!');
  const names = Object.keys(scope);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(...names, `return (${js});`)(...names.map((name) => scope[name])) as unknown;
}

function render(source: string, scope: Record<string, unknown>): unknown {
  const whole = /^\s*\{\{(.*)\}\}\s*$/s.exec(source);
  if (whole && !whole[1]!.includes('}}')) return evaluate(whole[1]!, scope);
  return source.replace(/\{\{(.*?)\}\}/gs, (_, expression: string) => String(evaluate(expression, scope) ?? ''));
}

export const interpolationStub = {
  template(source: string, parameters: Record<string, unknown>, fallback?: string): Template {
    return {
      source,
      eval: (config, extra) => {
        const value = render(source, { config, parameters, ...extra });
        return (value === undefined || value === null || value === '') && fallback !== undefined ? fallback : value;
      },
    };
  },
  numberOrTemplate(value: unknown, parameters: Record<string, unknown>): Template {
    if (typeof value === 'number') return { source: String(value), eval: () => value };
    return interpolationStub.template(String(value), parameters);
  },
  condition(source: string, parameters: Record<string, unknown>): Condition {
    return { source, eval: (config, extra) => Boolean(render(source, { config, parameters, ...extra })) };
  },
};
