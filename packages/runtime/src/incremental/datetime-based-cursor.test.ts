import { describe, expect, it } from 'vitest';
import type { Json } from '../context.js';
import type { Model } from '../factory/build-context.js';
import { type StreamSlice, makeSlice } from '../partitioning/stream-slice.js';
import { mergeRequestOptions } from '../requesters/request-options.js';
import { cursorModel, drive, harness } from './__tests__/harness.js';
import { createCursor } from './builders.js';
import { DatetimeBasedCursor, datetimeCursorSpec } from './datetime-based-cursor.js';

function build(model: Model, config: Json = {}, now?: number) {
  const h = harness(config, now);
  const cursor = new DatetimeBasedCursor(datetimeCursorSpec(model, h.ctx, 'items'));
  return { ...h, cursor };
}

async function windows(model: Model, state?: Json, now?: number): Promise<Json[]> {
  const { cursor } = build(model, {}, now);
  const result = await drive(cursor, undefined, state, () => []);
  return result.slices.map((slice) => slice.cursorSlice);
}

describe('DatetimeBasedCursor slicing', () => {
  it.each([
    {
      name: 'step P3D, granularity PT1S, last window ends at now',
      model: { step: 'P3D', cursor_granularity: 'PT1S' },
      expected: [
        ['2024-01-01T00:00:00Z', '2024-01-03T23:59:59Z'],
        ['2024-01-04T00:00:00Z', '2024-01-06T23:59:59Z'],
        ['2024-01-07T00:00:00Z', '2024-01-09T23:59:59Z'],
        ['2024-01-10T00:00:00Z', '2024-01-10T12:00:00Z'],
      ],
    },
    {
      name: 'no step: one window from start to now',
      model: {},
      expected: [['2024-01-01T00:00:00Z', '2024-01-10T12:00:00Z']],
    },
    {
      name: 'day format with P1D steps',
      model: { datetime_format: '%Y-%m-%d', start_datetime: '2024-01-07', step: 'P1D', cursor_granularity: 'P1D' },
      expected: [
        ['2024-01-07', '2024-01-07'],
        ['2024-01-08', '2024-01-08'],
        ['2024-01-09', '2024-01-09'],
        ['2024-01-10', '2024-01-10'],
      ],
    },
    {
      name: 'end_datetime clamps the last window',
      model: { step: 'P2D', cursor_granularity: 'PT1S', end_datetime: '2024-01-05T00:00:00Z' },
      expected: [
        ['2024-01-01T00:00:00Z', '2024-01-02T23:59:59Z'],
        ['2024-01-03T00:00:00Z', '2024-01-05T00:00:00Z'],
      ],
    },
    {
      name: 'epoch seconds (%s)',
      model: {
        datetime_format: '%s',
        start_datetime: '1704067200',
        end_datetime: '1704240000',
        step: 'P1D',
        cursor_granularity: 'PT1S',
      },
      expected: [
        ['1704067200', '1704153599'],
        ['1704153600', '1704240000'],
      ],
    },
    {
      name: 'epoch milliseconds (%ms)',
      model: {
        datetime_format: '%ms',
        start_datetime: '1704067200000',
        end_datetime: '1704240000000',
        step: 'P1D',
        cursor_granularity: 'PT0.001S',
      },
      expected: [
        ['1704067200000', '1704153599999'],
        ['1704153600000', '1704240000000'],
      ],
    },
    {
      name: 'a calendar month step',
      model: {
        start_datetime: '2024-01-31T00:00:00Z',
        end_datetime: '2024-04-15T00:00:00Z',
        step: 'P1M',
        cursor_granularity: 'PT1S',
      },
      expected: [
        ['2024-01-31T00:00:00Z', '2024-02-28T23:59:59Z'],
        ['2024-02-29T00:00:00Z', '2024-03-28T23:59:59Z'],
        ['2024-03-29T00:00:00Z', '2024-04-15T00:00:00Z'],
      ],
    },
    {
      name: 'MinMaxDatetime start raised to min_datetime, own format',
      model: {
        start_datetime: {
          type: 'MinMaxDatetime',
          datetime: '2023-01-01',
          min_datetime: '2024-01-09',
          datetime_format: '%Y-%m-%d',
        },
      },
      expected: [['2024-01-09T00:00:00Z', '2024-01-10T12:00:00Z']],
    },
  ])('$name', async ({ model, expected }) => {
    const slices = await windows(cursorModel(model));
    expect(slices.map((slice) => [slice.start_time, slice.end_time])).toEqual(expected);
  });

  it('names the slice fields after partition_field_start / partition_field_end', async () => {
    const slices = await windows(cursorModel({ partition_field_start: 'from', partition_field_end: 'to' }));
    expect(slices).toEqual([{ from: '2024-01-01T00:00:00Z', to: '2024-01-10T12:00:00Z' }]);
  });

  it('starts from the state minus lookback_window', async () => {
    const slices = await windows(cursorModel({ lookback_window: 'P1D' }), { updated_at: '2024-01-05T00:00:00Z' });
    expect(slices).toEqual([{ start_time: '2024-01-04T00:00:00Z', end_time: '2024-01-10T12:00:00Z' }]);
  });

  it('never goes below start_datetime, even with a lookback', async () => {
    const slices = await windows(cursorModel({ lookback_window: 'P10D' }), { updated_at: '2024-01-05T00:00:00Z' });
    expect(slices).toEqual([{ start_time: '2024-01-01T00:00:00Z', end_time: '2024-01-10T12:00:00Z' }]);
  });

  it('ignores a state older than start_datetime', async () => {
    const slices = await windows(cursorModel(), { updated_at: '2023-06-01T00:00:00Z' });
    expect(slices).toEqual([{ start_time: '2024-01-01T00:00:00Z', end_time: '2024-01-10T12:00:00Z' }]);
  });

  it('reads nothing when the state is after the end', async () => {
    const { cursor } = build(cursorModel());
    const result = await drive(cursor, undefined, { updated_at: '2024-02-01T00:00:00Z' }, () => []);
    expect(result.slices).toEqual([]);
    expect(result.states).toEqual([{ updated_at: '2024-02-01T00:00:00Z' }]);
  });

  it('requires step and cursor_granularity together', () => {
    const h = harness();
    expect(() => datetimeCursorSpec(cursorModel({ step: 'P1D' }), h.ctx, 'items')).toThrow(
      /If step is defined, cursor_granularity should be as well/,
    );
  });

  it('evaluates step and start from the config', async () => {
    const h = harness({ start: '2024-01-08T00:00:00Z', days: 1 });
    const model = cursorModel({
      start_datetime: "{{ config['start'] }}",
      step: "P{{ config['days'] }}D",
      cursor_granularity: 'PT1S',
    });
    const cursor = new DatetimeBasedCursor(datetimeCursorSpec(model, h.ctx, 'items'));
    const result = await drive(cursor, undefined, undefined, () => []);
    expect(result.slices.map((slice) => slice.cursorSlice.start_time)).toEqual([
      '2024-01-08T00:00:00Z',
      '2024-01-09T00:00:00Z',
      '2024-01-10T00:00:00Z',
    ]);
  });
});

describe('DatetimeBasedCursor state', () => {
  const stepped = cursorModel({ step: 'P3D', cursor_granularity: 'PT1S' });

  it('writes the most recent record value of the contiguous read windows after each slice, and again at the end', async () => {
    const { cursor } = build(stepped);
    const records: Record<number, Json[]> = {
      0: [{ id: 1, updated_at: '2024-01-02T10:00:00Z' }, { id: 2, updated_at: '2024-01-01T05:00:00Z' }],
      2: [{ id: 3, updated_at: '2024-01-08T00:00:00Z' }],
    };
    const result = await drive(cursor, undefined, undefined, (_slice, index) => records[index] ?? []);
    expect(result.afterSlice).toEqual([
      { updated_at: '2024-01-02T10:00:00Z' },
      { updated_at: '2024-01-02T10:00:00Z' },
      { updated_at: '2024-01-08T00:00:00Z' },
      { updated_at: '2024-01-08T00:00:00Z' },
    ]);
    expect(result.final).toEqual({ updated_at: '2024-01-08T00:00:00Z' });
  });

  it('writes the start when no record was read', async () => {
    const { cursor } = build(stepped);
    const result = await drive(cursor, undefined, undefined, () => []);
    expect(result.final).toEqual({ updated_at: '2024-01-01T00:00:00Z' });
  });

  it('keeps the other keys of a sequential state and never moves back', async () => {
    const { cursor } = build(cursorModel());
    const state = { updated_at: '2024-01-05T00:00:00Z', other: 1 };
    const result = await drive(cursor, undefined, state, () => [{ updated_at: '2024-01-03T00:00:00Z' }]);
    expect(result.afterSlice).toEqual([{ updated_at: '2024-01-05T00:00:00Z', other: 1 }]);
    expect(Object.keys(result.final ?? {})).toEqual(['updated_at', 'other']);
  });

  it('resumes from a concurrent (date-range) state: reads the gaps, writes the sequential shape', async () => {
    const { cursor } = build(cursorModel({ step: 'P10D', cursor_granularity: 'PT1S' }));
    const state = {
      state_type: 'date-range',
      slices: [
        { start: '2024-01-01T00:00:00Z', end: '2024-01-03T00:00:00Z' },
        { start: '2024-01-05T00:00:00Z', end: '2024-01-06T00:00:00Z', most_recent_cursor_value: '2024-01-05T12:00:00Z' },
      ],
    };
    const result = await drive(cursor, undefined, state, (_slice, index) =>
      index === 1 ? [{ updated_at: '2024-01-09T00:00:00Z' }] : [],
    );
    expect(result.slices.map((slice) => slice.cursorSlice)).toEqual([
      { start_time: '2024-01-03T00:00:01Z', end_time: '2024-01-04T23:59:59Z' },
      { start_time: '2024-01-06T00:00:00Z', end_time: '2024-01-10T12:00:00Z' },
    ]);
    expect(result.afterSlice).toEqual([{ updated_at: '2024-01-05T12:00:00Z' }, { updated_at: '2024-01-09T00:00:00Z' }]);
  });

  it('parses record values with cursor_datetime_formats and writes datetime_format', async () => {
    const { cursor } = build(cursorModel({ cursor_datetime_formats: ['%Y-%m-%dT%H:%M:%S.%f%z', '%s'] }));
    const result = await drive(cursor, undefined, undefined, () => [
      { updated_at: '2024-01-03T10:00:00.123456+00:00' },
      { updated_at: 1704448800 },
    ]);
    expect(result.final).toEqual({ updated_at: '2024-01-05T10:00:00Z' });
  });

  it('writes epoch states as strings, as the CDK formats them', async () => {
    const { cursor } = build(cursorModel({ datetime_format: '%s', start_datetime: '1704067200' }));
    const result = await drive(cursor, undefined, { updated_at: 1704153600 }, () => [{ updated_at: 1704200000 }]);
    expect(result.slices[0]?.cursorSlice).toEqual({ start_time: '1704153600', end_time: '1704888000' });
    expect(result.final).toEqual({ updated_at: '1704200000' });
  });

  it('keeps records without a cursor value, warns once, and leaves the state alone', async () => {
    const { cursor, warnings } = build(cursorModel());
    const result = await drive(cursor, undefined, undefined, () => [{ id: 1 }, { id: 2, updated_at: null }, { id: 3, updated_at: 'garbage' }]);
    expect(result.records).toHaveLength(3);
    expect(result.final).toEqual({ updated_at: '2024-01-01T00:00:00Z' });
    expect(warnings).toEqual([
      'Could not find cursor field `updated_at` in record for stream items. The incremental sync will assume it needs to be synced',
    ]);
  });

  it('takes record values beyond the window (and beyond now) into the state, as the CDK does', async () => {
    const { cursor } = build(cursorModel());
    const result = await drive(cursor, undefined, undefined, () => [{ updated_at: '2025-01-01T00:00:00Z' }]);
    expect(result.records).toHaveLength(1);
    expect(result.final).toEqual({ updated_at: '2025-01-01T00:00:00Z' });
  });
});

describe('DatetimeBasedCursor filtering and requests', () => {
  it('drops records older than the state or newer than the end when is_client_side_incremental', async () => {
    const { cursor } = build(cursorModel({ is_client_side_incremental: true }));
    const result = await drive(cursor, undefined, { updated_at: '2024-01-05T00:00:00Z' }, () => [
      { id: 1, updated_at: '2024-01-04T00:00:00Z' },
      { id: 2, updated_at: '2024-01-06T00:00:00Z' },
      { id: 3 },
      { id: 4, updated_at: '2099-01-01T00:00:00Z' },
      { id: 5, updated_at: '2024-01-05T00:00:00Z' },
    ]);
    expect(result.records.map((record) => record.id)).toEqual([2, 3, 5]);
    expect(result.final).toEqual({ updated_at: '2024-01-06T00:00:00Z' });
  });

  it('keeps every record without is_client_side_incremental', async () => {
    const { cursor } = build(cursorModel());
    const result = await drive(cursor, undefined, { updated_at: '2024-01-05T00:00:00Z' }, () => [
      { id: 1, updated_at: '2024-01-04T00:00:00Z' },
    ]);
    expect(result.records).toHaveLength(1);
  });

  it('stops a data feed once a page ends older than the state, and drops those records', () => {
    const { cursor } = build(cursorModel({ is_data_feed: true }));
    cursor.setInitialState({ updated_at: '2024-01-05T00:00:00Z' });
    const slice = makeSlice({}, { start_time: '2024-01-05T00:00:00Z', end_time: '2024-01-10T12:00:00Z' });
    expect(cursor.shouldStopPaginating(slice, { updated_at: '2024-01-07T00:00:00Z' })).toBe(false);
    expect(cursor.shouldStopPaginating(slice, { updated_at: '2024-01-04T00:00:00Z' })).toBe(true);
    expect(cursor.shouldStopPaginating(slice, undefined)).toBe(false);
    expect(cursor.observe(slice, { updated_at: '2024-01-04T00:00:00Z' })).toBe(false);
    expect(cursor.observe(slice, { updated_at: '2024-01-06T00:00:00Z' })).toBe(true);
  });

  it('does not stop paginating without is_data_feed', () => {
    const { cursor } = build(cursorModel());
    cursor.setInitialState({ updated_at: '2024-01-05T00:00:00Z' });
    expect(cursor.shouldStopPaginating(makeSlice(), { updated_at: '2024-01-04T00:00:00Z' })).toBe(false);
  });

  it('injects the window bounds with start_time_option and end_time_option', async () => {
    const { cursor } = build(
      cursorModel({
        step: 'P5D',
        cursor_granularity: 'PT1S',
        start_time_option: { type: 'RequestOption', inject_into: 'request_parameter', field_name: 'since' },
        end_time_option: { type: 'RequestOption', inject_into: 'body_json', field_path: ['filter', 'until'] },
      }),
    );
    const result = await drive(cursor, undefined, undefined, () => []);
    const first = result.slices[0] as StreamSlice;
    const options = mergeRequestOptions([cursor.requestOptions(first)]);
    expect(options.params).toEqual({ since: '2024-01-01T00:00:00Z' });
    expect(options.bodyJson).toEqual({ filter: { until: '2024-01-05T23:59:59Z' } });
  });

  it('createCursor: full refresh without incremental_sync, the cursor itself without a router', () => {
    const h = harness();
    expect(createCursor(undefined, undefined, h.ctx, { name: 's' }).incremental).toBe(false);
    const built = createCursor(cursorModel(), undefined, h.ctx, { name: 's' });
    expect(built.incremental).toBe(true);
    expect(built.cursor).toBeInstanceOf(DatetimeBasedCursor);
    expect(built.cursor.cursorField).toEqual(['updated_at']);
    expect(() =>
      createCursor({ type: 'CustomIncrementalSync', class_name: 'x.Y' }, undefined, h.ctx, { name: 's' }),
    ).toThrow(/custom Python code/);
  });
});
