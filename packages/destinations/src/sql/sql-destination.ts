import type { Destination, DestinationStream, DestinationWriter, StateMessage } from '../destination.js';
import type { SqlDialect, SqlSession } from './session.js';
import { ensureStateTable, forgetStreamState, loadState } from './state-table.js';
import { SqlWriter, stagingTableName } from './sql-writer.js';
import { readLayout, tableSql } from './table-layout.js';

/** What a SQL database must provide for the shared destination logic. */
export interface SqlBackend {
  readonly dialect: SqlDialect;
  /** A new session; each writer has its own, so its open transaction is invisible to readers. */
  connect(): Promise<SqlSession>;
  check(): Promise<{ ok: boolean; message?: string }>;
  dispose(): Promise<void>;
}

/** A Destination over any SQL backend: the table layout, sync modes and state handling live in SqlWriter. */
export class SqlDestination implements Destination {
  private readonly writers = new Set<SqlWriter>();

  constructor(private readonly backend: SqlBackend) {}

  check(): Promise<{ ok: boolean; message?: string }> {
    return this.backend.check();
  }

  async open(streams: DestinationStream[], options: { syncId: string; connectionId: string; generationId?: number }): Promise<DestinationWriter> {
    const session = await this.backend.connect();
    try {
      await ensureStateTable(session, this.backend.dialect);
      let writer: SqlWriter | undefined;
      writer = await SqlWriter.open(
        session,
        this.backend.dialect,
        streams,
        { connectionId: options.connectionId, syncId: options.syncId, generationId: options.generationId },
        async () => {
          if (writer) this.writers.delete(writer);
          await session.close();
        },
      );
      this.writers.add(writer);
      return writer;
    } catch (error) {
      await session.close().catch(() => undefined);
      throw error;
    }
  }

  async readState(connectionId: string): Promise<StateMessage[]> {
    return this.withSession(async (session) => {
      await ensureStateTable(session, this.backend.dialect);
      return loadState(session, this.backend.dialect, connectionId);
    });
  }

  async resetStream(connectionId: string, stream: { name: string; namespace?: string | undefined }): Promise<void> {
    const dialect = this.backend.dialect;
    await this.withSession(async (session) => {
      await ensureStateTable(session, dialect);
      await session.execute('BEGIN');
      try {
        await forgetStreamState(session, dialect, connectionId, stream);
        const schema = stream.namespace ?? dialect.defaultSchema;
        const final = { schema, table: stream.name };
        if ((await readLayout(session, dialect, final)).length > 0) await session.execute(`DELETE FROM ${tableSql(final)}`);
        await session.execute(`DROP TABLE IF EXISTS ${tableSql({ schema, table: stagingTableName(stream.name) })}`);
        await session.execute('COMMIT');
      } catch (error) {
        await session.execute('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    for (const writer of [...this.writers]) await writer.abort();
    await this.backend.dispose();
  }

  private async withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const session = await this.backend.connect();
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  }
}
