import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type DuckDBAppender, type DuckDBConnection, DuckDBInstance, DuckDBTimestampTZValue } from '@duckdb/node-api';
import type { ColumnType } from '../columns.js';
import { quoteIdentifier } from '../columns.js';
import type { SqlBackend } from '../sql/sql-destination.js';
import type { LayoutColumn, SqlDialect, SqlSession, TableName, ValueKind } from '../sql/session.js';

const TYPE_NAMES: Record<ValueKind, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  json: 'JSON',
  timestamp: 'TIMESTAMPTZ',
};

export const duckdbDialect: SqlDialect = {
  defaultSchema: 'main',
  typeName: (kind) => TYPE_NAMES[kind],
  kindOfDataType(dataType) {
    const type = dataType.toUpperCase();
    if (type === 'JSON') return 'json';
    if (type === 'BOOLEAN') return 'boolean';
    if (['BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'HUGEINT'].includes(type)) return 'integer';
    if (['DOUBLE', 'FLOAT', 'REAL'].includes(type) || type.startsWith('DECIMAL')) return 'number';
    if (type.startsWith('TIMESTAMP')) return 'timestamp';
    return 'string';
  },
  widenColumnSql(table, column, to: ColumnType) {
    const name = quoteIdentifier(column);
    const using = to === 'json' ? `to_json(${name})` : `CAST(${name} AS ${TYPE_NAMES[to]})`;
    return `ALTER TABLE ${table} ALTER COLUMN ${name} SET DATA TYPE ${TYPE_NAMES[to]} USING ${using}`;
  },
  jsonPathText(jsonColumn, path) {
    const jsonPath = `$${path.map((key) => `."${key.replaceAll('"', '\\"')}"`).join('')}`;
    return `json_extract_string(${jsonColumn}, '${jsonPath.replaceAll("'", "''")}')`;
  },
};

/** One DuckDB instance per file in this process, shared by every destination object that uses it. */
const openInstances = new Map<string, { instance: Promise<DuckDBInstance>; users: number }>();

export async function acquireInstance(path: string): Promise<DuckDBInstance> {
  const entry = openInstances.get(path) ?? { instance: DuckDBInstance.create(path), users: 0 };
  entry.users += 1;
  openInstances.set(path, entry);
  try {
    return await entry.instance;
  } catch (error) {
    entry.users -= 1;
    if (entry.users === 0) openInstances.delete(path);
    throw error;
  }
}

export async function releaseInstance(path: string): Promise<void> {
  const entry = openInstances.get(path);
  if (!entry) return;
  entry.users -= 1;
  if (entry.users > 0) return;
  openInstances.delete(path);
  (await entry.instance).closeSync();
}

class DuckDBSession implements SqlSession {
  constructor(private readonly connection: DuckDBConnection) {}

  async execute(sql: string, params?: unknown[]): Promise<void> {
    await this.connection.run(sql, params as never);
  }

  async query(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>> {
    const reader = await this.connection.runAndReadAll(sql, params as never);
    return reader.getRowObjectsJS() as Array<Record<string, unknown>>;
  }

  async insertRows(table: TableName, layout: LayoutColumn[], rows: unknown[][]): Promise<void> {
    if (rows.length === 0) return;
    const appender = table.temporary
      ? await this.connection.createAppender(table.table, 'main', 'temp')
      : await this.connection.createAppender(table.table, table.schema);
    try {
      for (const row of rows) {
        for (let index = 0; index < layout.length; index += 1) appendValue(appender, layout[index]!.kind, row[index]);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  async close(): Promise<void> {
    this.connection.closeSync();
  }
}

function appendValue(appender: DuckDBAppender, kind: ValueKind, value: unknown): void {
  if (value === null || value === undefined) {
    appender.appendNull();
    return;
  }
  switch (kind) {
    case 'integer':
      appender.appendBigInt(typeof value === 'bigint' ? value : BigInt(value as number));
      return;
    case 'number':
      appender.appendDouble(value as number);
      return;
    case 'boolean':
      appender.appendBoolean(value as boolean);
      return;
    case 'timestamp': {
      const millis = typeof value === 'number' ? value : Date.parse(String(value));
      if (Number.isNaN(millis)) appender.appendNull();
      else appender.appendTimestampTZ(new DuckDBTimestampTZValue(BigInt(Math.round(millis * 1000))));
      return;
    }
    default:
      appender.appendVarchar(String(value));
  }
}

/** DuckDB file backend: one instance for the file, one connection per session. */
export class DuckDBBackend implements SqlBackend {
  readonly dialect = duckdbDialect;
  private readonly path: string;
  private acquired: Promise<DuckDBInstance> | undefined;

  constructor(path: string) {
    this.path = resolve(path);
  }

  async connect(): Promise<SqlSession> {
    const instance = await this.instance();
    return new DuckDBSession(await instance.connect());
  }

  async check(): Promise<{ ok: boolean; message?: string }> {
    const directory = dirname(this.path);
    if (!existsSync(directory) || !statSync(directory).isDirectory()) {
      return { ok: false, message: `DuckDB file ${this.path}: directory ${directory} does not exist` };
    }
    try {
      const session = await this.connect();
      try {
        await session.query('SELECT 1');
      } finally {
        await session.close();
      }
      return { ok: true };
    } catch (error) {
      return { ok: false, message: `DuckDB file ${this.path} cannot be opened: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  async dispose(): Promise<void> {
    if (!this.acquired) return;
    const acquired = this.acquired;
    this.acquired = undefined;
    if (await acquired.then(() => true, () => false)) await releaseInstance(this.path);
  }

  private instance(): Promise<DuckDBInstance> {
    if (!this.acquired) {
      this.acquired = acquireInstance(this.path);
      // A failed open is not held: the next call tries again.
      this.acquired.catch(() => {
        this.acquired = undefined;
      });
    }
    return this.acquired;
  }
}
