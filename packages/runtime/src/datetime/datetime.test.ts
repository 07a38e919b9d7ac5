import { describe, expect, it } from 'vitest';
import { DateTime, Duration, DateTimeOverflowError, DateTimeValueError, isDateTime, parseDuration } from './index.js';
import type { DurationFields, Timespec } from './index.js';

// Expected values below were produced by CPython 3.11's datetime module.
type Fields = [number, number, number, number, number, number, number, number | null];
const make = (f: Fields): DateTime => DateTime.of(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
const fieldsOf = (d: DateTime): number[] => [d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond];

const ISOFORMAT_CASES: Array<[Fields, string, Timespec, string]> =  [[[2021, 1, 1, 0, 0, 0, 0, 0], "T", "auto", "2021-01-01T00:00:00+00:00"], [[2021, 1, 1, 0, 0, 0, 0, 0], " ", "auto", "2021-01-01 00:00:00+00:00"], [[2021, 1, 1, 0, 0, 0, 0, 0], "T", "hours", "2021-01-01T00+00:00"], [[2021, 1, 1, 0, 0, 0, 0, 0], "T", "minutes", "2021-01-01T00:00+00:00"], [[2021, 1, 1, 0, 0, 0, 0, 0], "T", "seconds", "2021-01-01T00:00:00+00:00"], [[2021, 1, 1, 0, 0, 0, 0, 0], "T", "milliseconds", "2021-01-01T00:00:00.000+00:00"], [[2021, 1, 1, 0, 0, 0, 0, 0], "T", "microseconds", "2021-01-01T00:00:00.000000+00:00"], [[2021, 1, 1, 0, 0, 0, 0, null], "T", "auto", "2021-01-01T00:00:00"], [[2021, 1, 1, 0, 0, 0, 0, null], " ", "auto", "2021-01-01 00:00:00"], [[2021, 1, 1, 0, 0, 0, 0, null], "T", "hours", "2021-01-01T00"], [[2021, 1, 1, 0, 0, 0, 0, null], "T", "minutes", "2021-01-01T00:00"], [[2021, 1, 1, 0, 0, 0, 0, null], "T", "seconds", "2021-01-01T00:00:00"], [[2021, 1, 1, 0, 0, 0, 0, null], "T", "milliseconds", "2021-01-01T00:00:00.000"], [[2021, 1, 1, 0, 0, 0, 0, null], "T", "microseconds", "2021-01-01T00:00:00.000000"], [[2021, 6, 15, 13, 4, 5, 120, 330], "T", "auto", "2021-06-15T13:04:05.000120+05:30"], [[2021, 6, 15, 13, 4, 5, 120, 330], " ", "auto", "2021-06-15 13:04:05.000120+05:30"], [[2021, 6, 15, 13, 4, 5, 120, 330], "T", "hours", "2021-06-15T13+05:30"], [[2021, 6, 15, 13, 4, 5, 120, 330], "T", "minutes", "2021-06-15T13:04+05:30"], [[2021, 6, 15, 13, 4, 5, 120, 330], "T", "seconds", "2021-06-15T13:04:05+05:30"], [[2021, 6, 15, 13, 4, 5, 120, 330], "T", "milliseconds", "2021-06-15T13:04:05.000+05:30"], [[2021, 6, 15, 13, 4, 5, 120, 330], "T", "microseconds", "2021-06-15T13:04:05.000120+05:30"], [[5, 2, 3, 4, 5, 6, 7, -90], "T", "auto", "0005-02-03T04:05:06.000007-01:30"], [[5, 2, 3, 4, 5, 6, 7, -90], " ", "auto", "0005-02-03 04:05:06.000007-01:30"], [[5, 2, 3, 4, 5, 6, 7, -90], "T", "hours", "0005-02-03T04-01:30"], [[5, 2, 3, 4, 5, 6, 7, -90], "T", "minutes", "0005-02-03T04:05-01:30"], [[5, 2, 3, 4, 5, 6, 7, -90], "T", "seconds", "0005-02-03T04:05:06-01:30"], [[5, 2, 3, 4, 5, 6, 7, -90], "T", "milliseconds", "0005-02-03T04:05:06.000-01:30"], [[5, 2, 3, 4, 5, 6, 7, -90], "T", "microseconds", "0005-02-03T04:05:06.000007-01:30"], [[2021, 1, 1, 0, 0, 0, 500000, 0], "T", "auto", "2021-01-01T00:00:00.500000+00:00"], [[2021, 1, 1, 0, 0, 0, 500000, 0], " ", "auto", "2021-01-01 00:00:00.500000+00:00"], [[2021, 1, 1, 0, 0, 0, 500000, 0], "T", "hours", "2021-01-01T00+00:00"], [[2021, 1, 1, 0, 0, 0, 500000, 0], "T", "minutes", "2021-01-01T00:00+00:00"], [[2021, 1, 1, 0, 0, 0, 500000, 0], "T", "seconds", "2021-01-01T00:00:00+00:00"], [[2021, 1, 1, 0, 0, 0, 500000, 0], "T", "milliseconds", "2021-01-01T00:00:00.500+00:00"], [[2021, 1, 1, 0, 0, 0, 500000, 0], "T", "microseconds", "2021-01-01T00:00:00.500000+00:00"]] ;
const STR_CASES: Array<[Fields, string]> =  [[[2021, 1, 1, 0, 0, 0, 0, 0], "2021-01-01 00:00:00+00:00"], [[2021, 1, 1, 0, 0, 0, 0, null], "2021-01-01 00:00:00"], [[2021, 6, 15, 13, 4, 5, 120, 330], "2021-06-15 13:04:05.000120+05:30"], [[2021, 12, 31, 23, 59, 59, 999999, -720], "2021-12-31 23:59:59.999999-12:00"]] ;
const PLUS_CASES: Array<[Fields, DurationFields, number[]]> =  [[[2021, 1, 31, 0, 0, 0, 0, 0], {"days": 1}, [2021, 2, 1, 0, 0, 0, 0]], [[2021, 1, 31, 0, 0, 0, 0, 0], {"hours": -1}, [2021, 1, 30, 23, 0, 0, 0]], [[2021, 1, 31, 0, 0, 0, 0, 0], {"seconds": 0.5}, [2021, 1, 31, 0, 0, 0, 500000]], [[2021, 1, 31, 0, 0, 0, 0, 0], {"microseconds": 1}, [2021, 1, 31, 0, 0, 0, 1]], [[2021, 1, 31, 0, 0, 0, 0, 0], {"weeks": 2, "hours": 3}, [2021, 2, 14, 3, 0, 0, 0]], [[2021, 1, 31, 0, 0, 0, 0, 0], {"days": -366}, [2020, 1, 31, 0, 0, 0, 0]], [[2021, 1, 31, 0, 0, 0, 0, 0], {"minutes": 1500}, [2021, 2, 1, 1, 0, 0, 0]], [[2021, 1, 31, 0, 0, 0, 0, 0], {"days": 1.5}, [2021, 2, 1, 12, 0, 0, 0]], [[2020, 2, 29, 23, 59, 59, 999999, null], {"days": 1}, [2020, 3, 1, 23, 59, 59, 999999]], [[2020, 2, 29, 23, 59, 59, 999999, null], {"hours": -1}, [2020, 2, 29, 22, 59, 59, 999999]], [[2020, 2, 29, 23, 59, 59, 999999, null], {"seconds": 0.5}, [2020, 3, 1, 0, 0, 0, 499999]], [[2020, 2, 29, 23, 59, 59, 999999, null], {"microseconds": 1}, [2020, 3, 1, 0, 0, 0, 0]], [[2020, 2, 29, 23, 59, 59, 999999, null], {"weeks": 2, "hours": 3}, [2020, 3, 15, 2, 59, 59, 999999]], [[2020, 2, 29, 23, 59, 59, 999999, null], {"days": -366}, [2019, 2, 28, 23, 59, 59, 999999]], [[2020, 2, 29, 23, 59, 59, 999999, null], {"minutes": 1500}, [2020, 3, 2, 0, 59, 59, 999999]], [[2020, 2, 29, 23, 59, 59, 999999, null], {"days": 1.5}, [2020, 3, 2, 11, 59, 59, 999999]], [[2021, 12, 31, 12, 0, 0, 0, 120], {"days": 1}, [2022, 1, 1, 12, 0, 0, 0]], [[2021, 12, 31, 12, 0, 0, 0, 120], {"hours": -1}, [2021, 12, 31, 11, 0, 0, 0]], [[2021, 12, 31, 12, 0, 0, 0, 120], {"seconds": 0.5}, [2021, 12, 31, 12, 0, 0, 500000]], [[2021, 12, 31, 12, 0, 0, 0, 120], {"microseconds": 1}, [2021, 12, 31, 12, 0, 0, 1]], [[2021, 12, 31, 12, 0, 0, 0, 120], {"weeks": 2, "hours": 3}, [2022, 1, 14, 15, 0, 0, 0]], [[2021, 12, 31, 12, 0, 0, 0, 120], {"days": -366}, [2020, 12, 30, 12, 0, 0, 0]], [[2021, 12, 31, 12, 0, 0, 0, 120], {"minutes": 1500}, [2022, 1, 1, 13, 0, 0, 0]], [[2021, 12, 31, 12, 0, 0, 0, 120], {"days": 1.5}, [2022, 1, 2, 0, 0, 0, 0]]] ;
const DIFF_CASES: Array<[Fields, Fields, string, number, number, number, number]> =  [[[2021, 1, 2, 0, 0, 0, 0, 0], [2021, 1, 1, 0, 0, 0, 0, 0], "1 day, 0:00:00", 86400.0, 1, 0, 0], [[2021, 1, 1, 0, 0, 0, 0, 0], [2021, 1, 2, 0, 0, 0, 0, 0], "-1 day, 0:00:00", -86400.0, -1, 0, 0], [[2021, 1, 1, 0, 0, 0, 0, 60], [2021, 1, 1, 0, 0, 0, 0, 0], "-1 day, 23:00:00", -3600.0, -1, 82800, 0], [[2021, 1, 1, 10, 0, 0, 1, null], [2020, 1, 1, 0, 0, 0, 0, null], "366 days, 10:00:00.000001", 31658400.000001, 366, 36000, 1], [[2021, 3, 1, 0, 0, 0, 0, -300], [2021, 2, 28, 20, 0, 0, 0, 0], "9:00:00", 32400.0, 0, 32400, 0]] ;
const TIMESTAMP_CASES: Array<[Fields, number]> =  [[[2021, 1, 1, 0, 0, 0, 0, 0], 1609459200.0], [[1969, 12, 31, 23, 59, 59, 500000, 0], -0.5], [[2021, 1, 1, 0, 0, 0, 123456, 330], 1609439400.123456], [[2262, 4, 11, 23, 47, 16, 854775, 0], 9223372036.854774], [[1, 1, 1, 0, 0, 0, 0, 0], -62135596800.0]] ;
const FROM_TIMESTAMP_CASES: Array<[number, string]> =  [[0, "1970-01-01T00:00:00+00:00"], [1600000000, "2020-09-13T12:26:40+00:00"], [1600000000.5, "2020-09-13T12:26:40.500000+00:00"], [-1.5, "1969-12-31T23:59:58.500000+00:00"], [1.0000005, "1970-01-01T00:00:01.000001+00:00"], [1.0000015, "1970-01-01T00:00:01.000001+00:00"], [-5e-07, "1970-01-01T00:00:00+00:00"], [1609459200.999999, "2021-01-01T00:00:00.999999+00:00"], [253402300799, "9999-12-31T23:59:59+00:00"]] ;
const ASTIMEZONE_CASES: Array<[Fields, number, string]> =  [[[2021, 1, 1, 0, 0, 0, 0, 0], -300, "2020-12-31T19:00:00-05:00"], [[2021, 1, 1, 23, 30, 0, 0, 0], 60, "2021-01-02T00:30:00+01:00"], [[2021, 1, 1, 0, 0, 0, 0, 330], 0, "2020-12-31T18:30:00+00:00"], [[2021, 1, 1, 0, 0, 0, 0, null], 0, "2021-01-01T00:00:00+00:00"]] ;
const WEEKDAY_CASES: Array<[number[], number, number, number[]]> =  [[[2021, 1, 1], 4, 5, [2020, 53, 5]], [[2021, 1, 3], 6, 7, [2020, 53, 7]], [[2024, 2, 29], 3, 4, [2024, 9, 4]], [[1, 1, 1], 0, 1, [1, 1, 1]], [[9999, 12, 31], 4, 5, [9999, 52, 5]], [[2020, 12, 31], 3, 4, [2020, 53, 4]], [[2021, 1, 4], 0, 1, [2021, 1, 1]]] ;

describe('DateTime.isoformat / str()', () => {
  it.each(ISOFORMAT_CASES)('%j sep=%s timespec=%s', (f, sep, timespec, expected) => {
    expect(make(f).isoformat(sep, timespec)).toBe(expected);
  });
  it.each(STR_CASES)('str(%j)', (f, expected) => {
    expect(make(f).toString()).toBe(expected);
    expect(String(make(f))).toBe(expected);
  });
});

describe('DateTime + timedelta', () => {
  it.each(PLUS_CASES)('%j + %j', (f, delta, expected) => {
    const result = make(f).plus(Duration.of(delta));
    expect(fieldsOf(result)).toEqual(expected);
    expect(result.offsetMinutes).toBe(f[7]);
    expect(fieldsOf(result.minus(Duration.of(delta)))).toEqual(f.slice(0, 7));
  });
});

describe('DateTime - DateTime', () => {
  it.each(DIFF_CASES)('%j - %j', (a, b, text, totalSeconds, days, seconds, micros) => {
    const delta = make(a).diff(make(b));
    expect(delta.toString()).toBe(text);
    expect(delta.total_seconds()).toBe(totalSeconds);
    expect([delta.days, delta.seconds, delta.microseconds]).toEqual([days, seconds, micros]);
  });
  it('refuses to mix naive and aware values', () => {
    expect(() => DateTime.of(2021, 1, 1).diff(DateTime.of(2021, 1, 1, 0, 0, 0, 0, null))).toThrow(
      "can't subtract offset-naive and offset-aware datetimes",
    );
  });
});

describe('timestamps', () => {
  it.each(TIMESTAMP_CASES)('%j.timestamp()', (f, expected) => {
    expect(make(f).timestamp()).toBe(expected);
  });
  it.each(FROM_TIMESTAMP_CASES)('fromtimestamp(%s)', (seconds, expected) => {
    expect(DateTime.fromEpochSeconds(seconds).isoformat()).toBe(expected);
  });
  it('fromEpochMicros keeps microseconds and applies the offset', () => {
    expect(DateTime.fromEpochMicros(1_600_000_000_123_456).isoformat()).toBe('2020-09-13T12:26:40.123456+00:00');
    expect(DateTime.fromEpochMicros(0, 120).isoformat()).toBe('1970-01-01T02:00:00+02:00');
    expect(DateTime.fromEpochMicros(-1).isoformat()).toBe('1969-12-31T23:59:59.999999+00:00');
    expect(DateTime.fromEpochMicros(0, null).isoformat()).toBe('1970-01-01T00:00:00');
  });
  it('epochMicros round-trips', () => {
    const dt = DateTime.of(2021, 5, 6, 7, 8, 9, 101112, -420);
    expect(DateTime.fromEpochMicros(dt.epochMicros, -420).equals(dt)).toBe(true);
    expect(dt.epochMicros).toBe(1620310089101112);
  });
  it('now() reads the injected clock', () => {
    expect(DateTime.now(() => 1_600_000_000_123).isoformat()).toBe('2020-09-13T12:26:40.123000+00:00');
    expect(DateTime.now(() => 0, null).toString()).toBe('1970-01-01 00:00:00');
  });
});

describe('astimezone', () => {
  it.each(ASTIMEZONE_CASES)('%j.astimezone(%s)', (f, offset, expected) => {
    expect(make(f).astimezone(offset).isoformat()).toBe(expected);
  });
});

describe('weekday / isoweekday / isocalendar', () => {
  it.each(WEEKDAY_CASES)('%j', ([y, m, d], weekday, isoweekday, isocalendar) => {
    const dt = DateTime.of(y!, m!, d!);
    expect(dt.weekday()).toBe(weekday);
    expect(dt.isoweekday()).toBe(isoweekday);
    expect(dt.isocalendar()).toEqual(isocalendar);
    expect(dt.date().weekday()).toBe(weekday);
  });
});

describe('calendar durations (isodate)', () => {
  it.each([
    ['2021-01-31', 'P1M', '2021-02-28'],
    ['2020-01-31', 'P1M', '2020-02-29'],
    ['2021-03-31', '-P1M', '2021-02-28'],
    ['2020-02-29', 'P1Y', '2021-02-28'],
    ['2021-12-15', 'P1M', '2022-01-15'],
    ['2021-01-15', 'P13M', '2022-02-15'],
    ['2021-01-31', 'P1M1D', '2021-03-01'],
    ['2021-01-01', '-P1Y2M', '2019-11-01'],
    ['2021-05-31', 'P1MT1H', '2021-06-30'],
  ])('%s + %s', (start, iso, expected) => {
    const [y, m, d] = start.split('-').map(Number) as [number, number, number];
    expect(DateTime.of(y, m, d).plus(parseDuration(iso)).date().isoformat()).toBe(expected);
  });
  it('subtracting a month works like adding its negation', () => {
    expect(DateTime.of(2021, 3, 31, 10).minus(parseDuration('P1M')).toString()).toBe('2021-02-28 10:00:00+00:00');
  });
  it('rejects fractional months in arithmetic', () => {
    expect(() => DateTime.of(2021, 1, 1).plus(parseDuration('P1.5M'))).toThrow('fractional years or months');
  });
});

describe('comparison and equality', () => {
  const a = DateTime.of(2021, 1, 1, 12);
  const sameInstant = DateTime.of(2021, 1, 1, 14, 0, 0, 0, 120);
  it('compares instants across offsets', () => {
    expect(a.compare(sameInstant)).toBe(0);
    expect(a.equals(sameInstant)).toBe(true);
    expect(a.compare(a.plus(Duration.of({ microseconds: 1 })))).toBe(-1);
    expect(a.plus(Duration.of({ days: 1 })).compare(a)).toBe(1);
    expect(a.isBefore(a.plus(Duration.RESOLUTION))).toBe(true);
  });
  it('throws TypeError comparing naive with aware, but == is just false', () => {
    const naive = a.replace({ offsetMinutes: null });
    expect(() => a.compare(naive)).toThrow(TypeError);
    expect(() => a.compare(naive)).toThrow("can't compare offset-naive and offset-aware datetimes");
    expect(a.equals(naive)).toBe(false);
    expect(a.equals('2021-01-01')).toBe(false);
    expect(a.equals(a.date())).toBe(false);
  });
  it('isDateTime', () => {
    expect(isDateTime(a)).toBe(true);
    expect(isDateTime(a.date())).toBe(false);
  });
});

describe('replace / construction errors', () => {
  it('replaces fields and the zone without converting', () => {
    const dt = DateTime.of(2021, 1, 31, 10, 0, 0, 0, 60);
    expect(dt.replace({ day: 1, hour: 3 }).isoformat()).toBe('2021-01-01T03:00:00+01:00');
    expect(dt.replace({ offsetMinutes: null }).isoformat()).toBe('2021-01-31T10:00:00');
    expect(dt.replace({ offsetMinutes: 0 }).tzname()).toBe('UTC');
    expect(dt.tzname()).toBe('UTC+01:00');
    expect(dt.utcoffset()?.toString()).toBe('1:00:00');
    expect(dt.replace({ offsetMinutes: null }).utcoffset()).toBeNull();
  });
  it.each([
    [() => DateTime.of(2021, 2, 29), 'day is out of range for month'],
    [() => DateTime.of(2021, 13, 1), 'month must be in 1..12'],
    [() => DateTime.of(0, 1, 1), 'year 0 is out of range'],
    [() => DateTime.of(2021, 1, 1, 24), 'hour must be in 0..23'],
    [() => DateTime.of(2021, 1, 1, 0, 60), 'minute must be in 0..59'],
    [() => DateTime.of(2021, 1, 1, 0, 0, 60), 'second must be in 0..59'],
    [() => DateTime.of(2021, 1, 1, 0, 0, 0, 1_000_000), 'microsecond must be in 0..999999'],
    [() => DateTime.of(2021, 1, 1, 0, 0, 0, 0, 1440), 'offset must be a timedelta strictly between'],
    [() => DateTime.of(2021, 1, 31).replace({ month: 2 }), 'day is out of range for month'],
  ])('%#', (build, message) => {
    expect(build).toThrow(DateTimeValueError);
    expect(build).toThrow(message);
  });
  it('raises OverflowError outside years 1..9999 (as cursors stepping by timedelta.max expect)', () => {
    expect(() => DateTime.of(2021, 1, 1).plus(Duration.MAX)).toThrow(DateTimeOverflowError);
    expect(() => DateTime.of(9999, 12, 31, 23, 59, 59, 999999).plus(Duration.RESOLUTION)).toThrow('date value out of range');
    expect(() => DateTime.of(1, 1, 1).minus(Duration.of({ days: 1 }))).toThrow(DateTimeOverflowError);
  });
});
