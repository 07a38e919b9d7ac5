import { describe, expect, it } from 'vitest';
import { DateTime, Duration, PyDate, isDuration, parseDuration } from './index.js';
import type { DurationFields } from './index.js';

// timedelta expectations come from CPython 3.11; isodate ones follow isodate's
// parse_duration and Duration.__str__ ("%d years", "%d month(s)").
const TIMEDELTA_CASES: Array<[DurationFields, string, number, number, number, number]> =  [[{"days": 1, "hours": 2, "minutes": 3, "seconds": 4}, "1 day, 2:03:04", 1, 7384, 0, 93784.0], [{"seconds": -1}, "-1 day, 23:59:59", -1, 86399, 0, -1.0], [{"seconds": 0.5}, "0:00:00.500000", 0, 0, 500000, 0.5], [{}, "0:00:00", 0, 0, 0, 0.0], [{"days": -1}, "-1 day, 0:00:00", -1, 0, 0, -86400.0], [{"days": 2}, "2 days, 0:00:00", 2, 0, 0, 172800.0], [{"weeks": 1, "microseconds": -1}, "6 days, 23:59:59.999999", 6, 86399, 999999, 604799.999999], [{"hours": -25}, "-2 days, 23:00:00", -2, 82800, 0, -90000.0], [{"milliseconds": 1.5}, "0:00:00.001500", 0, 0, 1500, 0.0015], [{"microseconds": 0.5}, "0:00:00", 0, 0, 0, 0.0], [{"microseconds": 1.5}, "0:00:00.000002", 0, 0, 2, 2e-06], [{"microseconds": 2.5}, "0:00:00.000002", 0, 0, 2, 2e-06], [{"days": 1.1}, "1 day, 2:24:00", 1, 8640, 0, 95040.0], [{"minutes": -0.5}, "-1 day, 23:59:30", -1, 86370, 0, -30.0], [{"days": 999999999, "hours": 23, "minutes": 59, "seconds": 59, "microseconds": 999999}, "999999999 days, 23:59:59.999999", 999999999, 86399, 999999, 86400000000000.0], [{"days": -999999999}, "-999999999 days, 0:00:00", -999999999, 0, 0, -86399999913600.0]] ;
const OPS =  {"plus": "-1 day, 18:00:05.000007", "minus": "2 days, 6:00:04.999993", "negate": "-2 days, 23:59:55", "times3": "3 days, 0:00:15", "times-0.5": "14:59:59.999996", "abs": "1 day, 5:59:59.999993"} ;

describe('Duration.of normalises like timedelta', () => {
  it.each(TIMEDELTA_CASES)('timedelta(**%j)', (fields, text, days, seconds, micros, totalSeconds) => {
    const d = Duration.of(fields);
    expect(d.toString()).toBe(text);
    expect([d.days, d.seconds, d.microseconds]).toEqual([days, seconds, micros]);
    expect(d.total_seconds()).toBe(totalSeconds);
  });
  it('MAX, MIN and RESOLUTION', () => {
    expect(Duration.MAX.toString()).toBe('999999999 days, 23:59:59.999999');
    expect(Duration.MIN.toString()).toBe('-999999999 days, 0:00:00');
    expect(Duration.RESOLUTION.toString()).toBe('0:00:00.000001');
    expect(() => Duration.MAX.plus(Duration.RESOLUTION)).toThrow('must have magnitude <= 999999999');
  });
  it('repr() like Python', () => {
    expect(Duration.of({ seconds: -1 }).repr()).toBe('datetime.timedelta(days=-1, seconds=86399)');
    expect(Duration.ZERO.repr()).toBe('datetime.timedelta(0)');
    expect(Duration.of({ microseconds: 5 }).repr()).toBe('datetime.timedelta(microseconds=5)');
  });
  it('keeps integer parts exact for huge mixed-float inputs (CPython accumulates them as ints)', () => {
    // timedelta(weeks=-123683, hours=-964596, microseconds=319.3361615528461)
    expect(Duration.of({ weeks: -123683, hours: -964596, microseconds: 319.3361615528461 }).toString()).toBe(
      '-905973 days, 12:00:00.000319',
    );
    // timedelta(days=1) * 0.1 and timedelta(microseconds=3) * 0.5 round exactly, ties to even
    expect(Duration.of({ days: 1 }).times(0.1).toString()).toBe('2:24:00');
    expect(Duration.of({ microseconds: 3 }).times(0.5).toString()).toBe('0:00:00.000002');
    expect(Duration.of({ microseconds: 5 }).times(0.5).toString()).toBe('0:00:00.000002');
  });
  it('totalMicros', () => {
    expect(Duration.of({ days: -1, seconds: 1 }).totalMicros).toBe(-86_399_000_000);
    expect(Duration.fromMicros(1_500_000).toString()).toBe('0:00:01.500000');
  });
});

describe('Duration arithmetic', () => {
  const a = Duration.of({ days: 1, seconds: 5 });
  const b = Duration.of({ hours: -30, microseconds: 7 });
  it.each([
    ['plus', () => a.plus(b), OPS.plus],
    ['minus', () => a.minus(b), OPS.minus],
    ['negate', () => a.negate(), OPS.negate],
    ['times3', () => a.times(3), OPS.times3],
    ['times-0.5', () => b.times(-0.5), OPS['times-0.5']],
    ['abs', () => b.abs(), OPS.abs],
  ])('%s', (_name, compute, expected) => {
    expect(compute().toString()).toBe(expected);
  });
  it('compares by length', () => {
    expect(a.compare(b)).toBe(1);
    expect(b.compare(a)).toBe(-1);
    expect(a.compare(Duration.of({ seconds: 86_405 }))).toBe(0);
    expect(a.equals(Duration.of({ seconds: 86_405 }))).toBe(true);
    expect(Duration.of({ hours: 1 }).dividedBy(Duration.of({ minutes: 15 }))).toBe(4);
  });
  it('calendar durations: equality by month count, no ordering', () => {
    expect(parseDuration('P1Y').equals(parseDuration('P12M'))).toBe(true);
    expect(parseDuration('P1M').equals(parseDuration('P30D'))).toBe(false);
    expect(() => parseDuration('P1M').compare(parseDuration('P1D'))).toThrow(TypeError);
    expect(parseDuration('P1M').times(2).toString()).toBe('2 months, 0:00:00');
    expect(parseDuration('P1MT1H').total_seconds()).toBe(3600);
    expect(isDuration(parseDuration('P1M'))).toBe(true);
    expect(isDuration('P1M')).toBe(false);
  });
});

describe('parseDuration (isodate.parse_duration)', () => {
  it.each([
    ['P1D', '1 day, 0:00:00', 0, 0],
    ['PT1H', '1:00:00', 0, 0],
    ['P1W', '7 days, 0:00:00', 0, 0],
    ['P1M', '1 month, 0:00:00', 1, 0],
    ['P1Y', '1 years, 0:00:00', 0, 1],
    ['P1DT12H', '1 day, 12:00:00', 0, 0],
    ['PT0.5S', '0:00:00.500000', 0, 0],
    ['-P1D', '-1 day, 0:00:00', 0, 0],
    ['+P1D', '1 day, 0:00:00', 0, 0],
    ['PT36H', '1 day, 12:00:00', 0, 0],
    ['P2Y3M4DT5H6M7.5S', '2 years, 3 months, 4 days, 5:06:07.500000', 3, 2],
    ['PT1,5H', '1:30:00', 0, 0],
    ['-PT1M', '-1 day, 23:59:00', 0, 0],
    ['-P1M', '-1 month, 0:00:00', -1, 0],
    ['P1.5Y', '1 years, 0:00:00', 0, 1.5],
    ['PT', '0:00:00', 0, 0],
    ['P0D', '0:00:00', 0, 0],
    ['PT0.000001S', '0:00:00.000001', 0, 0],
    ['P1D\n', '1 day, 0:00:00', 0, 0],
    ['PT86400S', '1 day, 0:00:00', 0, 0],
  ])('%j', (iso, text, months, years) => {
    const d = parseDuration(iso);
    expect(d.toString()).toBe(text);
    expect(d.months).toBe(months);
    expect(d.years).toBe(years);
  });
  it.each(['', 'P', '1D', 'p1d', 'P1H', 'PT1D', 'P-1D', 'P1D ', 'xyz', 'P1S', 'P1DT1H1D', 'PT1HM'])('rejects %j', (iso) => {
    expect(() => parseDuration(iso)).toThrow(`Unable to parse duration string '${iso}'`);
  });
});

describe('date arithmetic with durations', () => {
  it.each([
    ['P1D', '2021-03-01'],
    ['PT23H', '2021-02-28'],
    ['PT25H', '2021-03-01'],
    ['P1M', '2021-03-28'],
    ['-P1D', '2021-02-27'],
    ['-PT1H', '2021-02-27'],
  ])('date(2021, 2, 28) + %s', (iso, expected) => {
    expect(PyDate.of(2021, 2, 28).plus(parseDuration(iso)).isoformat()).toBe(expected);
  });
  it.each([
    ['P1D', '2021-02-27'],
    ['PT1H', '2021-02-28'],
    ['-PT1H', '2021-03-01'],
    ['P1M', '2021-01-28'],
    ['P1MT1H', '2021-01-28'],
  ])('date(2021, 2, 28) - %s', (iso, expected) => {
    expect(PyDate.of(2021, 2, 28).minus(parseDuration(iso)).isoformat()).toBe(expected);
  });
  it('datetime - P1D - PT1H', () => {
    const start = DateTime.of(2021, 1, 1);
    expect(start.minus(parseDuration('P1D')).minus(parseDuration('PT1H')).toString()).toBe('2020-12-30 23:00:00+00:00');
  });
});
