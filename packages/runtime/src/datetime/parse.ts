/**
 * Lenient parsing in the manner of `dateutil.parser.parse` (default
 * parserinfo, dayfirst=False, yearfirst=False, fuzzy=False), and the CDK's
 * `ab_datetime_parse` built on it.
 *
 * The text is split into tokens (numbers, words, single spaces, other single
 * characters) and each token is interpreted by what surrounds it, as dateutil
 * does. Missing date parts come from today; a result without zone
 * information is naive. Zone names other than UTC/GMT/Z are not understood
 * and leave the result naive (dateutil warns and does the same).
 */
import { DateTimeValueError, daysInMonth } from './civil.js';
import { DateTime } from './datetime.js';
import { Duration } from './duration.js';

const JUMP_WORDS = new Set([' ', '.', ',', ';', '-', '/', "'", 'at', 'on', 'and', 'ad', 'm', 't', 'of', 'st', 'nd', 'rd', 'th']);
const WEEKDAY_WORDS: ReadonlyArray<readonly string[]> = [
  ['mon', 'monday'],
  ['tue', 'tuesday'],
  ['wed', 'wednesday'],
  ['thu', 'thursday'],
  ['fri', 'friday'],
  ['sat', 'saturday'],
  ['sun', 'sunday'],
];
const MONTH_WORDS: ReadonlyArray<readonly string[]> = [
  ['jan', 'january'],
  ['feb', 'february'],
  ['mar', 'march'],
  ['apr', 'april'],
  ['may'],
  ['jun', 'june'],
  ['jul', 'july'],
  ['aug', 'august'],
  ['sep', 'sept', 'september'],
  ['oct', 'october'],
  ['nov', 'november'],
  ['dec', 'december'],
];
const HMS_WORDS: ReadonlyArray<readonly string[]> = [
  ['h', 'hour', 'hours'],
  ['m', 'minute', 'minutes'],
  ['s', 'second', 'seconds'],
];
const AMPM_WORDS: ReadonlyArray<readonly string[]> = [
  ['am', 'a'],
  ['pm', 'p'],
];
const UTC_ZONES = new Set(['UTC', 'GMT', 'Z', 'z']);
/** The zone names of the machine the CDK runs on (TZ=UTC): dateutil maps these to the local zone. */
const LOCAL_ZONE_NAMES = new Set(['UTC']);

function lookup(table: ReadonlyArray<readonly string[]>, word: string): number | null {
  const lower = word.toLowerCase();
  const index = table.findIndex((names) => names.includes(lower));
  return index < 0 ? null : index;
}

const isJump = (token: string | undefined): boolean => token !== undefined && JUMP_WORDS.has(token.toLowerCase());
const weekdayOf = (token: string | undefined): number | null => (token === undefined ? null : lookup(WEEKDAY_WORDS, token));
const monthOf = (token: string | undefined): number | null => {
  const index = token === undefined ? null : lookup(MONTH_WORDS, token);
  return index === null ? null : index + 1;
};
const hmsOf = (token: string | undefined): number | null => (token === undefined ? null : lookup(HMS_WORDS, token));
const ampmOf = (token: string | undefined): number | null => (token === undefined ? null : lookup(AMPM_WORDS, token));

const isWordChar = (ch: string): boolean => /\p{L}/u.test(ch);
const isDigitChar = (ch: string): boolean => /[0-9]/.test(ch);
const isSpaceChar = (ch: string): boolean => /\s/.test(ch);

/** dateutil's _timelex: words, numbers (which may hold '.' or ','), single spaces and single other characters. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const chars = [...text];
  let i = 0;
  while (i < chars.length) {
    const first = chars[i]!;
    i += 1;
    if (isSpaceChar(first)) {
      tokens.push(' ');
      continue;
    }
    if (!isWordChar(first) && !isDigitChar(first)) {
      tokens.push(first);
      continue;
    }
    let token = first;
    let state: 'a' | '0' | 'a.' | '0.' = isWordChar(first) ? 'a' : '0';
    let seenLetters = state === 'a';
    while (i < chars.length) {
      const next = chars[i]!;
      if (state === 'a') {
        seenLetters = true;
        if (isWordChar(next)) token += next;
        else if (next === '.') {
          token += next;
          state = 'a.';
        } else break;
      } else if (state === '0') {
        if (isDigitChar(next)) token += next;
        else if (next === '.' || (next === ',' && token.length >= 2)) {
          token += next;
          state = '0.';
        } else break;
      } else if (state === 'a.') {
        seenLetters = true;
        if (next === '.' || isWordChar(next)) token += next;
        else if (isDigitChar(next) && token.endsWith('.')) {
          token += next;
          state = '0.';
        } else break;
      } else {
        if (next === '.' || isDigitChar(next)) token += next;
        else if (isWordChar(next) && token.endsWith('.')) {
          token += next;
          state = 'a.';
        } else break;
      }
      i += 1;
    }
    const dots = [...token].filter((c) => c === '.').length;
    if ((state === 'a.' || state === '0.') && (seenLetters || dots > 1 || token.endsWith('.') || token.endsWith(','))) {
      // Split "a.m." / "1.2.3" style tokens back into pieces, keeping the separators.
      const pieces = token.split(/([.,])/).filter((piece) => piece !== '');
      tokens.push(...pieces);
      continue;
    }
    if (state === '0.' && dots === 0) token = token.replace(',', '.');
    tokens.push(token);
  }
  return tokens;
}

/** The year/month/day candidates seen so far, with what is known about each (dateutil's _ymd). */
class YearMonthDay {
  readonly values: number[] = [];
  centurySpecified = false;
  yearIndex: number | null = null;
  monthIndex: number | null = null;
  dayIndex: number | null = null;

  append(raw: string | number, label: 'Y' | 'M' | 'D' | null = null): void {
    let effective = label;
    if (typeof raw === 'string' && !/^[0-9]+$/.test(raw)) throw new DateTimeValueError(`invalid date part ${raw}`);
    const numeric = typeof raw === 'number' ? raw : Number(raw);
    if ((typeof raw === 'string' && /^[0-9]+$/.test(raw) && raw.length > 2) || (typeof raw === 'number' && raw > 100)) {
      this.centurySpecified = true;
      if (label !== null && label !== 'Y') throw new DateTimeValueError(String(label));
      effective = 'Y';
    }
    if (!Number.isFinite(numeric)) throw new DateTimeValueError(`invalid date part ${raw}`);
    this.values.push(Math.trunc(numeric));
    const index = this.values.length - 1;
    if (effective === 'M') {
      if (this.monthIndex !== null) throw new DateTimeValueError('Month is already set');
      this.monthIndex = index;
    } else if (effective === 'D') {
      if (this.dayIndex !== null) throw new DateTimeValueError('Day is already set');
      this.dayIndex = index;
    } else if (effective === 'Y') {
      if (this.yearIndex !== null) throw new DateTimeValueError('Year is already set');
      this.yearIndex = index;
    }
  }

  couldBeDay(value: number): boolean {
    if (this.dayIndex !== null) return false;
    if (this.monthIndex === null) return value >= 1 && value <= 31;
    const month = this.values[this.monthIndex]!;
    const year = this.yearIndex === null ? 2000 : this.values[this.yearIndex]!;
    return value >= 1 && value <= daysInMonth(year, month);
  }

  resolve(): { year: number | null; month: number | null; day: number | null } {
    const v = this.values;
    const known: Array<['y' | 'm' | 'd', number]> = [];
    if (this.yearIndex !== null) known.push(['y', this.yearIndex]);
    if (this.monthIndex !== null) known.push(['m', this.monthIndex]);
    if (this.dayIndex !== null) known.push(['d', this.dayIndex]);
    if ((v.length === known.length && known.length > 0) || (v.length === 3 && known.length === 2)) {
      const assigned = new Map(known);
      if (v.length === 3 && known.length === 2) {
        const used = new Set(assigned.values());
        const missingIndex = [0, 1, 2].find((k) => !used.has(k))!;
        const missingKey = (['y', 'm', 'd'] as const).find((k) => !assigned.has(k))!;
        assigned.set(missingKey, missingIndex);
      }
      const pick = (key: 'y' | 'm' | 'd'): number | null => {
        const index = assigned.get(key);
        return index === undefined ? null : v[index]!;
      };
      return { year: pick('y'), month: pick('m'), day: pick('d') };
    }
    let year: number | null = null;
    let month: number | null = null;
    let day: number | null = null;
    const mi = this.monthIndex;
    if (v.length > 3) throw new DateTimeValueError('More than three YMD values');
    if (v.length === 1 || (mi !== null && v.length === 2)) {
      let other: number;
      if (mi !== null) {
        month = v[mi]!;
        other = v[mi - 1] ?? v[v.length - 1]!; // Python's v[-1] when the month comes first
      } else {
        other = v[0]!;
      }
      if (v.length > 1 || mi === null) {
        if (other > 31) year = other;
        else day = other;
      }
    } else if (v.length === 2) {
      const [a, b] = v as [number, number];
      if (a > 31) [year, month] = [a, b];
      else if (b > 31) [month, year] = [a, b];
      else [month, day] = [a, b];
    } else if (v.length === 3) {
      const [a, b, c] = v as [number, number, number];
      if (mi === 0) {
        if (b > 31) [month, year, day] = [a, b, c];
        else [month, day, year] = [a, b, c];
      } else if (mi === 1) {
        if (a > 31) [year, month, day] = [a, b, c];
        else [day, month, year] = [a, b, c];
      } else if (mi === 2) {
        if (b > 31) [day, year, month] = [a, b, c];
        else [year, day, month] = [a, b, c];
      } else if (a > 31 || this.yearIndex === 0) {
        [year, month, day] = [a, b, c];
      } else if (a > 12) {
        [day, month, year] = [a, b, c];
      } else {
        [month, day, year] = [a, b, c];
      }
    }
    return { year, month, day };
  }
}

interface ParseResult {
  year: number | null;
  month: number | null;
  day: number | null;
  weekday: number | null;
  hour: number | null;
  minute: number | null;
  second: number | null;
  microsecond: number | null;
  ampm: number | null;
  tzname: string | null;
  tzoffsetSeconds: number | null;
  centurySpecified: boolean;
}

function toNumber(token: string | undefined): number {
  if (token === undefined || !/^[0-9]+(\.[0-9]*)?$|^\.[0-9]+$/.test(token)) throw new DateTimeValueError('Unknown numeric token');
  return Number(token);
}

/** Python's int() of a token slice: digits only (int('3.') fails, unlike Decimal('3.')). */
function toInt(token: string | undefined): number {
  if (token === undefined || !/^[0-9]+$/.test(token)) throw new DateTimeValueError('Unknown numeric token');
  return Number(token);
}

/** "SS[.ffffff]" into seconds and microseconds, truncating extra digits. */
function parseSecondsAndMicros(token: string): [number, number] {
  if (!token.includes('.')) return [toInt(token), 0];
  const [whole = '', fraction = ''] = token.split('.');
  return [toInt(whole), Number(fraction.padEnd(6, '0').slice(0, 6))];
}

function parseMinutesAndSeconds(value: number): [number, number | null] {
  const minute = Math.trunc(value);
  const remainder = value % 1;
  return [minute, remainder ? Math.trunc(60 * remainder) : null];
}

function adjustAmPm(hour: number, ampm: number): number {
  if (hour < 12 && ampm === 1) return hour + 12;
  if (hour === 12 && ampm === 0) return 0;
  return hour;
}

function isNumericToken(token: string): boolean {
  return /^[0-9]+(\.[0-9]*)?$|^\.[0-9]+$/.test(token);
}

function findHmsIndex(index: number, tokens: string[]): number | null {
  if (hmsOf(tokens[index + 1]) !== null) return index + 1;
  if (tokens[index + 1] === ' ' && hmsOf(tokens[index + 2]) !== null) return index + 2;
  if (index > 0 && hmsOf(tokens[index - 1]) !== null) return index - 1;
  if (index > 1 && index === tokens.length - 1 && tokens[index - 1] === ' ' && hmsOf(tokens[index - 2]) !== null) {
    return index - 2;
  }
  return null;
}

/** Interprets the numeric token at `index`; returns the index of the last token it consumed. */
function parseNumericToken(tokens: string[], index: number, ymd: YearMonthDay, res: ParseResult): number {
  const token = tokens[index]!;
  const value = toNumber(token);
  const length = token.length;
  const next = tokens[index + 1];
  let i = index;

  if (ymd.values.length === 3 && (length === 2 || length === 4) && res.hour === null && (next === undefined || (next !== ':' && hmsOf(next) === null))) {
    // 19990101T23[59]
    res.hour = toInt(token.slice(0, 2));
    if (length === 4) res.minute = toInt(token.slice(2));
  } else if (length === 6 || (length > 6 && token.indexOf('.') === 6)) {
    // YYMMDD or HHMMSS[.ss]
    if (ymd.values.length === 0 && !token.includes('.')) {
      ymd.append(token.slice(0, 2));
      ymd.append(token.slice(2, 4));
      ymd.append(token.slice(4));
    } else {
      res.hour = toInt(token.slice(0, 2));
      res.minute = toInt(token.slice(2, 4));
      [res.second, res.microsecond] = parseSecondsAndMicros(token.slice(4));
    }
  } else if (length === 8 || length === 12 || length === 14) {
    // YYYYMMDD[HHMM[SS]]
    ymd.append(token.slice(0, 4), 'Y');
    ymd.append(token.slice(4, 6));
    ymd.append(token.slice(6, 8));
    if (length > 8) {
      res.hour = toInt(token.slice(8, 10));
      res.minute = toInt(token.slice(10, 12));
      if (length > 12) res.second = toInt(token.slice(12));
    }
  } else if (findHmsIndex(index, tokens) !== null) {
    // 12h, 30m, 15s (and "12h04" style continuations)
    const hmsIndex = findHmsIndex(index, tokens)!;
    let hms: number;
    if (hmsIndex > index) {
      hms = hmsOf(tokens[hmsIndex])!;
      i = hmsIndex;
    } else {
      hms = hmsOf(tokens[hmsIndex])! + 1;
    }
    if (hms === 0) {
      res.hour = Math.trunc(value);
      if (value % 1) res.minute = Math.trunc(60 * (value % 1));
    } else if (hms === 1) {
      [res.minute, res.second] = parseMinutesAndSeconds(value);
    } else if (hms === 2) {
      [res.second, res.microsecond] = parseSecondsAndMicros(token);
    }
  } else if (index + 2 < tokens.length && next === ':') {
    // HH:MM[:SS[.ss]]
    res.hour = Math.trunc(value);
    [res.minute, res.second] = parseMinutesAndSeconds(toNumber(tokens[index + 2]));
    if (index + 4 < tokens.length && tokens[index + 3] === ':') {
      [res.second, res.microsecond] = parseSecondsAndMicros(tokens[index + 4]!);
      i += 2;
    }
    i += 2;
  } else if (next === '-' || next === '/' || next === '.') {
    // 01-01[-01], 01/Jan[/01]
    const separator = next;
    ymd.append(token);
    const second = tokens[index + 2];
    if (second !== undefined && !isJump(second)) {
      if (/^[0-9]+$/.test(second)) ymd.append(second);
      else {
        const month = monthOf(second);
        if (month === null) throw new DateTimeValueError('Unknown string format');
        ymd.append(month, 'M');
      }
      if (tokens[index + 3] === separator) {
        const third = tokens[index + 4];
        const month = monthOf(third);
        if (month !== null) ymd.append(month, 'M');
        else if (third === undefined) throw new DateTimeValueError('Unknown string format');
        else ymd.append(third);
        i += 2;
      }
      i += 1;
    }
    i += 1;
  } else if (next === undefined || isJump(next)) {
    const ampm = ampmOf(tokens[index + 2]);
    if (ampm !== null) {
      // 12 am
      res.hour = adjustAmPm(Math.trunc(value), ampm);
      i += 1;
    } else {
      ymd.append(value);
    }
    i += 1;
  } else if (ampmOf(next) !== null && value >= 0 && value < 24) {
    // 12am
    res.hour = adjustAmPm(Math.trunc(value), ampmOf(next)!);
    i += 1;
  } else if (ymd.couldBeDay(value)) {
    ymd.append(value);
  } else {
    throw new DateTimeValueError('Unknown string format');
  }
  return i;
}

function couldBeZoneName(res: ParseResult, token: string): boolean {
  return (
    res.hour !== null &&
    res.tzname === null &&
    res.tzoffsetSeconds === null &&
    token.length <= 5 &&
    (/^[A-Z]+$/.test(token) || UTC_ZONES.has(token))
  );
}

function parseTokens(text: string): ParseResult {
  const tokens = tokenize(text);
  const res: ParseResult = {
    year: null,
    month: null,
    day: null,
    weekday: null,
    hour: null,
    minute: null,
    second: null,
    microsecond: null,
    ampm: null,
    tzname: null,
    tzoffsetSeconds: null,
    centurySpecified: false,
  };
  const ymd = new YearMonthDay();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isNumericToken(token)) {
      i = parseNumericToken(tokens, i, ymd, res);
    } else if (weekdayOf(token) !== null) {
      res.weekday = weekdayOf(token);
    } else if (monthOf(token) !== null) {
      ymd.append(monthOf(token)!, 'M');
      const next = tokens[i + 1];
      if (next === '-' || next === '/') {
        // Jan-01[-99]
        const dayOrYear = tokens[i + 2];
        if (dayOrYear === undefined) throw new DateTimeValueError('Unknown string format');
        ymd.append(dayOrYear);
        if (tokens[i + 3] === next) {
          const third = tokens[i + 4];
          if (third === undefined) throw new DateTimeValueError('Unknown string format');
          ymd.append(third);
          i += 2;
        }
        i += 2;
      } else if (next === ' ' && tokens[i + 3] === ' ' && tokens[i + 2]?.toLowerCase() === 'of' && tokens[i + 4] !== undefined) {
        // "Jan of 01": the number is a year
        if (/^[0-9]+$/.test(tokens[i + 4]!)) ymd.append(String(convertYear(Number(tokens[i + 4]), false)), 'Y');
        i += 4;
      }
    } else if (ampmOf(token) !== null) {
      const ampm = ampmOf(token)!;
      if (res.hour === null) throw new DateTimeValueError('No hour specified with AM or PM flag.');
      if (res.hour < 0 || res.hour > 12) throw new DateTimeValueError('Invalid hour specified for 12-hour clock.');
      res.hour = adjustAmPm(res.hour, ampm);
      res.ampm = ampm;
    } else if (couldBeZoneName(res, token)) {
      res.tzname = token;
      res.tzoffsetSeconds = UTC_ZONES.has(token) ? 0 : null;
      const next = tokens[i + 1];
      if (next === '+' || next === '-') {
        // "GMT+3" means "my time +3 is GMT": flip the sign for the offset parser.
        tokens[i + 1] = next === '+' ? '-' : '+';
        res.tzoffsetSeconds = null;
        if (UTC_ZONES.has(token)) res.tzname = null;
      }
    } else if (res.hour !== null && (token === '+' || token === '-')) {
      const sign = token === '+' ? 1 : -1;
      const digits = tokens[i + 1];
      if (digits === undefined) throw new DateTimeValueError('Unknown string format');
      let hours: number;
      let minutes: number;
      if (digits.length === 4) {
        hours = toInt(digits.slice(0, 2));
        minutes = toInt(digits.slice(2));
      } else if (tokens[i + 2] === ':') {
        hours = toInt(digits);
        minutes = toInt(tokens[i + 3]);
        i += 2;
      } else if (digits.length <= 2) {
        hours = toInt(digits.slice(0, 2));
        minutes = 0;
      } else {
        throw new DateTimeValueError('Unknown string format');
      }
      res.tzoffsetSeconds = sign * (hours * 3600 + minutes * 60);
      // "-0300 (BRST)"
      const name = tokens[i + 4];
      if (
        isJump(tokens[i + 2]) &&
        tokens[i + 3] === '(' &&
        tokens[i + 5] === ')' &&
        name !== undefined &&
        name.length >= 3 &&
        couldBeZoneName({ ...res, tzname: null, tzoffsetSeconds: null }, name)
      ) {
        res.tzname = name;
        i += 4;
      }
      i += 1;
    } else if (!isJump(token)) {
      throw new DateTimeValueError('Unknown string format');
    }
  }
  const { year, month, day } = ymd.resolve();
  res.centurySpecified = ymd.centurySpecified;
  res.year = year;
  res.month = month;
  res.day = day;
  return res;
}

/** Two-digit years land within 50 years of the current year, like dateutil. */
function convertYear(year: number, centurySpecified: boolean, clock: () => number = Date.now): number {
  if (year >= 100 || centurySpecified) return year;
  const currentYear = new Date(clock()).getUTCFullYear();
  let full = year + Math.floor(currentYear / 100) * 100;
  if (full >= currentYear + 50) full -= 100;
  else if (full < currentYear - 50) full += 100;
  return full;
}

export interface LenientParseOptions {
  /** Source of "today" for missing date parts and two-digit years; epoch milliseconds. */
  clock?: () => number;
}

/**
 * dateutil.parser.parse(text): returns a naive DateTime unless the text
 * carries an offset or a UTC/GMT/Z zone name.
 */
export function parseLenient(text: string, options: LenientParseOptions = {}): DateTime {
  if (typeof text !== 'string') throw new TypeError(`Parser must be a string or character stream, not ${typeof text}`);
  const clock = options.clock ?? Date.now;
  let res: ParseResult;
  try {
    res = parseTokens(text);
  } catch {
    throw new DateTimeValueError(`Unknown string format: ${text}`);
  }
  if (res.year !== null) res.year = convertYear(res.year, res.centurySpecified, clock);
  if ((res.tzoffsetSeconds === 0 && !res.tzname) || res.tzname === 'Z' || res.tzname === 'z') {
    res.tzname = 'UTC';
    res.tzoffsetSeconds = 0;
  } else if (res.tzoffsetSeconds !== 0 && res.tzname && UTC_ZONES.has(res.tzname)) {
    res.tzoffsetSeconds = 0;
  }
  const found = [res.year, res.month, res.day, res.weekday, res.hour, res.minute, res.second, res.microsecond, res.ampm, res.tzname, res.tzoffsetSeconds];
  if (found.every((value) => value === null)) throw new DateTimeValueError(`String does not contain a date: ${text}`);

  const today = DateTime.now(clock, null);
  const year = res.year ?? today.year;
  const month = res.month ?? today.month;
  let day = res.day ?? today.day;
  if (res.day === null && month >= 1 && month <= 12 && day > daysInMonth(year, month)) day = daysInMonth(year, month);

  let offsetMinutes: number | null = null;
  if (res.tzname !== null && LOCAL_ZONE_NAMES.has(res.tzname)) offsetMinutes = 0;
  else if (res.tzoffsetSeconds === 0) offsetMinutes = 0;
  else if (res.tzoffsetSeconds !== null) offsetMinutes = res.tzoffsetSeconds / 60;

  let result: DateTime;
  try {
    result = DateTime.of(year, month, day, res.hour ?? 0, res.minute ?? 0, res.second ?? 0, res.microsecond ?? 0, offsetMinutes);
  } catch (error) {
    throw new DateTimeValueError(`${(error as Error).message}: ${text}`);
  }
  if (res.weekday !== null && res.day === null) {
    // relativedelta(weekday=...): move forward to that weekday (or stay).
    result = result.plus(Duration.of({ days: (res.weekday - result.weekday() + 7) % 7 }));
  }
  return result;
}

/**
 * The CDK's ab_datetime_parse: epoch seconds (as number or digit string),
 * date-only strings, then dateutil parsing; naive results become UTC.
 */
export function abDatetimeParse(value: string | number, options: LenientParseOptions = {}): DateTime {
  const generic = (): DateTimeValueError => new DateTimeValueError(`Could not parse datetime string: ${value}`);
  if (typeof value === 'number' || /^[0-9]+$/.test(value) || /^-[0-9]+$/.test(value)) {
    const timestamp = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(timestamp)) throw generic();
    if (timestamp < 0) throw new DateTimeValueError('Timestamp cannot be negative');
    if (String(Math.abs(timestamp)).length > 10) throw new DateTimeValueError('Timestamp value too large');
    return DateTime.fromEpochSeconds(timestamp);
  }
  if (typeof value !== 'string') throw generic();
  const dashes = value.split('-').length - 1;
  if (!value.includes(':') && dashes === 2 && !value.includes('/')) {
    const invalid = new DateTimeValueError(`Invalid date format: ${value}`);
    const parts = value.split('-').map((part) => {
      const match = /^\s*[+]?([0-9]+(?:_[0-9]+)*)\s*$/.exec(part);
      if (!match) throw invalid;
      return Number(match[1]!.replaceAll('_', ''));
    });
    const [year = 0, month = 0, day = 0] = parts;
    if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) throw invalid;
    try {
      return DateTime.of(year, month, day);
    } catch {
      throw invalid;
    }
  }
  if (value.includes(':') && dashes < 2 && value.split('/').length - 1 < 2) throw generic();
  let parsed: DateTime;
  try {
    parsed = parseLenient(value, options);
  } catch {
    throw generic();
  }
  return parsed.isNaive ? parsed.replace({ offsetMinutes: 0 }) : parsed;
}
