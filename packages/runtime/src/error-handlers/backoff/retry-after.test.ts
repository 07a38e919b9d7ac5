import { describe, expect, it } from 'vitest';
import { defaultBackoffSeconds, parseHttpDate, parseRetryAfter, retryAfterSeconds } from './retry-after.js';
import { response } from '../__tests__/support.js';

const NOW = Date.UTC(2015, 9, 21, 7, 28, 0); // Wed, 21 Oct 2015 07:28:00 GMT

describe('Retry-After', () => {
  it.each([
    ['120', 120],
    [' 30 ', 30],
    ['0', 0],
    ['1.5', 1.5],
    ['Wed, 21 Oct 2015 07:29:00 GMT', 60], // IMF-fixdate
    ['Wednesday, 21-Oct-15 07:28:30 GMT', 30], // RFC 850
    ['Wed Oct 21 07:30:00 2015', 120], // asctime
    ['Wed Oct  1 07:28:00 2015', 0], // asctime, in the past
    ['Tue, 20 Oct 2015 07:28:00 GMT', 0], // in the past: no wait
    ['soon', undefined],
    ['-5', undefined],
    ['', undefined],
    ['2015-10-21T07:29:00Z', undefined], // ISO dates are not HTTP dates
    ['Wed, 21 Foo 2015 07:29:00 GMT', undefined],
  ])('%j → %j seconds', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it('parses each HTTP-date form to the same instant', () => {
    const instant = Date.UTC(1994, 10, 6, 8, 49, 37);
    const now = Date.UTC(2024, 0, 1);
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(instant);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(instant);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994', now)).toBe(instant);
  });

  it('reads the header of a response only', () => {
    const clock = () => NOW;
    expect(retryAfterSeconds({ response: response(429, '', { 'retry-after': '9' }) }, clock)).toBe(9);
    expect(retryAfterSeconds({ response: response(429) }, clock)).toBeUndefined();
    expect(retryAfterSeconds({ error: new Error('x') }, clock)).toBeUndefined();
  });
});

describe('defaultBackoffSeconds', () => {
  const clock = () => NOW;
  it.each([
    [1, 1],
    [2, 2],
    [3, 4],
    [4, 8],
    [5, 16],
  ])('without Retry-After, retry %i waits %i s (the CDK default: 2 ** (attempt - 1))', (attempt, seconds) => {
    expect(defaultBackoffSeconds({ response: response(503) }, attempt, clock)).toBe(seconds);
    expect(defaultBackoffSeconds({ error: new Error('reset') }, attempt, clock)).toBe(seconds);
  });

  it('prefers Retry-After in either form', () => {
    expect(defaultBackoffSeconds({ response: response(429, '', { 'retry-after': '42' }) }, 3, clock)).toBe(42);
    expect(
      defaultBackoffSeconds({ response: response(503, '', { 'retry-after': 'Wed, 21 Oct 2015 07:28:10 GMT' }) }, 3, clock),
    ).toBe(10);
  });

  it('ignores an unreadable Retry-After', () => {
    expect(defaultBackoffSeconds({ response: response(429, '', { 'retry-after': 'later' }) }, 2, clock)).toBe(2);
  });
});
