/**
 * `dateutil.parser.isoparse` semantics (used by the str_to_datetime macro):
 * strict ISO 8601 dates (YYYY, YYYY-MM, YYYY-MM-DD, YYYYMMDD, week dates,
 * ordinal dates), an optional time after any single separator character,
 * fractions truncated to microseconds, and Z/±HH[:MM] offsets. Without an
 * offset the result is naive.
 */
import { DateTimeValueError, isLeapYear, parsePythonInt, toOrdinal } from './civil.js';
import { DateTime } from './datetime.js';
import { PyDate } from './date.js';
import { Duration } from './duration.js';

type DateParts = [number, number, number];

function int(text: string): number {
  return parsePythonInt(text);
}

function parseCommonDate(text: string): { parts: DateParts; pos: number } {
  if (text.length < 4) throw new DateTimeValueError('ISO string too short');
  const parts: DateParts = [int(text.slice(0, 4)), 1, 1];
  let pos = 4;
  if (pos >= text.length) return { parts, pos };
  const hasSeparator = text[pos] === '-';
  if (hasSeparator) pos += 1;
  if (text.length - pos < 2) throw new DateTimeValueError('Invalid common month');
  parts[1] = int(text.slice(pos, pos + 2));
  pos += 2;
  if (pos >= text.length) {
    if (hasSeparator) return { parts, pos };
    throw new DateTimeValueError('Invalid ISO format');
  }
  if (hasSeparator) {
    if (text[pos] !== '-') throw new DateTimeValueError('Invalid separator in ISO string');
    pos += 1;
  }
  if (text.length - pos < 2) throw new DateTimeValueError('Invalid common day');
  parts[2] = int(text.slice(pos, pos + 2));
  return { parts, pos: pos + 2 };
}

function parseUncommonDate(text: string): { parts: DateParts; pos: number } {
  if (text.length < 4) throw new DateTimeValueError('ISO string too short');
  const year = int(text.slice(0, 4));
  const hasSeparator = text[4] === '-';
  let pos = hasSeparator ? 5 : 4;
  let date: PyDate;
  if (text[pos] === 'W') {
    pos += 1;
    const week = int(text.slice(pos, pos + 2));
    pos += 2;
    let weekday = 1;
    if (text.length > pos) {
      if ((text[pos] === '-') !== hasSeparator) throw new DateTimeValueError('Inconsistent use of dash separator');
      if (hasSeparator) pos += 1;
      weekday = int(text.slice(pos, pos + 1));
      pos += 1;
    }
    if (!(week > 0 && week < 54)) throw new DateTimeValueError(`Invalid week: ${week}`);
    if (!(weekday > 0 && weekday < 8)) throw new DateTimeValueError(`Invalid weekday: ${weekday}`);
    // Week 1 is the week holding January 4th.
    const jan4 = PyDate.of(year, 1, 4);
    const week1Monday = jan4.toordinal() - jan4.weekday();
    date = PyDate.fromOrdinal(week1Monday + (week - 1) * 7 + (weekday - 1));
  } else {
    if (text.length - pos < 3) throw new DateTimeValueError('Invalid ordinal day');
    const ordinalDay = int(text.slice(pos, pos + 3));
    pos += 3;
    if (ordinalDay < 1 || ordinalDay > (isLeapYear(year) ? 366 : 365)) {
      throw new DateTimeValueError(`Invalid ordinal day ${ordinalDay} for year ${year}`);
    }
    date = PyDate.fromOrdinal(toOrdinal(year, 1, 1) + ordinalDay - 1);
  }
  return { parts: [date.year, date.month, date.day], pos };
}

function parseDate(text: string): { parts: DateParts; pos: number } {
  try {
    return parseCommonDate(text);
  } catch {
    return parseUncommonDate(text);
  }
}

function parseTimezone(text: string): number {
  if (text === 'Z' || text === 'z') return 0;
  if (![3, 5, 6].includes(text.length)) throw new DateTimeValueError('Time zone offset must be 1, 3, 5 or 6 characters');
  const sign = text[0] === '-' ? -1 : text[0] === '+' ? 1 : 0;
  if (sign === 0) throw new DateTimeValueError('Time zone offset requires sign');
  const hours = int(text.slice(1, 3));
  const minutes = text.length === 3 ? 0 : int(text.slice(text[3] === ':' ? 4 : 3));
  if (hours === 0 && minutes === 0) return 0;
  if (minutes > 59) throw new DateTimeValueError('Invalid minutes in time zone offset');
  if (hours > 23) throw new DateTimeValueError('Invalid hours in time zone offset');
  return sign * (hours * 60 + minutes);
}

interface TimeParts {
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  offsetMinutes: number | null;
}

function parseTime(text: string): TimeParts {
  if (text.length < 2) throw new DateTimeValueError('ISO time too short');
  const fields = [0, 0, 0, 0];
  let offsetMinutes: number | null = null;
  let pos = 0;
  let component = -1;
  let hasSeparator = false;
  while (pos < text.length && component < 5) {
    component += 1;
    if ('-+Zz'.includes(text[pos]!)) {
      offsetMinutes = parseTimezone(text.slice(pos));
      pos = text.length;
      break;
    }
    if (component === 1 && text[pos] === ':') {
      hasSeparator = true;
      pos += 1;
    } else if (component === 2 && hasSeparator) {
      if (text[pos] !== ':') throw new DateTimeValueError('Inconsistent use of colon separator');
      pos += 1;
    }
    if (component < 3) {
      fields[component] = int(text.slice(pos, pos + 2));
      pos += 2;
    } else if (component === 3) {
      const fraction = /^[.,]([0-9]+)/.exec(text.slice(pos));
      if (!fraction) continue;
      const digits = fraction[1]!.slice(0, 6);
      fields[3] = int(digits) * 10 ** (6 - digits.length);
      pos += fraction[0].length;
    }
  }
  if (pos < text.length) throw new DateTimeValueError('Unused components in ISO string');
  const [hour = 0, minute = 0, second = 0, microsecond = 0] = fields;
  if (hour === 24 && (minute !== 0 || second !== 0 || microsecond !== 0)) {
    throw new DateTimeValueError('Hour may only be 24 at 24:00:00.000');
  }
  return { hour, minute, second, microsecond, offsetMinutes };
}

/** dateutil.parser.isoparse(text). Errors are thrown as ValueError-like Errors. */
export function isoparse(text: string): DateTime {
  if (typeof text !== 'string') throw new TypeError('Parser must be a string or character stream, not ' + typeof text);
  // dateutil works on ASCII bytes only.
  if (/[^\x00-\x7f]/.test(text)) throw new DateTimeValueError('ISO-8601 strings should contain only ASCII characters');
  const { parts, pos } = parseDate(text);
  let time: TimeParts = { hour: 0, minute: 0, second: 0, microsecond: 0, offsetMinutes: null };
  if (text.length > pos) time = parseTime(text.slice(pos + 1));
  const [year, month, day] = parts;
  if (time.hour === 24) {
    return DateTime.of(year, month, day, 0, time.minute, time.second, time.microsecond, time.offsetMinutes).plus(
      Duration.of({ days: 1 }),
    );
  }
  return DateTime.of(year, month, day, time.hour, time.minute, time.second, time.microsecond, time.offsetMinutes);
}

/**
 * The str_to_datetime macro: isoparse, naive taken as UTC, then converted
 * to UTC.
 */
export function strToDatetime(text: string): DateTime {
  const parsed = isoparse(text);
  return (parsed.isNaive ? parsed.replace({ offsetMinutes: 0 }) : parsed).astimezone(0);
}
