import { describe, expect, it } from 'vitest';
import { nextRun, parseCron, validateCron } from './cron.js';

const utc = (text: string) => new Date(`${text}Z`);
const next = (expression: string, after: string) => nextRun(expression, utc(after)).toISOString().replace('.000Z', '');

describe('nextRun', () => {
  it.each([
    // expression, after, expected (all UTC)
    ['* * * * *', '2024-03-10T01:59:30', '2024-03-10T02:00:00'],
    ['* * * * *', '2024-03-10T02:00:00', '2024-03-10T02:01:00'],
    ['0 * * * *', '2024-03-10T01:00:00', '2024-03-10T02:00:00'],
    ['*/15 * * * *', '2024-01-01T10:07:00', '2024-01-01T10:15:00'],
    ['*/15 * * * *', '2024-01-01T10:45:00', '2024-01-01T11:00:00'],
    ['10-40/10 * * * *', '2024-01-01T10:40:00', '2024-01-01T11:10:00'],
    ['5/20 * * * *', '2024-01-01T10:26:00', '2024-01-01T10:45:00'],
    ['0 9,17 * * *', '2024-01-01T09:00:00', '2024-01-01T17:00:00'],
    // US and EU DST switch days: UTC has no gap and no repeat.
    ['30 2 * * *', '2024-03-10T00:00:00', '2024-03-10T02:30:00'],
    ['30 1 * * *', '2024-10-27T01:30:00', '2024-10-28T01:30:00'],
    // Month ends and leap days.
    ['0 0 31 * *', '2024-04-01T00:00:00', '2024-05-31T00:00:00'],
    ['0 0 1 * *', '2024-12-31T23:59:00', '2025-01-01T00:00:00'],
    ['0 0 29 2 *', '2024-03-01T00:00:00', '2028-02-29T00:00:00'],
    ['0 12 29 FEB *', '2023-06-01T00:00:00', '2024-02-29T12:00:00'],
    ['0 0 30 * *', '2024-02-01T00:00:00', '2024-03-30T00:00:00'],
    // Names and Sunday as 0 or 7.
    ['0 6 * * MON-FRI', '2024-01-05T07:00:00', '2024-01-08T06:00:00'],
    ['0 0 * * 7', '2024-01-01T00:00:00', '2024-01-07T00:00:00'],
    ['0 0 * * sun', '2024-01-01T00:00:00', '2024-01-07T00:00:00'],
    ['0 0 1 jan-mar *', '2024-03-02T00:00:00', '2025-01-01T00:00:00'],
    // Vixie's rule: both day fields restricted → either; one starred → the other alone.
    ['0 0 13 * FRI', '2024-01-01T00:00:00', '2024-01-05T00:00:00'],
    ['0 0 13 * FRI', '2024-01-06T00:00:00', '2024-01-12T00:00:00'],
    ['0 0 13 * FRI', '2024-01-12T00:00:00', '2024-01-13T00:00:00'],
    ['0 0 * * FRI', '2024-01-06T00:00:00', '2024-01-12T00:00:00'],
    ['0 0 13 * *', '2024-01-06T00:00:00', '2024-01-13T00:00:00'],
    // Vixie's quirk: '*/2' starts with '*', so it counts as starred and both must match (odd Monday).
    ['0 0 */2 * MON', '2024-01-02T00:00:00', '2024-01-15T00:00:00'],
    ['0 0 1-31/2 * MON', '2024-01-02T00:00:00', '2024-01-03T00:00:00'],
  ])('%s after %s is %s', (expression, after, expected) => {
    expect(next(expression, after)).toBe(expected);
  });

  it('is strictly after the given time, at whole minutes', () => {
    expect(next('* * * * *', '2024-01-01T00:00:00.001')).toBe('2024-01-01T00:01:00');
  });
});

describe('parseCron', () => {
  it('folds day-of-week 7 into Sunday and expands steps', () => {
    const parsed = parseCron('*/20 0-23/12 1,15 * 5-7');
    expect([...parsed.minutes]).toEqual([0, 20, 40]);
    expect([...parsed.hours]).toEqual([0, 12]);
    expect([...parsed.daysOfWeek].sort()).toEqual([0, 5, 6]);
    expect(parsed.dayOfMonthStar).toBe(false);
  });

  it.each([
    ['61 * * * *', /minute field '61' is out of range 0-59/],
    ['* 24 * * *', /hour field '24' is out of range 0-23/],
    ['* * 0 * *', /day-of-month field '0' is out of range 1-31/],
    ['* * * 13 *', /month field '13' is out of range 1-12/],
    ['* * * * 8', /day-of-week field '8' is out of range 0-7/],
    ['* * * FOO *', /month field 'FOO' is not a number or a name JAN-DEC/],
    ['* * * * MON-FOO', /day-of-week field 'FOO' is not a number/],
    ['*/0 * * * *', /minute field '\*\/0' has step '0'/],
    ['5-1 * * * *', /minute field '5-1' is a range from 5 down to 1/],
    ['1,,2 * * * *', /minute field '' is not a value/],
    ['* * * *', /is not a cron expression: it has 4 field\(s\)/],
    ['0 * * * * *', /it has 6 field\(s\)/],
    ['hourly', /not a cron expression/],
  ])('rejects %s naming the field', (expression, message) => {
    expect(() => parseCron(expression)).toThrow(message);
  });
});

describe('validateCron', () => {
  it('normalizes spaces and rejects expressions that never match', () => {
    expect(validateCron('  0   * * * * ')).toBe('0 * * * *');
    expect(() => validateCron('0 0 30 2 *')).toThrow(/never matches a date/);
    expect(() => validateCron('0 0 31 4,6,9,11 *')).toThrow(/never matches/);
    expect(validateCron('0 0 31 4,5 *')).toBe('0 0 31 4,5 *');
  });
});
