/**
 * strptime with the semantics of CPython 3.11's `_strptime` in the C locale:
 * the format becomes a case-insensitive regular expression, the whole input
 * must match, and missing fields default to 1900-01-01 00:00:00. A %z makes
 * the result aware; otherwise it is naive.
 */
import { DateTimeValueError, isLeapYear, toOrdinal, weekdayOfOrdinal } from './civil.js';
import { DateTime } from './datetime.js';
import { PyDate } from './date.js';
import { MONTH_NAMES, WEEKDAY_NAMES } from './strftime.js';

const DIRECTIVE_PATTERNS: Readonly<Record<string, string>> = {
  d: '3[0-1]|[1-2]\\d|0[1-9]|[1-9]| [1-9]',
  f: '[0-9]{1,6}',
  H: '2[0-3]|[0-1]\\d|\\d',
  I: '1[0-2]|0[1-9]|[1-9]',
  G: '\\d\\d\\d\\d',
  j: '36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9]',
  m: '1[0-2]|0[1-9]|[1-9]',
  M: '[0-5]\\d|\\d',
  S: '6[0-1]|[0-5]\\d|\\d',
  U: '5[0-3]|[0-4]\\d|\\d',
  W: '5[0-3]|[0-4]\\d|\\d',
  w: '[0-6]',
  u: '[1-7]',
  V: '5[0-3]|0[1-9]|[1-4]\\d|\\d',
  y: '\\d\\d',
  Y: '\\d\\d\\d\\d',
  // Python matches the 'Z' case-sensitively; a lower-case 'z' is rejected after matching.
  z: '[+-]\\d\\d:?[0-5]\\d(?::?[0-5]\\d(?:\\.\\d{1,6})?)?|Z',
  a: 'mon|tue|wed|thu|fri|sat|sun',
  A: 'wednesday|thursday|saturday|tuesday|monday|friday|sunday',
  b: 'jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec',
  B: 'september|february|november|december|january|october|august|march|april|june|july|may',
  p: 'am|pm',
  Z: 'gmt|utc',
};

// Locale-dependent directives, expanded as the C locale does.
const COMPOSITE_DIRECTIVES: Readonly<Record<string, string>> = {
  c: '%a %b %d %H:%M:%S %Y',
  x: '%m/%d/%y',
  X: '%H:%M:%S',
};

const REGEX_SPECIALS = new Set(['\\', '.', '^', '$', '*', '+', '?', '(', ')', '{', '}', '[', ']', '|']);

/** Python's repr() of a str, used in error messages. */
export function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = '';
  for (const ch of text) {
    if (ch === '\\') body += '\\\\';
    else if (ch === quote) body += `\\${quote}`;
    else if (ch === '\n') body += '\\n';
    else if (ch === '\r') body += '\\r';
    else if (ch === '\t') body += '\\t';
    else if (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) body += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else body += ch;
  }
  return `${quote}${body}${quote}`;
}

interface CompiledFormat {
  regex: RegExp;
  /** Directive letters in the order their groups appear (Python iterates groupdict() in this order). */
  directives: string[];
}

const compiledCache = new Map<string, CompiledFormat>();

function compileFormat(format: string): CompiledFormat {
  const cached = compiledCache.get(format);
  if (cached) return cached;
  const directives: string[] = [];
  let source = '';
  const addDirective = (letter: string): void => {
    if (directives.includes(letter)) {
      throw new DateTimeValueError(`redefinition of group name '${letter}' in format ${pythonStringRepr(format)}`);
    }
    directives.push(letter);
    source += `(?<${letter}>${DIRECTIVE_PATTERNS[letter]!})`;
  };
  // Expand locale composites first so their parts register like ordinary directives.
  const expanded = format.replace(/%([cxX])/g, (whole, letter: string, offset: number) => {
    // Leave '%%c' alone: count the run of '%' before this one.
    let run = 0;
    for (let k = offset - 1; k >= 0 && format[k] === '%'; k--) run++;
    return run % 2 === 0 ? COMPOSITE_DIRECTIVES[letter]! : whole;
  });
  let i = 0;
  while (i < expanded.length) {
    const ch = expanded[i]!;
    if (/\s/.test(ch)) {
      // Any run of whitespace in the format matches one or more whitespace characters.
      while (i < expanded.length && /\s/.test(expanded[i]!)) i++;
      source += '\\s+';
      continue;
    }
    if (ch !== '%') {
      source += REGEX_SPECIALS.has(ch) || ch === '/' || ch === '-' ? `\\${ch}` : ch;
      i += 1;
      continue;
    }
    const letter = expanded[i + 1];
    if (letter === undefined) throw new DateTimeValueError(`stray % in format ${pythonStringRepr(format)}`);
    if (letter === '%') source += '%';
    else if (letter in DIRECTIVE_PATTERNS) addDirective(letter);
    else {
      // Python escapes regex characters and whitespace before reading directives, so those report as '%'.
      const reported = REGEX_SPECIALS.has(letter) || /\s/.test(letter) ? '%' : letter;
      throw new DateTimeValueError(`'${reported}' is a bad directive in format ${pythonStringRepr(format)}`);
    }
    i += 2;
  }
  const compiled = { regex: new RegExp(`^(?:${source})`, 'i'), directives };
  // Manifests use a handful of formats; the bound only guards against unbounded growth.
  if (compiledCache.size >= 256) compiledCache.clear();
  compiledCache.set(format, compiled);
  return compiled;
}

/** Day of year (1-based) from a %U/%W week number and weekday (Monday = 0), as CPython computes it. */
function julianFromWeek(year: number, weekOfYear: number, weekday: number, weekStartsMonday: boolean): number {
  let firstWeekday = weekdayOfOrdinal(toOrdinal(year, 1, 1));
  let dayOfWeek = weekday;
  if (!weekStartsMonday) {
    firstWeekday = (firstWeekday + 1) % 7;
    dayOfWeek = (dayOfWeek + 1) % 7;
  }
  const week0Length = (7 - firstWeekday) % 7;
  if (weekOfYear === 0) return 1 + dayOfWeek - firstWeekday;
  return 1 + week0Length + 7 * (weekOfYear - 1) + dayOfWeek;
}

/** (year, day of year) from an ISO year, week and weekday (1..7), as CPython computes it. */
function julianFromIsoWeek(isoYear: number, isoWeek: number, isoWeekday: number): [number, number] {
  const correction = weekdayOfOrdinal(toOrdinal(isoYear, 1, 4)) + 1 + 3;
  let ordinal = isoWeek * 7 + isoWeekday - correction;
  let year = isoYear;
  if (ordinal < 1) {
    ordinal += toOrdinal(year, 1, 1);
    year -= 1;
    ordinal -= toOrdinal(year, 1, 1);
  }
  return [year, ordinal];
}

/** Parses an offset matched by %z into minutes east of UTC. */
function parseOffset(z: string): number {
  if (z === 'Z') return 0;
  let text = z;
  if (text[3] === ':') {
    text = text.slice(0, 3) + text.slice(4);
    if (text.length > 5) {
      if (text[5] !== ':') throw new DateTimeValueError(`Inconsistent use of : in ${z}`);
      text = text.slice(0, 5) + text.slice(6);
    }
  }
  const hours = Number(text.slice(1, 3));
  const minutes = Number(text.slice(3, 5));
  const seconds = Number(text.slice(5, 7) || '0');
  const fraction = Number((text.slice(8) + '000000').slice(0, 6));
  const total = hours * 60 + minutes + (seconds + fraction / 1_000_000) / 60;
  return text.startsWith('-') ? -total : total;
}

/** Python's datetime.strptime(text, format). */
export function strptime(text: string, format: string): DateTime {
  if (typeof text !== 'string') throw new TypeError(`strptime() argument 1 must be str, not ${typeof text}`);
  const { regex, directives } = compileFormat(format);
  const mismatch = (): DateTimeValueError =>
    new DateTimeValueError(`time data ${pythonStringRepr(text)} does not match format ${pythonStringRepr(format)}`);
  const match = regex.exec(text);
  if (!match) throw mismatch();
  const groups = match.groups ?? {};
  // Python's pattern matches only an upper-case 'Z' for %z.
  if (groups['z'] === 'z') throw mismatch();
  if (match[0].length !== text.length) {
    throw new DateTimeValueError(`unconverted data remains: ${text.slice(match[0].length)}`);
  }

  let year: number | null = null;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let fraction = 0;
  let offsetMinutes: number | null = null;
  let isoYear: number | null = null;
  let isoWeek: number | null = null;
  let weekOfYear: number | null = null;
  let weekStartsMonday = false;
  let weekday: number | null = null;
  let julian: number | null = null;

  for (const letter of directives) {
    const value = groups[letter] ?? '';
    switch (letter) {
      case 'y': {
        const twoDigits = Number(value);
        year = twoDigits <= 68 ? twoDigits + 2000 : twoDigits + 1900;
        break;
      }
      case 'Y':
        year = Number(value);
        break;
      case 'G':
        isoYear = Number(value);
        break;
      case 'm':
        month = Number(value);
        break;
      case 'B':
        month = MONTH_NAMES.findIndex((name) => name.toLowerCase() === value.toLowerCase()) + 1;
        break;
      case 'b':
        month = MONTH_NAMES.findIndex((name) => name.slice(0, 3).toLowerCase() === value.toLowerCase()) + 1;
        break;
      case 'd':
        day = Number(value);
        break;
      case 'H':
        hour = Number(value);
        break;
      case 'I': {
        hour = Number(value);
        const ampm = (groups['p'] ?? '').toLowerCase();
        if (ampm === '' || ampm === 'am') {
          if (hour === 12) hour = 0;
        } else if (hour !== 12) {
          hour += 12;
        }
        break;
      }
      case 'M':
        minute = Number(value);
        break;
      case 'S':
        second = Number(value);
        break;
      case 'f':
        fraction = Number(value.padEnd(6, '0'));
        break;
      case 'A':
        weekday = WEEKDAY_NAMES.findIndex((name) => name.toLowerCase() === value.toLowerCase());
        break;
      case 'a':
        weekday = WEEKDAY_NAMES.findIndex((name) => name.slice(0, 3).toLowerCase() === value.toLowerCase());
        break;
      case 'w':
        weekday = Number(value) === 0 ? 6 : Number(value) - 1;
        break;
      case 'u':
        weekday = Number(value) - 1;
        break;
      case 'j':
        julian = Number(value);
        break;
      case 'U':
      case 'W':
        weekOfYear = Number(value);
        weekStartsMonday = letter === 'W';
        break;
      case 'V':
        isoWeek = Number(value);
        break;
      case 'z':
        offsetMinutes = parseOffset(value);
        break;
      default:
        // %p is read together with %I; %Z names a zone but sets no offset.
        break;
    }
  }

  if (year === null && isoYear !== null) {
    if (isoWeek === null || weekday === null) {
      throw new DateTimeValueError(
        "ISO year directive '%G' must be used with the ISO week directive '%V' and a weekday directive ('%A', '%a', '%w', or '%u').",
      );
    }
    if (julian !== null) {
      throw new DateTimeValueError(
        "Day of the year directive '%j' is not compatible with ISO year directive '%G'. Use '%Y' instead.",
      );
    }
  } else if (weekOfYear === null && isoWeek !== null) {
    if (weekday === null) {
      throw new DateTimeValueError(
        "ISO week directive '%V' must be used with the ISO year directive '%G' and a weekday directive ('%A', '%a', '%w', or '%u').",
      );
    }
    throw new DateTimeValueError(
      "ISO week directive '%V' is incompatible with the year directive '%Y'. Use the ISO year '%G' instead.",
    );
  }

  // Without a year, Feb 29 is checked against a leap year, then reported as 1900 (which then fails, as in Python).
  let leapYearFix = false;
  if (year === null && month === 2 && day === 29) {
    year = 1904;
    leapYearFix = true;
  } else if (year === null) {
    year = 1900;
  }

  if (julian === null && weekday !== null) {
    if (weekOfYear !== null) {
      julian = julianFromWeek(year, weekOfYear, weekday, weekStartsMonday);
    } else if (isoYear !== null && isoWeek !== null) {
      [year, julian] = julianFromIsoWeek(isoYear, isoWeek, weekday + 1);
    }
    if (julian !== null && julian <= 0) {
      year -= 1;
      julian += isLeapYear(year) ? 366 : 365;
    }
  }

  if (julian === null) {
    PyDate.of(year, month, day); // validates the day like Python's date() call
  } else {
    const resolved = PyDate.fromOrdinal(julian - 1 + toOrdinal(year, 1, 1));
    year = resolved.year;
    month = resolved.month;
    day = resolved.day;
  }
  if (leapYearFix) year = 1900;
  return DateTime.of(year, month, day, hour, minute, second, fraction, offsetMinutes);
}
