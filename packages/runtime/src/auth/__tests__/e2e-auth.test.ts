/**
 * Every authenticator, run as a whole source through the real entrypoint against a local mock API:
 * the exact credentials each request carries, the exact token requests, the records out, and that
 * no secret or token reaches stdout. Expected values follow Airbyte's CDK v7.28.2.
 */
import { createHmac, generateKeyPairSync, verify } from 'node:crypto';
import { type MockApi, type MockRequest, configuredCatalog, errors, records, startMockApi } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../../source/__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const T0 = Date.UTC(2024, 0, 1, 0, 0, 0);

/** One stream `items` at /items; `requester` is extra YAML for the HttpRequester (8-space indent). */
function manifest(requester: string, paginated = false): string {
  return `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
streams:
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: items
${requester}
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
${
  paginated
    ? `      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.next }}", stop_condition: "{{ not response.next }}" }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: cursor }`
    : ''
}
spec:
  type: Spec
  connection_specification:
    type: object
    properties:
      base_url: { type: string }
      api_key: { type: string, airbyte_secret: true }
      password: { type: string, airbyte_secret: true }
      client_secret: { type: string, airbyte_secret: true }
      credentials:
        type: object
        properties:
          refresh_token: { type: string, airbyte_secret: true }
          access_token: { type: string, airbyte_secret: true }
`;
}

const itemsRoute = { path: '/items', response: { body: { data: [{ id: 1 }] } } };
const dataRequests = () => (api as MockApi).requestsTo('/items');
const read = (requester: string, config: Record<string, unknown>, options: { paginated?: boolean; clock?: () => number } = {}) =>
  runSource(
    'read',
    { manifest: manifest(requester, options.paginated), config: { base_url: (api as MockApi).url, ...config }, catalog: configuredCatalog(['items']) },
    { clock: options.clock ?? (() => T0) },
  );

/** What the request carried that can hold a credential. */
const credentialsOf = (r: MockRequest) => ({
  method: r.method,
  url: r.url,
  authorization: r.headers.authorization,
  body: r.body,
});

describe('NoAuth, ApiKeyAuthenticator, BearerAuthenticator, BasicHttpAuthenticator', () => {
  it('NoAuth sends no credentials', async () => {
    api = await startMockApi([itemsRoute]);
    const run = await read('        authenticator: { type: NoAuth }', {});
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ id: 1 }]);
    expect(dataRequests().map(credentialsOf)).toEqual([{ method: 'GET', url: '/items', authorization: undefined, body: '' }]);
  });

  it('ApiKeyAuthenticator in a header, with the token template', async () => {
    api = await startMockApi([itemsRoute]);
    const run = await read(
      `        authenticator:
          type: ApiKeyAuthenticator
          api_token: "Token {{ config['api_key'] }}"
          inject_into: { type: RequestOption, inject_into: header, field_name: X-Api-Key }`,
      { api_key: 'key-secret-1' },
    );
    expect(run.code).toBe(0);
    expect(dataRequests().map((r) => r.headers['x-api-key'])).toEqual(['Token key-secret-1']);
    expect(run.stdout).not.toContain('key-secret-1');
  });

  it('ApiKeyAuthenticator with the older header field instead of inject_into', async () => {
    api = await startMockApi([itemsRoute]);
    const run = await read(`        authenticator: { type: ApiKeyAuthenticator, header: X-Key, api_token: "{{ config['api_key'] }}" }`, { api_key: 'k1' });
    expect(run.code).toBe(0);
    expect(dataRequests().map((r) => r.headers['x-key'])).toEqual(['k1']);
  });

  it('ApiKeyAuthenticator in a query parameter, added after the requester parameters', async () => {
    api = await startMockApi([itemsRoute]);
    const run = await read(
      `        request_parameters: { limit: "5" }
        authenticator:
          type: ApiKeyAuthenticator
          api_token: "{{ config['api_key'] }}"
          inject_into: { type: RequestOption, inject_into: request_parameter, field_name: key }`,
      { api_key: 'key-secret-2' },
    );
    expect(run.code).toBe(0);
    expect(dataRequests().map((r) => r.url)).toEqual(['/items?limit=5&key=key-secret-2']);
    expect(run.stdout).not.toContain('key-secret-2');
  });

  it('ApiKeyAuthenticator in a form body (body_data), merged with the requester body', async () => {
    api = await startMockApi([itemsRoute]);
    const run = await read(
      `        http_method: POST
        request_body_data: { q: "all" }
        authenticator:
          type: ApiKeyAuthenticator
          api_token: "{{ config['api_key'] }}"
          inject_into: { type: RequestOption, inject_into: body_data, field_name: api_key }`,
      { api_key: 'key-secret-3' },
    );
    expect(run.code).toBe(0);
    const [request] = dataRequests();
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.body).toBe('q=all&api_key=key-secret-3');
  });

  it('ApiKeyAuthenticator in a JSON body at a nested field_path', async () => {
    api = await startMockApi([itemsRoute]);
    const run = await read(
      `        http_method: POST
        request_body_json: { query: { limit: 10 } }
        authenticator:
          type: ApiKeyAuthenticator
          api_token: "{{ config['api_key'] }}"
          inject_into: { type: RequestOption, inject_into: body_json, field_path: [auth, key] }`,
      { api_key: 'key-secret-4' },
    );
    expect(run.code).toBe(0);
    const [request] = dataRequests();
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.json).toEqual({ query: { limit: 10 }, auth: { key: 'key-secret-4' } });
  });

  it('BearerAuthenticator sends Authorization: Bearer <token>', async () => {
    api = await startMockApi([itemsRoute]);
    const run = await read(`        authenticator: { type: BearerAuthenticator, api_token: "{{ config['api_key'] }}" }`, { api_key: 'bearer-secret' });
    expect(run.code).toBe(0);
    expect(dataRequests().map((r) => r.headers.authorization)).toEqual(['Bearer bearer-secret']);
    expect(run.stdout).not.toContain('bearer-secret');
  });

  it('BasicHttpAuthenticator sends base64(username:password); a missing password is empty', async () => {
    api = await startMockApi([itemsRoute]);
    const withPassword = await read(
      `        authenticator: { type: BasicHttpAuthenticator, username: "ada", password: "{{ config['password'] }}" }`,
      { password: 'pw-secret' },
    );
    expect(withPassword.code).toBe(0);
    const withoutPassword = await read(`        authenticator: { type: BasicHttpAuthenticator, username: "ada" }`, {});
    expect(withoutPassword.code).toBe(0);
    expect(dataRequests().map((r) => r.headers.authorization)).toEqual([
      `Basic ${Buffer.from('ada:pw-secret').toString('base64')}`,
      `Basic ${Buffer.from('ada:').toString('base64')}`,
    ]);
    expect(withPassword.stdout).not.toContain('pw-secret');
  });
});

describe('OAuthAuthenticator', () => {
  it('refresh_token grant: the exact form body (scopes repeated, extras after), then Bearer on every page', async () => {
    api = await startMockApi([
      { method: 'POST', path: '/oauth/token', response: { body: { access_token: 'at-secret-1', expires_in: 3600 } } },
      { path: '/items', handler: (req) => ({ body: req.query.cursor ? { data: [{ id: 2 }], next: null } : { data: [{ id: 1 }], next: 'p2' } }) },
    ]);
    const run = await read(
      `        authenticator:
          type: OAuthAuthenticator
          token_refresh_endpoint: "{{ config['base_url'] }}/oauth/token"
          client_id: my-client
          client_secret: "{{ config['client_secret'] }}"
          refresh_token: "{{ config['credentials']['refresh_token'] }}"
          scopes: [read, write]
          refresh_request_body: { audience: "api", grant_type: "ignored" }`,
      { client_secret: 'cs-secret', credentials: { refresh_token: 'rt-secret' } },
      { paginated: true },
    );
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ id: 1 }, { id: 2 }]);
    const tokenRequests = api.requestsTo('/oauth/token');
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    // The standard arguments win over refresh_request_body keys of the same name.
    expect(tokenRequests[0]?.body).toBe(
      'grant_type=refresh_token&client_id=my-client&client_secret=cs-secret&refresh_token=rt-secret&scopes=read&scopes=write&audience=api',
    );
    expect(dataRequests().map((r) => [r.url, r.headers.authorization])).toEqual([
      ['/items', 'Bearer at-secret-1'],
      ['/items?cursor=p2', 'Bearer at-secret-1'],
    ]);
    for (const secret of ['cs-secret', 'rt-secret', 'at-secret-1']) expect(run.stdout).not.toContain(secret);
  });

  it('client_credentials grant sends no refresh_token; custom token field names are read from the response', async () => {
    api = await startMockApi([
      { method: 'POST', path: '/oauth/token', response: { body: { result: { token: 'cc-token', ttl: 60 } } } },
      itemsRoute,
    ]);
    const run = await read(
      `        authenticator:
          type: OAuthAuthenticator
          token_refresh_endpoint: "{{ config['base_url'] }}/oauth/token"
          grant_type: client_credentials
          client_id_name: app_id
          client_secret_name: app_secret
          client_id: my-app
          client_secret: "{{ config['client_secret'] }}"
          access_token_name: token
          expires_in_name: ttl`,
      { client_secret: 'cs-secret' },
    );
    expect(run.code).toBe(0);
    expect(api.requestsTo('/oauth/token').map((r) => r.body)).toEqual(['grant_type=client_credentials&app_id=my-app&app_secret=cs-secret']);
    expect(dataRequests().map((r) => r.headers.authorization)).toEqual(['Bearer cc-token']);
  });

  it('an Authorization refresh header keeps the client credentials out of the body; send_refresh_request_as_query_params moves the arguments to the URL', async () => {
    api = await startMockApi([{ method: 'POST', path: '/oauth/token', response: { body: { access_token: 'tok', expires_in: 60 } } }, itemsRoute]);
    const oauth = (extra: string) => `        authenticator:
          type: OAuthAuthenticator
          token_refresh_endpoint: "{{ config['base_url'] }}/oauth/token"
          client_id: c
          client_secret: s
          refresh_token: r
${extra}`;
    const withHeader = await read(oauth(`          refresh_request_headers: { Authorization: "Basic {{ ('c:s') | base64encode }}" }`), {});
    const asQuery = await read(oauth('          send_refresh_request_as_query_params: true'), {});
    expect([withHeader.code, asQuery.code]).toEqual([0, 0]);
    expect(api.requestsTo('/oauth/token').map((r) => [r.url, r.headers.authorization, r.body])).toEqual([
      ['/oauth/token', `Basic ${Buffer.from('c:s').toString('base64')}`, 'grant_type=refresh_token&refresh_token=r'],
      ['/oauth/token?grant_type=refresh_token&client_id=c&client_secret=s&refresh_token=r', undefined, ''],
    ]);
  });

  it('token expiry mid-read (expires_in): refreshed once before the next page, then the read continues', async () => {
    let now = T0;
    let issued = 0;
    api = await startMockApi([
      {
        method: 'POST',
        path: '/oauth/token',
        handler: () => {
          issued += 1;
          return { body: { access_token: `at-${issued}`, expires_in: 60 } };
        },
      },
      {
        path: '/items',
        handler: (req) => {
          const page = Number(req.query.cursor ?? 1);
          if (page === 1) now += 61_000; // the token (60 s) expires while page 1 is read
          return { body: { data: [{ id: page }], next: page < 3 ? String(page + 1) : null } };
        },
      },
    ]);
    const run = await read(
      `        authenticator:
          type: OAuthAuthenticator
          token_refresh_endpoint: "{{ config['base_url'] }}/oauth/token"
          client_id: c
          client_secret: s
          refresh_token: r`,
      {},
      { paginated: true, clock: () => now },
    );
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(api.requestsTo('/oauth/token')).toHaveLength(2);
    expect(dataRequests().map((r) => [r.url, r.headers.authorization])).toEqual([
      ['/items', 'Bearer at-1'],
      ['/items?cursor=2', 'Bearer at-2'],
      ['/items?cursor=3', 'Bearer at-2'],
    ]);
  });

  it('expiry given as a date with token_expiry_date_format: no refresh until that instant has passed', async () => {
    let now = T0;
    let issued = 0;
    api = await startMockApi([
      {
        method: 'POST',
        path: '/oauth/token',
        handler: () => {
          issued += 1;
          return { body: { access_token: `at-${issued}`, expires_at: '2024-01-01 00:10:00' } };
        },
      },
      {
        path: '/items',
        handler: (req) => {
          const page = Number(req.query.cursor ?? 1);
          now += 5 * 60_000; // five minutes per page
          return { body: { data: [{ id: page }], next: page < 3 ? String(page + 1) : null } };
        },
      },
    ]);
    const run = await read(
      `        authenticator:
          type: OAuthAuthenticator
          token_refresh_endpoint: "{{ config['base_url'] }}/oauth/token"
          client_id: c
          client_secret: s
          refresh_token: r
          expires_in_name: expires_at
          token_expiry_date_format: "%Y-%m-%d %H:%M:%S"`,
      {},
      { paginated: true, clock: () => now },
    );
    expect(run.code).toBe(0);
    // Page 2 is asked at 00:05 (still valid), page 3 at 00:10 (not yet past the expiry), so one token serves all.
    expect(dataRequests().map((r) => r.headers.authorization)).toEqual(['Bearer at-1', 'Bearer at-1', 'Bearer at-1']);
    expect(issued).toBe(1);
  });

  it('a configured access token valid until a future token_expiry_date is used without a refresh; an expired one is refreshed first', async () => {
    api = await startMockApi([
      { method: 'POST', path: '/oauth/token', response: { body: { access_token: 'fresh', expires_in: 3600 } } },
      itemsRoute,
    ]);
    const requester = (expiry: string) => `        authenticator:
          type: OAuthAuthenticator
          token_refresh_endpoint: "{{ config['base_url'] }}/oauth/token"
          client_id: c
          client_secret: s
          refresh_token: r
          access_token_value: "{{ config['credentials']['access_token'] }}"
          token_expiry_date: "${expiry}"`;
    const valid = await read(requester('2024-01-01T01:00:00Z'), { credentials: { access_token: 'saved-token' } });
    expect(valid.code).toBe(0);
    expect(api.requestsTo('/oauth/token')).toHaveLength(0);
    const expired = await read(requester('2023-12-31T23:59:59Z'), { credentials: { access_token: 'saved-token' } });
    expect(expired.code).toBe(0);
    expect(api.requestsTo('/oauth/token')).toHaveLength(1);
    expect(dataRequests().map((r) => r.headers.authorization)).toEqual(['Bearer saved-token', 'Bearer fresh']);
  });

  it('refresh_token_updater: the rotated refresh token, access token and expiry go out as one CONTROL message with the whole config', async () => {
    api = await startMockApi([
      {
        method: 'POST',
        path: '/oauth/token',
        response: { body: { access_token: 'new-access', refresh_token: 'new-refresh', expires_in: 3600 } },
      },
      itemsRoute,
    ]);
    const run = await read(
      `        authenticator:
          type: OAuthAuthenticator
          token_refresh_endpoint: "{{ config['base_url'] }}/oauth/token"
          client_id: c
          client_secret: "{{ config['client_secret'] }}"
          refresh_token: "{{ config['credentials']['refresh_token'] }}"
          refresh_token_updater: {}`,
      { client_secret: 'cs', credentials: { refresh_token: 'old-refresh', access_token: '', token_expiry_date: '' } },
    );
    expect(run.code).toBe(0);
    expect(api.requestsTo('/oauth/token').map((r) => r.body)).toEqual([
      'grant_type=refresh_token&client_id=c&client_secret=cs&refresh_token=old-refresh',
    ]);
    expect(dataRequests().map((r) => r.headers.authorization)).toEqual(['Bearer new-access']);
    const controls = run.messages.filter((m) => m.type === 'CONTROL').map((m) => m.control);
    expect(controls.length).toBeGreaterThanOrEqual(1);
    for (const control of controls) {
      expect(control).toMatchObject({
        type: 'CONNECTOR_CONFIG',
        connectorConfig: {
          config: {
            base_url: api.url,
            client_secret: 'cs',
            credentials: { refresh_token: 'new-refresh', access_token: 'new-access', token_expiry_date: '2024-01-01T01:00:00+00:00' },
          },
        },
      });
    }
    // The CONTROL message carries the new tokens (the platform must save them); nothing else does.
    const withoutControl = run.messages.filter((m) => m.type !== 'CONTROL').map((m) => JSON.stringify(m)).join('\n');
    expect(withoutControl).not.toContain('new-access');
    expect(withoutControl).not.toContain('new-refresh');
  });

  it('refresh_token_updater with a saved access token still valid: no refresh, no CONTROL message; a response without a refresh token keeps the old one', async () => {
    api = await startMockApi([
      { method: 'POST', path: '/oauth/token', response: { body: { access_token: 'second-access', expires_in: 60 } } },
      itemsRoute,
    ]);
    const requester = `        authenticator:
          type: OAuthAuthenticator
          token_refresh_endpoint: "{{ config['base_url'] }}/oauth/token"
          client_id: c
          client_secret: s
          refresh_token: "{{ config['credentials']['refresh_token'] }}"
          refresh_token_updater: {}`;
    const valid = await read(requester, {
      credentials: { refresh_token: 'keep-me', access_token: 'saved', token_expiry_date: '2024-01-01T02:00:00+00:00' },
    });
    expect(valid.code).toBe(0);
    expect(api.requestsTo('/oauth/token')).toHaveLength(0);
    expect(valid.messages.filter((m) => m.type === 'CONTROL')).toEqual([]);

    const expired = await read(requester, {
      credentials: { refresh_token: 'keep-me', access_token: 'saved', token_expiry_date: '2023-12-31T00:00:00+00:00' },
    });
    expect(expired.code).toBe(0);
    expect(dataRequests().map((r) => r.headers.authorization)).toEqual(['Bearer saved', 'Bearer second-access']);
    const [control] = expired.messages.filter((m) => m.type === 'CONTROL').map((m) => m.control as { connectorConfig: { config: unknown } });
    expect(control?.connectorConfig.config).toEqual({
      base_url: api.url,
      credentials: { refresh_token: 'keep-me', access_token: 'second-access', token_expiry_date: '2024-01-01T00:01:00+00:00' },
    });
  });

  it('a token endpoint answering 500 or 429 is retried, then the read goes on', async () => {
    let calls = 0;
    api = await startMockApi([
      {
        method: 'POST',
        path: '/oauth/token',
        handler: () => {
          calls += 1;
          if (calls === 1) return { status: 500, body: {} };
          if (calls === 2) return { status: 429, body: {} };
          return { body: { access_token: 'after-retries', expires_in: 3600 } };
        },
      },
      itemsRoute,
    ]);
    const run = await read(
      `        authenticator:
          type: OAuthAuthenticator
          token_refresh_endpoint: "{{ config['base_url'] }}/oauth/token"
          client_id: c
          client_secret: s
          refresh_token: r`,
      {},
    );
    expect(run.code).toBe(0);
    expect(api.requestsTo('/oauth/token')).toHaveLength(3);
    expect(dataRequests().map((r) => r.headers.authorization)).toEqual(['Bearer after-retries']);
    expect(run.sleeps).toHaveLength(2);
  });

  it('a token endpoint answering 400 invalid_grant is a config_error that shows no secret', async () => {
    api = await startMockApi([
      { method: 'POST', path: '/oauth/token', response: { status: 400, body: { error: 'invalid_grant' } } },
      itemsRoute,
    ]);
    const run = await read(
      `        authenticator:
          type: OAuthAuthenticator
          token_refresh_endpoint: "{{ config['base_url'] }}/oauth/token"
          client_id: c
          client_secret: "{{ config['client_secret'] }}"
          refresh_token: "{{ config['credentials']['refresh_token'] }}"`,
      { client_secret: 'cs-secret-x', credentials: { refresh_token: 'rt-secret-x' } },
    );
    expect(run.code).not.toBe(0);
    expect(errors(run.messages)[0]?.failure_type).toBe('config_error');
    expect(dataRequests()).toHaveLength(0);
    expect(run.stdout).not.toContain('cs-secret-x');
    expect(run.stdout).not.toContain('rt-secret-x');
  });
});

describe('JwtAuthenticator', () => {
  const decode = (token: string) => {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    return {
      header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
      payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
      input: `${header}.${payload}`,
      signature: Buffer.from(signature, 'base64url'),
    };
  };
  const now = Math.floor(T0 / 1000);

  it('HS256 with a base64-encoded secret, jwt_headers and jwt_payload, header_prefix', async () => {
    api = await startMockApi([itemsRoute]);
    const run = await read(
      `        authenticator:
          type: JwtAuthenticator
          secret_key: "{{ config['api_key'] }}"
          base64_encode_secret_key: true
          algorithm: HS256
          token_duration: 300
          header_prefix: Bearer
          jwt_headers: { kid: key-1 }
          jwt_payload: { iss: me, aud: them }
          additional_jwt_payload: { scope: read }`,
      { api_key: 'jwt-secret' },
    );
    expect(run.code).toBe(0);
    const authorization = String(dataRequests()[0]?.headers.authorization);
    expect(authorization.startsWith('Bearer ')).toBe(true);
    const jwt = decode(authorization.slice('Bearer '.length));
    expect(jwt.header).toEqual({ alg: 'HS256', kid: 'key-1', typ: 'JWT' });
    expect(jwt.payload).toEqual({ scope: 'read', iss: 'me', aud: 'them', iat: now, exp: now + 300, nbf: now });
    // The key is the base64 text of the secret, not the secret itself.
    const key = Buffer.from('jwt-secret').toString('base64');
    expect(jwt.signature.equals(createHmac('sha256', key).update(jwt.input).digest())).toBe(true);
    expect(run.stdout).not.toContain('jwt-secret');
  });

  it('request_option puts the token where asked (a query parameter) instead of the Authorization header', async () => {
    api = await startMockApi([itemsRoute]);
    const run = await read(
      `        authenticator:
          type: JwtAuthenticator
          secret_key: s3cret
          algorithm: HS256
          token_duration: 60
          request_option: { type: RequestOption, inject_into: request_parameter, field_name: jwt }`,
      {},
    );
    expect(run.code).toBe(0);
    const [request] = dataRequests();
    expect(request?.headers.authorization).toBeUndefined();
    const jwt = decode(String(request?.query.jwt));
    expect(jwt.payload).toEqual({ iat: now, exp: now + 60, nbf: now });
    expect(jwt.signature.equals(createHmac('sha256', 's3cret').update(jwt.input).digest())).toBe(true);
  });

  it.each([
    ['RS256', 'rsa', { modulusLength: 2048 }],
    ['ES256', 'ec', { namedCurve: 'P-256' }],
  ] as const)('%s signs with a PEM private key; no prefix puts the bare token in Authorization', async (algorithm, kind, options) => {
    const { privateKey, publicKey } = generateKeyPairSync(kind as 'rsa', options as { modulusLength: number });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    api = await startMockApi([itemsRoute]);
    const run = await read(
      `        authenticator:
          type: JwtAuthenticator
          secret_key: "{{ config['api_key'] }}"
          algorithm: ${algorithm}
          token_duration: 60`,
      { api_key: pem },
    );
    expect(run.code).toBe(0);
    const jwt = decode(String(dataRequests()[0]?.headers.authorization));
    expect(jwt.header).toEqual({ alg: algorithm, typ: 'JWT' });
    expect(jwt.payload).toEqual({ iat: now, exp: now + 60, nbf: now });
    const ok = verify('sha256', Buffer.from(jwt.input), kind === 'ec' ? { key: publicKey, dsaEncoding: 'ieee-p1363' } : publicKey, jwt.signature);
    expect(ok).toBe(true);
  });
});

describe('SessionTokenAuthenticator', () => {
  const loginRoute = () => {
    let n = 0;
    return {
      method: 'POST',
      path: '/login',
      handler: () => {
        n += 1;
        return { body: { auth: { token: `session-${n}` } } };
      },
    };
  };
  const login = `          login_requester:
            type: HttpRequester
            url_base: "{{ config['base_url'] }}"
            path: login
            http_method: POST
            request_body_json: { username: ada, password: "{{ config['password'] }}" }
          session_token_path: [auth, token]`;

  it('logs in with the login requester and injects the token as an API key header', async () => {
    let now = T0;
    api = await startMockApi([
      loginRoute(),
      {
        path: '/items',
        handler: (req) => {
          const page = Number(req.query.cursor ?? 1);
          now += 40 * 60_000; // 40 minutes per page; the session lasts one hour
          return { body: { data: [{ id: page }], next: page < 3 ? String(page + 1) : null } };
        },
      },
    ]);
    const run = await read(
      `        authenticator:
          type: SessionTokenAuthenticator
${login}
          expiration_duration: PT1H
          request_authentication:
            type: ApiKey
            inject_into: { type: RequestOption, inject_into: header, field_name: X-Session }`,
      { password: 'pw-secret' },
      { paginated: true, clock: () => now },
    );
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(api.requestsTo('/login').map((r) => r.json)).toEqual([
      { username: 'ada', password: 'pw-secret' },
      { username: 'ada', password: 'pw-secret' },
    ]);
    // Login at 00:00 (valid to 01:00); page 2 at 00:40 reuses it; page 3 at 01:20 logs in again.
    expect(dataRequests().map((r) => r.headers['x-session'])).toEqual(['session-1', 'session-1', 'session-2']);
    expect(run.stdout).not.toContain('pw-secret');
    expect(run.stdout).not.toContain('session-1');
    expect(run.stdout).not.toContain('session-2');
  });

  it('a 401 on a data request logs in again and retries once (docs/differences.md)', async () => {
    const now = T0;
    api = await startMockApi([
      loginRoute(),
      { path: '/items', handler: (req) => (req.headers['x-session'] === 'session-1' ? { status: 401, body: {} } : { body: { data: [{ id: 1 }] } }) },
    ]);
    const run = await read(
      `        authenticator:
          type: SessionTokenAuthenticator
${login}
          expiration_duration: PT1H
          request_authentication:
            type: ApiKey
            inject_into: { type: RequestOption, inject_into: header, field_name: X-Session }`,
      { password: 'pw' },
      { clock: () => now },
    );
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ id: 1 }]);
    expect(dataRequests().map((r) => r.headers['x-session'])).toEqual(['session-1', 'session-2']);
    expect(api.requestsTo('/login')).toHaveLength(2);
  });

  it('injects the token as Bearer; without expiration_duration it logs in before every request, as the CDK does', async () => {
    api = await startMockApi([
      loginRoute(),
      { path: '/items', handler: (req) => ({ body: req.query.cursor ? { data: [{ id: 2 }], next: null } : { data: [{ id: 1 }], next: 'p2' } }) },
    ]);
    const run = await read(
      `        authenticator:
          type: SessionTokenAuthenticator
${login}
          request_authentication: { type: Bearer }`,
      { password: 'pw' },
      { paginated: true },
    );
    expect(run.code).toBe(0);
    expect(dataRequests().map((r) => r.headers.authorization)).toEqual(['Bearer session-1', 'Bearer session-2']);
  });
});

describe('SelectiveAuthenticator', () => {
  const selective = `        authenticator:
          type: SelectiveAuthenticator
          authenticator_selection_path: [credentials, auth_type]
          authenticators:
            token: { type: BearerAuthenticator, api_token: "{{ config['credentials']['api_token'] }}" }
            basic: { type: BasicHttpAuthenticator, username: "{{ config['credentials']['user'] }}", password: "p" }`;

  it('picks the authenticator named at the selection path of the config', async () => {
    api = await startMockApi([itemsRoute]);
    const byToken = await read(selective, { credentials: { auth_type: 'token', api_token: 'sel-secret' } });
    const byBasic = await read(selective, { credentials: { auth_type: 'basic', user: 'u' } });
    expect([byToken.code, byBasic.code]).toEqual([0, 0]);
    expect(dataRequests().map((r) => r.headers.authorization)).toEqual(['Bearer sel-secret', `Basic ${Buffer.from('u:p').toString('base64')}`]);
  });

  it('an unknown selection is a config_error before any request', async () => {
    api = await startMockApi([itemsRoute]);
    const run = await read(selective, { credentials: { auth_type: 'saml' } });
    expect(run.code).not.toBe(0);
    expect(errors(run.messages)[0]?.failure_type).toBe('config_error');
    expect(dataRequests()).toHaveLength(0);
  });
});
