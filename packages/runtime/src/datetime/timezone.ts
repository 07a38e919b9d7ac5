/**
 * Named (IANA) time zones, for macros such as today_with_timezone that use
 * pytz. DateTime itself only carries fixed offsets, so a zone is resolved to
 * its UTC offset at a given instant through the platform's Intl data.
 */
import { DateTime } from './datetime.js';
import { PyDate } from './date.js';

/** pytz's UnknownTimeZoneError; its message is the quoted zone name, as in Python. */
export class UnknownTimeZoneError extends Error {
  override readonly name = 'UnknownTimeZoneError';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new UnknownTimeZoneError(`'${zone}'`);
    }
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Minutes east of UTC that `zone` observes at the instant `epochMs`. */
export function zoneOffsetMinutes(zone: string, epochMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wallClockAsUtc = Date.UTC(
    parts['year'] ?? 1970,
    (parts['month'] ?? 1) - 1,
    parts['day'] ?? 1,
    parts['hour'] ?? 0,
    parts['minute'] ?? 0,
    parts['second'] ?? 0,
  );
  const wholeSecondsMs = Math.floor(epochMs / 1000) * 1000;
  return Math.round((wallClockAsUtc - wholeSecondsMs) / 60_000);
}

/** The instant `dt` seen in `zone`, as a fixed-offset DateTime (naive values are taken as UTC). */
export function inTimeZone(dt: DateTime, zone: string): DateTime {
  return dt.astimezone(zoneOffsetMinutes(zone, Math.floor(dt.epochMicros / 1000)));
}

/** today_with_timezone(zone): the current date in an IANA zone such as 'Pacific/Tarawa'. */
export function todayInTimeZone(zone: string, clock: () => number = Date.now): PyDate {
  const now = clock();
  return DateTime.now(() => now, zoneOffsetMinutes(zone, now)).date();
}
