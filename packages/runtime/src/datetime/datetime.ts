/**
 * DateTime: an immutable Python `datetime` with microsecond precision and an
 * optional fixed UTC offset (Python's `datetime.timezone`). Naive values
 * (offsetMinutes === null) compare and subtract only with other naive values,
 * as in Python.
 */
import {
  DateTimeOverflowError,
  DateTimeValueError,
  EPOCH_ORDINAL,
  MAX_ORDINAL,
  MAX_YEAR,
  MICROS_PER_DAY,
  MICROS_PER_HOUR,
  MICROS_PER_MINUTE,
  MICROS_PER_SECOND,
  MIN_YEAR,
  daysInMonth,
  floorDiv,
  floorMod,
  fromOrdinal,
  isoCalendar,
  padNumber,
  roundHalfEven,
  toOrdinal,
  weekdayOfOrdinal,
} from './civil.js';
import { PyDate } from './date.js';
import { Duration } from './duration.js';
import { formatOffset, strftime, timezoneName } from './strftime.js';

export interface DateTimeFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  offsetMinutes: number | null;
}

export type Timespec = 'auto' | 'hours' | 'minutes' | 'seconds' | 'milliseconds' | 'microseconds';

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value)) throw new TypeError(`${name} must be an integer, got ${value}`);
  if (value < min || value > max) throw new DateTimeValueError(`${name} must be in ${min}..${max}`);
}

export class DateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond: number;
  /** Fixed offset east of UTC in minutes; null means naive (no tzinfo). */
  readonly offsetMinutes: number | null;

  private constructor(fields: DateTimeFields) {
    if (!Number.isInteger(fields.year)) throw new TypeError(`year must be an integer, got ${fields.year}`);
    if (fields.year < MIN_YEAR || fields.year > MAX_YEAR) {
      throw new DateTimeValueError(`year ${fields.year} is out of range`);
    }
    checkRange('month', fields.month, 1, 12);
    if (!Number.isInteger(fields.day)) throw new TypeError(`day must be an integer, got ${fields.day}`);
    if (fields.day < 1 || fields.day > daysInMonth(fields.year, fields.month)) {
      throw new DateTimeValueError('day is out of range for month');
    }
    checkRange('hour', fields.hour, 0, 23);
    checkRange('minute', fields.minute, 0, 59);
    checkRange('second', fields.second, 0, 59);
    checkRange('microsecond', fields.microsecond, 0, 999_999);
    if (fields.offsetMinutes !== null && !(Math.abs(fields.offsetMinutes) < 1440)) {
      throw new DateTimeValueError(
        `offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not ${Duration.of({ minutes: fields.offsetMinutes }).repr()}.`,
      );
    }
    this.year = fields.year;
    this.month = fields.month;
    this.day = fields.day;
    this.hour = fields.hour;
    this.minute = fields.minute;
    this.second = fields.second;
    this.microsecond = fields.microsecond;
    this.offsetMinutes = fields.offsetMinutes === null ? null : fields.offsetMinutes + 0; // drop -0
    Object.freeze(this);
  }

  /** Like Python's datetime(...). Defaults to aware UTC; pass offsetMinutes=null for a naive value. */
  static of(
    year: number,
    month: number,
    day: number,
    hour = 0,
    minute = 0,
    second = 0,
    microsecond = 0,
    offsetMinutes: number | null = 0,
  ): DateTime {
    return new DateTime({ year, month, day, hour, minute, second, microsecond, offsetMinutes });
  }

  /** The wall-clock value `micros` after 0001-01-01T00:00 (naive arithmetic), with the given offset. */
  private static fromLocalDaysAndMicros(days: number, micros: number, offsetMinutes: number | null): DateTime {
    const ordinal = days + floorDiv(micros, MICROS_PER_DAY);
    const microsOfDay = floorMod(micros, MICROS_PER_DAY);
    if (ordinal < 1 || ordinal > MAX_ORDINAL) throw new DateTimeOverflowError('date value out of range');
    const { year, month, day } = fromOrdinal(ordinal);
    return new DateTime({
      year,
      month,
      day,
      hour: Math.floor(microsOfDay / MICROS_PER_HOUR),
      minute: Math.floor(microsOfDay / MICROS_PER_MINUTE) % 60,
      second: Math.floor(microsOfDay / MICROS_PER_SECOND) % 60,
      microsecond: microsOfDay % MICROS_PER_SECOND,
      offsetMinutes,
    });
  }

  /** From microseconds since the Unix epoch (UTC), shown at the given offset (null: naive UTC wall clock). */
  static fromEpochMicros(us: number, offsetMinutes: number | null = 0): DateTime {
    if (!Number.isFinite(us)) throw new DateTimeValueError(`cannot convert ${us} to a datetime`);
    const local = Math.round(us) + Math.round((offsetMinutes ?? 0) * MICROS_PER_MINUTE);
    const days = floorDiv(local, MICROS_PER_DAY);
    return DateTime.fromLocalDaysAndMicros(EPOCH_ORDINAL + days, local - days * MICROS_PER_DAY, offsetMinutes);
  }

  /** Python's datetime.fromtimestamp(s, tz): the fraction is rounded to microseconds, ties to even. */
  static fromEpochSeconds(s: number, offsetMinutes: number | null = 0): DateTime {
    if (!Number.isFinite(s)) throw new DateTimeValueError(`cannot convert float ${s} to integer`);
    let whole = Math.trunc(s);
    let micros = roundHalfEven((s - whole) * MICROS_PER_SECOND);
    if (micros >= MICROS_PER_SECOND) {
      micros -= MICROS_PER_SECOND;
      whole += 1;
    } else if (micros < 0) {
      micros += MICROS_PER_SECOND;
      whole -= 1;
    }
    const days = floorDiv(whole, 86_400);
    const secondsOfDay = whole - days * 86_400;
    const offsetMicros = Math.round((offsetMinutes ?? 0) * MICROS_PER_MINUTE);
    return DateTime.fromLocalDaysAndMicros(
      EPOCH_ORDINAL + days,
      secondsOfDay * MICROS_PER_SECOND + micros + offsetMicros,
      offsetMinutes,
    );
  }

  /** Current time; `clock` returns epoch milliseconds (defaults to Date.now). */
  static now(clock: () => number = Date.now, offsetMinutes: number | null = 0): DateTime {
    return DateTime.fromEpochMicros(Math.round(clock() * 1000), offsetMinutes);
  }

  /** Python's datetime.combine(date, time(...)). */
  static combine(date: PyDate, hour = 0, minute = 0, second = 0, microsecond = 0, offsetMinutes: number | null = null): DateTime {
    return DateTime.of(date.year, date.month, date.day, hour, minute, second, microsecond, offsetMinutes);
  }

  get isNaive(): boolean {
    return this.offsetMinutes === null;
  }

  /** Python's toordinal(): days since 0000-12-31. */
  toordinal(): number {
    return toOrdinal(this.year, this.month, this.day);
  }

  private get microsOfDay(): number {
    return this.hour * MICROS_PER_HOUR + this.minute * MICROS_PER_MINUTE + this.second * MICROS_PER_SECOND + this.microsecond;
  }

  /** Day number and microseconds of day in UTC; naive values count as UTC. */
  private utcParts(): { days: number; micros: number } {
    return {
      days: this.toordinal(),
      micros: this.microsOfDay - Math.round((this.offsetMinutes ?? 0) * MICROS_PER_MINUTE),
    };
  }

  /** Microseconds since the Unix epoch; naive values are taken as UTC (exact until year ~2255). */
  get epochMicros(): number {
    const { days, micros } = this.utcParts();
    return (days - EPOCH_ORDINAL) * MICROS_PER_DAY + micros;
  }

  /** Python's timestamp() as a float; naive values are taken as UTC (the CDK runs with TZ=UTC). */
  timestamp(): number {
    const micros = this.epochMicros;
    if (Number.isSafeInteger(micros)) return micros / MICROS_PER_SECOND;
    const { days, micros: dayMicros } = this.utcParts();
    return (days - EPOCH_ORDINAL) * 86_400 + dayMicros / MICROS_PER_SECOND;
  }

  /** Python's utcoffset(): null for naive values. */
  utcoffset(): Duration | null {
    return this.offsetMinutes === null ? null : Duration.of({ minutes: this.offsetMinutes });
  }

  /** Python's tzname() for a datetime.timezone: 'UTC' or 'UTC+HH:MM'; null when naive. */
  tzname(): string | null {
    return this.offsetMinutes === null ? null : timezoneName(this.offsetMinutes);
  }

  /** datetime + timedelta; calendar months and years first (isodate), clamping the day to the month's end. */
  plus(d: Duration): DateTime {
    let base: DateTime = this;
    if (d.hasCalendarPart) {
      if (!Number.isInteger(d.years) || !Number.isInteger(d.months)) {
        throw new DateTimeValueError('fractional years or months not supported for date calculations');
      }
      const monthIndex = this.month - 1 + d.months;
      const year = this.year + d.years + Math.floor(monthIndex / 12);
      const month = floorMod(monthIndex, 12) + 1;
      if (year < MIN_YEAR || year > MAX_YEAR) throw new DateTimeValueError(`year ${year} is out of range`);
      base = this.replace({ year, month, day: Math.min(this.day, daysInMonth(year, month)) });
    }
    return DateTime.fromLocalDaysAndMicros(
      base.toordinal() + d.days,
      base.microsOfDay + d.seconds * MICROS_PER_SECOND + d.microseconds,
      base.offsetMinutes,
    );
  }

  minus(d: Duration): DateTime {
    return this.plus(d.negate());
  }

  /** this - other, as a Duration (Python's datetime - datetime). */
  diff(other: DateTime): Duration {
    if (this.isNaive !== other.isNaive) {
      throw new TypeError("can't subtract offset-naive and offset-aware datetimes");
    }
    const a = this.utcParts();
    const b = other.utcParts();
    return Duration.fromDaysAndMicros(a.days - b.days, a.micros - b.micros);
  }

  /** Negative, zero or positive like a comparator. Throws TypeError for naive vs aware, like Python's `<`. */
  compare(other: DateTime): number {
    if (this.isNaive !== other.isNaive) {
      throw new TypeError("can't compare offset-naive and offset-aware datetimes");
    }
    const a = this.utcParts();
    const b = other.utcParts();
    const delta = (a.days - b.days) * MICROS_PER_DAY + (a.micros - b.micros);
    return delta === 0 ? 0 : delta < 0 ? -1 : 1;
  }

  /** Python's ==: naive and aware values are simply unequal; dates never equal datetimes. */
  equals(other: unknown): boolean {
    if (!(other instanceof DateTime) || this.isNaive !== other.isNaive) return false;
    return this.compare(other) === 0;
  }

  isBefore(other: DateTime): boolean {
    return this.compare(other) < 0;
  }

  isAfter(other: DateTime): boolean {
    return this.compare(other) > 0;
  }

  strftime(format: string): string {
    return strftime(this, format);
  }

  /** Python's isoformat(sep, timespec). */
  isoformat(sep = 'T', timespec: Timespec = 'auto'): string {
    const date = `${padNumber(this.year, 4)}-${padNumber(this.month, 2)}-${padNumber(this.day, 2)}`;
    const hh = padNumber(this.hour, 2);
    const mm = padNumber(this.minute, 2);
    const ss = padNumber(this.second, 2);
    let time: string;
    switch (timespec) {
      case 'hours':
        time = hh;
        break;
      case 'minutes':
        time = `${hh}:${mm}`;
        break;
      case 'seconds':
        time = `${hh}:${mm}:${ss}`;
        break;
      case 'milliseconds':
        time = `${hh}:${mm}:${ss}.${padNumber(Math.floor(this.microsecond / 1000), 3)}`;
        break;
      case 'microseconds':
        time = `${hh}:${mm}:${ss}.${padNumber(this.microsecond, 6)}`;
        break;
      case 'auto':
        time = `${hh}:${mm}:${ss}${this.microsecond ? `.${padNumber(this.microsecond, 6)}` : ''}`;
        break;
      default:
        throw new DateTimeValueError('Unknown timespec value');
    }
    const offset = this.offsetMinutes === null ? '' : formatOffset(this.offsetMinutes, ':');
    return `${date}${sep}${time}${offset}`;
  }

  /** Python's str(datetime): isoformat with a space separator. */
  toString(): string {
    return this.isoformat(' ');
  }

  /** JSON encoders see the isoformat text. */
  toJSON(): string {
    return this.isoformat();
  }

  date(): PyDate {
    return PyDate.of(this.year, this.month, this.day);
  }

  /** Python's replace(); offsetMinutes: null makes the value naive without converting it. */
  replace(fields: Partial<DateTimeFields>): DateTime {
    return new DateTime({
      year: fields.year ?? this.year,
      month: fields.month ?? this.month,
      day: fields.day ?? this.day,
      hour: fields.hour ?? this.hour,
      minute: fields.minute ?? this.minute,
      second: fields.second ?? this.second,
      microsecond: fields.microsecond ?? this.microsecond,
      offsetMinutes: 'offsetMinutes' in fields ? (fields.offsetMinutes ?? null) : this.offsetMinutes,
    });
  }

  /** Python's astimezone(timezone(timedelta(minutes=offset))); naive values are taken as UTC (local zone). */
  astimezone(offsetMinutes = 0): DateTime {
    const { days, micros } = this.utcParts();
    return DateTime.fromLocalDaysAndMicros(days, micros + Math.round(offsetMinutes * MICROS_PER_MINUTE), offsetMinutes);
  }

  /** Monday = 0 … Sunday = 6. */
  weekday(): number {
    return weekdayOfOrdinal(this.toordinal());
  }

  /** Monday = 1 … Sunday = 7. */
  isoweekday(): number {
    return this.weekday() + 1;
  }

  /** Python's isocalendar() as [ISO year, ISO week, ISO weekday]. */
  isocalendar(): [number, number, number] {
    const { isoYear, week, weekday } = isoCalendar(this.toordinal(), this.year);
    return [isoYear, week, weekday];
  }

  /** A JavaScript Date for the same instant (naive taken as UTC); sub-millisecond digits are dropped. */
  toJsDate(): Date {
    return new Date(Math.floor(this.epochMicros / 1000));
  }
}

export function isDateTime(value: unknown): value is DateTime {
  return value instanceof DateTime;
}
