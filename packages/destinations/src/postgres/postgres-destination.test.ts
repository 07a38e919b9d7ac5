import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDestination } from '../create-destination.js';
import { findPostgresBin, type PostgresServer, startPostgres } from '../testing/postgres-server.js';
import { describeSqlDestination, type SqlHarness } from '../testing/sql-destination-suite.js';
import { EMITTED_AT, stream, streamState } from '../testing/streams.js';

const bin = findPostgresBin();
if (!bin) console.warn('postgres destination tests SKIPPED: no initdb/pg_ctl in /usr/local/bin or /usr/lib/postgresql/*/bin');

let server: PostgresServer;

function normalize(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return value;
}

async function postgresHarness(): Promise<SqlHarness> {
  const schema = `t_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const client = new pg.Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: server.database });
  await client.connect();
  const columnTypes = async (table: string): Promise<Record<string, string>> => {
    const { rows } = await client.query(
      'SELECT column_name, lower(data_type) AS data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
      [schema, table],
    );
    return Object.fromEntries(rows.map((row: Record<string, unknown>) => [String(row['column_name']), String(row['data_type'])]));
  };
  return {
    config: { type: 'postgres', host: server.host, port: server.port, database: server.database, user: server.user, password: server.password, schema },
    schema,
    typeNames: { string: 'text', integer: 'bigint', number: 'double precision', boolean: 'boolean', json: 'jsonb', timestamp: 'timestamp with time zone' },
    columnTypes,
    async rows(table, orderBy) {
      const types = await columnTypes(table);
      const { rows } = await client.query(`SELECT * FROM "${schema}"."${table}"${orderBy ? ` ORDER BY "${orderBy}"` : ''}`);
      return rows.map((row: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(row).map(([name, value]) => [name, types[name] === 'bigint' && typeof value === 'string' ? Number(value) : normalize(value)])),
      );
    },
    async dispose() {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${schema}_ns" CASCADE`);
      await client.end();
    },
  };
}

describe.skipIf(!bin)('postgres destination (real server)', () => {
  beforeAll(async () => {
    server = await startPostgres(bin!);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  describeSqlDestination('postgres destination', postgresHarness, createDestination);

  it('writes 20k small records at a usable rate', async () => {
    const harness = await postgresHarness();
    const destination = createDestination(harness.config);
    const started = performance.now();
    const writer = await destination.open([stream('events', { id: { type: 'integer' }, name: { type: 'string' }, value: { type: 'number' } })], {
      syncId: 's',
      connectionId: 'c1',
    });
    for (let id = 0; id < 20_000; id += 1) await writer.write('events', undefined, { id, name: `name-${id}`, value: id / 3 }, EMITTED_AT);
    await writer.commit(streamState('events', { cursor: 20_000 }));
    await writer.complete();
    const perSecond = Math.round(20_000 / ((performance.now() - started) / 1000));
    console.log(`postgres: 20000 records at ${perSecond} records/s`);
    expect(perSecond).toBeGreaterThan(1_000);
    expect((await harness.rows('events')).length).toBe(20_000);
    await destination.close();
    await harness.dispose();
  }, 60_000);

  describe('postgres check()', () => {
    it('reports an unreachable server clearly', async () => {
      const destination = createDestination({ type: 'postgres', host: '127.0.0.1', port: 1, database: 'db', user: 'u', password: 'hunter2-secret' });
      const result = await destination.check();
      expect(result.ok).toBe(false);
      expect(result.message).toMatch(/^cannot connect to postgres:\/\/u@127\.0\.0\.1:1\/db: .*ECONNREFUSED/);
      expect(result.message).not.toContain('hunter2-secret');
    });

    it('reports a wrong password without the password', async () => {
      const harness = await postgresHarness();
      if (harness.config.type !== 'postgres') throw new Error('postgres harness expected');
      const destination = createDestination({ ...harness.config, password: 'wrong-password-123' });
      const result = await destination.check();
      await harness.dispose();
      expect(result.ok).toBe(false);
      expect(result.message).toContain('password authentication failed');
      expect(result.message).not.toContain('wrong-password-123');
    });
  });
});
