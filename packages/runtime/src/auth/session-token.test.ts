import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunContext } from '../context.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { BuildContext, type Builder, type Model } from '../factory/build-context.js';
import { silentLogger } from '../logging/logger.js';
import { SecretMasker } from '../logging/mask.js';
import { UndiciHttpClient } from '../requesters/http-client.js';
import { buildRequestOption } from '../requesters/request-option.js';
import type { Authenticator } from './authenticator.js';
import { authBuilders } from './builders.js';
import type { LoginRequester } from './session-token.js';
import { type Reply, type Seen, startServer } from './__tests__/token-server.js';


/** A stand-in for the real HttpRequester builder: url_base + path, JSON body, no retries. */
const fakeLoginRequester: Builder<LoginRequester> = (model, ctx) => ({
  sendOnce: () =>
    ctx.run.http.send({
      method: String(model.http_method ?? 'GET'),
      url: `${String(model.url_base)}${String(model.path ?? '')}`,
      headers: { 'content-type': 'application/json' },
      body: model.request_body_json ? JSON.stringify(model.request_body_json) : undefined,
    }),
});

function harness(config: Record<string, unknown> = {}) {
  const state = { now: Date.UTC(2026, 0, 1) };
  const http = new UndiciHttpClient();
  const run: RunContext = {
    config,
    logger: silentLogger(),
    http,
    masker: new SecretMasker(),
    clock: () => state.now,
    sleep: async () => {},
    emit: () => {},
  };
  const registry = new Map<string, Builder>([
    ...Object.entries(authBuilders),
    ['RequestOption', buildRequestOption],
    ['HttpRequester', fakeLoginRequester],
  ]);
  const ctx = new BuildContext(run, registry, 'authenticator');
  return { run, state, build: (model: Model) => ctx.component<Authenticator>(model), close: () => http.close() };
}

describe('SessionTokenAuthenticator', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let counter = 0;
  let h: ReturnType<typeof harness> | undefined;
  beforeEach(async () => {
    counter = 0;
    server = await startServer((req) => {
      if (req.url === '/login') return { json: { data: { token: `session-${++counter}` } } };
      if (req.url === '/validate') return { status: req.headers['x-session'] === 'good' ? 200 : 401 };
      if (req.url === '/legacy-login') return { json: { session_id: 'legacy-session' } };
      return { status: 404 };
    });
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
    await server.close();
  });

  const model = (extra: Model = {}): Model => ({
    type: 'SessionTokenAuthenticator',
    login_requester: { type: 'HttpRequester', url_base: server.url, path: '/login', http_method: 'POST', request_body_json: { u: 'me' } },
    session_token_path: ['data', 'token'],
    request_authentication: { type: 'Bearer' },
    ...extra,
  });

  it('sends the token as a Bearer header; without expiration_duration it logs in for every use, as the CDK does', async () => {
    h = harness();
    const auth = h.build(model());
    expect((await auth.options()).headers).toEqual({ Authorization: 'Bearer session-1' });
    expect((await auth.options()).headers).toEqual({ Authorization: 'Bearer session-2' });
    expect(server.seen).toHaveLength(2);
    expect(server.seen[0]!.body).toBe('{"u":"me"}');
    expect(h.run.masker.mask('session-1')).toBe('****');
  });

  it('injects with ApiKey and the api_token template', async () => {
    h = harness();
    const auth = h.build(
      model({
        request_authentication: {
          type: 'ApiKey',
          inject_into: { type: 'RequestOption', inject_into: 'header', field_name: 'Authorization' },
          api_token: 'Token {{ session_token }}',
        },
      }),
    );
    expect((await auth.options()).headers).toEqual({ Authorization: 'Token session-1' });
    const plain = h.build(
      model({
        request_authentication: {
          type: 'ApiKey',
          inject_into: { type: 'RequestOption', inject_into: 'request_parameter', field_name: 'sid' },
        },
      }),
    );
    expect((await plain.options()).params).toEqual({ sid: 'session-2' });
  });

  it('logs in again after expiration_duration and after invalidate()', async () => {
    h = harness();
    const auth = h.build(model({ expiration_duration: 'PT1H' }));
    await auth.options();
    h.state.now += 3_600_000;
    expect((await auth.options()).headers).toEqual({ Authorization: 'Bearer session-1' });
    h.state.now += 1;
    expect((await auth.options()).headers).toEqual({ Authorization: 'Bearer session-2' });
    expect(await auth.invalidate?.()).toBe(true);
    expect((await auth.options()).headers).toEqual({ Authorization: 'Bearer session-3' });
  });

  it('fails with AUTH_FAILED when the token is not at session_token_path', async () => {
    h = harness();
    const error = (await h
      .build(model({ session_token_path: ['data', 'missing'] }))
      .options()
      .catch((e: unknown) => e)) as RuntimeError;
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toContain('data.missing');
  });

  it('rejects a bad expiration_duration at build time', () => {
    h = harness();
    expect(() => h!.build(model({ expiration_duration: 'one hour' }))).toThrow(/ISO 8601/);
  });
});

describe('LegacySessionTokenAuthenticator', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let h: ReturnType<typeof harness> | undefined;
  beforeEach(async () => {
    server = await startServer((req) => {
      if (req.url === '/validate') return { status: req.headers['x-session'] === 'good' ? 200 : 401 };
      if (req.url === '/login') return { json: { session_id: 'legacy-session' } };
      return { status: 404 };
    });
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
    await server.close();
  });
  const model = (): Model => ({
    type: 'LegacySessionTokenAuthenticator',
    api_url: server.url,
    header: 'X-Session',
    session_token: "{{ config['session_token'] }}",
    session_token_response_key: 'session_id',
    username: "{{ config['username'] }}",
    password: "{{ config['password'] }}",
    login_url: '/login',
    validate_session_url: '/validate',
  });

  it('keeps a configured session token that validates', async () => {
    h = harness({ session_token: 'good' });
    expect((await h.build(model()).options()).headers).toEqual({ 'X-Session': 'good' });
  });

  it('logs in with username and password when the configured token is rejected', async () => {
    h = harness({ session_token: 'bad', username: 'u', password: 'p' });
    expect((await h.build(model()).options()).headers).toEqual({ 'X-Session': 'legacy-session' });
    const login = server.seen.find((r) => r.url === '/login')!;
    expect(JSON.parse(login.body)).toEqual({ username: 'u', password: 'p' });
  });

  it('fails without a valid token or credentials', async () => {
    h = harness({ session_token: 'bad' });
    await expect(h.build(model()).options()).rejects.toThrow(/Invalid credentials/);
  });
});
