/**
 * RateLimitedMultipleTokenAuthenticator through the real entrypoint against a local mock API:
 * which token signs each request, when the quota status endpoint is asked, and how long the run
 * waits (sleeps are recorded, not slept).
 */
import { type MockApi, type MockRequest, configuredCatalog, errors, logs, records, startMockApi } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../source/__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const clock = () => NOW;
const epoch = (offsetSeconds: number) => NOW / 1000 + offsetSeconds;

interface Quota {
  remaining: number;
  reset: number | string;
  limit?: number;
}

/** Quota status per token (read from the Authorization header), changeable during the run. */
function quotaRoute(quotas: Record<string, Quota | (() => Quota)>, pool = 'core') {
  return {
    path: '/rate_limit',
    handler: (req: MockRequest) => {
      const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      const entry = quotas[token];
      if (!entry) return { status: 401, body: { message: 'bad token' } };
      return { body: { resources: { [pool]: typeof entry === 'function' ? entry() : entry } } };
    },
  };
}

/** `pages` pages of one record each, then an empty page. */
function itemsRoute(pages: number, path = '/items') {
  return {
    path,
    handler: (req: MockRequest) => {
      const page = Number(req.query.page ?? 1);
      return { body: { data: page <= pages ? [{ id: page }] : [] } };
    },
  };
}

const manifest = (auth: string, streams = ['items']) => `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [${streams[0]}] }
definitions:
  auth:
    type: RateLimitedMultipleTokenAuthenticator
    tokens: "{{ config['tokens'] }}"
    quota_status_source:
      type: QuotaStatusSource
      url: "{{ config['base_url'] }}/rate_limit"
${auth}
streams:
${streams
  .map(
    (name) => `
  - type: DeclarativeStream
    name: ${name}
    retriever:
      type: SimpleRetriever
      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: ${name}
        authenticator: { $ref: "#/definitions/auth" }
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: PageIncrement, page_size: 1, start_from_page: 1, inject_on_first_request: true }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: page }`,
  )
  .join('')}
spec:
  type: Spec
  connection_specification:
    type: object
    properties:
      base_url: { type: string }
      tokens: { type: string, airbyte_secret: true }
`;

const CORE = `
    quotas:
      - type: TokenQuota
        name: core
        remaining_path: [resources, core, remaining]
        reset_path: [resources, core, reset]`;
const NO_THROTTLE = `
    budget_min_reserve: 0
    budget_reserve_fraction: 0`;

const tokensUsed = (requests: MockRequest[], path = '/items') =>
  requests.filter((r) => r.path === path).map((r) => String(r.headers.authorization));

describe('RateLimitedMultipleTokenAuthenticator', () => {
  it('seeds every token once, charges the active token, and rotates when its quota is spent', async () => {
    api = await startMockApi([
      quotaRoute({ ta: { remaining: 2, reset: epoch(3600) }, tb: { remaining: 5, reset: epoch(3600) } }),
      itemsRoute(4),
    ]);
    const run = await runSource(
      'read',
      { manifest: manifest(CORE + NO_THROTTLE), config: { base_url: api.url, tokens: 'ta, tb' }, catalog: configuredCatalog(['items']) },
      { clock },
    );
    expect(errors(run.messages)).toEqual([]);
    expect(records(run.messages).map((r) => r.id)).toEqual([1, 2, 3, 4]);
    // Seeding first (one status request per token, signed with it), then the data requests.
    expect(api.requests.map((r) => `${r.path} ${String(r.headers.authorization)}`)).toEqual([
      '/rate_limit Bearer ta',
      '/rate_limit Bearer tb',
      '/items Bearer ta',
      '/items Bearer ta',
      '/items Bearer tb',
      '/items Bearer tb',
      '/items Bearer tb',
    ]);
    expect(run.sleeps).toEqual([]);
    // Tokens are secrets: never in the output.
    expect(run.stdout).not.toMatch(/Bearer t[ab]/);
  });

  it('when every token is spent, waits for the earliest reset, reseeds, and goes on', async () => {
    let seeded = 0;
    const quota = () => (seeded++ < 2 ? { remaining: 1, reset: epoch(30) } : { remaining: 10, reset: epoch(3630) });
    api = await startMockApi([quotaRoute({ ta: quota, tb: quota }), itemsRoute(3)]);
    const run = await runSource(
      'read',
      { manifest: manifest(CORE + NO_THROTTLE), config: { base_url: api.url, tokens: 'ta,tb' }, catalog: configuredCatalog(['items']) },
      { clock },
    );
    expect(errors(run.messages)).toEqual([]);
    expect(api.requests.map((r) => `${r.path} ${String(r.headers.authorization)}`)).toEqual([
      '/rate_limit Bearer ta',
      '/rate_limit Bearer tb',
      '/items Bearer ta',
      '/items Bearer tb',
      '/rate_limit Bearer ta',
      '/rate_limit Bearer tb',
      // The active token stays the one last rotated to.
      '/items Bearer tb',
      '/items Bearer tb',
    ]);
    expect(run.sleeps).toEqual([30_000]);
    expect(logs(run.messages).map((l) => l.message)).toContain('All tokens exhausted (quota: core). Waiting 30s until rate limit resets.');
  });

  it('sleeps a long wait in heartbeat chunks of 60 s, logging what is left', async () => {
    let seeded = 0;
    const quota = () => (seeded++ < 2 ? { remaining: 0, reset: epoch(seeded === 1 ? 200 : 150) } : { remaining: 3, reset: epoch(3600) });
    api = await startMockApi([quotaRoute({ ta: quota, tb: quota }), itemsRoute(1)]);
    const run = await runSource(
      'read',
      { manifest: manifest(CORE + NO_THROTTLE), config: { base_url: api.url, tokens: 'ta,tb' }, catalog: configuredCatalog(['items']) },
      { clock },
    );
    expect(errors(run.messages)).toEqual([]);
    expect(run.sleeps).toEqual([60_000, 60_000, 30_000]);
    expect(logs(run.messages).map((l) => l.message)).toEqual(
      expect.arrayContaining([
        'Rate limit exhausted (quota: core). Waiting for reset — 90s remaining.',
        'Rate limit exhausted (quota: core). Waiting for reset — 30s remaining.',
      ]),
    );
  });

  it('waits at least 5 s for a reset already past', async () => {
    let seeded = 0;
    const quota = () => (seeded++ < 2 ? { remaining: 0, reset: epoch(seeded === 1 ? -10 : 150) } : { remaining: 3, reset: epoch(3600) });
    api = await startMockApi([quotaRoute({ ta: quota, tb: quota }), itemsRoute(1)]);
    const run = await runSource(
      'read',
      { manifest: manifest(CORE + NO_THROTTLE), config: { base_url: api.url, tokens: 'ta,tb' }, catalog: configuredCatalog(['items']) },
      { clock },
    );
    expect(errors(run.messages)).toEqual([]);
    // The earliest reset is 10 s ago: the floor of 5 s applies.
    expect(run.sleeps).toEqual([5_000]);
  });

  it('fails with a transient error when the next reset is beyond max_wait_time', async () => {
    api = await startMockApi([quotaRoute({ ta: { remaining: 0, reset: epoch(3 * 3600) } }), itemsRoute(1)]);
    const run = await runSource(
      'read',
      {
        manifest: manifest(`${CORE + NO_THROTTLE}\n    max_wait_time: "PT{{ config.get('minutes', 120) }}M"`),
        config: { base_url: api.url, tokens: 'ta' },
        catalog: configuredCatalog(['items']),
      },
      { clock },
    );
    expect(run.code).not.toBe(0);
    const [error] = errors(run.messages);
    expect(error?.message).toContain('Rate limit is exceeded for all provided tokens.');
    expect(error?.failure_type).toBe('transient_error');
    expect(api.requestsTo('/items')).toEqual([]);
  });

  it('a list of tokens, a custom header and auth method', async () => {
    api = await startMockApi([
      {
        path: '/rate_limit',
        handler: (req) => ({ body: { resources: { core: { remaining: req.headers['x-auth'] === 'token one' ? 1 : 9, reset: epoch(60) } } } }),
      },
      itemsRoute(2),
    ]);
    const run = await runSource(
      'read',
      {
        manifest: manifest(`${CORE + NO_THROTTLE}\n    tokens: ["{{ config['a'] }}", "  {{ config['b'] }} ", ""]\n    header: X-Auth\n    auth_method: token`),
        config: { base_url: api.url, a: 'one', b: 'two' },
        catalog: configuredCatalog(['items']),
      },
      { clock },
    );
    expect(errors(run.messages)).toEqual([]);
    expect(api.requests.map((r) => `${r.path} ${String(r.headers['x-auth'])}`)).toEqual([
      '/rate_limit token one',
      '/rate_limit token two',
      '/items token one',
      '/items token two',
      '/items token two',
    ]);
  });

  it('classifies requests into pools by matchers; a pool without matchers is the default', async () => {
    api = await startMockApi([
      {
        path: '/rate_limit',
        handler: (req) => {
          const ta = req.headers.authorization === 'Bearer ta';
          return { body: { core: { left: 5, at: epoch(60) }, search: { left: ta ? 1 : 5, at: epoch(60) } } };
        },
      },
      itemsRoute(2),
      itemsRoute(2, '/search'),
    ]);
    const run = await runSource(
      'read',
      {
        manifest: manifest(
          `
    quotas:
      - type: TokenQuota
        name: search
        remaining_path: [search, left]
        reset_path: [search, at]
        matchers: [{ type: HttpRequestRegexMatcher, url_path_pattern: "^/search" }]
      - type: TokenQuota
        name: core
        remaining_path: [core, left]
        reset_path: [core, at]
${NO_THROTTLE}`,
          ['items', 'search'],
        ),
        config: { base_url: api.url, tokens: 'ta,tb' },
        catalog: configuredCatalog(['items', 'search']),
      },
      { clock },
    );
    expect(errors(run.messages)).toEqual([]);
    // One instance for both streams: seeded once.
    expect(api.requestsTo('/rate_limit')).toHaveLength(2);
    expect(tokensUsed(api.requests, '/items')).toEqual(['Bearer ta', 'Bearer ta', 'Bearer ta']);
    // ta has one search call: the second search request rotates to tb, which stays active.
    expect(tokensUsed(api.requests, '/search')).toEqual(['Bearer ta', 'Bearer tb', 'Bearer tb']);
  });

  it('throttles proactively once every token is inside its reserve: seconds to reset / calls left, capped at 10 s', async () => {
    api = await startMockApi([quotaRoute({ ta: { remaining: 5, reset: epoch(40) }, tb: { remaining: 5, reset: epoch(40) } }), itemsRoute(2)]);
    const run = await runSource(
      'read',
      { manifest: manifest(CORE), config: { base_url: api.url, tokens: 'ta,tb' }, catalog: configuredCatalog(['items']) },
      { clock },
    );
    expect(errors(run.messages)).toEqual([]);
    // Default reserve max(50, 10% of limit): 9, 8 and 7 calls left after each charge.
    expect(run.sleeps).toHaveLength(3);
    expect(run.sleeps[0]).toBeCloseTo((40 / 9) * 1000, 6);
    expect(run.sleeps[1]).toBeCloseTo((40 / 8) * 1000, 6);
    expect(run.sleeps[2]).toBeCloseTo((40 / 7) * 1000, 6);
    expect(logs(run.messages).filter((l) => l.message.startsWith('API budget: throttling'))).toHaveLength(1);
  });

  it('response headers correct the counters: a remaining of 0 makes the next request rotate', async () => {
    api = await startMockApi([
      quotaRoute({ ta: { remaining: 100, reset: epoch(60) }, tb: { remaining: 100, reset: epoch(60) } }),
      {
        path: '/items',
        handler: (req) => {
          const page = Number(req.query.page);
          return { headers: { 'X-RateLimit-Remaining': page === 1 ? '0' : '50' }, body: { data: page <= 3 ? [{ id: page }] : [] } };
        },
      },
    ]);
    const run = await runSource(
      'read',
      {
        manifest: manifest(`${CORE}\n        remaining_header: X-RateLimit-Remaining${NO_THROTTLE}`),
        config: { base_url: api.url, tokens: 'ta,tb' },
        catalog: configuredCatalog(['items']),
      },
      { clock },
    );
    expect(errors(run.messages)).toEqual([]);
    expect(tokensUsed(api.requests)).toEqual(['Bearer ta', 'Bearer tb', 'Bearer tb', 'Bearer tb']);
  });

  it('a 429 that spends the sender retries at once on another token instead of waiting out Retry-After', async () => {
    api = await startMockApi([
      quotaRoute({ ta: { remaining: 100, reset: epoch(60) }, tb: { remaining: 100, reset: epoch(60) } }),
      {
        path: '/items',
        handler: (req) =>
          req.headers.authorization === 'Bearer ta'
            ? { status: 429, headers: { 'Retry-After': '600' }, body: { message: 'slow down' } }
            : { body: { data: Number(req.query.page) === 1 ? [{ id: 1 }] : [] } },
      },
    ]);
    const run = await runSource(
      'read',
      {
        manifest: manifest(`${CORE}\n        exhaustion_status_codes: [429]${NO_THROTTLE}`),
        config: { base_url: api.url, tokens: 'ta,tb' },
        catalog: configuredCatalog(['items']),
      },
      { clock },
    );
    expect(errors(run.messages)).toEqual([]);
    expect(tokensUsed(api.requests)).toEqual(['Bearer ta', 'Bearer tb', 'Bearer tb']);
    // The token-rotation backoff (0.1 s) plus the CDK's extra second, not Retry-After.
    expect(run.sleeps).toEqual([1100]);
  });

  it('unavailable_status_codes: quotas untracked, tokens used round-robin, no waiting', async () => {
    api = await startMockApi([{ path: '/rate_limit', response: { status: 404, body: { message: 'Rate limiting is not enabled.' } } }, itemsRoute(2)]);
    const run = await runSource(
      'read',
      {
        manifest: manifest(`${CORE}\n    quota_status_source:\n      type: QuotaStatusSource\n      url: "{{ config['base_url'] }}/rate_limit"\n      unavailable_status_codes: [404]`),
        config: { base_url: api.url, tokens: 'ta,tb' },
        catalog: configuredCatalog(['items']),
      },
      { clock },
    );
    expect(errors(run.messages)).toEqual([]);
    expect(tokensUsed(api.requests)).toEqual(['Bearer ta', 'Bearer tb', 'Bearer ta']);
    expect(run.sleeps).toEqual([]);
  });

  it('a quota status that is an error not declared unavailable fails the read', async () => {
    api = await startMockApi([{ path: '/rate_limit', response: { status: 404, body: {} } }, itemsRoute(1)]);
    const run = await runSource(
      'read',
      { manifest: manifest(CORE), config: { base_url: api.url, tokens: 'ta' }, catalog: configuredCatalog(['items']) },
      { clock },
    );
    expect(run.code).not.toBe(0);
    expect(api.requestsTo('/items')).toEqual([]);
  });

  it('a configured path missing from the quota status is a system error naming the pool', async () => {
    api = await startMockApi([{ path: '/rate_limit', response: { body: { resources: {} } } }, itemsRoute(1)]);
    const run = await runSource(
      'read',
      { manifest: manifest(CORE), config: { base_url: api.url, tokens: 'ta' }, catalog: configuredCatalog(['items']) },
      { clock },
    );
    const [error] = errors(run.messages);
    expect(error?.message).toContain('Quota status response does not contain the configured remaining path for token quota "core".');
    expect(error?.failure_type).toBe('system_error');
  });

  it('no tokens in the config is a config error', async () => {
    const run = await runSource(
      'read',
      { manifest: manifest(CORE), config: { base_url: 'http://127.0.0.1:9', tokens: ' , ' }, catalog: configuredCatalog(['items']) },
      { clock },
    );
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain('Authentication tokens are missing from the configuration.');
  });

  it('a calendar max_wait_time is refused', async () => {
    const run = await runSource(
      'read',
      { manifest: manifest(`${CORE}\n    max_wait_time: P1M`), config: { base_url: 'http://127.0.0.1:9', tokens: 'ta' }, catalog: configuredCatalog(['items']) },
      { clock },
    );
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain('calendar-unit durations');
  });
});
