/**
 * strftime with the behaviour of CPython 3.11 on Linux: Python substitutes
 * %z, %Z and %f itself, then hands the rest to glibc's strftime in the C
 * locale. The glibc part (flags `_ - 0 ^ #`, field widths, E/O modifiers,
 * literal output of unknown directives) is reproduced here as observed on
 * glibc 2.36 (the Debian base of the CDK's Python images).
 */
import { EPOCH_ORDINAL, isoCalendar, padNumber, toOrdinal, weekdayOfOrdinal } from './civil.js';

/** The fields strftime needs; both DateTime and PyDate provide them. */
export interface BrokenDownTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond: number;
  /** null for naive values (and for dates): %z and %Z then print ''. */
  readonly offsetMinutes: number | null;
}

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** Python's utcoffset() rendering for %z: ±HHMM[SS[.ffffff]]. */
export function formatOffsetForStrftime(offsetMinutes: number | null): string {
  return offsetMinutes === null ? '' : formatOffset(offsetMinutes, '');
}

/** ±HH<sep>MM, with seconds and microseconds only when present (Python's isoformat/%z rule). */
export function formatOffset(offsetMinutes: number, separator: string): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const totalMicros = Math.round(Math.abs(offsetMinutes) * 60_000_000);
  const hours = Math.floor(totalMicros / 3_600_000_000);
  const minutes = Math.floor(totalMicros / 60_000_000) % 60;
  const seconds = Math.floor(totalMicros / 1_000_000) % 60;
  const micros = totalMicros % 1_000_000;
  let text = `${sign}${padNumber(hours, 2)}${separator}${padNumber(minutes, 2)}`;
  if (seconds || micros) text += `${separator}${padNumber(seconds, 2)}`;
  if (micros) text += `.${padNumber(micros, 6)}`;
  return text;
}

/** What %Z prints: datetime.timezone's name, 'UTC' or 'UTC±HH:MM'. */
export function timezoneName(offsetMinutes: number | null): string {
  if (offsetMinutes === null) return '';
  if (offsetMinutes === 0) return 'UTC';
  return `UTC${formatOffset(offsetMinutes, ':')}`;
}

type Pad = '' | '_' | '-' | '0';

interface Spec {
  pad: Pad;
  upper: boolean;
  swapCase: boolean;
  width: number;
}

// Conversions glibc accepts after an E or O modifier (as observed); other combinations print literally.
const E_MODIFIED = new Set([...'cCnpPrRstTuxXyY%']);
const O_MODIFIED = new Set([...'bBCdegGhHIjklmMnpPrRsStTuUVwWy%']);

const SUBFORMATS: Readonly<Record<string, string>> = {
  c: '%a %b %e %H:%M:%S %Y',
  D: '%m/%d/%y',
  x: '%m/%d/%y',
  F: '%Y-%m-%d',
  R: '%H:%M',
  T: '%H:%M:%S',
  X: '%H:%M:%S',
  r: '%I:%M:%S %p',
};

/** Formats `t` like Python's datetime.strftime on Linux. */
export function strftime(t: BrokenDownTime, format: string): string {
  let out = '';
  let i = 0;
  while (i < format.length) {
    const ch = format[i]!;
    if (ch !== '%') {
      out += ch;
      i += 1;
      continue;
    }
    const next = format[i + 1];
    // CPython's own substitutions only apply to an unflagged directive.
    if (next === 'z' || next === 'Z' || next === 'f') {
      out += next === 'z' ? formatOffsetForStrftime(t.offsetMinutes) : next === 'Z' ? timezoneName(t.offsetMinutes) : padNumber(t.microsecond, 6);
      i += 2;
      continue;
    }
    const { text, end } = formatDirective(t, format, i);
    out += text;
    i = end;
  }
  return out;
}

/** Parses one glibc directive starting at the '%' at `start`; returns its output and the index after it. */
function formatDirective(t: BrokenDownTime, format: string, start: number): { text: string; end: number } {
  let i = start + 1;
  const spec: Spec = { pad: '', upper: false, swapCase: false, width: -1 };
  for (;;) {
    const flag = format[i];
    if (flag === '_' || flag === '-' || flag === '0') spec.pad = flag;
    else if (flag === '^') spec.upper = true;
    else if (flag === '#') spec.swapCase = true;
    else break;
    i += 1;
  }
  const widthMatch = /^\d+/.exec(format.slice(i));
  if (widthMatch) {
    spec.width = Number(widthMatch[0]);
    i += widthMatch[0].length;
  }
  let modifier = '';
  if (format[i] === 'E' || format[i] === 'O') {
    modifier = format[i]!;
    i += 1;
  }
  const conversion = format[i];
  // glibc copies an unknown directive through, still applying '^' and the field width.
  const badFormat = (end: number): { text: string; end: number } => {
    const text = format.slice(start, end);
    return { text: padWidth(spec.upper ? text.toUpperCase() : text, spec), end };
  };
  if (conversion === undefined) return badFormat(format.length);
  const end = i + 1;
  const literal = badFormat(end);
  if (modifier === 'E' && !E_MODIFIED.has(conversion) && conversion !== 'z' && conversion !== 'Z') return literal;
  if (modifier === 'O' && !O_MODIFIED.has(conversion) && conversion !== 'z' && conversion !== 'Z') return literal;
  const text = convert(t, conversion, spec);
  return text === null ? literal : { text, end };
}

function convert(t: BrokenDownTime, conversion: string, spec: Spec): string | null {
  const ordinal = toOrdinal(t.year, t.month, t.day);
  const weekday = weekdayOfOrdinal(ordinal); // Monday = 0
  const sundayBasedWeekday = (weekday + 1) % 7;
  const dayOfYear = ordinal - toOrdinal(t.year, 1, 1) + 1;
  const number = (value: number, digits: number, spacePadByDefault = false): string =>
    formatNumber(value, digits, spacePadByDefault, spec);
  // Names: '^' upper-cases; '#' upper-cases too (glibc's "swap case" of capitalised names).
  const word = (value: string): string => padWidth(spec.upper || spec.swapCase ? value.toUpperCase() : value, spec);
  // AM/PM: '#' lower-cases and wins over '^'; %P is always lower case.
  const meridiem = (value: string, alwaysLower: boolean): string => {
    const lower = alwaysLower || spec.swapCase;
    return padWidth(lower ? value.toLowerCase() : spec.upper ? value.toUpperCase() : value, spec);
  };
  // Composite formats (%c, %D, %r, ...) honour '^' only.
  const sub = (subformat: string): string => {
    const text = strftime(t, subformat);
    return padWidth(spec.upper ? text.toUpperCase() : text, spec);
  };
  const hour12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
  switch (conversion) {
    case 'a':
      return word(WEEKDAY_NAMES[weekday]!.slice(0, 3));
    case 'A':
      return word(WEEKDAY_NAMES[weekday]!);
    case 'b':
    case 'h':
      return word(MONTH_NAMES[t.month - 1]!.slice(0, 3));
    case 'B':
      return word(MONTH_NAMES[t.month - 1]!);
    case 'p':
      return meridiem(t.hour < 12 ? 'AM' : 'PM', false);
    case 'P':
      return meridiem(t.hour < 12 ? 'am' : 'pm', true);
    case 'C':
      return number(Math.floor(t.year / 100), 1);
    case 'd':
      return number(t.day, 2);
    case 'e':
      return number(t.day, 2, true);
    case 'G':
      return number(isoCalendar(ordinal, t.year).isoYear, 1);
    case 'g':
      return number(isoCalendar(ordinal, t.year).isoYear % 100, 2);
    case 'H':
      return number(t.hour, 2);
    case 'I':
      return number(hour12, 2);
    case 'j':
      return number(dayOfYear, 3);
    case 'k':
      return number(t.hour, 2, true);
    case 'l':
      return number(hour12, 2, true);
    case 'm':
      return number(t.month, 2);
    case 'M':
      return number(t.minute, 2);
    case 'S':
      return number(t.second, 2);
    case 'u':
      return number(weekday + 1, 1);
    case 'w':
      return number(sundayBasedWeekday, 1);
    case 'U':
      return number(Math.floor((dayOfYear - 1 + 7 - sundayBasedWeekday) / 7), 2);
    case 'W':
      return number(Math.floor((dayOfYear - 1 + 7 - weekday) / 7), 2);
    case 'V':
      return number(isoCalendar(ordinal, t.year).week, 2);
    case 'y':
      return number(t.year % 100, 2);
    case 'Y':
      return number(t.year, 1);
    case 's':
      // glibc runs mktime() on the wall-clock fields in the machine's zone; the CDK runs in UTC.
      return padWidth(String((ordinal - EPOCH_ORDINAL) * 86_400 + t.hour * 3600 + t.minute * 60 + t.second), spec);
    case 'n':
      return padWidth('\n', spec);
    case 't':
      return padWidth('\t', spec);
    case '%':
      return padWidth('%', spec);
    case 'z':
      // Reached only with flags or modifiers: Python's timetuple() carries no zone for glibc, which prints nothing.
      return '';
    case 'Z':
      return padWidth('', spec);
    default: {
      const subformat = SUBFORMATS[conversion];
      return subformat === undefined ? null : sub(subformat);
    }
  }
}

function formatNumber(value: number, digits: number, spacePadByDefault: boolean, spec: Spec): string {
  if (spec.pad === '-') return padWidth(String(value), spec);
  const target = Math.max(digits, spec.width);
  const useSpaces = spec.pad === '_' || (spec.pad === '' && spacePadByDefault);
  if (useSpaces) return String(value).padStart(target, ' ');
  return padNumber(value, value < 0 ? target - 1 : target);
}

function padWidth(text: string, spec: Spec): string {
  if (text.length >= spec.width) return text;
  return text.padStart(spec.width, spec.pad === '0' ? '0' : ' ');
}
