import { describe, expect, it } from 'vitest';
import { DateTime, UnknownTimeZoneError, inTimeZone, todayInTimeZone, zoneOffsetMinutes } from './index.js';

describe('named time zones', () => {
  const instant = Date.UTC(2024, 0, 31, 23, 30);
  it.each([
    ['UTC', 0],
    ['utc', 0],
    ['Pacific/Tarawa', 720],
    ['America/New_York', -300],
    ['Asia/Kolkata', 330],
    ['Europe/Paris', 60],
  ])('%s offset in January', (zone, offset) => {
    expect(zoneOffsetMinutes(zone, instant)).toBe(offset);
  });
  it('follows daylight saving time', () => {
    expect(zoneOffsetMinutes('America/New_York', Date.UTC(2024, 6, 1))).toBe(-240);
    expect(zoneOffsetMinutes('Europe/Paris', Date.UTC(2024, 6, 1))).toBe(120);
  });
  it('today_with_timezone', () => {
    expect(todayInTimeZone('Pacific/Tarawa', () => instant).isoformat()).toBe('2024-02-01');
    expect(todayInTimeZone('America/New_York', () => instant).isoformat()).toBe('2024-01-31');
  });
  it('converts instants into a zone', () => {
    expect(inTimeZone(DateTime.of(2024, 7, 1, 12), 'America/New_York').isoformat()).toBe('2024-07-01T08:00:00-04:00');
  });
  it('unknown zones raise like pytz', () => {
    expect(() => todayInTimeZone('Mars/Base')).toThrow(UnknownTimeZoneError);
    expect(() => todayInTimeZone('Mars/Base')).toThrow("'Mars/Base'");
  });
});
