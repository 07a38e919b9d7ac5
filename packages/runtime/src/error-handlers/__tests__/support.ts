/**
 * Test support for error handling and rate limiting: a fake run (fake clock and sleep), a build
 * context with our builders, and responses.
 */
import type { RunContext } from '../../context.js';
import { BuildContext, type Builder, type Model } from '../../factory/build-context.js';
import { silentLogger } from '../../logging/logger.js';
import { SecretMasker } from '../../logging/mask.js';
import { type HttpRequest, type HttpResponse, makeResponse } from '../../requesters/http-client.js';

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
