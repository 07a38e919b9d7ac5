import type { Destination } from '../destination.js';
import { SqlDestination } from '../sql/sql-destination.js';
import { PostgresBackend, type PostgresConfig } from './postgres-backend.js';

/** Every stream a table in a Postgres schema (namespace, else the config's schema, else public). */
export function createPostgresDestination(config: PostgresConfig): Destination {
  return new SqlDestination(new PostgresBackend(config));
}
