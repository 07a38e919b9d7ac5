import type { Destination } from '../destination.js';
import { SqlDestination } from '../sql/sql-destination.js';
import { DuckDBBackend } from './duckdb-backend.js';

/** The embedded default destination: every stream a table in one .duckdb file. */
export function createDuckDBDestination(config: { path: string }): Destination {
  return new SqlDestination(new DuckDBBackend(config.path));
}
