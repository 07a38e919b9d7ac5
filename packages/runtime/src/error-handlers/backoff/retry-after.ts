import type { Outcome } from '../error-handler.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// The three HTTP-date forms of RFC 9110 §5.6.7.
const IMF_FIXDATE = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC_850 = /^[A-Za-z]+, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^[A-Za-z]{3} ([A-Za-z]{3}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

function utc(year: number, month: string, day: number, h: number, m: number, s: number): number | undefined {
  const index = MONTHS.indexOf(month.toLowerCase());
  if (index < 0 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60) return undefined;
  return Date.UTC(year, index, day, h, m, s);
}

/** Epoch milliseconds of an HTTP-date, or undefined when `text` is not one (`nowMs` places two-digit years). */
export function parseHttpDate(text: string, nowMs: number): number | undefined {
  let match = IMF_FIXDATE.exec(text);
  if (match) {
    const [, d, mon, y, h, mi, s] = match;
    return utc(Number(y), mon!, Number(d), Number(h), Number(mi), Number(s));
  }
  match = RFC_850.exec(text);
  if (match) {
    const [, d, mon, yy, h, mi, s] = match;
    // Two-digit years: RFC 9110 says a year more than 50 years ahead is in the past century.
    let year = 2000 + Number(yy);
    if (year > new Date(nowMs).getUTCFullYear() + 50) year -= 100;
    return utc(year, mon!, Number(d), Number(h), Number(mi), Number(s));
  }
  match = ASCTIME.exec(text);
  if (match) {
    const [, mon, d, h, mi, s, y] = match;
    return utc(Number(y), mon!, Number(d), Number(h), Number(mi), Number(s));
  }
  return undefined;
}

/**
 * A `Retry-After` value in seconds from `nowMs`: delta-seconds, or an HTTP-date (a date in the
 * past means no wait). Undefined when the value is neither.
 */
export function parseRetryAfter(value: string, nowMs: number): number | undefined {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const at = parseHttpDate(text, nowMs);
  if (at === undefined) return undefined;
  return Math.max(0, (at - nowMs) / 1000);
}

/** The seconds a response's `Retry-After` header asks for, if it has a readable one. */
export function retryAfterSeconds(outcome: Outcome, clock: () => number): number | undefined {
  const header = outcome.response?.headers['retry-after'];
  return header === undefined ? undefined : parseRetryAfter(header, clock());
}

/**
 * Base and factor of the CDK's default backoff (the `backoff` library's `expo` with factor 1):
 * 1, 2, 4, 8, 16... seconds before retries 1, 2, 3, 4, 5.
 */
export const DEFAULT_BACKOFF_BASE = 2;
export const DEFAULT_BACKOFF_FACTOR = 1;

/**
 * Seconds to wait before retry number `attempt` (1-based) when no backoff strategy of the error
 * handler had an opinion: what `Retry-After` asks (either form) if the response has it, else the
 * CDK's default exponential backoff, `1 * 2 ** (attempt - 1)`.
 */
export function defaultBackoffSeconds(outcome: Outcome, attempt: number, clock: () => number): number {
  const retryAfter = retryAfterSeconds(outcome, clock);
  if (retryAfter !== undefined) return retryAfter;
  return DEFAULT_BACKOFF_FACTOR * DEFAULT_BACKOFF_BASE ** Math.max(0, attempt - 1);
}
