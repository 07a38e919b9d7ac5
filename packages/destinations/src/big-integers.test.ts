/**
 * Integers beyond 2^53 reach destinations as BigInt (the runtime keeps them exact): they must be
 * written exactly where the format allows it and never crash a write.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coerceValue } from './coerce.js';
import { compareCursors, primaryKeyOf } from './dedup.js';
import { createDestination } from './create-destination.js';
import { EMITTED_AT, stream, streamState } from './testing/streams.js';

const BIG = 12345678901234567890n; // beyond int64 too
const FITS = 9007199254740993n; // beyond 2^53, inside int64

describe('big integers in destinations', () => {
  it('casts a BigInt for each column type: exact digits, NULL when an int64 column cannot hold it', () => {
    expect(coerceValue(FITS, 'integer')).toBe(FITS);
    expect(coerceValue(BIG, 'integer')).toBeUndefined();
    expect(coerceValue(BIG, 'string')).toBe('12345678901234567890');
    expect(coerceValue({ id: BIG }, 'json')).toBe('{"id":12345678901234567890}');
    expect(coerceValue(BIG, 'number')).toBe(Number(BIG));
  });

  it('keys and cursors compare BigInts exactly', () => {
    expect(primaryKeyOf({ id: BIG }, [['id']])).toBe('[12345678901234567890]');
    expect(primaryKeyOf({ id: BIG + 1n }, [['id']])).not.toBe(primaryKeyOf({ id: BIG }, [['id']]));
    expect(compareCursors(BIG, BIG + 1n)).toBe(-1);
    expect(compareCursors(FITS, 9007199254740992)).toBe(1);
    expect(compareCursors(5, FITS)).toBe(-1);
  });

  it('JSON Lines writes the digits of a BigInt, and its state file keeps a BigInt cursor exact', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'manifold-big-')), 'out');
    const destination = createDestination({ type: 'jsonl', directory });
    const writer = await destination.open([stream('events', { id: { type: 'integer' } }, 'incremental_append')], { syncId: 's', connectionId: 'c' });
    await writer.write('events', undefined, { id: BIG, nested: [FITS] }, EMITTED_AT);
    await writer.commit(streamState('events', { id: BIG }));
    await writer.complete();
    const text = readFileSync(join(directory, 'events.jsonl'), 'utf8');
    expect(text).toContain('"_airbyte_data":{"id":12345678901234567890,"nested":[9007199254740993]}');
    const [state] = await destination.readState('c');
    expect((state as { stream: { stream_state: { id: unknown } } }).stream.stream_state.id).toBe(BIG);
    await destination.close();
  });

  it('DuckDB keeps a BigInt that fits int64 exact and NULLs one that does not, recording the change', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'manifold-big-')), 'w.duckdb');
    const destination = createDestination({ type: 'duckdb', path });
    const writer = await destination.open([stream('events', { id: { type: 'integer' } }, 'incremental_append')], { syncId: 's', connectionId: 'c' });
    await writer.write('events', undefined, { id: FITS }, EMITTED_AT);
    await writer.write('events', undefined, { id: BIG }, EMITTED_AT);
    await writer.commit(streamState('events', { id: BIG }));
    await writer.complete();
    const [state] = await destination.readState('c');
    expect((state as { stream: { stream_state: { id: unknown } } }).stream.stream_state.id).toBe(BIG);
    await destination.close();
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(path);
    const connection = await db.connect();
    const reader = await connection.runAndReadAll(
      "SELECT id::VARCHAR AS id, _airbyte_data::VARCHAR AS data, _airbyte_meta::VARCHAR AS meta FROM events ORDER BY _airbyte_data::VARCHAR",
    );
    const rows = reader.getRowObjects() as Array<{ id: string | null; data: string; meta: string }>;
    connection.closeSync();
    expect(rows.map((r) => r.id)).toEqual([null, '9007199254740993']);
    expect(rows.map((r) => r.data)).toEqual(['{"id":12345678901234567890}', '{"id":9007199254740993}']);
    expect(JSON.parse(rows[0]!.meta).changes).toEqual([{ field: 'id', change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' }]);
  });
});
