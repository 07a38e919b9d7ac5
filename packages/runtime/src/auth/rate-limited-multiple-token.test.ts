import { describe, expect, it } from 'vitest';
import type { RunContext } from '../context.js';
import { silentLogger } from '../logging/logger.js';
import { SecretMasker } from '../logging/mask.js';
import { HttpRequestRegexMatcher } from '../rate-limiting/matcher.js';
import type { HttpRequest, HttpResponse } from '../requesters/http-client.js';
import { type QuotaStatus, RateLimitedMultipleTokenAuthenticator, type TokenQuota } from './rate-limited-multiple-token.js';

const NOW = 1_000_000_000_000;

function harness(statuses: Record<string, { remaining: number; reset: number; limit?: number }>, quota: Partial<TokenQuota> = {}) {
  const state = { now: NOW, slept: [] as number[] };
  const run: RunContext = {
    config: {},
    logger: silentLogger(),
    http: { send: async () => Promise.reject(new Error('no HTTP here')), close: async () => undefined },
    masker: new SecretMasker(),
    clock: () => state.now,
    sleep: async (ms) => {
      state.slept.push(ms);
    },
    emit: () => undefined,
  };
  const pool: TokenQuota = {
    name: 'core',
    remainingPath: ['remaining'],
    resetPath: ['reset'],
    limitPath: ['limit'],
    matchers: [],
    remainingHeader: 'x-remaining',
    resetHeader: 'x-reset',
    limitHeader: 'x-limit',
    exhaustionStatusCodes: [429],
    ...quota,
  };
  const auth = new RateLimitedMultipleTokenAuthenticator(
    {
      tokens: Object.keys(statuses),
      quotas: [pool],
      fetchQuotaStatus: async (token): Promise<QuotaStatus> => {
        const status = statuses[token] as { remaining: number; reset: number; limit?: number };
        return { unavailable: false, body: { remaining: status.remaining, reset: status.reset, limit: status.limit ?? 100 } };
      },
      authMethod: 'Bearer',
      header: 'Authorization',
      maxWaitMs: 7_200_000,
      budgetReserveFraction: 0,
      budgetMinReserve: 0,
      parseReset: (value) => Number(value) * 1000,
    },
    run,
  );
  const request = (): HttpRequest => ({ method: 'GET', url: 'https://api.example.com/items', headers: {} });
  const send = async () => {
    const req = request();
    await auth.sign(req);
    return req;
  };
  const respond = (req: HttpRequest, status: number, headers: Record<string, string>) =>
    auth.onResponse(req, { status, headers, body: Buffer.alloc(0), url: req.url, request: req, text: () => '' } satisfies HttpResponse);
  return { auth, state, send, respond };
}

const resetIn = (seconds: number) => NOW / 1000 + seconds;

describe('RateLimitedMultipleTokenAuthenticator.onResponse', () => {
  it('a remaining header lowers the count of the token that sent the request, never raises it', async () => {
    const h = harness({ ta: { remaining: 10, reset: resetIn(60) }, tb: { remaining: 10, reset: resetIn(60) } });
    const first = await h.send();
    h.respond(first, 200, { 'x-remaining': '1' });
    expect(first.headers.Authorization).toBe('Bearer ta');
    // A stale, higher count does not hand calls back.
    h.respond(first, 200, { 'x-remaining': '7' });
    expect((await h.send()).headers.Authorization).toBe('Bearer ta');
    expect((await h.send()).headers.Authorization).toBe('Bearer tb');
  });

  it('a later reset is a new window: the server numbers are taken, or the full limit without a count', async () => {
    const h = harness({ ta: { remaining: 1, reset: resetIn(60) }, tb: { remaining: 5, reset: resetIn(60) } });
    const req = await h.send();
    // ta is now at 0; a response from the next window restores it to its limit (header).
    h.respond(req, 200, { 'x-reset': String(resetIn(3660)), 'x-limit': '3' });
    const signed = await Promise.all([h.send(), h.send(), h.send(), h.send()]);
    expect(signed.map((r) => r.headers.Authorization)).toEqual(['Bearer ta', 'Bearer ta', 'Bearer ta', 'Bearer tb']);
  });

  it('a count from a window that already rolled over is ignored, beyond the 60 s skew tolerance', async () => {
    const h = harness({ ta: { remaining: 5, reset: resetIn(600) }, tb: { remaining: 5, reset: resetIn(600) } });
    const req = await h.send();
    h.respond(req, 200, { 'x-remaining': '0', 'x-reset': String(resetIn(600 - 61)) });
    expect((await h.send()).headers.Authorization).toBe('Bearer ta');
    // Within the tolerance it counts.
    h.respond(req, 200, { 'x-remaining': '0', 'x-reset': String(resetIn(600 - 59)) });
    expect((await h.send()).headers.Authorization).toBe('Bearer tb');
  });

  it('an exhaustion status without a count spends the pool, even with a trailing reset', async () => {
    const h = harness({ ta: { remaining: 5, reset: resetIn(600) }, tb: { remaining: 5, reset: resetIn(600) } });
    const req = await h.send();
    expect(h.auth.hasAlternativeToken(req)).toBe(false);
    h.respond(req, 429, { 'x-reset': String(resetIn(10)) });
    expect(h.auth.hasAlternativeToken(req)).toBe(true);
    expect((await h.send()).headers.Authorization).toBe('Bearer tb');
  });

  it('pools without response headers or exhaustion codes ignore responses', async () => {
    const h = harness(
      { ta: { remaining: 5, reset: resetIn(600) }, tb: { remaining: 5, reset: resetIn(600) } },
      { remainingHeader: undefined, resetHeader: undefined, limitHeader: undefined, exhaustionStatusCodes: [] },
    );
    const req = await h.send();
    h.respond(req, 429, { 'x-remaining': '0' });
    expect((await h.send()).headers.Authorization).toBe('Bearer ta');
  });
});

describe('RateLimitedMultipleTokenAuthenticator.hasAlternativeToken', () => {
  it('is true only when the sender is spent and another token has calls', async () => {
    const h = harness({ ta: { remaining: 1, reset: resetIn(600) }, tb: { remaining: 0, reset: resetIn(600) } });
    const req = await h.send();
    // ta spent, tb spent too: waiting is the only way.
    expect(h.auth.hasAlternativeToken(req)).toBe(false);
    // A request signed by something else is not attributed.
    expect(h.auth.hasAlternativeToken({ method: 'GET', url: req.url, headers: { Authorization: 'Basic xyz' } })).toBe(false);
  });
});

describe('RateLimitedMultipleTokenAuthenticator pools', () => {
  it('falls back to the first pool when no pool matches and none is a default', async () => {
    const h = harness(
      { ta: { remaining: 1, reset: resetIn(600) }, tb: { remaining: 1, reset: resetIn(600) } },
      { matchers: [new HttpRequestRegexMatcher({ urlPathPattern: '^/graphql' })] },
    );
    expect((await h.send()).headers.Authorization).toBe('Bearer ta');
    expect((await h.send()).headers.Authorization).toBe('Bearer tb');
  });

  it('options() gives the active token, so a requester header of the same name collides as in the CDK', async () => {
    const h = harness({ ta: { remaining: 1, reset: resetIn(600) } });
    expect(await h.auth.options()).toEqual({ headers: { Authorization: 'Bearer ta' } });
  });
});
