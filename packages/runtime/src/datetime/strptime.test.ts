import { describe, expect, it } from 'vitest';
import { DateTimeValueError, strptime } from './index.js';

// Expected values are CPython 3.11 datetime.strptime results (isoformat of the
// result, or the ValueError message).
const STRPTIME_CASES: Array<[string, string, string | null, string | null]> = [
  ["2021-01-01", "%Y-%m-%d", "2021-01-01T00:00:00", null],
  ["2021-1-1", "%Y-%m-%d", "2021-01-01T00:00:00", null],
  ["2021-01-01T10:20:30Z", "%Y-%m-%dT%H:%M:%SZ", "2021-01-01T10:20:30", null],
  ["2021-01-01T10:20:30.5Z", "%Y-%m-%dT%H:%M:%S.%fZ", "2021-01-01T10:20:30.500000", null],
  ["2021-01-01T10:20:30.123456789Z", "%Y-%m-%dT%H:%M:%S.%fZ", null, "time data '2021-01-01T10:20:30.123456789Z' does not match format '%Y-%m-%dT%H:%M:%S.%fZ'"],
  ["2021-01-01T10:20:30.000001+0000", "%Y-%m-%dT%H:%M:%S.%f%z", "2021-01-01T10:20:30.000001+00:00", null],
  ["2021-01-01T10:20:30+05:30", "%Y-%m-%dT%H:%M:%S%z", "2021-01-01T10:20:30+05:30", null],
  ["2021-01-01T10:20:30Z", "%Y-%m-%dT%H:%M:%S%z", "2021-01-01T10:20:30+00:00", null],
  ["2021-01-01T10:20:30-0800", "%Y-%m-%dT%H:%M:%S%z", "2021-01-01T10:20:30-08:00", null],
  ["2021-01-01T10:20:30+01:02:03", "%Y-%m-%dT%H:%M:%S%z", "2021-01-01T10:20:30+01:02:03", null],
  ["2021-01-01 10:20:30", "%Y-%m-%d %H:%M:%S", "2021-01-01T10:20:30", null],
  ["2021-01-01   10:20:30", "%Y-%m-%d %H:%M:%S", "2021-01-01T10:20:30", null],
  ["2021-01-01\t10:20:30", "%Y-%m-%d %H:%M:%S", "2021-01-01T10:20:30", null],
  ["20210102", "%Y%m%d", "2021-01-02T00:00:00", null],
  ["2021010215", "%Y%m%d%H", "2021-01-02T15:00:00", null],
  ["02/01/2021 10:05", "%d/%m/%Y %H:%M", "2021-01-02T10:05:00", null],
  ["03-04-2021", "%d-%m-%Y", "2021-04-03T00:00:00", null],
  ["2021-07", "%Y-%m", "2021-07-01T00:00:00", null],
  ["modified_on:gt:2021-01-01T00:00:00+0000", "modified_on:gt:%Y-%m-%dT%H:%M:%S%z", "2021-01-01T00:00:00+00:00", null],
  ["Tue, 05 Mar 2021 10:00:00 GMT", "%a, %d %b %Y %H:%M:%S %Z", "2021-03-05T10:00:00", null],
  ["tuesday 5 MARCH 21", "%A %d %B %y", "2021-03-05T00:00:00", null],
  ["69", "%y", "1969-01-01T00:00:00", null],
  ["68", "%y", "2068-01-01T00:00:00", null],
  ["12 AM", "%I %p", "1900-01-01T00:00:00", null],
  ["12 pm", "%I %p", "1900-01-01T12:00:00", null],
  ["3pm", "%I%p", "1900-01-01T15:00:00", null],
  ["11", "%I", "1900-01-01T11:00:00", null],
  ["2021 032", "%Y %j", "2021-02-01T00:00:00", null],
  ["2021 10 3", "%Y %U %w", "2021-03-10T00:00:00", null],
  ["2021 10 3", "%Y %W %w", "2021-03-10T00:00:00", null],
  ["2021 0 0", "%Y %U %w", "2020-12-27T00:00:00", null],
  ["2021 10 3", "%G %V %u", "2021-03-10T00:00:00", null],
  ["2020 53 7", "%G %V %u", "2021-01-03T00:00:00", null],
  ["100%", "%j%%", "1900-04-10T00:00:00", null],
  ["Fri Mar  5 17:08:09 2021", "%c", "2021-03-05T17:08:09", null],
  ["03/05/21", "%x", "2021-03-05T00:00:00", null],
  ["17:08:09", "%X", "1900-01-01T17:08:09", null],
  ["2021-01-01T10:20:30.123000", "%Y-%m-%dT%H:%M:%S.%f", "2021-01-01T10:20:30.123000", null],
  ["2021-01-01T10:20:30.123Z", "%Y-%m-%dT%H:%M:%S.%fZ", "2021-01-01T10:20:30.123000", null],
  ["2021-01-01t10:20:30z", "%Y-%m-%dT%H:%M:%SZ", "2021-01-01T10:20:30", null],
  [" 5", "%d", "1900-01-05T00:00:00", null],
  ["2021-01-01 +0000 UTC", "%Y-%m-%d %z %Z", "2021-01-01T00:00:00+00:00", null],
  ["2021-01-01T00:00:00.0000000", "%Y-%m-%dT%H:%M:%S.%f0", "2021-01-01T00:00:00", null],
  ["2021-13-01", "%Y-%m-%d", null, "time data '2021-13-01' does not match format '%Y-%m-%d'"],
  ["2021-02-29", "%Y-%m-%d", null, "day is out of range for month"],
  ["2021-01-01x", "%Y-%m-%d", null, "unconverted data remains: x"],
  ["2021-01-01", "%Y-%m-%d %H", null, "time data '2021-01-01' does not match format '%Y-%m-%d %H'"],
  ["2021-01-01T10:20:30z", "%Y-%m-%dT%H:%M:%S%z", null, "time data '2021-01-01T10:20:30z' does not match format '%Y-%m-%dT%H:%M:%S%z'"],
  ["0000-01-01", "%Y-%m-%d", null, "year 0 is out of range"],
  ["2021-01-01", "%Y-%m-%d%", null, "stray % in format '%Y-%m-%d%'"],
  ["2021-01-01", "%Y-%m-%Q", null, "'Q' is a bad directive in format '%Y-%m-%Q'"],
  ["2021", "%Y %Y", null, "redefinition of group name 'Y'"],
  ["2021-01-01T10:20:30+05", "%Y-%m-%dT%H:%M:%S%z", null, "time data '2021-01-01T10:20:30+05' does not match format '%Y-%m-%dT%H:%M:%S%z'"],
  ["2021-01-01T10:20:61", "%Y-%m-%dT%H:%M:%S", null, "second must be in 0..59"],
  ["2021-01-01T10:20:60", "%Y-%m-%dT%H:%M:%S", null, "second must be in 0..59"],
  ["02-29", "%m-%d", null, "day is out of range for month"],
  ["2021 53 1", "%Y %V %u", null, "ISO week directive '%V' is incompatible with the year directive '%Y'. Use the ISO year '%G' instead."],
  ["2021 1", "%G %V", null, "ISO year directive '%G' must be used with the ISO week directive '%V' and a weekday directive ('%A', '%a', '%w', or '%u')."],
  ["12:00 PM", "%H:%M %p", "1900-01-01T12:00:00", null],
  ["2021-01-01T10:20:30+01:0203", "%Y-%m-%dT%H:%M:%S%z", null, "Inconsistent use of : in +01:0203"],
];

describe('strptime (CPython semantics)', () => {
  const parses = STRPTIME_CASES.filter((row) => row[2] !== null);
  const fails = STRPTIME_CASES.filter((row) => row[3] !== null);
  it.each(parses)('%j with %j', (text, format, expected) => {
    expect(strptime(text, format).isoformat()).toBe(expected);
  });
  it.each(fails)('%j with %j fails', (text, format, _expected, message) => {
    expect(() => strptime(text, format)).toThrow(DateTimeValueError);
    expect(() => strptime(text, format)).toThrow(message!);
  });
  it.each([
    [' ', ' ', '1900-01-01T00:00:00'],
    ['-T', '-T', '1900-01-01T00:00:00'],
    ['T%Z', 'T%%Z', '1900-01-01T00:00:00'],
  ])('a format without directives: %j with %j', (text, format, expected) => {
    expect(strptime(text, format).isoformat()).toBe(expected);
  });
  it('a lower-case z is no %z match, even with text left over', () => {
    expect(() => strptime('z61123', '%z')).toThrow("time data 'z61123' does not match format '%z'");
  });
  it('reports offsets beyond a day like datetime.timezone', () => {
    expect(() => strptime('+5000', '%z')).toThrow(
      'offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not datetime.timedelta(days=2, seconds=7200).',
    );
  });
  it('keeps naive results naive and %z results aware', () => {
    expect(strptime('2021-01-01', '%Y-%m-%d').offsetMinutes).toBeNull();
    expect(strptime('2021-01-01Z', '%Y-%m-%d%z').offsetMinutes).toBe(0);
    expect(strptime('2021-01-01-0130', '%Y-%m-%d%z').offsetMinutes).toBe(-90);
  });
});
