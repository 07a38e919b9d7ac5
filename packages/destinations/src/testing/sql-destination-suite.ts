import { describe, expect, it } from 'vitest';
import type { DestinationConfig } from '../config.js';
import type { Destination } from '../destination.js';
import { killWriterMidBatch } from './run-crash-writer.js';
import { EMITTED_AT, UUID_V4, stream, streamState } from './streams.js';

/** What a SQL destination's tests need to look inside the database. */
export interface SqlHarness {
  config: DestinationConfig;
  /** Schema of streams without namespace. */
  schema: string;
  /** Data type names as information_schema spells them, lower-cased. */
  typeNames: { string: string; integer: string; number: string; boolean: string; json: string; timestamp: string };
  /** Rows with bigints as numbers, timestamps as ISO strings and JSON columns parsed. */
  rows(table: string, orderBy?: string): Promise<Array<Record<string, unknown>>>;
  /** Column name → lower-cased data type; {} when the table does not exist. */
  columnTypes(table: string): Promise<Record<string, string>>;
  dispose(): Promise<void>;
}

const PEOPLE = stream('people', {
  id: { type: 'integer' },
  name: { type: ['null', 'string'] },
  price: { type: 'number' },
  active: { type: 'boolean' },
  tags: { type: 'array', items: { type: 'string' } },
  address: { type: 'object', properties: { city: { type: 'string' } } },
  created_at: { type: 'string', format: 'date-time' },
  mixed: { type: ['string', 'integer'] },
});

/** The contract every SQL destination (DuckDB, Postgres) must meet, run against a fresh database or schema per test. */
export function describeSqlDestination(title: string, newHarness: () => Promise<SqlHarness>, create: (config: DestinationConfig) => Destination): void {
  async function withDestination(run: (destination: Destination, harness: SqlHarness) => Promise<void>): Promise<void> {
    const harness = await newHarness();
    const destination = create(harness.config);
    try {
      await run(destination, harness);
    } finally {
      await destination.close();
      await harness.dispose();
    }
  }

  describe(title, () => {
    it('creates typed columns beside the _airbyte_* columns and fills them', async () => {
      await withDestination(async (destination, harness) => {
        const writer = await destination.open([PEOPLE], { syncId: 'sync-1', connectionId: 'c1', generationId: 7 });
        const record = {
          id: 1,
          name: 'Ada',
          price: 9.5,
          active: true,
          tags: ['a', 'b'],
          address: { city: 'Paris' },
          created_at: '2024-01-02T03:04:05Z',
          mixed: 'x',
          unknown_field: 42,
        };
        await writer.write('people', undefined, record, EMITTED_AT);
        await writer.write('people', undefined, { id: 2 }, EMITTED_AT);
        await writer.commit(streamState('people', { cursor: 2 }));
        expect(await writer.complete()).toEqual({ recordsWritten: { people: 2 } });

        const types = await harness.columnTypes('people');
        const names = harness.typeNames;
        expect(types).toEqual({
          _airbyte_raw_id: names.string,
          _airbyte_extracted_at: names.timestamp,
          _airbyte_meta: names.json,
          _airbyte_generation_id: names.integer,
          _airbyte_data: names.json,
          id: names.integer,
          name: names.string,
          price: names.number,
          active: names.boolean,
          tags: names.json,
          address: names.json,
          created_at: names.string,
          mixed: names.json,
        });
        const [first, second] = await harness.rows('people', 'id');
        expect(first).toMatchObject({
          id: 1,
          name: 'Ada',
          price: 9.5,
          active: true,
          tags: ['a', 'b'],
          address: { city: 'Paris' },
          created_at: '2024-01-02T03:04:05Z',
          mixed: 'x',
          _airbyte_extracted_at: '2024-05-06T07:08:09.123Z',
          _airbyte_meta: { changes: [], sync_id: 'sync-1' },
          _airbyte_generation_id: 7,
          _airbyte_data: record,
        });
        expect(first?.['_airbyte_raw_id']).toMatch(UUID_V4);
        expect(second).toMatchObject({ id: 2, name: null, tags: null, _airbyte_data: { id: 2 } });
        expect(second?.['_airbyte_raw_id']).not.toBe(first?.['_airbyte_raw_id']);
      });
    });

    it('stores NULL for a value that does not fit its column and records the change in _airbyte_meta', async () => {
      await withDestination(async (destination, harness) => {
        const writer = await destination.open([PEOPLE], { syncId: 's', connectionId: 'c1' });
        await writer.write('people', undefined, { id: 'not-a-number', price: '12.5', active: 'yes', name: 'Bob' }, EMITTED_AT);
        await writer.complete();
        const [row] = await harness.rows('people');
        expect(row).toMatchObject({ id: null, price: 12.5, active: null, name: 'Bob', _airbyte_generation_id: 0 });
        expect(row?.['_airbyte_meta']).toEqual({
          changes: [
            { field: 'id', change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' },
            { field: 'active', change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' },
          ],
          sync_id: 's',
        });
        expect(row?.['_airbyte_data']).toEqual({ id: 'not-a-number', price: '12.5', active: 'yes', name: 'Bob' });
      });
    });

    it('returns committed state per stream, and a GLOBAL state replaces stream states', async () => {
      await withDestination(async (destination) => {
        expect(await destination.readState('c1')).toEqual([]);
        const streams = [stream('a', { id: { type: 'integer' } }), stream('b', { id: { type: 'integer' } })];
        const writer = await destination.open(streams, { syncId: 's', connectionId: 'c1' });
        await writer.commit(streamState('a', { cursor: 1 }));
        await writer.commit(streamState('b', { cursor: 5 }));
        await writer.commit(streamState('a', { cursor: 2 }));
        expect(await destination.readState('c1')).toEqual([streamState('a', { cursor: 2 }), streamState('b', { cursor: 5 })]);
        expect(await destination.readState('other-connection')).toEqual([]);
        const global = { type: 'GLOBAL' as const, global: { shared_state: { lsn: 9 }, stream_states: [] } };
        await writer.commit(global);
        await writer.complete();
        expect(await destination.readState('c1')).toEqual([global]);
      });
    });

    it('appends every record in append modes, across syncs', async () => {
      await withDestination(async (destination, harness) => {
        for (const syncMode of ['full_refresh_append', 'incremental_append'] as const) {
          const writer = await destination.open([stream('events', { id: { type: 'integer' } }, syncMode)], { syncId: 's', connectionId: 'c1' });
          await writer.write('events', undefined, { id: 1 }, EMITTED_AT);
          await writer.write('events', undefined, { id: 1 }, EMITTED_AT);
          await writer.complete();
        }
        expect((await harness.rows('events')).map((row) => row['id'])).toEqual([1, 1, 1, 1]);
      });
    });

    it('overwrite replaces the table only at complete(); an aborted overwrite leaves the old rows', async () => {
      await withDestination(async (destination, harness) => {
        const users = stream('users', { id: { type: 'integer' } }, 'full_refresh_overwrite');
        let writer = await destination.open([users], { syncId: 's1', connectionId: 'c1' });
        await writer.write('users', undefined, { id: 1 }, EMITTED_AT);
        await writer.write('users', undefined, { id: 2 }, EMITTED_AT);
        await writer.complete();

        writer = await destination.open([users], { syncId: 's2', connectionId: 'c1' });
        await writer.write('users', undefined, { id: 3 }, EMITTED_AT);
        await writer.commit(streamState('users', { page: 1 }));
        expect((await harness.rows('users', 'id')).map((row) => row['id'])).toEqual([1, 2]);
        await writer.abort();
        expect((await harness.rows('users', 'id')).map((row) => row['id'])).toEqual([1, 2]);

        writer = await destination.open([users], { syncId: 's3', connectionId: 'c1' });
        await writer.write('users', undefined, { id: 4 }, EMITTED_AT);
        await writer.complete();
        expect((await harness.rows('users', 'id')).map((row) => row['id'])).toEqual([4]);
        expect(await harness.columnTypes('users_airbyte_tmp')).toEqual({});
      });
    });

    it('overwrite resumes the staging rows of a killed attempt only for the same generation', async () => {
      await withDestination(async (destination, harness) => {
        const users = stream('users', { id: { type: 'integer' } }, 'full_refresh_overwrite');
        let writer = await destination.open([users], { syncId: 's1', connectionId: 'c1', generationId: 3 });
        await writer.write('users', undefined, { id: 1 }, EMITTED_AT);
        await writer.commit(streamState('users', { page: 1 }));
        await writer.abort();
        writer = await destination.open([users], { syncId: 's1', connectionId: 'c1', generationId: 3 });
        await writer.write('users', undefined, { id: 2 }, EMITTED_AT);
        await writer.complete();
        expect((await harness.rows('users', 'id')).map((row) => row['id'])).toEqual([1, 2]);

        writer = await destination.open([users], { syncId: 's2', connectionId: 'c1', generationId: 4 });
        await writer.write('users', undefined, { id: 5 }, EMITTED_AT);
        await writer.commit(streamState('users', { page: 1 }));
        await writer.abort();
        writer = await destination.open([users], { syncId: 's3', connectionId: 'c1', generationId: 5 });
        await writer.write('users', undefined, { id: 6 }, EMITTED_AT);
        await writer.complete();
        expect((await harness.rows('users', 'id')).map((row) => row['id'])).toEqual([6]);
      });
    });

    it('dedup keeps one row per primary key: the greatest cursor, and the later record on a tie', async () => {
      await withDestination(async (destination, harness) => {
        const orders = stream(
          'orders',
          { id: { type: 'integer' }, updated: { type: 'integer' }, note: { type: 'string' } },
          'incremental_append_dedup',
          { primaryKey: [['id']], cursorField: ['updated'] },
        );
        let writer = await destination.open([orders], { syncId: 's1', connectionId: 'c1' });
        await writer.write('orders', undefined, { id: 1, updated: 1, note: 'first' }, EMITTED_AT);
        await writer.write('orders', undefined, { id: 2, updated: 1, note: 'two' }, EMITTED_AT);
        await writer.write('orders', undefined, { id: 1, updated: 3, note: 'newest' }, EMITTED_AT);
        await writer.write('orders', undefined, { id: 1, updated: 2, note: 'older, later' }, EMITTED_AT);
        await writer.commit(streamState('orders', { updated: 3 }));
        await writer.write('orders', undefined, { id: 4, updated: null, note: 'no cursor' }, EMITTED_AT);
        await writer.write('orders', undefined, { id: null, updated: 1, note: 'no key' }, EMITTED_AT);
        await writer.write('orders', undefined, { updated: 1, note: 'no key' }, EMITTED_AT);
        await writer.complete();

        writer = await destination.open([orders], { syncId: 's2', connectionId: 'c1' });
        await writer.write('orders', undefined, { id: 1, updated: 2, note: 'stale' }, EMITTED_AT);
        await writer.write('orders', undefined, { id: 2, updated: 1, note: 'tie, later wins' }, EMITTED_AT);
        await writer.write('orders', undefined, { id: 3, updated: 1, note: 'new' }, EMITTED_AT);
        await writer.write('orders', undefined, { id: 4, updated: 0, note: 'cursor beats none' }, EMITTED_AT);
        await writer.complete();

        const rows = await harness.rows('orders', 'id');
        expect(rows.map((row) => [row['id'], row['updated'], row['note']])).toEqual([
          [1, 3, 'newest'],
          [2, 1, 'tie, later wins'],
          [3, 1, 'new'],
          [4, 0, 'cursor beats none'],
          [null, 1, 'no key'],
          [null, 1, 'no key'],
        ]);
      });
    });

    it('dedup stays right when a window holds more keys than one merge, and abort undoes early merges', async () => {
      await withDestination(async (destination, harness) => {
        const orders = stream('orders', { id: { type: 'integer' }, updated: { type: 'integer' } }, 'incremental_append_dedup', {
          primaryKey: [['id']],
          cursorField: ['updated'],
        });
        let writer = await destination.open([orders], { syncId: 's1', connectionId: 'c1' });
        for (let id = 0; id < 6_000; id += 1) await writer.write('orders', undefined, { id, updated: 1 }, EMITTED_AT);
        for (let id = 0; id < 100; id += 1) await writer.write('orders', undefined, { id, updated: 0 }, EMITTED_AT);
        for (let id = 100; id < 200; id += 1) await writer.write('orders', undefined, { id, updated: 2 }, EMITTED_AT);
        await writer.complete();
        let rows = await harness.rows('orders', 'id');
        expect(rows.length).toBe(6_000);
        expect([rows[0]?.['updated'], rows[150]?.['updated'], rows[5_999]?.['updated']]).toEqual([1, 2, 1]);

        writer = await destination.open([orders], { syncId: 's2', connectionId: 'c1' });
        for (let id = 0; id < 6_000; id += 1) await writer.write('orders', undefined, { id: id + 10_000, updated: 5 }, EMITTED_AT);
        await writer.abort();
        rows = await harness.rows('orders', 'id');
        expect(rows.length).toBe(6_000);
      });
    }, 60_000);

    it('dedup on a composite, nested primary key without a cursor keeps the later record', async () => {
      await withDestination(async (destination, harness) => {
        const items = stream('items', { shop: { type: 'string' }, ref: { type: 'object' }, qty: { type: 'integer' } }, 'incremental_append_dedup', {
          primaryKey: [['shop'], ['ref', 'code']],
        });
        const writer = await destination.open([items], { syncId: 's1', connectionId: 'c1' });
        await writer.write('items', undefined, { shop: 'a', ref: { code: 'x' }, qty: 1 }, EMITTED_AT);
        await writer.commit(streamState('items', {}));
        await writer.write('items', undefined, { shop: 'a', ref: { code: 'x' }, qty: 2 }, EMITTED_AT);
        await writer.write('items', undefined, { shop: 'b', ref: { code: 'x' }, qty: 3 }, EMITTED_AT);
        await writer.complete();
        expect((await harness.rows('items', 'qty')).map((row) => row['qty'])).toEqual([2, 3]);
      });
    });

    it('evolves the table between syncs: adds new columns and widens types without losing values', async () => {
      await withDestination(async (destination, harness) => {
        const before = stream('metrics', { id: { type: 'integer' }, score: { type: 'integer' }, flag: { type: 'boolean' }, label: { type: 'string' } });
        let writer = await destination.open([before], { syncId: 's1', connectionId: 'c1' });
        await writer.write('metrics', undefined, { id: 1, score: 10, flag: true, label: 'x' }, EMITTED_AT);
        await writer.complete();

        const after = stream('metrics', {
          id: { type: 'integer' },
          score: { type: 'number' },
          flag: { type: 'integer' },
          label: { type: 'object' },
          added: { type: 'string' },
        });
        writer = await destination.open([after], { syncId: 's2', connectionId: 'c1' });
        await writer.write('metrics', undefined, { id: 2, score: 1.5, flag: 7, label: { a: 1 }, added: 'new' }, EMITTED_AT);
        await writer.complete();

        const types = await harness.columnTypes('metrics');
        expect([types['score'], types['flag'], types['label'], types['added']]).toEqual([
          harness.typeNames.number,
          harness.typeNames.string,
          harness.typeNames.json,
          harness.typeNames.string,
        ]);
        const rows = await harness.rows('metrics', 'id');
        expect(rows.map((row) => [row['id'], row['score'], row['flag'], row['label'], row['added']])).toEqual([
          [1, 10, 'true', 'x', null],
          [2, 1.5, '7', { a: 1 }, 'new'],
        ]);

        // A narrower schema later never narrows the column back.
        writer = await destination.open([before], { syncId: 's3', connectionId: 'c1' });
        await writer.write('metrics', undefined, { id: 3, score: 4, flag: false, label: 'y' }, EMITTED_AT);
        await writer.complete();
        expect((await harness.columnTypes('metrics'))['score']).toBe(harness.typeNames.number);
        expect((await harness.rows('metrics', 'id'))[2]).toMatchObject({ id: 3, score: 4, flag: 'false', label: 'y' });
      });
    });

    it('puts a namespaced stream in the schema of its namespace', async () => {
      await withDestination(async (destination, harness) => {
        const namespace = `${harness.schema}_ns`;
        const writer = await destination.open([stream('things', { id: { type: 'integer' } }, 'incremental_append', { namespace })], {
          syncId: 's',
          connectionId: 'c1',
        });
        await writer.write('things', namespace, { id: 1 }, EMITTED_AT);
        await writer.commit({ type: 'STREAM', stream: { stream_descriptor: { name: 'things', namespace }, stream_state: { n: 1 } } });
        await writer.complete();
        expect(await harness.columnTypes('things')).toEqual({});
        await destination.resetStream('c1', { name: 'things', namespace });
        expect(await destination.readState('c1')).toEqual([]);
      });
    });

    it('abort discards records written after the last commit', async () => {
      await withDestination(async (destination, harness) => {
        const writer = await destination.open([stream('events', { id: { type: 'integer' } })], { syncId: 's', connectionId: 'c1' });
        for (let id = 0; id < 3; id += 1) await writer.write('events', undefined, { id }, EMITTED_AT);
        await writer.commit(streamState('events', { cursor: 3 }));
        for (let id = 3; id < 6_000; id += 1) await writer.write('events', undefined, { id }, EMITTED_AT);
        await writer.abort();
        expect((await harness.rows('events', 'id')).map((row) => row['id'])).toEqual([0, 1, 2]);
        expect(await destination.readState('c1')).toEqual([streamState('events', { cursor: 3 })]);
        await expect(writer.write('events', undefined, { id: 9 }, EMITTED_AT)).rejects.toMatchObject({ code: 'DEST_WRITER_CLOSED' });
      });
    });

    it('commits records written after the last state at complete()', async () => {
      await withDestination(async (destination, harness) => {
        const writer = await destination.open([stream('events', { id: { type: 'integer' } }, 'full_refresh_append')], { syncId: 's', connectionId: 'c1' });
        await writer.write('events', undefined, { id: 1 }, EMITTED_AT);
        await writer.write('events', undefined, { id: 2 }, EMITTED_AT);
        expect(await harness.rows('events')).toEqual([]);
        await writer.complete();
        expect((await harness.rows('events', 'id')).map((row) => row['id'])).toEqual([1, 2]);
        expect(await destination.readState('c1')).toEqual([]);
      });
    });

    it('after a writer is killed mid-batch, only committed rows and state remain', async () => {
      await withDestination(async (destination, harness) => {
        const events = stream('events', { id: { type: 'integer' }, pad: { type: 'string' } });
        // The uncommitted batch is larger than one flush, so part of it reached the database before the kill.
        await killWriterMidBatch({ config: harness.config, stream: events, committed: 100, uncommitted: 7_000, connectionId: 'c1' });
        expect(await destination.readState('c1')).toEqual([streamState('events', { cursor: 100 })]);
        const rows = await harness.rows('events', 'id');
        expect(rows.length).toBe(100);
        expect(rows.at(-1)?.['id']).toBe(99);
        const writer = await destination.open([events], { syncId: 's2', connectionId: 'c1' });
        await writer.write('events', undefined, { id: 100 }, EMITTED_AT);
        await writer.complete();
        expect((await harness.rows('events')).length).toBe(101);
      });
    }, 60_000);

    it('an overwrite killed mid-batch leaves the old table; the same generation resumes its committed rows', async () => {
      await withDestination(async (destination, harness) => {
        const users = stream('users', { id: { type: 'integer' }, pad: { type: 'string' } }, 'full_refresh_overwrite');
        let writer = await destination.open([users], { syncId: 's0', connectionId: 'c1', generationId: 0 });
        await writer.write('users', undefined, { id: -1 }, EMITTED_AT);
        await writer.complete();
        // DuckDB lets one process at a time open a file: the child needs it released.
        await destination.close();
        // The crash writer opens with generationId 1.
        await killWriterMidBatch({ config: harness.config, stream: users, committed: 100, uncommitted: 6_000, connectionId: 'c1' });
        expect((await harness.rows('users')).map((row) => row['id'])).toEqual([-1]);
        expect(await destination.readState('c1')).toEqual([streamState('users', { cursor: 100 })]);

        writer = await destination.open([users], { syncId: 's1', connectionId: 'c1', generationId: 1 });
        await writer.write('users', undefined, { id: 100 }, EMITTED_AT);
        await writer.complete();
        const ids = (await harness.rows('users', 'id')).map((row) => row['id']);
        expect(ids).toEqual(Array.from({ length: 101 }, (_, id) => id));
      });
    }, 60_000);

    it('resetStream drops one stream’s rows and state and keeps the others', async () => {
      await withDestination(async (destination, harness) => {
        const streams = [stream('a', { id: { type: 'integer' } }), stream('b', { id: { type: 'integer' } })];
        const writer = await destination.open(streams, { syncId: 's', connectionId: 'c1' });
        await writer.write('a', undefined, { id: 1 }, EMITTED_AT);
        await writer.write('b', undefined, { id: 2 }, EMITTED_AT);
        await writer.commit(streamState('a', { cursor: 1 }));
        await writer.commit(streamState('b', { cursor: 2 }));
        await writer.complete();
        await destination.resetStream('c1', { name: 'a' });
        expect(await harness.rows('a')).toEqual([]);
        expect((await harness.rows('b')).length).toBe(1);
        expect(await destination.readState('c1')).toEqual([streamState('b', { cursor: 2 })]);
      });
    });

    it('rejects a record for a stream it was not opened with, and dedup without a primary key', async () => {
      await withDestination(async (destination) => {
        const writer = await destination.open([stream('a', {})], { syncId: 's', connectionId: 'c1' });
        await expect(writer.write('zzz', undefined, {}, EMITTED_AT)).rejects.toMatchObject({ code: 'DEST_UNKNOWN_STREAM', message: expect.stringContaining("'zzz'") });
        await writer.abort();
        await expect(destination.open([stream('b', {}, 'incremental_append_dedup')], { syncId: 's', connectionId: 'c1' })).rejects.toMatchObject({
          code: 'DEST_SYNC_MODE_UNSUPPORTED',
        });
      });
    });

    it('check() succeeds on a usable config', async () => {
      await withDestination(async (destination) => {
        expect(await destination.check()).toEqual({ ok: true });
      });
    });
  });
}
