import { describe, expect, it } from 'vitest';
import { DateTime, Duration, PyDate, isPyDate } from './index.js';

describe('PyDate', () => {
  it('prints like Python date', () => {
    expect(PyDate.of(2021, 7, 4).toString()).toBe('2021-07-04');
    expect(PyDate.of(5, 1, 2).isoformat()).toBe('0005-01-02');
    expect(JSON.stringify({ d: PyDate.of(2021, 7, 4) })).toBe('{"d":"2021-07-04"}');
  });
  it('today() follows the clock and the UTC offset', () => {
    const clock = (): number => Date.UTC(2024, 0, 31, 23, 30);
    expect(PyDate.today(clock).isoformat()).toBe('2024-01-31');
    expect(PyDate.today(clock, 60).isoformat()).toBe('2024-02-01');
  });
  it('date - date and ordering', () => {
    const a = PyDate.of(2021, 3, 1);
    const b = PyDate.of(2020, 3, 1);
    expect(a.diff(b).toString()).toBe('365 days, 0:00:00');
    expect(b.diff(a).toString()).toBe('-365 days, 0:00:00');
    expect(a.compare(b)).toBe(1);
    expect(b.compare(a)).toBe(-1);
    expect(a.compare(PyDate.of(2021, 3, 1))).toBe(0);
    expect(a.equals(PyDate.of(2021, 3, 1))).toBe(true);
    expect(a.equals(a.toDateTime())).toBe(false);
  });
  it('refuses to order against a datetime', () => {
    const date = PyDate.of(2021, 3, 1);
    expect(() => date.compare(DateTime.of(2021, 3, 1) as unknown as PyDate)).toThrow(
      "can't compare datetime.date to datetime.datetime",
    );
  });
  it('converts to midnight datetimes', () => {
    expect(PyDate.of(2021, 3, 1).toDateTime().toString()).toBe('2021-03-01 00:00:00');
    expect(PyDate.of(2021, 3, 1).toDateTime(0).toString()).toBe('2021-03-01 00:00:00+00:00');
    expect(DateTime.combine(PyDate.of(2021, 3, 1), 12, 30).isoformat()).toBe('2021-03-01T12:30:00');
  });
  it('replace, weekday and errors', () => {
    expect(PyDate.of(2021, 3, 31).replace({ month: 4, day: 30 }).isoformat()).toBe('2021-04-30');
    expect(() => PyDate.of(2021, 3, 31).replace({ month: 4 })).toThrow('day is out of range for month');
    expect(PyDate.of(2021, 3, 1).isoweekday()).toBe(1);
    expect(PyDate.of(2021, 1, 3).isocalendar()).toEqual([2020, 53, 7]);
    expect(() => PyDate.of(9999, 12, 31).plus(Duration.of({ days: 1 }))).toThrow('date value out of range');
    expect(isPyDate(PyDate.of(2021, 3, 1))).toBe(true);
    expect(isPyDate(DateTime.of(2021, 3, 1))).toBe(false);
  });
});
