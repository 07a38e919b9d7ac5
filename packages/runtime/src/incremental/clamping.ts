import { type DateTime, type Duration, parseDuration } from '../datetime/index.js';
import { pyStr } from '../interpolation/values.js';

/**
 * DatetimeBasedCursor `clamping`: window bounds snapped to calendar periods (DAY, WEEK, MONTH),
 * as Airbyte's concurrent CDK does it. Each target gives two snaps of the same period: the
 * ceiling, applied to window bounds, and the floor, applied to the end datetime so the last
 * window stops at the end of the last complete period.
 */
export type ClampingTarget = 'DAY' | 'WEEK' | 'MONTH';

/** Weekday names in the order of DateTime.weekday() (Monday = 0). */
export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;

/** Snaps a value to a period boundary. */
export type Clamp = (value: DateTime) => DateTime;

function midnight(value: DateTime): DateTime {
  return value.replace({ hour: 0, minute: 0, second: 0, microsecond: 0 });
}

const ONE_DAY = parseDuration('P1D');

/** Start of the next day (ceiling; a midnight still moves a day on) or of the same day (floor). */
export function clampToDay(isCeiling: boolean): Clamp {
  return (value) => (isCeiling ? midnight(value).plus(ONE_DAY) : midnight(value));
}

/**
 * The first of a month at midnight: a value on the 1st keeps its day (only its time is dropped);
 * any other day moves to the next month's 1st (ceiling) or its own month's 1st (floor).
 */
export function clampToMonth(isCeiling: boolean): Clamp {
  return (value) => {
    const day = midnight(value);
    if (value.day === 1) return day;
    if (!isCeiling) return day.replace({ day: 1 });
    return day.replace({ year: value.month === 12 ? value.year + 1 : value.year, month: (value.month % 12) + 1, day: 1 });
  };
}

/**
 * Midnight of the given weekday: the next one on or after the value's day (ceiling), or the one
 * within the seven days before it (floor: a value already on that weekday goes back a week).
 */
export function clampToWeek(weekday: number, isCeiling: boolean): Clamp {
  return (value) => {
    const current = value.weekday();
    const daysToCeiling = current > weekday ? 7 - (current - weekday) : weekday - current;
    const days = isCeiling ? daysToCeiling : daysToCeiling - 7;
    const base = midnight(value);
    return days >= 0 ? base.plus(parseDuration(`P${days}D`)) : base.minus(parseDuration(`P${-days}D`));
  };
}

/** The end of reading: the floor of the end datetime, minus one granularity. */
export function clampedEnd(floor: Clamp, end: () => DateTime, granularity: Duration): () => DateTime {
  return () => floor(end()).minus(granularity);
}

export interface DatetimeClamping {
  /** Applied to window bounds while slicing. */
  clamp: Clamp;
  /** Replaces the cursor's end provider. */
  end: () => DateTime;
}

/** A reason the clamping definition cannot be used; the caller reports it with its location. */
export class ClampingDefinitionError extends Error {}

/**
 * The clamping of a cursor from its evaluated `target` and raw `target_details`. The end's
 * default granularity (no cursor_granularity) is one second for DAY and one day for WEEK/MONTH.
 */
export function buildClamping(
  target: unknown,
  targetDetails: unknown,
  end: () => DateTime,
  granularity: Duration | undefined,
): DatetimeClamping {
  switch (target) {
    case 'DAY':
      return { clamp: clampToDay(true), end: clampedEnd(clampToDay(false), end, granularity ?? parseDuration('PT1S')) };
    case 'WEEK': {
      const details = targetDetails;
      if (typeof details !== 'object' || details === null || Array.isArray(details) || !('weekday' in details)) {
        throw new ClampingDefinitionError('Given WEEK clamping, weekday needs to be provided as target_details');
      }
      const name = (details as Record<string, unknown>).weekday;
      const weekday = typeof name === 'string' ? (WEEKDAYS as readonly string[]).indexOf(name) : -1;
      if (weekday < 0) throw new ClampingDefinitionError(`Unknown weekday ${pyStr(name)}`);
      return { clamp: clampToWeek(weekday, true), end: clampedEnd(clampToWeek(weekday, false), end, granularity ?? ONE_DAY) };
    }
    case 'MONTH':
      return { clamp: clampToMonth(true), end: clampedEnd(clampToMonth(false), end, granularity ?? ONE_DAY) };
    default:
      throw new ClampingDefinitionError(`Invalid clamping target ${pyStr(target)}, expected DAY, WEEK, MONTH`);
  }
}
