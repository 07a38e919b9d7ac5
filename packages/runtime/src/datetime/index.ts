/**
 * Python-compatible date and time values for the manifest runtime: datetime,
 * date and timedelta (with isodate's calendar durations), strftime/strptime,
 * the CDK's DatetimeParser formats, and dateutil-style parsing.
 */
export { DateTime, isDateTime } from './datetime.js';
export type { DateTimeFields, Timespec } from './datetime.js';
export { PyDate, isPyDate } from './date.js';
export { Duration, isDuration, parseDuration } from './duration.js';
export type { DurationFields } from './duration.js';
export { strftime } from './strftime.js';
export type { BrokenDownTime } from './strftime.js';
export { strptime } from './strptime.js';
export { formatDatetime, parseDatetime } from './datetime-parser.js';
export { isoparse, strToDatetime } from './isoparse.js';
export { abDatetimeParse, parseLenient } from './parse.js';
export type { LenientParseOptions } from './parse.js';
export { DateTimeOverflowError, DateTimeValueError, parsePythonFloat, parsePythonInt, pythonFloatRepr } from './civil.js';
export { UnknownTimeZoneError, inTimeZone, todayInTimeZone, zoneOffsetMinutes } from './timezone.js';
