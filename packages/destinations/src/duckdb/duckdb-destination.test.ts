import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDestination } from '../create-destination.js';
import { describeSqlDestination, type SqlHarness } from '../testing/sql-destination-suite.js';
import { EMITTED_AT, stream, streamState } from '../testing/streams.js';
import { acquireInstance, releaseInstance } from './duckdb-backend.js';

function normalize(value: unknown, dataType: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (dataType === 'json' && typeof value === 'string') return JSON.parse(value);
  return value;
}

async function duckdbHarness(): Promise<SqlHarness> {
  const path = join(mkdtempSync(join(tmpdir(), 'manifold-duckdb-')), 'warehouse.duckdb');
  // Each query opens and lets go of the file, so a child process (crash tests) can take its lock.
  const query = async (sql: string, params: string[] = []): Promise<Array<Record<string, unknown>>> => {
    const instance = await acquireInstance(path);
    const connection = await instance.connect();
    try {
      return (await connection.runAndReadAll(sql, params)).getRowObjectsJS() as Array<Record<string, unknown>>;
    } finally {
      connection.closeSync();
      await releaseInstance(path);
    }
  };
  const columnTypes = async (table: string): Promise<Record<string, string>> => {
    const rows = await query(
      "SELECT column_name, lower(data_type) AS data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $1 ORDER BY ordinal_position",
      [table],
    );
    return Object.fromEntries(rows.map((row) => [String(row['column_name']), String(row['data_type'])]));
  };
  return {
    config: { type: 'duckdb', path },
    schema: 'main',
    typeNames: { string: 'varchar', integer: 'bigint', number: 'double', boolean: 'boolean', json: 'json', timestamp: 'timestamp with time zone' },
    columnTypes,
    async rows(table, orderBy) {
      const types = await columnTypes(table);
      const rows = await query(`SELECT * FROM main."${table}"${orderBy ? ` ORDER BY "${orderBy}"` : ''}`);
      return rows.map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name, normalize(value, types[name] ?? '')])));
    },
    async dispose() {},
  };
}

describeSqlDestination('duckdb destination', duckdbHarness, createDestination);

describe('duckdb destination: files and speed', () => {
  it('check() names a missing directory without touching it', async () => {
    const destination = createDestination({ type: 'duckdb', path: '/nonexistent-dir/sub/warehouse.duckdb' });
    expect(await destination.check()).toEqual({ ok: false, message: expect.stringContaining('directory /nonexistent-dir/sub does not exist') });
  });

  it('check() reports a file that is not a DuckDB database', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'manifold-duckdb-'));
    const destination = createDestination({ type: 'duckdb', path: directory });
    const result = await destination.check();
    expect(result.ok).toBe(false);
    expect(result.message).toContain(`DuckDB file ${directory} cannot be opened`);
  });

  it('keeps committed rows and state when the file is closed and reopened', async () => {
    const harness = await duckdbHarness();
    let destination = createDestination(harness.config);
    const writer = await destination.open([stream('events', { id: { type: 'integer' } })], { syncId: 's', connectionId: 'c1' });
    await writer.write('events', undefined, { id: 1 }, EMITTED_AT);
    await writer.commit(streamState('events', { cursor: 1 }));
    await writer.write('events', undefined, { id: 2 }, EMITTED_AT);
    // Neither complete() nor abort(): the process lets go of the file as a crash would.
    await destination.close();
    destination = createDestination(harness.config);
    expect(await destination.readState('c1')).toEqual([streamState('events', { cursor: 1 })]);
    expect((await harness.rows('events')).map((row) => row['id'])).toEqual([1]);
    await destination.close();
    await harness.dispose();
  });

  it('writes 100k small records at a usable rate', async () => {
    const harness = await duckdbHarness();
    const destination = createDestination(harness.config);
    const events = stream('events', { id: { type: 'integer' }, name: { type: 'string' }, value: { type: 'number' } });
    const started = performance.now();
    const writer = await destination.open([events], { syncId: 's', connectionId: 'c1' });
    for (let id = 0; id < 100_000; id += 1) {
      await writer.write('events', undefined, { id, name: `name-${id}`, value: id / 3 }, EMITTED_AT);
      if (id % 20_000 === 19_999) await writer.commit(streamState('events', { cursor: id }));
    }
    await writer.complete();
    const seconds = (performance.now() - started) / 1000;
    const perSecond = Math.round(100_000 / seconds);
    console.log(`duckdb: 100000 records in ${seconds.toFixed(2)} s = ${perSecond} records/s`);
    expect(perSecond).toBeGreaterThan(5_000);
    expect((await harness.rows('events')).length).toBe(100_000);
    await destination.close();
    await harness.dispose();
  }, 60_000);
});
