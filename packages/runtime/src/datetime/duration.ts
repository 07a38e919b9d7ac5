/**
 * Duration: Python's `timedelta` plus the calendar part (years, months) that
 * the `isodate` package adds for ISO 8601 durations such as P1M or P1Y.
 *
 * The timedelta part is kept the way Python normalises it: `days` may be
 * negative, `seconds` is in 0..86399 and `microseconds` in 0..999999.
 */
import {
  DateTimeOverflowError,
  DateTimeValueError,
  MICROS_PER_DAY,
  MICROS_PER_HOUR,
  MICROS_PER_MINUTE,
  MICROS_PER_SECOND,
  floorDiv,
  floorMod,
  padNumber,
  roundHalfEven,
} from './civil.js';
import { divideRoundHalfEven, exactTotalMicros, floatAsIntegerRatio, splitDays } from './exact.js';

export interface DurationFields {
  weeks?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
  microseconds?: number;
  months?: number;
  years?: number;
}

/** Python caps timedelta at this many days either way. */
const MAX_DAYS = 999_999_999;

export class Duration {
  /** Whole days; negative for negative durations (Python's timedelta.days). */
  readonly days: number;
  /** 0..86399 (Python's timedelta.seconds). */
  readonly seconds: number;
  /** 0..999999 (Python's timedelta.microseconds). */
  readonly microseconds: number;
  /** Calendar months from an ISO 8601 duration (isodate); may be fractional, which date arithmetic rejects. */
  readonly months: number;
  /** Calendar years from an ISO 8601 duration (isodate). */
  readonly years: number;

  private constructor(days: number, micros: number, months: number, years: number) {
    // Carry whole days out of `micros` so `days` stays exact even near timedelta.max.
    const normalisedDays = days + floorDiv(micros, MICROS_PER_DAY);
    const rest = floorMod(micros, MICROS_PER_DAY);
    if (Math.abs(normalisedDays) > MAX_DAYS) {
      throw new DateTimeOverflowError(`days=${normalisedDays}; must have magnitude <= ${MAX_DAYS}`);
    }
    this.days = normalisedDays;
    this.seconds = Math.floor(rest / MICROS_PER_SECOND);
    this.microseconds = rest % MICROS_PER_SECOND;
    this.months = months === 0 ? 0 : months; // avoid -0
    this.years = years === 0 ? 0 : years;
    Object.freeze(this);
  }

  static readonly ZERO = new Duration(0, 0, 0, 0);
  /** Python's timedelta.max: 999999999 days, 23:59:59.999999. */
  static readonly MAX = new Duration(MAX_DAYS, MICROS_PER_DAY - 1, 0, 0);
  /** Python's timedelta.min: -999999999 days. */
  static readonly MIN = new Duration(-MAX_DAYS, 0, 0, 0);
  /** Python's timedelta.resolution: one microsecond. */
  static readonly RESOLUTION = new Duration(0, 1, 0, 0);

  /** Like Python's timedelta(...) keyword constructor; fractional values round to the microsecond (ties to even). */
  static of(fields: DurationFields = {}): Duration {
    for (const [name, value] of Object.entries(fields)) {
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
        throw new TypeError(`Duration field ${name} must be a finite number, got ${String(value)}`);
      }
    }
    const total = exactTotalMicros([
      [fields.microseconds ?? 0, 1],
      [fields.milliseconds ?? 0, 1000],
      [fields.seconds ?? 0, MICROS_PER_SECOND],
      [fields.minutes ?? 0, MICROS_PER_MINUTE],
      [fields.hours ?? 0, MICROS_PER_HOUR],
      [fields.days ?? 0, MICROS_PER_DAY],
      [fields.weeks ?? 0, 7 * MICROS_PER_DAY],
    ]);
    const [days, micros] = splitDays(total);
    return new Duration(days, micros, fields.months ?? 0, fields.years ?? 0);
  }

  static fromMicros(micros: number): Duration {
    return new Duration(0, roundHalfEven(micros), 0, 0);
  }

  /** Duration built from a day count and a microsecond count; both are carried exactly. */
  static fromDaysAndMicros(days: number, micros: number): Duration {
    return new Duration(days, micros, 0, 0);
  }

  /** Total of the timedelta part in microseconds (exact below ~285 years). */
  get totalMicros(): number {
    return this.days * MICROS_PER_DAY + this.seconds * MICROS_PER_SECOND + this.microseconds;
  }

  /** True when the duration carries isodate's calendar part (years or months). */
  get hasCalendarPart(): boolean {
    return this.years !== 0 || this.months !== 0;
  }

  /** Python's timedelta.total_seconds(); isodate delegates this to the timedelta part, ignoring months and years. */
  total_seconds(): number {
    const wholeSeconds = this.days * 86_400 + this.seconds;
    const micros = wholeSeconds * MICROS_PER_SECOND + this.microseconds;
    // Integer division is correctly rounded while the numerator is exact.
    if (Number.isSafeInteger(micros)) return micros / MICROS_PER_SECOND;
    return wholeSeconds + this.microseconds / MICROS_PER_SECOND;
  }

  negate(): Duration {
    return new Duration(-this.days, -(this.seconds * MICROS_PER_SECOND + this.microseconds), -this.months, -this.years);
  }

  abs(): Duration {
    return this.days < 0 ? this.negate() : this;
  }

  plus(other: Duration): Duration {
    return new Duration(
      this.days + other.days,
      this.seconds * MICROS_PER_SECOND + this.microseconds + other.seconds * MICROS_PER_SECOND + other.microseconds,
      this.months + other.months,
      this.years + other.years,
    );
  }

  minus(other: Duration): Duration {
    return this.plus(other.negate());
  }

  /** Python's timedelta * number (exactly rounded, ties to even); isodate scales years and months by integers only. */
  times(factor: number): Duration {
    if (Number.isInteger(factor)) {
      return new Duration(
        this.days * factor,
        (this.seconds * MICROS_PER_SECOND + this.microseconds) * factor,
        this.months * factor,
        this.years * factor,
      );
    }
    if (this.hasCalendarPart) {
      throw new TypeError("unsupported operand type(s) for *: 'Duration' and 'float'");
    }
    if (!Number.isFinite(factor)) throw new DateTimeValueError(`cannot multiply a timedelta by ${factor}`);
    const [numerator, denominator] = floatAsIntegerRatio(factor);
    const micros = divideRoundHalfEven(this.exactMicros() * numerator, denominator);
    const [days, rest] = splitDays(micros);
    return new Duration(days, rest, 0, 0);
  }

  private exactMicros(): bigint {
    return BigInt(this.days) * BigInt(MICROS_PER_DAY) + BigInt(this.seconds * MICROS_PER_SECOND + this.microseconds);
  }

  /** Python's timedelta / timedelta (a float). */
  dividedBy(other: Duration): number {
    if (other.totalMicros === 0) throw new RangeError('integer division or modulo by zero');
    return this.totalMicros / other.totalMicros;
  }

  /** Orders by length. Durations with a calendar part have no order in isodate, so this throws for them. */
  compare(other: Duration): number {
    if (this.hasCalendarPart || other.hasCalendarPart) {
      throw new TypeError("'<' not supported between instances of 'Duration' with a month or year part");
    }
    if (this.days !== other.days) return this.days < other.days ? -1 : 1;
    const a = this.seconds * MICROS_PER_SECOND + this.microseconds;
    const b = other.seconds * MICROS_PER_SECOND + other.microseconds;
    return a === b ? 0 : a < b ? -1 : 1;
  }

  equals(other: unknown): boolean {
    return (
      other instanceof Duration &&
      this.days === other.days &&
      this.seconds === other.seconds &&
      this.microseconds === other.microseconds &&
      // isodate compares the calendar part as a month count, so P1Y equals P12M.
      this.years * 12 + this.months === other.years * 12 + other.months
    );
  }

  /** Python's str(timedelta), prefixed with isodate's 'N years, N months, ' for calendar durations. */
  toString(): string {
    const parts: string[] = [];
    // isodate formats these with %d, i.e. truncated, and always says "years".
    if (this.years) parts.push(`${Math.trunc(this.years)} years`);
    if (this.months) parts.push(`${Math.trunc(this.months)} ${this.months <= 1 ? 'month' : 'months'}`);
    parts.push(this.timedeltaString());
    return parts.join(', ');
  }

  /** Python's repr(timedelta), e.g. 'datetime.timedelta(days=-1, seconds=86399)'. */
  repr(): string {
    const args: string[] = [];
    if (this.days) args.push(`days=${this.days}`);
    if (this.seconds) args.push(`seconds=${this.seconds}`);
    if (this.microseconds) args.push(`microseconds=${this.microseconds}`);
    return `datetime.timedelta(${args.length ? args.join(', ') : '0'})`;
  }

  private timedeltaString(): string {
    const hours = Math.floor(this.seconds / 3600);
    const minutes = Math.floor((this.seconds % 3600) / 60);
    const seconds = this.seconds % 60;
    let text = `${hours}:${padNumber(minutes, 2)}:${padNumber(seconds, 2)}`;
    if (this.microseconds) text += `.${padNumber(this.microseconds, 6)}`;
    if (this.days) text = `${this.days} day${Math.abs(this.days) !== 1 ? 's' : ''}, ${text}`;
    return text;
  }
}

export function isDuration(value: unknown): value is Duration {
  return value instanceof Duration;
}

// isodate's ISO8601_PERIOD_REGEX, expressed in JS. `P(?!\b)` rejects a P followed by a non-word character or the end.
const ISO_PERIOD =
  /^([+-])?P(?!\b)(?:(\d+(?:[,.]\d+)?)Y)?(?:(\d+(?:[,.]\d+)?)M)?(?:(\d+(?:[,.]\d+)?)W)?(?:(\d+(?:[,.]\d+)?)D)?(?:T(?:(\d+(?:[,.]\d+)?)H)?(?:(\d+(?:[,.]\d+)?)M)?(?:(\d+(?:[,.]\d+)?)S)?)?\n?$/;

/**
 * Parses an ISO 8601 duration the way `isodate.parse_duration` does:
 * P1D, PT1H, P1W, P1M, P1Y, P1DT12H, PT0.5S, -P1D. Years and months are kept
 * as a calendar part; everything else becomes the timedelta part.
 */
export function parseDuration(iso: string): Duration {
  if (typeof iso !== 'string') throw new TypeError(`Expecting a string ${String(iso)}`);
  const match = ISO_PERIOD.exec(iso);
  if (!match) throw new DateTimeValueError(`Unable to parse duration string '${iso}'`);
  const value = (group: string | undefined): number => (group === undefined ? 0 : Number(group.replace(',', '.')));
  const [, sign, years, months, weeks, days, hours, minutes, seconds] = match;
  const duration = Duration.of({
    years: value(years),
    months: value(months),
    weeks: value(weeks),
    days: value(days),
    hours: value(hours),
    minutes: value(minutes),
    seconds: value(seconds),
  });
  return sign === '-' ? duration.negate() : duration;
}
