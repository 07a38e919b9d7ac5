import { describe, expect, it, vi } from 'vitest';
import { type ApiBudget, HttpApiBudget } from './api-budget.js';
import { parseIsoDuration } from './duration.js';
import { type BudgetRequest, HttpRequestRegexMatcher } from './matcher.js';
import { FixedWindowCallRatePolicy, MovingWindowCallRatePolicy, UnlimitedCallRatePolicy } from './policies.js';
import { T0, build, fakeRun, response } from '../error-handlers/__tests__/support.js';
import { makeResponse } from '../requesters/http-client.js';


const get = (url: string, headers: Record<string, string> = {}): BudgetRequest => ({ method: 'GET', url, headers });
const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe('ISO 8601 durations', () => {
  it.each([
    ['PT1S', 1000],
    ['PT2S', 2000],
    ['PT0.5S', 500],
    ['PT1M', 60_000],
    ['PT1H', 3_600_000],
    ['P1D', 86_400_000],
    ['P1W', 604_800_000],
    ['P1DT1H30M', 86_400_000 + 5_400_000],
  ])('%s → %i ms', (text, ms) => expect(parseIsoDuration(text)).toBe(ms));

  it.each(['1 minute', 'P', 'PT', 'P1M', 'P1Y', 'PT0S', ''])('refuses %j', (text) => {
    expect(() => parseIsoDuration(text)).toThrow();
  });
});

describe('HttpRequestRegexMatcher', () => {
  it.each([
    ['empty matches all', {}, get('https://a.com/x'), true],
    ['method, any case', { method: 'get' }, get('https://a.com/x'), true],
    ['other method', { method: 'POST' }, get('https://a.com/x'), false],
    ['url_base', { urlBase: 'https://a.com/' }, get('https://a.com/x/y'), true],
    ['other host', { urlBase: 'https://a.com' }, get('https://b.com/x'), false],
    ['url_base with a path never matches (as in the CDK)', { urlBase: 'https://a.com/api' }, get('https://a.com/api/x'), false],
    ['port is part of the base', { urlBase: 'https://a.com:8443' }, get('https://a.com:8443/x'), true],
    ['path pattern searched', { urlPathPattern: 'orders/v0/orders(\\?.*)?$' }, get('https://a.com/orders/v0/orders?x=1'), true],
    ['path pattern ignores trailing slash', { urlPathPattern: '/items$' }, get('https://a.com/v1/items/'), true],
    ['path pattern anchored', { urlPathPattern: '^/api/flows($|/)' }, get('https://a.com/api/flows/123'), true],
    ['path pattern not found', { urlPathPattern: '^/api/flows($|/)' }, get('https://a.com/api/flowsx'), false],
    ['params present', { params: { page_size: 100, type: 'a' } }, get('https://a.com/x?type=a&page_size=100&z=1'), true],
    ['param with other value', { params: { type: 'a' } }, get('https://a.com/x?type=b'), false],
    ['blank param counts as absent', { params: { type: '' } }, get('https://a.com/x?type='), false],
    ['headers, names any case', { headers: { 'X-Sandbox': 'true' } }, get('https://a.com/x', { 'x-sandbox': 'true' }), true],
    ['boolean header value is Python str()', { headers: { 'X-Sandbox': true } }, get('https://a.com/x', { 'X-Sandbox': 'True' }), true],
    ['header missing', { headers: { 'X-Sandbox': 'true' } }, get('https://a.com/x'), false],
    ['Python named group', { urlPathPattern: '^/(?P<v>v\\d)/items' }, get('https://a.com/v1/items'), true],
  ])('%s', (_, options, request, expected) => {
    expect(new HttpRequestRegexMatcher(options).matches(request)).toBe(expected);
  });

  it('refuses a weight below 1', () => {
    expect(() => new HttpRequestRegexMatcher({ weight: 0 })).toThrow(/weight/);
  });
});

describe('FixedWindowCallRatePolicy', () => {
  it('allows call_limit calls per period, the first window opening at the first call', () => {
    const policy = new FixedWindowCallRatePolicy(MINUTE, 2, []);
    expect(policy.tryAcquire(1, T0)).toBe(0);
    expect(policy.tryAcquire(1, T0 + 10 * SECOND)).toBe(0);
    expect(policy.tryAcquire(1, T0 + 20 * SECOND)).toBe(40 * SECOND);
    expect(policy.tryAcquire(1, T0 + MINUTE - 1)).toBe(1);
    expect(policy.tryAcquire(1, T0 + MINUTE)).toBe(0); // the reset instant opens the next window
    expect(policy.used).toBe(1);
  });

  it('catches up whole periods after a long pause, keeping the window grid', () => {
    const policy = new FixedWindowCallRatePolicy(MINUTE, 1, []);
    policy.tryAcquire(1, T0);
    expect(policy.tryAcquire(1, T0 + 10 * MINUTE + 5 * SECOND)).toBe(0);
    expect(policy.tryAcquire(1, T0 + 10 * MINUTE + 6 * SECOND)).toBe(55 * SECOND - 1 * SECOND);
  });

  it('follows the API down, never up, and moves the reset time', () => {
    const policy = new FixedWindowCallRatePolicy(MINUTE, 10, []);
    policy.tryAcquire(1, T0);
    policy.update(20, undefined, T0); // more than we allow ourselves: ignored
    expect(policy.used).toBe(1);
    policy.update(3, undefined, T0);
    expect(policy.used).toBe(7);
    policy.update(0, T0 + 5 * MINUTE, T0);
    expect(policy.tryAcquire(1, T0 + SECOND)).toBe(5 * MINUTE - SECOND);
  });
});

describe('MovingWindowCallRatePolicy', () => {
  it('allows at most limit calls in any interval, for every rate', () => {
    const policy = new MovingWindowCallRatePolicy(
      [
        { limit: 2, intervalMs: SECOND },
        { limit: 3, intervalMs: MINUTE },
      ],
      [],
    );
    expect(policy.tryAcquire(1, T0)).toBe(0);
    expect(policy.tryAcquire(1, T0 + 100)).toBe(0);
    expect(policy.tryAcquire(1, T0 + 200)).toBe(800); // the T0 call leaves the 1 s window at T0 + 1000
    expect(policy.tryAcquire(1, T0 + 1000)).toBe(0);
    expect(policy.tryAcquire(1, T0 + 5000)).toBe(MINUTE - 5000); // 3 per minute reached
    expect(policy.tryAcquire(1, T0 + MINUTE)).toBe(0);
  });

  it('waits for enough calls to leave the window for a heavy call', () => {
    const policy = new MovingWindowCallRatePolicy([{ limit: 3, intervalMs: SECOND }], []);
    policy.tryAcquire(1, T0);
    policy.tryAcquire(1, T0 + 100);
    policy.tryAcquire(1, T0 + 200);
    expect(policy.tryAcquire(2, T0 + 300)).toBe(800); // two calls must leave: T0 and T0 + 100
  });

  it('fills the window when the API says no calls are left', () => {
    const policy = new MovingWindowCallRatePolicy([{ limit: 5, intervalMs: MINUTE }], []);
    policy.tryAcquire(1, T0);
    policy.update(0, undefined, T0 + SECOND);
    expect(policy.tryAcquire(1, T0 + 2 * SECOND)).toBe(MINUTE - 2 * SECOND);
    policy.update(0, T0 + MINUTE, T0 + 2 * SECOND); // with a reset time: ignored, as in the CDK
    policy.update(3, undefined, T0 + 2 * SECOND); // only 0 is acted on
    expect(policy.tryAcquire(1, T0 + MINUTE)).toBe(0); // the T0 call left; the 4 filled at T0 + 1 s remain
    expect(policy.tryAcquire(1, T0 + MINUTE)).toBe(SECOND);
  });
});

describe('HttpApiBudget', () => {
  const budget = (options: Partial<ConstructorParameters<typeof HttpApiBudget>[0]> & Pick<ConstructorParameters<typeof HttpApiBudget>[0], 'policies'>) => {
    const run = fakeRun();
    return { run, budget: new HttpApiBudget({ clock: run.run.clock, sleep: run.run.sleep, ...options }) };
  };

  it('waits via the run sleep until a call fits', async () => {
    const { run, budget: limited } = budget({ policies: [new FixedWindowCallRatePolicy(MINUTE, 2, [])] });
    await limited.acquire(get('https://a.com/x'));
    run.advance(15 * SECOND);
    await limited.acquire(get('https://a.com/x'));
    await limited.acquire(get('https://a.com/x'));
    expect(run.sleeps).toEqual([45 * SECOND]);
    expect(run.now()).toBe(T0 + MINUTE);
  });

  it('applies the first matching policy; unmatched requests are free', async () => {
    const free = new UnlimitedCallRatePolicy([new HttpRequestRegexMatcher({ headers: { sandbox: 'yes' } })]);
    const strict = new MovingWindowCallRatePolicy([{ limit: 1, intervalMs: SECOND }], [new HttpRequestRegexMatcher({ urlPathPattern: '^/items' })]);
    const { run, budget: limited } = budget({ policies: [free, strict] });
    for (let i = 0; i < 3; i++) await limited.acquire(get('https://a.com/items', { sandbox: 'yes' }));
    for (let i = 0; i < 3; i++) await limited.acquire(get('https://a.com/other'));
    expect(run.sleeps).toEqual([]);
    await limited.acquire(get('https://a.com/items'));
    await limited.acquire(get('https://a.com/items'));
    expect(run.sleeps).toEqual([SECOND]);
    expect(limited.policyFor(get('https://a.com/other'))).toBeUndefined();
  });

  it('counts a matcher weight, and refuses a weight that can never fit', async () => {
    const heavy = new HttpRequestRegexMatcher({ urlPathPattern: '/search', weight: 3 });
    const { run, budget: limited } = budget({ policies: [new MovingWindowCallRatePolicy([{ limit: 4, intervalMs: SECOND }], [heavy, new HttpRequestRegexMatcher({})])] });
    await limited.acquire(get('https://a.com/search'));
    await limited.acquire(get('https://a.com/list'));
    await limited.acquire(get('https://a.com/list'));
    expect(run.sleeps).toEqual([SECOND]);
    const tooHeavy = budget({ policies: [new FixedWindowCallRatePolicy(MINUTE, 2, [new HttpRequestRegexMatcher({ weight: 5 })])] });
    await expect(tooHeavy.budget.acquire(get('https://a.com/x'))).rejects.toThrow(/can never fit/);
  });

  it.each([
    ['remaining header lowers the calls left', { 'x-remaining': '0' }, 200, MINUTE - 0],
    ['rate-limit status without header means none left', {}, 429, MINUTE],
    ['other status without header changes nothing', {}, 500, 0],
    ['reset header as epoch seconds', { 'x-remaining': '0', 'x-reset': String(T0 / 1000 + 30) }, 200, 30 * SECOND],
    ['reset header as seconds from now', { 'x-remaining': '0', 'x-reset': '12' }, 200, 12 * SECOND],
    ['unreadable headers are ignored', { 'x-remaining': 'many', 'x-reset': 'later' }, 200, 0],
  ])('onResponse: %s', async (_, headers, status, expectedWait) => {
    const { run, budget: limited } = budget({
      policies: [new FixedWindowCallRatePolicy(MINUTE, 10, [])],
      ratelimitRemainingHeader: 'X-Remaining',
      ratelimitResetHeader: 'X-Reset',
      statusCodesForRatelimitHit: [429],
    });
    const request = get('https://a.com/x');
    await limited.acquire(request);
    limited.onResponse(request, makeResponse({ ...request }, status, headers, Buffer.from('')));
    await limited.acquire(request);
    expect(run.sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(expectedWait);
  });

  it('defaults to the ratelimit-remaining / ratelimit-reset headers and 429', async () => {
    const { run, budget: limited } = budget({ policies: [new FixedWindowCallRatePolicy(MINUTE, 10, [])] });
    const request = get('https://a.com/x');
    await limited.acquire(request);
    limited.onResponse(request, response(200, '', { 'ratelimit-remaining': '0', 'ratelimit-reset': '5' }));
    await limited.acquire(request);
    expect(run.sleeps).toEqual([5 * SECOND]);
  });
});

describe('api_budget builders', () => {
  it('builds a budget from a manifest and paces calls', async () => {
    const run = fakeRun({ per_second: '2' });
    const built = await build<ApiBudget>(
      {
        type: 'HTTPAPIBudget',
        policies: [
          {
            type: 'MovingWindowCallRatePolicy',
            rates: [{ type: 'Rate', limit: "{{ config['per_second'] }}", interval: 'PT1S' }, { limit: 60, interval: 'PT1M' }],
            matchers: [{ type: 'HttpRequestRegexMatcher', method: 'GET', url_path_pattern: '^/api/campaigns($|/)' }],
          },
          { type: 'FixedWindowCallRatePolicy', period: 'PT1M', call_limit: 1, matchers: [{ method: 'POST' }] },
          { type: 'UnlimitedCallRatePolicy', matchers: [] },
        ],
        status_codes_for_ratelimit_hit: [429, 503],
      },
      {},
      run,
    );
    for (let i = 0; i < 3; i++) await built.acquire(get('https://a.klaviyo.com/api/campaigns'));
    expect(run.sleeps).toEqual([SECOND]);
    await built.acquire({ method: 'POST', url: 'https://a.com/x', headers: {} });
    await built.acquire({ method: 'POST', url: 'https://a.com/x', headers: {} });
    expect(run.sleeps).toEqual([SECOND, MINUTE]);
    for (let i = 0; i < 10; i++) await built.acquire(get('https://a.com/else'));
    expect(run.sleeps).toHaveLength(2);
    const request = get('https://a.klaviyo.com/api/campaigns');
    built.onResponse(request, response(503));
    await built.acquire(request);
    expect(run.sleeps).toHaveLength(3);
  });

  it.each([
    [{ type: 'FixedWindowCallRatePolicy', period: 'P1M', call_limit: 1, matchers: [] }, /years or months/],
    [{ type: 'FixedWindowCallRatePolicy', period: 'PT1M', call_limit: 0, matchers: [] }, /call_limit/],
    [{ type: 'FixedWindowCallRatePolicy', period: 'PT1M', call_limit: 2, matchers: [{ weight: 3 }] }, /weight of 3/],
    [{ type: 'MovingWindowCallRatePolicy', rates: [], matchers: [] }, /at least one rate/],
    [{ type: 'MovingWindowCallRatePolicy', rates: [{ limit: 1, interval: 'soon' }], matchers: [] }, /ISO 8601/],
    [{ type: 'HttpRequestRegexMatcher', weight: "{{ config['w'] }}" }, /weight/],
  ])('refuses %j', async (model, message) => {
    await expect(build(model, { w: 0 })).rejects.toThrow(message);
  });

  it('warns that an interpolated url_base or one with a path never matches', async () => {
    const run = fakeRun({ domain: 'x.freshdesk.com' });
    const warn = vi.spyOn(run.run.logger, 'warn');
    await build({ type: 'HttpRequestRegexMatcher', url_base: "https://{{ config['domain'] }}/api/v2/" }, {}, run);
    await build({ type: 'HttpRequestRegexMatcher', url_base: 'https://x.freshdesk.com' }, {}, run);
    expect(warn).toHaveBeenCalledOnce();
  });
});
