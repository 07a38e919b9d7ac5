import { describe, expect, it } from 'vitest';
import type { Json } from '../context.js';
import { DateTime, isoparse, parseDuration } from '../datetime/index.js';
import type { Model } from '../factory/build-context.js';
import { createRouter } from '../partitioning/builders.js';
import { cursorModel, drive, harness } from './__tests__/harness.js';
import { createCursor } from './builders.js';
import { buildClamping, clampToDay, clampToMonth, clampToWeek, WEEKDAYS } from './clamping.js';
import { DatetimeBasedCursor, datetimeCursorSpec } from './datetime-based-cursor.js';

const iso = (value: DateTime): string => value.isoformat();
const at = (text: string): DateTime => isoparse(text);
const MONDAY = WEEKDAYS.indexOf('MONDAY');
const FRIDAY = WEEKDAYS.indexOf('FRIDAY');

// Expected values were worked out with the CDK's clamping strategies on the same inputs.
describe('clamping strategies', () => {
  it.each([
    ['2024-01-15T10:30:00+00:00', '2024-01-16T00:00:00+00:00', '2024-01-15T00:00:00+00:00'],
    ['2024-01-15T00:00:00+00:00', '2024-01-16T00:00:00+00:00', '2024-01-15T00:00:00+00:00'],
    ['2024-01-31T23:59:59+00:00', '2024-02-01T00:00:00+00:00', '2024-01-31T00:00:00+00:00'],
    ['2024-02-28T12:00:00+00:00', '2024-02-29T00:00:00+00:00', '2024-02-28T00:00:00+00:00'],
    ['2023-02-28T12:00:00+00:00', '2023-03-01T00:00:00+00:00', '2023-02-28T00:00:00+00:00'],
    ['2024-12-31T23:00:00+00:00', '2025-01-01T00:00:00+00:00', '2024-12-31T00:00:00+00:00'],
  ])('DAY %s: ceiling %s, floor %s', (value, ceiling, floor) => {
    expect(iso(clampToDay(true)(at(value)))).toBe(ceiling);
    expect(iso(clampToDay(false)(at(value)))).toBe(floor);
  });

  it.each([
    ['2024-01-15T10:30:00+00:00', '2024-02-01T00:00:00+00:00', '2024-01-01T00:00:00+00:00'],
    ['2024-01-31T23:59:59+00:00', '2024-02-01T00:00:00+00:00', '2024-01-01T00:00:00+00:00'],
    ['2024-02-29T12:00:00+00:00', '2024-03-01T00:00:00+00:00', '2024-02-01T00:00:00+00:00'],
    ['2023-02-28T12:00:00+00:00', '2023-03-01T00:00:00+00:00', '2023-02-01T00:00:00+00:00'],
    ['2024-12-31T23:00:00+00:00', '2025-01-01T00:00:00+00:00', '2024-12-01T00:00:00+00:00'],
    ['2024-12-29T05:00:00+00:00', '2025-01-01T00:00:00+00:00', '2024-12-01T00:00:00+00:00'],
    // On the 1st only the time is dropped, whichever way.
    ['2024-12-01T05:00:00+00:00', '2024-12-01T00:00:00+00:00', '2024-12-01T00:00:00+00:00'],
  ])('MONTH %s: ceiling %s, floor %s', (value, ceiling, floor) => {
    expect(iso(clampToMonth(true)(at(value)))).toBe(ceiling);
    expect(iso(clampToMonth(false)(at(value)))).toBe(floor);
  });

  it.each([
    // Monday stays Monday going up, and goes back a week going down.
    ['2024-01-15T10:30:00+00:00', MONDAY, '2024-01-15T00:00:00+00:00', '2024-01-08T00:00:00+00:00'],
    ['2024-01-31T23:59:59+00:00', MONDAY, '2024-02-05T00:00:00+00:00', '2024-01-29T00:00:00+00:00'],
    ['2024-02-29T12:00:00+00:00', MONDAY, '2024-03-04T00:00:00+00:00', '2024-02-26T00:00:00+00:00'],
    ['2024-12-31T23:00:00+00:00', MONDAY, '2025-01-06T00:00:00+00:00', '2024-12-30T00:00:00+00:00'],
    ['2024-12-01T05:00:00+00:00', MONDAY, '2024-12-02T00:00:00+00:00', '2024-11-25T00:00:00+00:00'],
    ['2024-01-15T10:30:00+00:00', FRIDAY, '2024-01-19T00:00:00+00:00', '2024-01-12T00:00:00+00:00'],
    ['2024-02-28T12:00:00+00:00', FRIDAY, '2024-03-01T00:00:00+00:00', '2024-02-23T00:00:00+00:00'],
    ['2024-12-29T05:00:00+00:00', FRIDAY, '2025-01-03T00:00:00+00:00', '2024-12-27T00:00:00+00:00'],
  ])('WEEK %s on weekday %i: ceiling %s, floor %s', (value, weekday, ceiling, floor) => {
    expect(iso(clampToWeek(weekday, true)(at(value)))).toBe(ceiling);
    expect(iso(clampToWeek(weekday, false)(at(value)))).toBe(floor);
  });

  it('keeps the offset of the value', () => {
    expect(iso(clampToDay(true)(at('2024-03-10T22:00:00-05:00')))).toBe('2024-03-11T00:00:00-05:00');
  });
});

describe('buildClamping', () => {
  const end = () => DateTime.of(2024, 3, 10, 12);

  it.each([
    ['DAY', undefined, undefined, '2024-03-09T23:59:59+00:00'],
    ['DAY', undefined, 'PT1H', '2024-03-09T23:00:00+00:00'],
    ['MONTH', undefined, undefined, '2024-02-29T00:00:00+00:00'],
    ['WEEK', { weekday: 'MONDAY' }, undefined, '2024-03-03T00:00:00+00:00'],
    // 2024-03-10 is a Sunday: the floor goes back a whole week.
    ['WEEK', { weekday: 'SUNDAY' }, 'PT1S', '2024-03-02T23:59:59+00:00'],
  ])('%s %j, granularity %s: the end is the floor minus one granularity', (target, details, granularity, expected) => {
    const clamping = buildClamping(target, details, end, granularity ? parseDuration(granularity) : undefined);
    expect(iso(clamping.end())).toBe(expected);
  });

  it.each([
    ['YEAR', undefined, 'Invalid clamping target YEAR, expected DAY, WEEK, MONTH'],
    [null, undefined, 'Invalid clamping target None, expected DAY, WEEK, MONTH'],
    ['day', undefined, 'Invalid clamping target day, expected DAY, WEEK, MONTH'],
    ['WEEK', undefined, 'Given WEEK clamping, weekday needs to be provided as target_details'],
    ['WEEK', { day: 'MONDAY' }, 'Given WEEK clamping, weekday needs to be provided as target_details'],
    ['WEEK', { weekday: 'monday' }, 'Unknown weekday monday'],
    ['WEEK', { weekday: 0 }, 'Unknown weekday 0'],
  ])('target %j with details %j is an error', (target, details, message) => {
    expect(() => buildClamping(target, details, end, undefined)).toThrow(message);
  });
});

function build(model: Model, config: Json = {}, now?: number) {
  const h = harness(config, now);
  return new DatetimeBasedCursor(datetimeCursorSpec(model, h.ctx, 'items'));
}

async function windows(model: Model, config: Json = {}, now?: number, state?: Json): Promise<string[][]> {
  const result = await drive(build(model, config, now), undefined, state, () => []);
  return result.slices.map((slice) => [String(slice.cursorSlice.start_time), String(slice.cursorSlice.end_time)]);
}

// Expected windows were worked out by running the CDK's slicing with the same inputs.
describe('DatetimeBasedCursor with clamping', () => {
  it('MONTH with a P1M step: whole months, the first start rounded up, the end floored (leap February)', async () => {
    const model = cursorModel({
      datetime_format: '%Y-%m-%d',
      start_datetime: '2023-11-15',
      step: 'P1M',
      cursor_granularity: 'P1D',
      clamping: { target: 'MONTH' },
    });
    expect(await windows(model, {}, Date.UTC(2024, 2, 10, 12))).toEqual([
      ['2023-12-01', '2023-12-31'],
      ['2024-01-01', '2024-01-31'],
      ['2024-02-01', '2024-02-29'],
    ]);
  });

  it('MONTH across a year boundary, the target read from the config', async () => {
    const model = cursorModel({
      datetime_format: '%Y-%m-%d',
      start_datetime: '2023-12-20',
      step: 'P1M',
      cursor_granularity: 'P1D',
      clamping: { target: "{{ config['period'] }}" },
    });
    expect(await windows(model, { period: 'MONTH' }, Date.UTC(2024, 2, 1))).toEqual([
      ['2024-01-01', '2024-01-31'],
      ['2024-02-01', '2024-02-29'],
    ]);
  });

  it('WEEK on Mondays with a P7D step', async () => {
    const model = cursorModel({
      start_datetime: '2024-01-03T00:00:00Z',
      end_datetime: '2024-02-01T10:00:00Z',
      step: 'P7D',
      cursor_granularity: 'PT1S',
      clamping: { target: 'WEEK', target_details: { weekday: 'MONDAY' } },
    });
    expect(await windows(model)).toEqual([
      ['2024-01-08T00:00:00Z', '2024-01-14T23:59:59Z'],
      ['2024-01-15T00:00:00Z', '2024-01-21T23:59:59Z'],
      ['2024-01-22T00:00:00Z', '2024-01-28T23:59:59Z'],
    ]);
  });

  it('DAY without a step: one window whose bounds are both rounded up', async () => {
    const model = cursorModel({ clamping: { target: 'DAY' } });
    expect(await windows(model)).toEqual([['2024-01-02T00:00:00Z', '2024-01-10T00:00:00Z']]);
  });

  it('DAY with a P2D step: each window starts at the rounded-up end of the one before', async () => {
    const model = cursorModel({
      start_datetime: '2024-01-01T06:00:00Z',
      step: 'P2D',
      cursor_granularity: 'PT1S',
      clamping: { target: 'DAY' },
    });
    expect(await windows(model)).toEqual([
      ['2024-01-02T00:00:00Z', '2024-01-03T23:59:59Z'],
      ['2024-01-05T00:00:00Z', '2024-01-06T23:59:59Z'],
      ['2024-01-08T00:00:00Z', '2024-01-09T23:59:59Z'],
    ]);
  });

  it('a step shorter than the period collapses the first window: nothing is read', async () => {
    const model = cursorModel({ step: 'PT12H', cursor_granularity: 'PT1S', clamping: { target: 'DAY' } });
    expect(await windows(model)).toEqual([]);
  });

  it('client-side filtering stops at the clamped end, not at now', async () => {
    const cursor = build(cursorModel({ is_client_side_incremental: true, clamping: { target: 'DAY' } }));
    const given = [
      { id: 1, updated_at: '2024-01-01T12:00:00Z' },
      { id: 2, updated_at: '2024-01-09T23:59:59Z' },
      { id: 3, updated_at: '2024-01-10T00:00:00Z' },
    ];
    const result = await drive(cursor, undefined, undefined, () => given);
    expect(result.records.map((record) => record.id)).toEqual([1, 2]);
  });

  it('per partition: each partition is sliced with the clamping (one window: the end rounded up too)', async () => {
    const h = harness({}, Date.UTC(2024, 0, 10, 12));
    const retriever = { partition_router: { type: 'ListPartitionRouter', values: ['a', 'b'], cursor_field: 'id' } };
    const router = createRouter(retriever, h.ctx.at('retriever'));
    const model = cursorModel({
      step: 'P7D',
      cursor_granularity: 'PT1S',
      clamping: { target: 'WEEK', target_details: { weekday: 'MONDAY' } },
    });
    const { cursor } = createCursor(model, router, h.ctx, { name: 'items' });
    const result = await drive(cursor, router, undefined, () => []);
    expect(result.slices.map((slice) => [slice.partition.id, slice.cursorSlice])).toEqual([
      ['a', { start_time: '2024-01-01T00:00:00Z', end_time: '2024-01-08T00:00:00Z' }],
      ['b', { start_time: '2024-01-01T00:00:00Z', end_time: '2024-01-08T00:00:00Z' }],
    ]);
  });

  it('an unknown target is a manifest error naming clamping', () => {
    const model = cursorModel({ clamping: { target: 'YEAR' } });
    expect(() => build(model)).toThrow('Invalid clamping target YEAR, expected DAY, WEEK, MONTH');
  });

  it('WEEK without a weekday is a manifest error', () => {
    const model = cursorModel({ clamping: { target: 'WEEK' } });
    expect(() => build(model)).toThrow('Given WEEK clamping, weekday needs to be provided as target_details');
  });
});
