import type { ColumnType } from '../columns.js';

/** What a value in a row is, so a session can hand it to its driver in the right form. */
export type ValueKind = ColumnType | 'timestamp';

export interface LayoutColumn {
  name: string;
  kind: ValueKind;
}

export interface TableName {
  schema: string;
  table: string;
  /** A connection-local temporary table (the dedup batch). */
  temporary?: boolean;
}

/**
 * One connection to a SQL database, as the shared writer needs it. Row values are strings,
 * numbers, booleans, bigints (integers), epoch milliseconds (timestamps) or null; JSON values
 * arrive already serialized.
 */
export interface SqlSession {
  execute(sql: string, params?: unknown[]): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  /** Inserts rows whose values follow `layout`, which is the table's full column list in order. */
  insertRows(table: TableName, layout: LayoutColumn[], rows: unknown[][]): Promise<void>;
  close(): Promise<void>;
}

/** What differs between SQL databases beyond the session: type names and a few expressions. */
export interface SqlDialect {
  /** Schema used for streams without namespace and for the state table. */
  defaultSchema: string;
  typeName(kind: ValueKind): string;
  /** Our kind for a column's `information_schema.columns.data_type`. */
  kindOfDataType(dataType: string): ValueKind;
  /** ALTER statement changing a column to a wider type, converting what it holds. */
  widenColumnSql(table: string, column: string, to: ColumnType): string;
  /** Text of a nested value of a JSON column, for primary keys and cursors below the top level. */
  jsonPathText(jsonColumn: string, path: string[]): string;
}

export function qualifiedName(table: TableName, quote: (name: string) => string): string {
  return table.temporary ? quote(table.table) : `${quote(table.schema)}.${quote(table.table)}`;
}
