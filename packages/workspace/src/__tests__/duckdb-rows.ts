/** Reads a DuckDB file the way a user would check a sync: plain SQL, then closes it (one writer per file). */
import { DuckDBInstance } from '@duckdb/node-api';

export async function queryDuckDB(path: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
