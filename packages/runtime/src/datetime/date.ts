/**
 * PyDate: an immutable Python `datetime.date`. Arithmetic uses only the whole
 * days of a timedelta (Python ignores its seconds), plus isodate's calendar
 * months and years.
 */
import {
  DateTimeOverflowError,
  DateTimeValueError,
  MAX_ORDINAL,
  MAX_YEAR,
  MIN_YEAR,
  daysInMonth,
  floorMod,
  fromOrdinal,
  isoCalendar,
  padNumber,
  toOrdinal,
  weekdayOfOrdinal,
} from './civil.js';
import { DateTime } from './datetime.js';
import { Duration } from './duration.js';
import { strftime } from './strftime.js';

export class PyDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;

  private constructor(year: number, month: number, day: number) {
    if (![year, month, day].every(Number.isInteger)) throw new TypeError('date fields must be integers');
    if (year < MIN_YEAR || year > MAX_YEAR) throw new DateTimeValueError(`year ${year} is out of range`);
    if (month < 1 || month > 12) throw new DateTimeValueError('month must be in 1..12');
    if (day < 1 || day > daysInMonth(year, month)) throw new DateTimeValueError('day is out of range for month');
    this.year = year;
    this.month = month;
    this.day = day;
    Object.freeze(this);
  }

  static of(year: number, month: number, day: number): PyDate {
    return new PyDate(year, month, day);
  }

  static fromOrdinal(ordinal: number): PyDate {
    if (ordinal < 1 || ordinal > MAX_ORDINAL) throw new DateTimeOverflowError('date value out of range');
    const { year, month, day } = fromOrdinal(ordinal);
    return new PyDate(year, month, day);
  }

  /** Today's date at the given UTC offset (0 = today_utc()). `clock` returns epoch milliseconds. */
  static today(clock: () => number = Date.now, offsetMinutes = 0): PyDate {
    return DateTime.now(clock, offsetMinutes).date();
  }

  toordinal(): number {
    return toOrdinal(this.year, this.month, this.day);
  }

  strftime(format: string): string {
    return strftime({ ...this, hour: 0, minute: 0, second: 0, microsecond: 0, offsetMinutes: null }, format);
  }

  isoformat(): string {
    return `${padNumber(this.year, 4)}-${padNumber(this.month, 2)}-${padNumber(this.day, 2)}`;
  }

  /** Python's str(date). */
  toString(): string {
    return this.isoformat();
  }

  toJSON(): string {
    return this.isoformat();
  }

  /** date + timedelta: only whole days count; isodate's months/years are applied first, clamping the day. */
  plus(d: Duration): PyDate {
    return PyDate.fromOrdinal(this.shiftCalendar(d.years, d.months).toordinal() + d.days);
  }

  /**
   * date - timedelta. Python computes `self + timedelta(-td.days)`, so a
   * sub-day timedelta changes nothing; isodate subtracts months and years
   * first, then the timedelta part the same way.
   */
  minus(d: Duration): PyDate {
    return PyDate.fromOrdinal(this.shiftCalendar(-d.years, -d.months).toordinal() - d.days);
  }

  private shiftCalendar(years: number, months: number): PyDate {
    if (years === 0 && months === 0) return this;
    if (!Number.isInteger(years) || !Number.isInteger(months)) {
      throw new DateTimeValueError('fractional years or months not supported for date calculations');
    }
    const monthIndex = this.month - 1 + months;
    const year = this.year + years + Math.floor(monthIndex / 12);
    const month = floorMod(monthIndex, 12) + 1;
    if (year < MIN_YEAR || year > MAX_YEAR) throw new DateTimeValueError(`year ${year} is out of range`);
    return PyDate.of(year, month, Math.min(this.day, daysInMonth(year, month)));
  }

  /** this - other (Python's date - date). */
  diff(other: PyDate): Duration {
    return Duration.of({ days: this.toordinal() - other.toordinal() });
  }

  compare(other: PyDate): number {
    const candidate: unknown = other;
    if (!(candidate instanceof PyDate)) {
      const kind = candidate instanceof DateTime ? 'datetime.datetime' : typeof candidate;
      throw new TypeError(`can't compare datetime.date to ${kind}`);
    }
    return Math.sign(this.toordinal() - other.toordinal());
  }

  equals(other: unknown): boolean {
    return other instanceof PyDate && this.toordinal() === other.toordinal();
  }

  replace(fields: Partial<{ year: number; month: number; day: number }>): PyDate {
    return new PyDate(fields.year ?? this.year, fields.month ?? this.month, fields.day ?? this.day);
  }

  /** Midnight of this date; naive by default, like datetime.combine(date, time()). */
  toDateTime(offsetMinutes: number | null = null): DateTime {
    return DateTime.of(this.year, this.month, this.day, 0, 0, 0, 0, offsetMinutes);
  }

  weekday(): number {
    return weekdayOfOrdinal(this.toordinal());
  }

  isoweekday(): number {
    return this.weekday() + 1;
  }

  isocalendar(): [number, number, number] {
    const { isoYear, week, weekday } = isoCalendar(this.toordinal(), this.year);
    return [isoYear, week, weekday];
  }
}

export function isPyDate(value: unknown): value is PyDate {
  return value instanceof PyDate;
}
