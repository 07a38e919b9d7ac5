/**
 * Calendar arithmetic on the proleptic Gregorian calendar, numeric helpers
 * with Python semantics, and the error types this library throws.
 *
 * Day numbers are Python "ordinals": 0001-01-01 is day 1.
 */

/** Python's ValueError, e.g. for out-of-range fields or unparseable text. */
export class DateTimeValueError extends Error {
  override readonly name = 'ValueError';
}

/** Python's OverflowError: arithmetic left the year 1..9999 range. Cursors catch this when stepping by Duration.MAX. */
export class DateTimeOverflowError extends RangeError {
  override readonly name = 'OverflowError';
}

export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;
export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
export const MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
export const MICROS_PER_DAY = 24 * MICROS_PER_HOUR;
/** Ordinal of 1970-01-01. */
export const EPOCH_ORDINAL = 719_163;
/** Ordinal of 9999-12-31. */
export const MAX_ORDINAL = 3_652_059;

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const DAYS_BEFORE_MONTH = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334] as const;

export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return DAYS_IN_MONTH[month] ?? 0;
}

/** Days of `year` before the first of `month` (January → 0). */
export function daysBeforeMonth(year: number, month: number): number {
  return (DAYS_BEFORE_MONTH[month] ?? 0) + (month > 2 && isLeapYear(year) ? 1 : 0);
}

function daysBeforeYear(year: number): number {
  const y = year - 1;
  return y * 365 + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400);
}

export function toOrdinal(year: number, month: number, day: number): number {
  return daysBeforeYear(year) + daysBeforeMonth(year, month) + day;
}

export function fromOrdinal(ordinal: number): { year: number; month: number; day: number } {
  // Same decomposition CPython uses: 400/100/4/1-year cycles.
  let n = ordinal - 1;
  const n400 = Math.floor(n / 146_097);
  n -= n400 * 146_097;
  const n100 = Math.floor(n / 36_524);
  n -= n100 * 36_524;
  const n4 = Math.floor(n / 1_461);
  n -= n4 * 1_461;
  const n1 = Math.floor(n / 365);
  n -= n1 * 365;
  const year = n400 * 400 + n100 * 100 + n4 * 4 + n1 + 1;
  if (n1 === 4 || n100 === 4) return { year: year - 1, month: 12, day: 31 };
  let month = (n + 50) >> 5; // estimate, at most one too high
  if (daysBeforeMonth(year, month) > n) month -= 1;
  const day = n - daysBeforeMonth(year, month) + 1;
  return { year, month, day };
}

/** Monday = 0 … Sunday = 6, like Python's weekday(). */
export function weekdayOfOrdinal(ordinal: number): number {
  return (ordinal + 6) % 7;
}

/** ISO 8601 week-numbering (year, week, weekday 1..7) like Python's isocalendar(). */
export function isoCalendar(ordinal: number, year: number): { isoYear: number; week: number; weekday: number } {
  const week1Monday = (y: number): number => {
    const first = toOrdinal(y, 1, 1);
    const firstWeekday = weekdayOfOrdinal(first);
    let monday = first - firstWeekday;
    if (firstWeekday > 3) monday += 7;
    return monday;
  };
  let isoYear = year;
  let monday = week1Monday(isoYear);
  if (ordinal < monday) {
    isoYear -= 1;
    monday = week1Monday(isoYear);
  } else if (ordinal >= week1Monday(isoYear + 1)) {
    isoYear += 1;
    monday = week1Monday(isoYear);
  }
  const days = ordinal - monday;
  return { isoYear, week: Math.floor(days / 7) + 1, weekday: (days % 7) + 1 };
}

export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Python's modulo: result has the sign of the divisor. */
export function floorMod(a: number, b: number): number {
  const r = a % b;
  if (r === 0) return 0;
  return r < 0 !== b < 0 ? r + b : r;
}

/** Python's round(): ties go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export function padNumber(value: number, width: number, padChar = '0'): string {
  const negative = value < 0;
  const digits = String(Math.abs(value));
  const padded = digits.length >= width ? digits : padChar.repeat(width - digits.length) + digits;
  return negative ? `-${padded}` : padded;
}

/** Python's repr(float): shortest round-trip digits, '.0' for integral values, exponent outside 1e-4..1e16. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '', exponentText = '0'] = x.toExponential().split('e');
  const exponent = Number(exponentText);
  const sign = x < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${padNumber(Math.abs(exponent), 2)}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const integerPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fractionPart = digits.slice(exponent + 1) || '0';
  return `${sign}${integerPart}.${fractionPart}`;
}

/** Python's int(str): optional surrounding whitespace, sign, digits with single underscores between them. */
export function parsePythonInt(text: string): number {
  const match = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(text);
  if (!match) throw new DateTimeValueError(`invalid literal for int() with base 10: '${text}'`);
  const value = Number(match[2]!.replaceAll('_', ''));
  return match[1] === '-' ? -value : value;
}

/** Python's float(str): decimal or exponent notation, inf/nan, surrounding whitespace. */
export function parsePythonFloat(text: string): number {
  const trimmed = text.trim().replaceAll(/(?<=\d)_(?=\d)/g, '');
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return Number(trimmed);
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(trimmed);
  if (special) {
    const sign = special[1] === '-' ? -1 : 1;
    return special[2]!.toLowerCase() === 'nan' ? NaN : sign * Infinity;
  }
  throw new DateTimeValueError(`could not convert string to float: '${text}'`);
}
