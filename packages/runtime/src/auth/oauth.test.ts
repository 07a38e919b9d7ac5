import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HttpExchange, RunContext } from '../context.js';
import { parseDuration } from '../datetime/duration.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { BuildContext, type Builder, type Model } from '../factory/build-context.js';
import { silentLogger } from '../logging/logger.js';
import { SecretMasker } from '../logging/mask.js';
import type { AirbyteMessage } from '../protocol/messages.js';
import { UndiciHttpClient } from '../requesters/http-client.js';
import { buildRequestOption } from '../requesters/request-option.js';
import { authBuilders } from './builders.js';
import {
  type OAuthAuthenticator,
  dpathGet,
  dpathNew,
  findInResponse,
  formEncode,
  parseAirbyteDatetime,
  pyStr,
  pythonIsoUtc,
} from './oauth.js';
import { addDuration } from './session-token.js';
import { type Reply, type Seen, startServer } from './__tests__/token-server.js';

describe('auth helpers', () => {
  it('form-encodes like requests (None dropped, lists repeated, quote_plus)', () => {
    expect(formEncode({ a: 'x y', b: null, c: ['1', '2'], d: true, e: 1.5, f: "*~!'()" })).toBe(
      'a=x+y&c=1&c=2&d=True&e=1.5&f=%2A~%21%27%28%29',
    );
  });

  it('parses datetimes like ab_datetime_parse', () => {
    expect(parseAirbyteDatetime('1700000000')).toBe(1_700_000_000_000);
    expect(parseAirbyteDatetime(1700000000)).toBe(1_700_000_000_000);
    expect(parseAirbyteDatetime('2026-01-02')).toBe(Date.UTC(2026, 0, 2));
    expect(parseAirbyteDatetime('2026-01-02T03:04:05Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(parseAirbyteDatetime('2026-01-02 03:04:05.250+02:00')).toBe(Date.UTC(2026, 0, 2, 1, 4, 5, 250));
    expect(parseAirbyteDatetime('2026-01-02T03:04:05')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(parseAirbyteDatetime('01/02/2026 03:04:05')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    // Like the CDK: a time with fewer than two '-' or '/' has no date part.
    expect(() => parseAirbyteDatetime('Fri, 02 Jan 2026 03:04:05 GMT')).toThrow(/Could not parse datetime string/);
    expect(() => parseAirbyteDatetime('12345678901')).toThrow(/too large/);
    expect(() => parseAirbyteDatetime('10:00:00')).toThrow(/Could not parse datetime string/);
    expect(() => parseAirbyteDatetime('2026-13-01')).toThrow(/Invalid date format/);
    expect(() => parseAirbyteDatetime('')).toThrow();
  });

  it('prints datetimes as str(AirbyteDateTime)', () => {
    expect(pythonIsoUtc(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02T03:04:05+00:00');
    expect(pythonIsoUtc(Date.UTC(2026, 0, 2, 3, 4, 5, 120))).toBe('2026-01-02T03:04:05.120000+00:00');
  });

  it('formats values as Python str()', () => {
    expect(pyStr(null)).toBe('None');
    expect(pyStr(false)).toBe('False');
    expect(pyStr(2.5)).toBe('2.5');
    expect(pyStr(['a', 1])).toBe("['a', 1]");
  });

  it('reads and writes dpath paths', () => {
    const config: Record<string, unknown> = { a: { b: [10, 20] } };
    expect(dpathGet(config, ['a', 'b', '1'])).toEqual({ found: true, value: 20 });
    expect(dpathGet(config, ['a', 'x']).found).toBe(false);
    dpathNew(config, ['c', 'd'], 'v');
    expect(config.c).toEqual({ d: 'v' });
  });

  it('searches response keys five levels deep', () => {
    expect(findInResponse({ data: [{ token: 't' }] }, 'token')).toBe('t');
    expect(findInResponse({ token: null, other: { token: 'n' } }, 'token')).toBe(null);
    expect(findInResponse({ a: { token: null }, b: { token: 'n' } }, 'token')).toBe('n');
    expect(() => findInResponse({ a: { b: { c: { d: { e: { f: 1 } } } } } }, 'token')).toThrow(/maximum level/);
  });

  it('adds ISO durations with calendar months', () => {
    expect(addDuration(Date.UTC(2026, 0, 31, 5), parseDuration('P1M'))).toBe(Date.UTC(2026, 1, 28, 5));
    expect(addDuration(Date.UTC(2026, 0, 1), parseDuration('PT1H30M'))).toBe(Date.UTC(2026, 0, 1, 1, 30));
  });
});

// ---------------------------------------------------------------------------------------------
// OAuthAuthenticator against a real local token endpoint.
// ---------------------------------------------------------------------------------------------


const START = Date.UTC(2026, 0, 1);

function harness(config: Record<string, unknown>) {
  const state = { now: START, slept: [] as number[], messages: [] as AirbyteMessage[] };
  const http = new UndiciHttpClient();
  const run: RunContext = {
    config,
    logger: silentLogger(),
    http,
    masker: new SecretMasker(),
    clock: () => state.now,
    sleep: async (ms) => {
      state.slept.push(ms);
    },
    emit: (message) => state.messages.push(message),
  };
  const registry = new Map<string, Builder>([...Object.entries(authBuilders), ['RequestOption', buildRequestOption]]);
  const ctx = new BuildContext(run, registry, 'authenticator');
  return { run, ctx, state, build: <T = OAuthAuthenticator>(model: Model) => ctx.component<T>(model), close: () => http.close() };
}

function form(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

describe('OAuthAuthenticator', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let replies: Reply[] = [];
  let h: ReturnType<typeof harness> | undefined;
  beforeEach(async () => {
    replies = [];
    server = await startServer(() => replies.shift() ?? { json: { access_token: 'default-token', expires_in: 3600 } });
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
    await server.close();
  });

  const base = () => ({
    type: 'OAuthAuthenticator',
    token_refresh_endpoint: `${server.url}/oauth/token`,
    client_id: "{{ config['client_id'] }}",
    client_secret: "{{ config['client_secret'] }}",
    refresh_token: "{{ config['refresh_token'] }}",
  });
  const config = () => ({ client_id: 'cid', client_secret: 'csecret', refresh_token: 'rtoken' });

  it('refreshes with the refresh_token grant as a form body and masks the token', async () => {
    replies.push({ json: { access_token: 'access-1', expires_in: 3600 } });
    h = harness(config());
    const auth = h.build(base());
    expect(await auth.options()).toEqual({ headers: { Authorization: 'Bearer access-1' } });
    expect(server.seen).toHaveLength(1);
    const req = server.seen[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/oauth/token');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.body).toBe('grant_type=refresh_token&client_id=cid&client_secret=csecret&refresh_token=rtoken');
    expect(h.run.masker.mask('token access-1 here')).toBe('token **** here');
    // Still valid: no second call.
    await auth.options();
    expect(server.seen).toHaveLength(1);
  });

  it('supports client_credentials with scopes, extra body fields and headers', async () => {
    replies.push({ json: { access_token: 'cc-token', expires_in: 60 } });
    h = harness(config());
    const { refresh_token: _ignored, ...model } = base();
    const auth = h.build({
      ...model,
      grant_type: 'client_credentials',
      scopes: ['read', 'write'],
      refresh_request_body: { audience: "{{ config['client_id'] }}-api", grant_type: 'ignored' },
      refresh_request_headers: { 'X-Tenant': 'acme' },
    });
    await auth.options();
    const req = server.seen[0]!;
    expect(form(req.body)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'cid',
      client_secret: 'csecret',
      scopes: ['read', 'write'],
      audience: 'cid-api',
    });
    expect(req.headers['x-tenant']).toBe('acme');
  });

  it('uses custom field names and finds nested response keys', async () => {
    replies.push({ json: { data: { token: 'nested-token', ttl: '120' } } }, { json: { data: { token: 'second' } } });
    h = harness(config());
    const auth = h.build({
      ...base(),
      client_id_name: 'app_id',
      client_secret_name: 'app_secret',
      refresh_token_name: 'rt',
      grant_type_name: 'kind',
      access_token_name: 'token',
      expires_in_name: 'ttl',
    });
    expect(await auth.options()).toEqual({ headers: { Authorization: 'Bearer nested-token' } });
    expect(form(server.seen[0]!.body)).toEqual({ kind: 'refresh_token', app_id: 'cid', app_secret: 'csecret', rt: 'rtoken' });
    h.state.now += 119_000;
    await auth.options();
    expect(server.seen).toHaveLength(1);
    h.state.now += 2_000;
    await auth.options();
    expect(server.seen).toHaveLength(2);
  });

  it('refreshes only once the expires_in window has passed (fake clock)', async () => {
    replies.push({ json: { access_token: 'a1', expires_in: 100 } }, { json: { access_token: 'a2', expires_in: 100 } });
    h = harness(config());
    const auth = h.build(base());
    expect((await auth.options()).headers.Authorization).toBe('Bearer a1');
    h.state.now += 100_000; // exactly at expiry: not yet expired (now > expiry is the test)
    expect((await auth.options()).headers.Authorization).toBe('Bearer a1');
    h.state.now += 1;
    expect((await auth.options()).headers.Authorization).toBe('Bearer a2');
    expect(server.seen).toHaveLength(2);
  });

  it('reads the expiry as a date when token_expiry_date_format is set', async () => {
    replies.push(
      { json: { access_token: 'd1', expires_at: '2026-01-01T02:00:00Z' } },
      { json: { access_token: 'd2', expires_at: '2026-01-01T05:00:00Z' } },
    );
    h = harness(config());
    const auth = h.build({ ...base(), expires_in_name: 'expires_at', token_expiry_date_format: 'YYYY-MM-DDTHH:mm:ss[Z]' });
    await auth.options();
    h.state.now = Date.UTC(2026, 0, 1, 1, 59);
    expect((await auth.options()).headers.Authorization).toBe('Bearer d1');
    h.state.now = Date.UTC(2026, 0, 1, 2, 0, 1);
    expect((await auth.options()).headers.Authorization).toBe('Bearer d2');
  });

  it('defaults the expiry to one hour when the response has none', async () => {
    replies.push({ json: { access_token: 'n1' } }, { json: { access_token: 'n2' } });
    h = harness(config());
    const auth = h.build(base());
    await auth.options();
    h.state.now += 3_600_000;
    expect((await auth.options()).headers.Authorization).toBe('Bearer n1');
    h.state.now += 1;
    expect((await auth.options()).headers.Authorization).toBe('Bearer n2');
  });

  it('uses access_token_value until token_expiry_date, then refreshes', async () => {
    replies.push({ json: { access_token: 'fresh', expires_in: 3600 } });
    h = harness({ ...config(), access_token: 'stored', expires: '2026-01-01T00:10:00+00:00' });
    const auth = h.build({
      ...base(),
      access_token_value: "{{ config['access_token'] }}",
      token_expiry_date: "{{ config['expires'] }}",
    });
    expect((await auth.options()).headers.Authorization).toBe('Bearer stored');
    expect(server.seen).toHaveLength(0);
    h.state.now += 11 * 60_000;
    expect((await auth.options()).headers.Authorization).toBe('Bearer fresh');
  });

  it('uses a static access_token_value when there is no endpoint', async () => {
    h = harness({ ...config(), access_token: 'static-token' });
    const { token_refresh_endpoint: _none, ...model } = base();
    const auth = h.build({ ...model, access_token_value: "{{ config['access_token'] }}" });
    expect((await auth.options()).headers.Authorization).toBe('Bearer static-token');
    expect(await auth.invalidate()).toBe(false);
    expect(server.seen).toHaveLength(0);
  });

  it('rotates refresh tokens into the config and emits a CONTROL message', async () => {
    replies.push(
      { json: { access_token: 'acc-1', refresh_token: 'refresh-2', expires_in: 3600 } },
      { json: { access_token: 'acc-2', refresh_token: 'refresh-3', expires_in: 3600 } },
    );
    const cfg = {
      other: 1,
      credentials: { client_id: 'cid', client_secret: 'csecret', refresh_token: 'refresh-1' },
    };
    h = harness(cfg);
    const auth = h.build({
      type: 'OAuthAuthenticator',
      token_refresh_endpoint: `${server.url}/oauth/token`,
      client_id: "{{ config['credentials']['client_id'] }}",
      client_secret: "{{ config['credentials']['client_secret'] }}",
      refresh_token: "{{ config['credentials']['refresh_token'] }}",
      refresh_token_updater: {},
    });
    expect((await auth.options()).headers.Authorization).toBe('Bearer acc-1');
    expect(form(server.seen[0]!.body)).toEqual({
      grant_type: 'refresh_token',
      client_id: 'cid',
      client_secret: 'csecret',
      refresh_token: 'refresh-1',
    });
    // The run's config itself now holds the new tokens.
    expect(h.run.config).toEqual({
      other: 1,
      credentials: {
        client_id: 'cid',
        client_secret: 'csecret',
        refresh_token: 'refresh-2',
        access_token: 'acc-1',
        token_expiry_date: '2026-01-01T01:00:00+00:00',
      },
    });
    expect(h.state.messages).toEqual([
      {
        type: 'CONTROL',
        control: { type: 'CONNECTOR_CONFIG', emitted_at: START, connectorConfig: { config: structuredClone(h.run.config) } },
      },
    ]);
    expect(h.run.masker.mask('refresh-2 acc-1')).toBe('**** ****');
    // The next refresh (after a 401) sends the rotated refresh token.
    expect(await auth.invalidate()).toBe(true);
    expect(form(server.seen[1]!.body).refresh_token).toBe('refresh-2');
    expect((h.run.config.credentials as Record<string, unknown>).refresh_token).toBe('refresh-3');
    expect(h.state.messages).toHaveLength(2);
  });

  it('rotates with custom config paths, a dated expiry, and keeps the refresh token the response omits', async () => {
    replies.push({ json: { token: 'acc-x', expires_at: '2026-01-01T03:00:00+02:00' } }, { json: { token: 'acc-y' } });
    const cfg = { auth: { rt: 'keep-me' }, client_id: 'cid' };
    h = harness(cfg);
    const auth = h.build({
      type: 'OAuthAuthenticator',
      token_refresh_endpoint: `${server.url}/oauth/token`,
      client_id: "{{ config['client_id'] }}",
      client_secret: 'literal-secret',
      access_token_name: 'token',
      expires_in_name: 'expires_at',
      token_expiry_date_format: '%Y-%m-%dT%H:%M:%S%z',
      refresh_token_updater: {
        refresh_token_name: 'rt',
        access_token_config_path: ['auth', 'at'],
        refresh_token_config_path: ['auth', 'rt'],
        token_expiry_date_config_path: ['auth', 'exp'],
      },
    });
    expect((await auth.options()).headers.Authorization).toBe('Bearer acc-x');
    expect(form(server.seen[0]!.body)).toEqual({
      grant_type: 'refresh_token',
      client_id: 'cid',
      client_secret: 'literal-secret',
      rt: 'keep-me',
    });
    expect(h.run.config.auth).toEqual({ rt: 'keep-me', at: 'acc-x', exp: '2026-01-01T03:00:00+02:00' });
    h.state.now = Date.UTC(2026, 0, 1, 0, 59);
    await auth.options();
    expect(server.seen).toHaveLength(1);
    h.state.now = Date.UTC(2026, 0, 1, 1, 0, 1);
    await auth.options();
    expect(server.seen).toHaveLength(2);
  });

  it('reuses a still-valid access token stored in the config by a previous run', async () => {
    const cfg = {
      credentials: {
        client_id: 'cid',
        client_secret: 'cs',
        refresh_token: 'r',
        access_token: 'kept',
        token_expiry_date: '2026-01-01T06:00:00+00:00',
      },
    };
    h = harness(cfg);
    const auth = h.build({
      type: 'OAuthAuthenticator',
      token_refresh_endpoint: `${server.url}/oauth/token`,
      refresh_token_updater: { refresh_token_name: 'refresh_token' },
    });
    expect((await auth.options()).headers.Authorization).toBe('Bearer kept');
    expect(server.seen).toHaveLength(0);
  });

  it('invalidate() forces a refresh', async () => {
    replies.push({ json: { access_token: 'i1', expires_in: 3600 } }, { json: { access_token: 'i2', expires_in: 3600 } });
    h = harness(config());
    const auth = h.build(base());
    await auth.options();
    expect(await auth.invalidate()).toBe(true);
    expect((await auth.options()).headers.Authorization).toBe('Bearer i2');
    expect(server.seen).toHaveLength(2);
  });

  it('shares one refresh between concurrent callers', async () => {
    h = harness(config());
    const auth = h.build(base());
    await Promise.all([auth.options(), auth.options(), auth.options()]);
    expect(server.seen).toHaveLength(1);
  });

  it('retries 5xx and 429 with exponential waits', async () => {
    replies.push({ status: 500, json: { error: 'boom' } }, { status: 429 }, { json: { access_token: 'after-retry' } });
    h = harness(config());
    const auth = h.build(base());
    expect((await auth.options()).headers.Authorization).toBe('Bearer after-retry');
    expect(h.state.slept).toEqual([1000, 2000]);
    expect(server.seen).toHaveLength(3);
  });

  it('gives up on a persistent 5xx after about 300 seconds as a transient error', async () => {
    server.seen.length = 0;
    for (let i = 0; i < 20; i++) replies.push({ status: 503 });
    h = harness(config());
    const auth = h.build(base());
    const error = await auth.options().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).failureType).toBe('transient_error');
    expect(h.state.slept.reduce((a, b) => a + b, 0)).toBe(300_000);
    expect(server.seen).toHaveLength(10);
  });

  it('turns a 401 from the token endpoint into AUTH_FAILED config_error without the secret', async () => {
    replies.push({ status: 401, json: { error: 'invalid_client' } });
    h = harness(config());
    const auth = h.build(base());
    const error = (await auth.options().catch((e: unknown) => e)) as RuntimeError;
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.failureType).toBe('config_error');
    expect(error.message).toContain(`${server.url}/oauth/token`);
    expect(error.message).toContain('401');
    expect(error.describe()).not.toContain('csecret');
    expect(error.path).toBe('authenticator');
    expect(h.state.slept).toEqual([]);
  });

  it('names an invalid refresh token when refresh_token_error_* match', async () => {
    replies.push({ status: 400, json: { error: 'invalid_grant' } });
    h = harness(config());
    const auth = h.build({
      ...base(),
      refresh_token_error_status_codes: [400],
      refresh_token_error_key: 'error',
      refresh_token_error_values: ['invalid_grant'],
    });
    const error = (await auth.options().catch((e: unknown) => e)) as RuntimeError;
    expect(error.message).toMatch(/Refresh token is invalid or expired/);
    expect(error.failureType).toBe('config_error');
  });

  it('fails when the response lacks the access token', async () => {
    replies.push({ json: { nothing: true } });
    h = harness(config());
    const error = (await h.build(base()).options().catch((e: unknown) => e)) as RuntimeError;
    expect(error.message).toBe('Token refresh API response was missing access token access_token');
  });

  it('keeps client credentials out of the body when an Authorization header is configured', async () => {
    h = harness(config());
    await h
      .build({ ...base(), refresh_request_headers: { Authorization: 'Basic abc' } })
      .options();
    expect(server.seen[0]!.headers.authorization).toBe('Basic abc');
    expect(form(server.seen[0]!.body)).toEqual({ grant_type: 'refresh_token', refresh_token: 'rtoken' });
  });

  it('sends the refresh arguments on the query string when asked', async () => {
    h = harness(config());
    await h.build({ ...base(), send_refresh_request_as_query_params: true }).options();
    const req = server.seen[0]!;
    expect(req.url).toBe('/oauth/token?grant_type=refresh_token&client_id=cid&client_secret=csecret&refresh_token=rtoken');
    expect(req.body).toBe('');
  });

  it('sends a JWT profile assertion with the jwt-bearer grant', async () => {
    h = harness(config());
    await h
      .build({
        type: 'OAuthAuthenticator',
        token_refresh_endpoint: `${server.url}/oauth/token`,
        use_profile_assertion: true,
        profile_assertion: { type: 'JwtAuthenticator', secret_key: 'k', algorithm: 'HS256', jwt_payload: { iss: 'me' } },
      })
      .options();
    const body = form(server.seen[0]!.body);
    expect(body.grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [, payload] = String(body.assertion).split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({ iss: 'me' });
  });

  it('validates the model like the CDK', () => {
    h = harness(config());
    const { client_secret: _s, ...noSecret } = base();
    expect(() => h!.build(noSecret)).toThrow(/Both 'client_id' and 'client_secret' are required/);
    const { refresh_token: _r, ...noRefresh } = base();
    expect(() => h!.build(noRefresh)).toThrow(/A 'refresh_token' is required/);
    expect(() => h!.build({ ...base(), token_expiry_date: 'not a date' })).toThrow(/Invalid token expiry date format/);
  });

  it('reports token calls to the observer, masked', async () => {
    replies.push({ json: { access_token: 'observed-token', expires_in: 10 } });
    h = harness(config());
    const seen: HttpExchange[] = [];
    h.run.observer = { onHttp: (exchange) => seen.push(exchange) };
    h.run.masker.add('csecret');
    await h.build(base()).options();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.kind).toBe('AUTH');
    expect(seen[0]!.title).toBe('Refresh token');
    expect(JSON.stringify(seen)).not.toContain('observed-token');
    expect(JSON.stringify(seen)).not.toContain('csecret');
  });
});
