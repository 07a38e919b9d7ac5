import { describe, expect, it } from 'vitest';
import {
  floorMod,
  fromOrdinal,
  isoCalendar,
  parsePythonFloat,
  parsePythonInt,
  pythonFloatRepr,
  roundHalfEven,
  toOrdinal,
  weekdayOfOrdinal,
} from './civil.js';

describe('ordinals', () => {
  it('match Python for known dates', () => {
    expect(toOrdinal(1, 1, 1)).toBe(1);
    expect(toOrdinal(1970, 1, 1)).toBe(719163);
    expect(toOrdinal(2000, 2, 29)).toBe(730179);
    expect(toOrdinal(9999, 12, 31)).toBe(3652059);
  });
  it('round-trip every 97th day across the whole range, agreeing with the JS calendar', () => {
    for (let ordinal = 1; ordinal <= 3_652_059; ordinal += 97) {
      const { year, month, day } = fromOrdinal(ordinal);
      expect(toOrdinal(year, month, day)).toBe(ordinal);
      const js = new Date(Date.UTC(2000, 0, 1) + (ordinal - 730120) * 86_400_000);
      if (year >= 100) expect([js.getUTCFullYear(), js.getUTCMonth() + 1, js.getUTCDate()]).toEqual([year, month, day]);
      expect(weekdayOfOrdinal(ordinal)).toBe((js.getUTCDay() + 6) % 7);
    }
  });
  it('handles year ends in leap and century years', () => {
    expect(fromOrdinal(toOrdinal(2000, 12, 31))).toEqual({ year: 2000, month: 12, day: 31 });
    expect(fromOrdinal(toOrdinal(2004, 12, 31))).toEqual({ year: 2004, month: 12, day: 31 });
    expect(fromOrdinal(toOrdinal(1900, 3, 1))).toEqual({ year: 1900, month: 3, day: 1 });
  });
  it('computes ISO weeks like date.isocalendar()', () => {
    expect(isoCalendar(toOrdinal(2021, 1, 3), 2021)).toEqual({ isoYear: 2020, week: 53, weekday: 7 });
    expect(isoCalendar(toOrdinal(2024, 12, 30), 2024)).toEqual({ isoYear: 2025, week: 1, weekday: 1 });
    expect(isoCalendar(toOrdinal(2021, 6, 15), 2021)).toEqual({ isoYear: 2021, week: 24, weekday: 2 });
  });
});

describe('Python numeric helpers', () => {
  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [-0.5, 0],
    [-1.5, -2],
    [2.4999, 2],
    [2.5001, 3],
  ])('round(%s) = %s', (x, expected) => {
    expect(roundHalfEven(x)).toBe(expected);
  });
  it('floorMod has the sign of the divisor', () => {
    expect(floorMod(-1, 7)).toBe(6);
    expect(floorMod(7, 7)).toBe(0);
    expect(floorMod(1, -7)).toBe(-6);
  });
  // repr() values from CPython 3.11.
  it.each([
    [0.0, '0.0'],
    [1.5, '1.5'],
    [1600000000.0, '1600000000.0'],
    [1600000000.123456, '1600000000.123456'],
    [1e16, '1e+16'],
    [1.5e-5, '1.5e-05'],
    [0.0001, '0.0001'],
    [-2.5, '-2.5'],
    [123456789012345.6, '123456789012345.6'],
    [1e22, '1e+22'],
    [-1e-7, '-1e-07'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1 / 3, '0.3333333333333333'],
    [9007199254740992.0, '9007199254740992.0'],
    [1234567890123456.8, '1234567890123456.8'],
    [Infinity, 'inf'],
    [NaN, 'nan'],
  ])('repr(%s) = %s', (x, expected) => {
    expect(pythonFloatRepr(x)).toBe(expected);
  });
  it.each([
    ['42', 42],
    [' -7 ', -7],
    ['+3', 3],
    ['1_000', 1000],
  ])('int(%j) = %s', (text, expected) => {
    expect(parsePythonInt(text)).toBe(expected);
  });
  it.each(['', '1.5', '1__0', '_1', '0x10', 'abc'])('int(%j) fails', (text) => {
    expect(() => parsePythonInt(text)).toThrow(`invalid literal for int() with base 10: '${text}'`);
  });
  it.each([
    ['1.5', 1.5],
    [' 1e3 ', 1000],
    ['.5', 0.5],
    ['5.', 5],
    ['-inf', -Infinity],
  ])('float(%j) = %s', (text, expected) => {
    expect(parsePythonFloat(text)).toBe(expected);
  });
  it('float() rejects garbage', () => {
    expect(() => parsePythonFloat('1.5x')).toThrow("could not convert string to float: '1.5x'");
  });
});
