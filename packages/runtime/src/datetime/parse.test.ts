import { describe, expect, it } from 'vitest';
import { DateTimeValueError, abDatetimeParse, isoparse, parseLenient, strToDatetime } from './index.js';

// Expected values come from python-dateutil 2.x (isoparse, and parse with
// default=datetime(2024, 6, 15)); the clock below plays that default.
const clock = (): number => Date.UTC(2024, 5, 15, 9, 30);

const ISOPARSE_CASES: Array<[string, string | null, string | null]> = [
  ["2021", "2021-01-01T00:00:00", null],
  ["2021-03", "2021-03-01T00:00:00", null],
  ["2021-03-04", "2021-03-04T00:00:00", null],
  ["20210304", "2021-03-04T00:00:00", null],
  ["2021-03-04T05", "2021-03-04T05:00:00", null],
  ["2021-03-04T05:06", "2021-03-04T05:06:00", null],
  ["2021-03-04T0506", "2021-03-04T05:06:00", null],
  ["2021-03-04T05:06:07", "2021-03-04T05:06:07", null],
  ["2021-03-04 05:06:07", "2021-03-04T05:06:07", null],
  ["2021-03-04T05:06:07.1", "2021-03-04T05:06:07.100000", null],
  ["2021-03-04T05:06:07,123456789", "2021-03-04T05:06:07.123456", null],
  ["2021-03-04T05:06:07Z", "2021-03-04T05:06:07+00:00", null],
  ["2021-03-04T05:06:07z", "2021-03-04T05:06:07+00:00", null],
  ["2021-03-04T05:06:07+00:00", "2021-03-04T05:06:07+00:00", null],
  ["2021-03-04T05:06:07-05:30", "2021-03-04T05:06:07-05:30", null],
  ["2021-03-04T05:06:07+0530", "2021-03-04T05:06:07+05:30", null],
  ["2021-03-04T05:06:07+05", "2021-03-04T05:06:07+05:00", null],
  ["2021-03-04T24:00", "2021-03-05T00:00:00", null],
  ["2021-12-31T24:00:00Z", "2022-01-01T00:00:00+00:00", null],
  ["2021-W01", "2021-01-04T00:00:00", null],
  ["2021-W01-3", "2021-01-06T00:00:00", null],
  ["2021W013", "2021-01-06T00:00:00", null],
  ["2021-060", "2021-03-01T00:00:00", null],
  ["2020060", "2020-02-29T00:00:00", null],
  ["2021-03-04X05:06", "2021-03-04T05:06:00", null],
  ["2021-03-04T05:06:07.123+01:00", "2021-03-04T05:06:07.123000+01:00", null],
  ["202103", null, "Invalid ordinal day"],
  ["2021-3-4", null, "invalid literal for int() with base 10: b'3-4'"],
  ["2021-03-04T", null, "ISO time too short"],
  ["2021-03-04T05:06:07+25:00", null, "Invalid hours in time zone offset"],
  ["2021-03-04T24:01", null, "Hour may only be 24 at 24:00:00.000"],
  ["2021-03-04T05:06:07 ", null, "Unused components in ISO string"],
  ["2021-13-01", null, "month must be in 1..12"],
  ["abc", null, "ISO string too short"],
  ["2021-03-04T05:06:0", "2021-03-04T05:06:00", null],
  ["2021-02-29", null, "day is out of range for month"],
  ["2021-03-04T05:0607", null, "Inconsistent use of colon separator"],
  ["21-03-04", null, "invalid literal for int() with base 10: b'21-0'"],
  ["2021-366", null, "Invalid ordinal day 366 for year 2021"],
  ["2021-03-04T05:06:07+05:60", null, "Invalid minutes in time zone offset"],
];
const LENIENT_CASES: Array<[string, string | null, string | null]> = [
  ["2021-01-01", "2021-01-01T00:00:00", null],
  ["2021-01-01 10:00:00", "2021-01-01T10:00:00", null],
  ["2021-01-01T10:00:00Z", "2021-01-01T10:00:00+00:00", null],
  ["2021-01-01T10:00:00.123456789+05:30", "2021-01-01T10:00:00.123456+05:30", null],
  ["2021-01-01T10:00:00-0800", "2021-01-01T10:00:00-08:00", null],
  ["2021-01-01T10:00:00+01", "2021-01-01T10:00:00+01:00", null],
  ["Tue, 01 Jan 2021 00:00:00 GMT", "2021-01-01T00:00:00+00:00", null],
  ["Tue, 01 Jan 2021 00:00:00 +0000", "2021-01-01T00:00:00+00:00", null],
  ["01 Jan 2021", "2021-01-01T00:00:00", null],
  ["Jan 5 2021 3pm", "2021-01-05T15:00:00", null],
  ["January 5, 2021 10:30 PM", "2021-01-05T22:30:00", null],
  ["5 January 2021", "2021-01-05T00:00:00", null],
  ["2021/01/02", "2021-01-02T00:00:00", null],
  ["01/02/2021", "2021-01-02T00:00:00", null],
  ["13/02/2021", "2021-02-13T00:00:00", null],
  ["02-01-2021", "2021-02-01T00:00:00", null],
  ["20210102", "2021-01-02T00:00:00", null],
  ["20210102T103000", "2021-01-02T10:30:00", null],
  ["20210102103000", "2021-01-02T10:30:00", null],
  ["10:30", "2024-06-15T10:30:00", null],
  ["10:30 UTC", "2024-06-15T10:30:00+00:00", null],
  ["2021-01-01 10:00 EST", "2021-01-01T10:00:00", null],
  ["2021-01-01 10:00:00 UTC", "2021-01-01T10:00:00+00:00", null],
  ["2021-01-01T10:00:00.5", "2021-01-01T10:00:00.500000", null],
  ["Sat Mar  5 17:08:09 2021", "2021-03-05T17:08:09", null],
  ["12 pm", "2024-06-15T12:00:00", null],
  ["2021-01-01 12am", "2021-01-01T00:00:00", null],
  ["2021 Jan 05", "2021-01-05T00:00:00", null],
  ["Jan 2021", "2021-01-15T00:00:00", null],
  ["2021", "2021-06-15T00:00:00", null],
  ["March", "2024-03-15T00:00:00", null],
  ["2021-01-01T10:00:00 GMT+3", "2021-01-01T10:00:00-03:00", null],
  ["10h30m", "2024-06-15T10:30:00", null],
  ["2021-01-01 10:00:00 -0300 (BRST)", "2021-01-01T10:00:00-03:00", null],
  ["Monday", "2024-06-17T00:00:00", null],
  ["1st of January 2021", "2021-01-01T00:00:00", null],
  ["3rd Feb 2021 at 10:00", "2021-02-03T10:00:00", null],
  ["2021-01-01T10:00:00+00:00Z", null, "Unknown string format: 2021-01-01T10:00:00+00:00Z"],
  ["foo", null, "Unknown string format: foo"],
  ["2021-13-01", null, "month must be in 1..12: 2021-13-01"],
  ["", null, "String does not contain a date: "],
  ["2021-02-30", null, "day is out of range for month: 2021-02-30"],
  ["25:00", null, "hour must be in 0..23: 25:00"],
  ["10:00 am pm", "2024-06-15T22:00:00", null],
  ["1609459200", null, "year 1609459200 is out of range: 1609459200"],
  ["2021-01-01 10:00:00.123Z", "2021-01-01T10:00:00.123000+00:00", null],
];

describe('isoparse (dateutil.parser.isoparse)', () => {
  it.each(ISOPARSE_CASES.filter((row) => row[1] !== null))('%j', (text, expected) => {
    expect(isoparse(text).isoformat()).toBe(expected);
  });
  it.each(ISOPARSE_CASES.filter((row) => row[2] !== null))('%j fails', (text) => {
    expect(() => isoparse(text)).toThrow(DateTimeValueError);
  });
});

describe('inputs found by differential testing against dateutil 2.9', () => {
  it.each(['2021-W10-', '2021-W40-'])('isoparse(%j) fails: the weekday digit is required after a dash', (text) => {
    expect(() => isoparse(text)).toThrow(DateTimeValueError);
  });
  it.each(['05.-3.1021', '5.0 3.2021', '0a. 3.2021'])('parse(%j) fails: int() of a token with a dot', (text) => {
    expect(() => parseLenient(text, { clock })).toThrow('Unknown string format');
  });
});

describe('strToDatetime (str_to_datetime macro)', () => {
  it.each([
    ['2022-01-14', '2022-01-14 00:00:00+00:00'],
    ['2022-01-01T13:45:30+00:00', '2022-01-01 13:45:30+00:00'],
    ['2022-01-01T13:45:30+02:00', '2022-01-01 11:45:30+00:00'],
    ['2022-01-01T01:00:00-05:00', '2022-01-01 06:00:00+00:00'],
  ])('%s', (text, expected) => {
    expect(strToDatetime(text).toString()).toBe(expected);
  });
});

describe('parseLenient (dateutil.parser.parse)', () => {
  it.each(LENIENT_CASES.filter((row) => row[1] !== null))('%j', (text, expected) => {
    expect(parseLenient(text, { clock }).isoformat()).toBe(expected);
  });
  it.each(LENIENT_CASES.filter((row) => row[2] !== null))('%j fails', (text, _expected, message) => {
    expect(() => parseLenient(text, { clock })).toThrow(DateTimeValueError);
    expect(() => parseLenient(text, { clock })).toThrow(message!);
  });
});

describe('abDatetimeParse (ab_datetime_parse)', () => {
  it.each([
    ['2023-03-14T15:09:26Z', '2023-03-14T15:09:26+00:00'],
    ['2023-03-14T15:09:26-04:00', '2023-03-14T15:09:26-04:00'],
    ['2023-03-14T15:09:26', '2023-03-14T15:09:26+00:00'],
    ['2023-03-14 15:09:26Z', '2023-03-14T15:09:26+00:00'],
    ['2023-03-14', '2023-03-14T00:00:00+00:00'],
    ['1678806000', '2023-03-14T15:00:00+00:00'],
    [1678806000, '2023-03-14T15:00:00+00:00'],
    ['2023-03-14T15:09:26.5+01:00', '2023-03-14T15:09:26.500000+01:00'],
  ] as Array<[string | number, string]>)('%j', (value, expected) => {
    expect(abDatetimeParse(value).isoformat()).toBe(expected);
  });
  it.each([
    ['-1', 'Timestamp cannot be negative'],
    ['12345678901', 'Timestamp value too large'],
    ['2023-02-30', 'Invalid date format: 2023-02-30'],
    ['2023-13-01', 'Invalid date format: 2023-13-01'],
    // A time without a date (and RFC 2822 text, which has no dashes) is refused before dateutil sees it.
    ['15:09:26', 'Could not parse datetime string: 15:09:26'],
    ['Tue, 14 Mar 2023 15:09:26 GMT', 'Could not parse datetime string: Tue, 14 Mar 2023 15:09:26 GMT'],
    ['foo', 'Could not parse datetime string: foo'],
  ])('%j fails', (value, message) => {
    expect(() => abDatetimeParse(value)).toThrow(message);
  });
});
