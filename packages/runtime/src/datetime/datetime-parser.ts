/**
 * The CDK's DatetimeParser: strftime/strptime plus the pseudo-formats the
 * declarative framework adds for epoch values (%s, %s_as_float, %ms,
 * %epoch_microseconds) and %_ms (milliseconds in place of %f).
 */
import { DateTimeValueError, padNumber, parsePythonFloat, parsePythonInt, pythonFloatRepr } from './civil.js';
import { DateTime } from './datetime.js';
import { Duration } from './duration.js';
import { strptime } from './strptime.js';

const UNIX_EPOCH = DateTime.of(1970, 1, 1);

/** Python's int(x) for a str or a number (numbers are truncated, as int(float) does). */
function toPythonInt(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new DateTimeValueError(`cannot convert float ${pythonFloatRepr(value)} to integer`);
    return Math.trunc(value);
  }
  return parsePythonInt(value);
}

/** Python's str() of a JSON number: integral values print without a fraction. */
function pythonStr(value: string | number): string {
  if (typeof value === 'string') return value;
  return Number.isInteger(value) && Math.abs(value) < 1e16 ? String(value) : pythonFloatRepr(value);
}

/**
 * DatetimeParser.parse: text (or a number) in `format` to a DateTime. Results
 * are always aware: a format without %z yields UTC.
 */
export function parseDatetime(text: string | number, format: string): DateTime {
  switch (format) {
    case '%s':
      return DateTime.fromEpochSeconds(toPythonInt(text));
    case '%s_as_float':
      return DateTime.fromEpochSeconds(typeof text === 'number' ? text : parsePythonFloat(text));
    case '%epoch_microseconds':
      return UNIX_EPOCH.plus(Duration.of({ microseconds: toPythonInt(text) }));
    case '%ms':
      return UNIX_EPOCH.plus(Duration.of({ milliseconds: toPythonInt(text) }));
    default: {
      const pythonFormat = format.replaceAll('%_ms', '%f');
      const parsed = strptime(pythonStr(text), pythonFormat);
      return parsed.isNaive ? parsed.replace({ offsetMinutes: 0 }) : parsed;
    }
  }
}

/** DatetimeParser.format: a DateTime rendered in `format`, including the epoch pseudo-formats. */
export function formatDatetime(dt: DateTime, format: string): string {
  switch (format) {
    case '%s':
      return String(Math.trunc(dt.timestamp()));
    case '%s_as_float':
      return pythonFloatRepr(dt.timestamp());
    case '%epoch_microseconds':
      // The CDK multiplies the float timestamp, so float rounding is part of the contract.
      return String(Math.trunc(dt.timestamp() * 1_000_000));
    case '%ms':
      return String(Math.trunc(dt.timestamp() * 1000));
    default:
      break;
  }
  if (format.includes('%_ms')) {
    // The CDK formats with %f, then swaps every occurrence of the 6-digit
    // microsecond text for 3-digit milliseconds (even outside the %f spot).
    const withMicros = dt.strftime(format.replaceAll('%_ms', '%f'));
    const millis = padNumber(Math.trunc(dt.microsecond / 1000), 3);
    return withMicros.replaceAll(dt.strftime('%f'), millis);
  }
  return dt.strftime(format);
}
