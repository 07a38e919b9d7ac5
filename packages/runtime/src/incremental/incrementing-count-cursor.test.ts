import { describe, expect, it } from 'vitest';
import { mergeRequestOptions } from '../requesters/request-options.js';
import { drive, harness } from './__tests__/harness.js';
import { createCursor } from './builders.js';
import { IncrementingCountCursor } from './incrementing-count-cursor.js';
import { LegacyToPerPartitionStateMigration, applyStateMigrations, buildLegacyToPerPartitionStateMigration } from './migrations.js';

function build(model: Record<string, unknown> = {}, config: Record<string, unknown> = {}) {
  const h = harness(config);
  const { cursor, incremental } = createCursor(
    { type: 'IncrementingCountCursor', cursor_field: 'id', ...model },
    undefined,
    h.ctx,
    { name: 'events' },
  );
  expect(incremental).toBe(true);
  expect(cursor).toBeInstanceOf(IncrementingCountCursor);
  return { ...h, cursor };
}

describe('IncrementingCountCursor', () => {
  it('reads one slice from start_value and writes the highest value', async () => {
    const { cursor } = build({
      start_value: 0,
      start_value_option: { type: 'RequestOption', inject_into: 'request_parameter', field_name: 'since_id' },
    });
    const result = await drive(cursor, undefined, undefined, () => [{ id: 5 }, { id: 9 }, { id: 7 }]);
    expect(result.slices.map((slice) => slice.cursorSlice)).toEqual([{ start: 0, end: Number.POSITIVE_INFINITY }]);
    expect(mergeRequestOptions([cursor.requestOptions(result.slices[0] ?? { partition: {}, cursorSlice: {}, extraFields: {} })]).params).toEqual({ since_id: 0 });
    expect(result.afterSlice).toEqual([{ id: 9 }]);
    expect(result.final).toEqual({ id: 9 });
  });

  it('resumes from the state and writes nothing new until the end when no record arrives', async () => {
    const { cursor } = build({ start_value: "{{ config['first'] }}" }, { first: 3 });
    const result = await drive(cursor, undefined, { id: 12 }, () => []);
    expect(result.slices[0]?.cursorSlice).toEqual({ start: 12, end: Number.POSITIVE_INFINITY });
    expect(result.afterSlice).toEqual([undefined]);
    expect(result.final).toEqual({ id: 12 });
  });

  it('starts at start_value when it is above the state', async () => {
    const { cursor } = build({ start_value: '20' });
    const result = await drive(cursor, undefined, { id: 12 }, () => [{ id: 25 }]);
    expect(result.slices[0]?.cursorSlice.start).toBe(20);
    expect(result.final).toEqual({ id: 25 });
  });

  it('resumes from an integer concurrent state', async () => {
    const { cursor } = build();
    const result = await drive(cursor, undefined, { state_type: 'integer', slices: [{ start: 0, end: 40, most_recent_cursor_value: 40 }] }, () => []);
    expect(result.slices[0]?.cursorSlice.start).toBe(40);
    expect(result.final).toEqual({ id: 40 });
  });
});

describe('IncrementingCountCursor over ids beyond 2^53 (BigInt)', () => {
  it('keeps the highest id exact, comparing big ids with each other and with small ones', async () => {
    const { cursor } = build({ start_value: 0 });
    const records = () => [{ id: 5 }, { id: 12345678901234567890n }, { id: 12345678901234567889n }, { id: 9007199254740993n }];
    const result = await drive(cursor, undefined, undefined, records);
    expect(result.final).toEqual({ id: 12345678901234567890n });
  });

  it('resumes from a big id in the state and sends it exactly as start_value_option', async () => {
    const { cursor } = build({ start_value_option: { type: 'RequestOption', inject_into: 'request_parameter', field_name: 'since_id' } });
    const result = await drive(cursor, undefined, { id: 18446744073709551615n }, () => [{ id: 18446744073709551616n }]);
    const slice = result.slices[0] ?? { partition: {}, cursorSlice: {}, extraFields: {} };
    expect(slice.cursorSlice.start).toBe(18446744073709551615n);
    expect(mergeRequestOptions([cursor.requestOptions(slice)]).params).toEqual({ since_id: 18446744073709551615n });
    expect(result.final).toEqual({ id: 18446744073709551616n });
  });

  it('reads a start_value beyond 2^53 exactly; it wins over a lower state', async () => {
    const { cursor } = build({ start_value: '9007199254740993' });
    const result = await drive(cursor, undefined, { id: 12 }, () => []);
    expect(result.slices[0]?.cursorSlice.start).toBe(9007199254740993n);
    expect(result.final).toEqual({ id: 9007199254740993n });
  });

  it('resumes from a concurrent integer state with big bounds', async () => {
    const { cursor } = build();
    const state = { state_type: 'integer', slices: [{ start: 0, end: 9007199254740993n, most_recent_cursor_value: 9007199254740993n }] };
    const result = await drive(cursor, undefined, state, () => [{ id: 9007199254740995n }]);
    expect(result.slices[0]?.cursorSlice.start).toBe(9007199254740993n);
    expect(result.final).toEqual({ id: 9007199254740995n });
  });
});

describe('LegacyToPerPartitionStateMigration', () => {
  const stream = {
    type: 'DeclarativeStream',
    name: 'comments',
    incremental_sync: { type: 'DatetimeBasedCursor', cursor_field: 'last_changed' },
    retriever: {
      type: 'SimpleRetriever',
      partition_router: {
        type: 'SubstreamPartitionRouter',
        parent_stream_configs: [{ type: 'ParentStreamConfig', parent_key: 'id', partition_field: 'id', stream: {} }],
      },
    },
  };

  it('moves the old per-partition shape into states', () => {
    const h = harness();
    const migration = buildLegacyToPerPartitionStateMigration({ type: 'LegacyToPerPartitionStateMigration' }, h.ctx, stream);
    const legacy = { '13506132': { last_changed: '2022-12-27T08:34:39+00:00' } };
    expect(applyStateMigrations([migration], legacy)).toEqual({
      states: [{ partition: { id: '13506132' }, cursor: { last_changed: '2022-12-27T08:34:39+00:00' } }],
    });
  });

  it('leaves migrated or foreign states alone', () => {
    const migration = new LegacyToPerPartitionStateMigration('id', 'last_changed', 1);
    expect(migration.shouldMigrate({ states: [] })).toBe(false);
    expect(migration.shouldMigrate({ last_changed: 'x' })).toBe(false);
    expect(migration.shouldMigrate({ a: { other: 'x' } })).toBe(false);
    expect(migration.shouldMigrate({})).toBe(false);
    expect(new LegacyToPerPartitionStateMigration('id', 'last_changed', 2).shouldMigrate({ a: { last_changed: 'x' } })).toBe(false);
  });
});
