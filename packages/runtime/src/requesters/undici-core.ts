/**
 * The parts of undici the runtime uses: Agent, the redirect interceptor and the request API,
 * loaded one by one instead of through undici's index, which also evaluates fetch, WebSocket,
 * EventSource, the mock agents, caches and proxy agents. That index costs ~90 ms of every
 * connector process that sends a request, for code it never runs.
 *
 * undici has no `exports` map, so these files are reachable; they are still internals, and
 * undici-core.test.ts checks them against the installed version so an upgrade that moves them
 * fails the build instead of a sync.
 */
import type { Dispatcher } from 'undici';

type UndiciModule = typeof import('undici');

export interface UndiciCore {
  Agent: UndiciModule['Agent'];
  redirect: UndiciModule['interceptors']['redirect'];
  /** undici's request API, called with the dispatcher as `this` (as `dispatcher.request(...)` does). */
  request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
}

interface CommonJsDefault<T> {
  default: T;
}

export async function loadUndiciCore(): Promise<UndiciCore> {
  const [agent, redirect, request] = await Promise.all([
    import('undici/lib/dispatcher/agent.js') as Promise<CommonJsDefault<UndiciCore['Agent']>>,
    import('undici/lib/interceptor/redirect.js') as Promise<CommonJsDefault<UndiciCore['redirect']>>,
    import('undici/lib/api/api-request.js') as Promise<CommonJsDefault<UndiciCore['request']>>,
  ]);
  return { Agent: agent.default, redirect: redirect.default, request: request.default };
}
