import { describe, expect, it, vi } from 'vitest';
import type { BackoffStrategy } from '../error-handler.js';
import { ConstantBackoff } from './constant.js';
import { ExponentialBackoff } from './exponential.js';
import { T0, build, fakeRun, response } from '../__tests__/support.js';


const strategy = (model: Record<string, unknown>, config: Record<string, unknown> = {}, start = T0) =>
  build<BackoffStrategy>(model, config, fakeRun(config, start));
const exception = { error: new Error('socket hang up') };
const constant = (seconds: number) => ({ source: String(seconds), eval: () => seconds });

describe('ConstantBackoffStrategy', () => {
  it.each([
    [{ backoff_time_in_seconds: 5 }, {}, 5],
    [{ backoff_time_in_seconds: 0.5 }, {}, 0.5],
    [{ backoff_time_in_seconds: '7' }, {}, 7],
    [{ backoff_time_in_seconds: "{{ config['wait'] }}" }, { wait: 12 }, 12],
    [{ backoff_time_in_seconds: "{{ config['wait'] }}" }, { wait: '2.5' }, 2.5],
  ])('%j → %d for every attempt', async (model, config, expected) => {
    const built = await strategy({ type: 'ConstantBackoffStrategy', ...model }, config);
    for (const attempt of [1, 2, 5]) expect(built.backoffSeconds({ response: response(500) }, attempt)).toBe(expected);
    expect(built.backoffSeconds(exception, 1)).toBe(expected);
  });

  it('draws jitter in [base, base + 2 * range]', () => {
    expect(new ConstantBackoff(constant(10), {}, 3, () => 0).backoffSeconds(exception, 1)).toBe(10);
    expect(new ConstantBackoff(constant(10), {}, 3, () => 0.5).backoffSeconds(exception, 1)).toBe(13);
    expect(new ConstantBackoff(constant(10), {}, 3, () => 0.999).backoffSeconds(exception, 1)).toBeCloseTo(15.994);
  });

  it('refuses a negative jitter, a missing value and a non-number', async () => {
    await expect(strategy({ type: 'ConstantBackoffStrategy', backoff_time_in_seconds: 1, jitter_range_in_seconds: -1 })).rejects.toThrow(/jitter/);
    await expect(strategy({ type: 'ConstantBackoffStrategy' })).rejects.toThrow(/backoff_time_in_seconds/);
    const built = await strategy({ type: 'ConstantBackoffStrategy', backoff_time_in_seconds: "{{ config['wait'] }}" }, { wait: 'soon' });
    expect(() => built.backoffSeconds(exception, 1)).toThrow(/not a number/);
  });
});

describe('ExponentialBackoffStrategy', () => {
  it.each([
    [{}, {}, [10, 20, 40, 80]], // factor 5: 5 * 2 ** attempt
    [{ factor: 0 }, {}, [10, 20, 40, 80]], // a falsy factor means the default, as in the CDK
    [{ factor: 1 }, {}, [2, 4, 8, 16]],
    [{ factor: 0.5 }, {}, [1, 2, 4, 8]],
    [{ factor: "{{ config['f'] }}" }, { f: 3 }, [6, 12, 24, 48]],
  ])('%j → %j', async (model, config, expected) => {
    const built = await strategy({ type: 'ExponentialBackoffStrategy', ...model }, config);
    expect([1, 2, 3, 4].map((attempt) => built.backoffSeconds(exception, attempt))).toEqual(expected);
  });

  it('adds jitter', () => {
    expect(new ExponentialBackoff(constant(5), {}, 1, () => 0.5).backoffSeconds(exception, 1)).toBe(11);
  });
});

describe('WaitTimeFromHeader', () => {
  it.each([
    ['seconds', {}, { 'retry-after': '30' }, 30],
    ['fractional', {}, { 'retry-after': '1.5' }, 1.5],
    ['missing', {}, {}, undefined],
    ['empty', {}, { 'retry-after': '' }, undefined],
    ['not a number', {}, { 'retry-after': 'soon' }, undefined],
    ['an HTTP date is not a number', {}, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, undefined],
    ['regex picks the start', { regex: '[-+]?\\d+' }, { 'retry-after': '30 seconds' }, 30],
    ['regex uses the whole match, not a group', { regex: 'wait=(\\d+)' }, { 'retry-after': 'wait=30' }, undefined],
    ['regex anchored at the start (Python re.match)', { regex: '\\d+' }, { 'retry-after': 'in 30' }, undefined],
    ['regex not matching reads the whole value', { regex: '[a-z]+' }, { 'retry-after': '42' }, 42],
    ['regex with decimals', { regex: '[0-9]*\\.?[0-9]+' }, { 'retry-after': '2.25s' }, 2.25],
  ])('%s', async (_, model, headers, expected) => {
    const built = await strategy({ type: 'WaitTimeFromHeader', header: 'Retry-After', ...model });
    expect(built.backoffSeconds({ response: response(429, '', headers) }, 1)).toBe(expected);
  });

  it('has no opinion on exceptions', async () => {
    const built = await strategy({ type: 'WaitTimeFromHeader', header: 'Retry-After' });
    expect(built.backoffSeconds(exception, 1)).toBeUndefined();
  });

  it('interpolates the header name', async () => {
    const built = await strategy({ type: 'WaitTimeFromHeader', header: "{{ config['header'] }}" }, { header: 'X-Wait' });
    expect(built.backoffSeconds({ response: response(429, '', { 'x-wait': '4' }) }, 1)).toBe(4);
  });

  it.each([
    [59, 60, 59],
    [60, 60, 'throw'], // the bound is inclusive
    [3600, 60, 'throw'],
    [0, 0, 0], // a header of 0 asks for no wait; no cap refuses it
    [1, 0, 'throw'], // a cap of 0 refuses every wait
    [100, "{{ config['cap'] }}", 'throw'],
    [10, "{{ config['cap'] }}", 10],
  ] as const)('header %d with max_waiting_time_in_seconds %j → %s', async (seconds, max, expected) => {
    const built = await strategy(
      { type: 'WaitTimeFromHeader', header: 'Retry-After', max_waiting_time_in_seconds: max },
      { cap: 50 },
    );
    const run = () => built.backoffSeconds({ response: response(429, '', { 'retry-after': String(seconds) }) }, 1);
    if (expected === 'throw') {
      expect(run).toThrow(expect.objectContaining({ code: 'HTTP_TRANSIENT', failureType: 'transient_error' }));
      expect(run).toThrow(/max_waiting_time_in_seconds/);
    } else expect(run()).toBe(expected);
  });

  it('refuses at build a cap that does not resolve to a finite number', async () => {
    for (const config of [{}, { cap: 'lots' }, { cap: 'nan' }, { cap: 'inf' }]) {
      await expect(
        strategy({ type: 'WaitTimeFromHeader', header: 'Retry-After', max_waiting_time_in_seconds: "{{ config['cap'] }}" }, config),
      ).rejects.toThrow(expect.objectContaining({ code: 'MANIFEST_INVALID', failureType: 'system_error' }));
    }
  });

  it('refuses at build a regex that does not compile', async () => {
    await expect(strategy({ type: 'WaitTimeFromHeader', header: 'Retry-After', regex: '([0-9' })).rejects.toThrow(/not a valid regular expression/);
  });
});

describe('WaitUntilTimeFromHeader', () => {
  const now = T0 / 1000; // epoch seconds of the fake clock
  const until = (value: string | undefined, model: Record<string, unknown> = {}, config: Record<string, unknown> = {}) =>
    strategy({ type: 'WaitUntilTimeFromHeader', header: 'X-RateLimit-Reset', ...model }, config).then((built) =>
      built.backoffSeconds({ response: response(429, '', value === undefined ? {} : { 'x-ratelimit-reset': value }) }, 1),
    );

  it.each([
    ['future', String(now + 30), {}, 30],
    ['past without min_wait', String(now - 30), {}, undefined],
    ['past with min_wait', String(now - 30), { min_wait: 5 }, 5],
    ['sooner than min_wait', String(now + 2), { min_wait: 5 }, 5],
    ['later than min_wait', String(now + 20), { min_wait: 5 }, 20],
    ['missing with min_wait', undefined, { min_wait: 5 }, 5],
    ['missing without min_wait', undefined, {}, undefined],
    ['not a number with min_wait', 'tomorrow', { min_wait: 3 }, 3],
    ['min_wait 0 means none', undefined, { min_wait: 0 }, undefined],
    ['min_wait from config', undefined, { min_wait: "{{ config['floor'] }}" }, 8],
    ['regex', `reset=${now + 40}`, { regex: 'reset=' }, undefined],
    ['regex extracting the time', `${now + 40};w=1`, { regex: '\\d+' }, 40],
  ])('%s', async (_, value, model, expected) => {
    expect(await until(value, model, { floor: 8 })).toBe(expected);
  });

  it('has no opinion on exceptions unless min_wait is set', async () => {
    const plain = await strategy({ type: 'WaitUntilTimeFromHeader', header: 'X-Reset' });
    expect(plain.backoffSeconds(exception, 1)).toBeUndefined();
    const floored = await strategy({ type: 'WaitUntilTimeFromHeader', header: 'X-Reset', min_wait: 2 });
    expect(floored.backoffSeconds(exception, 1)).toBe(2);
  });

  it('caps the computed wait, after the min_wait floor', async () => {
    await expect(until(String(now + 120), { max_waiting_time_in_seconds: 60 })).rejects.toThrow(/max_waiting_time_in_seconds/);
    await expect(until(String(now + 30), { max_waiting_time_in_seconds: 60 })).resolves.toBe(30);
    await expect(until(undefined, { min_wait: 90, max_waiting_time_in_seconds: 60 })).rejects.toThrow(/max_waiting_time_in_seconds/);
  });
});
