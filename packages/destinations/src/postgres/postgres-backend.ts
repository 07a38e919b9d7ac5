import pg from 'pg';
import type { ColumnType } from '../columns.js';
import { quoteIdentifier } from '../columns.js';
import { safeMessage } from '../errors.js';
import type { SqlBackend } from '../sql/sql-destination.js';
import type { LayoutColumn, SqlDialect, SqlSession, TableName, ValueKind } from '../sql/session.js';
import { qualifiedName } from '../sql/session.js';

export interface PostgresConfig {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  schema?: string;
  ssl?: boolean;
}

const TYPE_NAMES: Record<ValueKind, string> = {
  string: 'TEXT',
  integer: 'BIGINT',
  number: 'DOUBLE PRECISION',
  boolean: 'BOOLEAN',
  json: 'JSONB',
  timestamp: 'TIMESTAMPTZ',
};

/** Postgres limits a statement to 65535 parameters; rows are sent in groups that stay below. */
const MAX_PARAMETERS = 60_000;
const MAX_ROWS_PER_INSERT = 2_000;
const CONNECT_TIMEOUT_MS = 10_000;

export function postgresDialect(schema: string): SqlDialect {
  return {
    defaultSchema: schema,
    typeName: (kind) => TYPE_NAMES[kind],
    kindOfDataType(dataType) {
      const type = dataType.toLowerCase();
      if (type === 'jsonb' || type === 'json') return 'json';
      if (type === 'boolean') return 'boolean';
      if (['bigint', 'integer', 'smallint'].includes(type)) return 'integer';
      if (['double precision', 'real', 'numeric'].includes(type)) return 'number';
      if (type.startsWith('timestamp')) return 'timestamp';
      return 'string';
    },
    widenColumnSql(table, column, to: ColumnType) {
      const name = quoteIdentifier(column);
      const using = to === 'json' ? `to_jsonb(${name})` : `${name}::${TYPE_NAMES[to]}`;
      return `ALTER TABLE ${table} ALTER COLUMN ${name} TYPE ${TYPE_NAMES[to]} USING ${using}`;
    },
    jsonPathText(jsonColumn, path) {
      const elements = path.map((key) => `"${key.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',');
      return `(${jsonColumn} #>> '{${elements.replaceAll("'", "''")}}')`;
    },
  };
}

class PostgresSession implements SqlSession {
  constructor(private readonly client: pg.Client) {}

  async execute(sql: string, params?: unknown[]): Promise<void> {
    await this.client.query(sql, params);
  }

  async query(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>> {
    return (await this.client.query(sql, params)).rows as Array<Record<string, unknown>>;
  }

  async insertRows(table: TableName, layout: LayoutColumn[], rows: unknown[][]): Promise<void> {
    const columns = layout.map((column) => quoteIdentifier(column.name)).join(', ');
    const rowsPerInsert = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / layout.length)));
    for (let start = 0; start < rows.length; start += rowsPerInsert) {
      const group = rows.slice(start, start + rowsPerInsert);
      const params: unknown[] = [];
      const tuples = group.map((row) => {
        const placeholders = layout.map((column, index) => {
          params.push(toParameter(column.kind, row[index]));
          return `$${params.length}::${TYPE_NAMES[column.kind]}`;
        });
        return `(${placeholders.join(', ')})`;
      });
      await this.client.query(`INSERT INTO ${qualifiedName(table, quoteIdentifier)} (${columns}) VALUES ${tuples.join(', ')}`, params);
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

function toParameter(kind: ValueKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (kind === 'timestamp' && typeof value === 'number') return new Date(value).toISOString();
  return value;
}

/** Postgres backend: one client per session; the password only ever goes to the driver. */
export class PostgresBackend implements SqlBackend {
  readonly dialect: SqlDialect;

  constructor(private readonly config: PostgresConfig) {
    this.dialect = postgresDialect(config.schema ?? 'public');
  }

  async connect(): Promise<SqlSession> {
    const client = new pg.Client({
      host: this.config.host,
      port: this.config.port,
      database: this.config.database,
      user: this.config.user,
      password: this.config.password,
      ssl: this.config.ssl ? { rejectUnauthorized: false } : false,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    // An idle client whose server goes away emits 'error'; without a listener that would crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw new Error(this.describeFailure(error));
    }
    return new PostgresSession(client);
  }

  async check(): Promise<{ ok: boolean; message?: string }> {
    try {
      const session = await this.connect();
      try {
        await session.execute(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(this.dialect.defaultSchema)}`);
      } finally {
        await session.close();
      }
      return { ok: true };
    } catch (error) {
      return { ok: false, message: this.describeFailure(error) };
    }
  }

  async dispose(): Promise<void> {}

  private describeFailure(error: unknown): string {
    const where = `postgres://${this.config.user}@${this.config.host}:${this.config.port}/${this.config.database}`;
    const text = safeMessage(error, [this.config.password]);
    return text.startsWith('cannot connect to ') ? text : `cannot connect to ${where}: ${text || (error as { code?: string }).code || 'unknown error'}`;
  }
}
