import { AIRBYTE_COLUMNS, quoteIdentifier, type TypedColumn, widenColumnType } from '../columns.js';
import type { LayoutColumn, SqlDialect, SqlSession, TableName, ValueKind } from './session.js';

const AIRBYTE_KINDS: Record<(typeof AIRBYTE_COLUMNS)[number], ValueKind> = {
  _airbyte_raw_id: 'string',
  _airbyte_extracted_at: 'timestamp',
  _airbyte_meta: 'json',
  _airbyte_generation_id: 'integer',
  _airbyte_data: 'json',
};

export function tableSql(table: TableName): string {
  return `${quoteIdentifier(table.schema)}.${quoteIdentifier(table.table)}`;
}

/** The table's columns in their order, or [] when it does not exist. */
export async function readLayout(session: SqlSession, dialect: SqlDialect, table: TableName): Promise<LayoutColumn[]> {
  const rows = await session.query(
    'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
    [table.schema, table.table],
  );
  return rows.map((row) => ({ name: String(row['column_name']), kind: dialect.kindOfDataType(String(row['data_type'])) }));
}

/**
 * Creates the table, or brings an existing one up to the stream's schema: missing columns are
 * added and column types widened (never narrowed, never dropped). Returns the resulting layout.
 */
export async function ensureTable(
  session: SqlSession,
  dialect: SqlDialect,
  table: TableName,
  columns: TypedColumn[],
): Promise<LayoutColumn[]> {
  await session.execute(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(table.schema)}`);
  const existing = await readLayout(session, dialect, table);
  if (existing.length === 0) {
    const definitions = [
      ...AIRBYTE_COLUMNS.map((name) => `${quoteIdentifier(name)} ${dialect.typeName(AIRBYTE_KINDS[name])}`),
      ...columns.map((column) => `${quoteIdentifier(column.name)} ${dialect.typeName(column.type)}`),
    ];
    await session.execute(`CREATE TABLE ${tableSql(table)} (${definitions.join(', ')})`);
    return readLayout(session, dialect, table);
  }
  const existingKinds = new Map(existing.map((column) => [column.name, column.kind]));
  for (const column of AIRBYTE_COLUMNS) {
    // A table from before a column existed in our layout gets it added, so every row shape is one.
    if (!existingKinds.has(column)) {
      await session.execute(`ALTER TABLE ${tableSql(table)} ADD COLUMN ${quoteIdentifier(column)} ${dialect.typeName(AIRBYTE_KINDS[column])}`);
    }
  }
  for (const column of columns) {
    const kind = existingKinds.get(column.name);
    if (kind === undefined) {
      await session.execute(`ALTER TABLE ${tableSql(table)} ADD COLUMN ${quoteIdentifier(column.name)} ${dialect.typeName(column.type)}`);
      continue;
    }
    if (kind === 'timestamp') continue;
    const widened = widenColumnType(kind, column.type);
    if (widened !== kind) await session.execute(dialect.widenColumnSql(tableSql(table), column.name, widened));
  }
  return readLayout(session, dialect, table);
}
