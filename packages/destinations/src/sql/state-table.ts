import { quoteIdentifier } from '../columns.js';
import { parseJsonExact, stringifyJson } from '@manifold/runtime';
import type { StateMessage } from '../destination.js';
import { forgetStream, replacesAllSlots, stateSlot } from '../state.js';
import type { SqlDialect, SqlSession } from './session.js';

export const STATE_TABLE = '_manifold_state';

function stateTableSql(dialect: SqlDialect): string {
  return `${quoteIdentifier(dialect.defaultSchema)}.${quoteIdentifier(STATE_TABLE)}`;
}

export async function ensureStateTable(session: SqlSession, dialect: SqlDialect): Promise<void> {
  await session.execute(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(dialect.defaultSchema)}`);
  await session.execute(
    `CREATE TABLE IF NOT EXISTS ${stateTableSql(dialect)} (` +
      `connection_id ${dialect.typeName('string')} NOT NULL, stream_name ${dialect.typeName('string')} NOT NULL, ` +
      `stream_namespace ${dialect.typeName('string')} NOT NULL, state_json ${dialect.typeName('string')} NOT NULL, ` +
      `updated_at ${dialect.typeName('timestamp')} NOT NULL, PRIMARY KEY (connection_id, stream_name, stream_namespace))`,
  );
}

/**
 * Upserts the state into its slot (inside the caller's transaction). A GLOBAL or LEGACY state
 * replaces every slot of the connection; a STREAM state replaces a GLOBAL/LEGACY one, since a
 * source speaks one state form at a time.
 */
export async function saveState(session: SqlSession, dialect: SqlDialect, connectionId: string, state: StateMessage): Promise<void> {
  const table = stateTableSql(dialect);
  const slot = stateSlot(state);
  if (replacesAllSlots(state)) {
    await session.execute(`DELETE FROM ${table} WHERE connection_id = $1`, [connectionId]);
  } else {
    await session.execute(`DELETE FROM ${table} WHERE connection_id = $1 AND ((stream_name = $2 AND stream_namespace = $3) OR (stream_name = '' AND stream_namespace = ''))`, [
      connectionId,
      slot.streamName,
      slot.streamNamespace,
    ]);
  }
  await session.execute(`INSERT INTO ${table} (connection_id, stream_name, stream_namespace, state_json, updated_at) VALUES ($1, $2, $3, $4, now())`, [
    connectionId,
    slot.streamName,
    slot.streamNamespace,
    stringifyJson(state),
  ]);
}

export async function loadState(session: SqlSession, dialect: SqlDialect, connectionId: string): Promise<StateMessage[]> {
  const rows = await session.query(`SELECT state_json FROM ${stateTableSql(dialect)} WHERE connection_id = $1 ORDER BY stream_namespace, stream_name`, [connectionId]);
  return rows.map((row) => parseJsonExact(String(row['state_json'])) as StateMessage);
}

/** Forgets one stream's state (inside the caller's transaction), keeping the rest of the connection's. */
export async function forgetStreamState(
  session: SqlSession,
  dialect: SqlDialect,
  connectionId: string,
  stream: { name: string; namespace?: string | undefined },
): Promise<void> {
  const states = forgetStream(await loadState(session, dialect, connectionId), stream);
  await session.execute(`DELETE FROM ${stateTableSql(dialect)} WHERE connection_id = $1`, [connectionId]);
  for (const state of states) await saveState(session, dialect, connectionId, state);
}

