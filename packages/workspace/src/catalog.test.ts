import { describe, expect, it } from 'vitest';
import { defaultSyncMode, planSync, resumableState, selectStreams } from './catalog.js';
import type { StateMessage } from './destination.js';
import type { DiscoveredStream } from './sources/source-process.js';

const stream = (name: string, incremental: boolean, pk: boolean): DiscoveredStream => ({
  name,
  jsonSchema: { type: 'object' },
  supportsIncremental: incremental,
  defaultCursorField: incremental ? ['updated_at'] : [],
  primaryKey: pk ? [['id']] : [],
});

const streamState = (name: string, value: unknown): StateMessage => ({
  type: 'STREAM',
  stream: { stream_descriptor: { name }, stream_state: { cursor: value } },
});

describe('catalog', () => {
  it('picks the most faithful default mode', () => {
    expect(defaultSyncMode(stream('a', true, true))).toBe('incremental_append_dedup');
    expect(defaultSyncMode(stream('a', true, false))).toBe('incremental_append');
    expect(defaultSyncMode(stream('a', false, true))).toBe('full_refresh_overwrite');
  });

  it('refuses dedup without a primary key', () => {
    expect(() => selectStreams([stream('a', true, false)], ['a'], 'incremental_append_dedup')).toThrow(/no primary key/);
  });

  it('plans the configured catalog and the destination streams', () => {
    const plan = planSync(
      [
        { name: 'orders', syncMode: 'incremental_append_dedup' },
        { name: 'customers', syncMode: 'full_refresh_append' },
      ],
      [stream('orders', true, true), stream('customers', true, true)],
    );
    expect(plan.catalog.streams.map((s) => [s.stream.name, s.sync_mode, s.destination_sync_mode, s.cursor_field])).toEqual([
      ['orders', 'incremental', 'append_dedup', ['updated_at']],
      ['customers', 'full_refresh', 'append', undefined],
    ]);
    expect(plan.destinationStreams[1]).toMatchObject({ name: 'customers', cursorField: [], primaryKey: [['id']] });
  });

  it('resumes only incremental streams, in every state shape', () => {
    const streams = [
      { name: 'orders', syncMode: 'incremental_append' as const },
      { name: 'customers', syncMode: 'full_refresh_overwrite' as const },
    ];
    expect(resumableState([streamState('orders', 1), streamState('customers', 2), streamState('gone', 3)], streams)).toEqual([streamState('orders', 1)]);
    const global: StateMessage = {
      type: 'GLOBAL',
      global: {
        shared_state: { lsn: 9 },
        stream_states: [
          { stream_descriptor: { name: 'orders' }, stream_state: { c: 1 } },
          { stream_descriptor: { name: 'customers' }, stream_state: { c: 2 } },
        ],
      },
    };
    expect(resumableState([global], streams)).toEqual([
      { type: 'GLOBAL', global: { shared_state: { lsn: 9 }, stream_states: [{ stream_descriptor: { name: 'orders' }, stream_state: { c: 1 } }] } },
    ]);
    expect(resumableState([{ type: 'LEGACY', data: { orders: { c: 1 }, customers: { c: 2 } } }], streams)).toEqual([
      { type: 'LEGACY', data: { orders: { c: 1 } } },
    ]);
  });
});
