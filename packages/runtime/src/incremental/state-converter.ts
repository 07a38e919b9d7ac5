import type { Json } from '../context.js';
import { DateTime, Duration, formatDatetime, parseDatetime } from '../datetime/index.js';
import { stringifyJson } from '../protocol/stringify-json.js';

const MILLISECOND = Duration.of({ milliseconds: 1 });

/**
 * How a cursor's values are read from and written to state, and how they compare. Two kinds
 * exist, as in Airbyte's concurrent CDK: datetimes (written in the manifest's `datetime_format`)
 * and integers (IncrementingCountCursor, written as they are).
 */
export interface ValueConverter<V> {
  /** `state_type` of the concurrent (interval) state shape. */
  readonly stateType: 'date-range' | 'integer';
  /** A record's or a state's cursor value to a comparable value; throws when it cannot. */
  parse(value: unknown): V;
  /** A comparable value as it is written in slices and state. */
  output(value: V): unknown;
  /** The smallest step of the value (two intervals this close are contiguous). */
  increment(value: V): V;
  compare(a: V, b: V): number;
  /** Python truthiness of a value, which decides some merges. */
  truthy(value: V | null | undefined): value is V;
  readonly zero: V;
}

export class DatetimeConverter implements ValueConverter<DateTime> {
  readonly stateType = 'date-range' as const;
  private readonly inputFormats: string[];

  constructor(
    readonly datetimeFormat: string,
    cursorDatetimeFormats: string[] | undefined,
    private readonly granularity: Duration | undefined,
  ) {
    this.inputFormats = [...(cursorDatetimeFormats ?? []), datetimeFormat];
  }

  get zero(): DateTime {
    return DateTime.of(1, 1, 1);
  }

  parse(value: unknown): DateTime {
    if (value instanceof DateTime) return value;
    if (typeof value === 'string' || typeof value === 'number') {
      for (const format of this.inputFormats) {
        try {
          return parseDatetime(value, format);
        } catch {
          // try the next format
        }
      }
    }
    throw new CursorValueError(`No format in ${pyList(this.inputFormats)} matching ${String(value)}`);
  }

  output(value: DateTime): string {
    return formatDatetime(value, this.datetimeFormat);
  }

  increment(value: DateTime): DateTime {
    return this.granularity ? value.plus(this.granularity) : value.plus(MILLISECOND);
  }

  compare(a: DateTime, b: DateTime): number {
    return a.compare(b);
  }

  truthy(value: DateTime | null | undefined): value is DateTime {
    return value !== null && value !== undefined;
  }
}

export class IntegerConverter implements ValueConverter<unknown> {
  readonly stateType = 'integer' as const;
  readonly zero = 0;

  parse(value: unknown): unknown {
    return value;
  }

  output(value: unknown): unknown {
    return value;
  }

  increment(value: unknown): unknown {
    if (typeof value === 'bigint') return value + 1n;
    const next = (value as number) + 1;
    // Past 2^53 a double cannot hold value + 1: step in BigInt, as Python's int does.
    return Number.isInteger(value) && !Number.isSafeInteger(next) ? BigInt(value as number) + 1n : next;
  }

  compare(a: unknown, b: unknown): number {
    return pyCompare(a, b);
  }

  truthy(value: unknown): value is unknown {
    return value !== null && value !== undefined && value !== 0 && value !== 0n && value !== '' && value !== false;
  }
}

/** A cursor value could not be read (missing field or no matching format). */
export class CursorValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CursorValueError';
  }
}

/** One interval of the concurrent state: [start, end] read, and the highest cursor value seen. */
export interface Interval<V> {
  start: V;
  end: V;
  mostRecent?: V | null;
}

/**
 * Merges intervals that touch (the start of one is at most one increment after the end of the
 * previous), keeping the highest most-recent value, as Airbyte's state converters do.
 */
export function mergeIntervals<V>(converter: ValueConverter<V>, intervals: Interval<V>[]): Interval<V>[] {
  if (intervals.length === 0) return [];
  const sorted = [...intervals].sort(
    (a, b) => converter.compare(a.start, b.start) || converter.compare(a.end, b.end),
  );
  const first = sorted[0] as Interval<V>;
  const merged: Interval<V>[] = [first];
  for (const current of sorted.slice(1)) {
    const last = merged[merged.length - 1] as Interval<V>;
    if (converter.compare(converter.increment(last.end), current.start) >= 0) {
      last.end = converter.compare(current.end, last.end) > 0 ? current.end : last.end;
      const a = last.mostRecent;
      const b = current.mostRecent;
      if (converter.truthy(a) && converter.truthy(b)) last.mostRecent = converter.compare(a, b) > 0 ? a : b;
      else last.mostRecent = converter.truthy(b) ? b : a;
    } else {
      merged.push(current);
    }
  }
  return merged;
}

/** The value before which everything has been read: what the sequential state holds. */
export function latestCompleteValue<V>(converter: ValueConverter<V>, intervals: Interval<V>[]): V {
  const merged = mergeIntervals(converter, intervals);
  const first = merged[0];
  if (!first) throw new Error('Expected at least one slice but there were none');
  return converter.truthy(first.mostRecent) ? first.mostRecent : first.start;
}

/** The concurrent state shape Airbyte writes when a stream is not sequential. */
export function serializeIntervals<V>(converter: ValueConverter<V>, intervals: Interval<V>[]): Json {
  return {
    slices: intervals.map((interval) => {
      const out: Json = { start: converter.output(interval.start), end: converter.output(interval.end) };
      if (converter.truthy(interval.mostRecent)) out.most_recent_cursor_value = converter.output(interval.mostRecent);
      return out;
    }),
    state_type: converter.stateType,
  };
}

export function isConcurrentState(state: Json | undefined): boolean {
  return (
    !!state &&
    Object.keys(state).length > 0 &&
    (state.state_type === 'date-range' || state.state_type === 'integer')
  );
}

/**
 * Python-like ordering of JSON scalars: numbers by value (a BigInt, an int beyond 2^53, compares
 * exactly with numbers and BigInts), strings by code unit.
 */
export function pyCompare(a: unknown, b: unknown): number {
  if (isNumeric(a) && isNumeric(b)) return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'boolean' || typeof b === 'boolean') return pyCompare(typeof a === 'bigint' ? a : Number(a), typeof b === 'bigint' ? b : Number(b));
  throw new CursorValueError(`cannot compare ${stringifyJson(a)} with ${stringifyJson(b)}`);
}

function isNumeric(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

function pyList(items: string[]): string {
  return `[${items.map((item) => `'${item}'`).join(', ')}]`;
}
