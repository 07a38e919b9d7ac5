import { stringifyJson } from '@manifold/runtime';
import { createHash, randomUUID } from 'node:crypto';
import { columnsFromJsonSchema, quoteIdentifier } from '../columns.js';
import { coerceValue, type MetaChange } from '../coerce.js';
import { primaryKeyOf, supersedes } from '../dedup.js';
import type { DestinationStream, DestinationWriter, StateMessage } from '../destination.js';
import { DestinationError } from '../errors.js';
import { streamKey } from '../state.js';
import type { LayoutColumn, SqlDialect, SqlSession, TableName } from './session.js';
import { saveState } from './state-table.js';
import { ensureTable, readLayout, tableSql } from './table-layout.js';

/** Rows are sent to the database (inside the open transaction) this many at a time. */
const FLUSH_ROWS = 5_000;

const OVERWRITE_SUFFIX = '_airbyte_tmp';
/** Postgres cuts longer identifiers, which could make the staging name equal to the final one. */
const MAX_IDENTIFIER_BYTES = 63;

/** The staging table of an overwrite: `<stream>_airbyte_tmp`, shortened with a hash when too long. */
export function stagingTableName(stream: string): string {
  const name = `${stream}${OVERWRITE_SUFFIX}`;
  if (Buffer.byteLength(name) <= MAX_IDENTIFIER_BYTES) return name;
  const hash = createHash('sha256').update(stream).digest('hex').slice(0, 10);
  return `${Buffer.from(stream).subarray(0, 30).toString('utf8').replace(/\uFFFD+$/, '')}_${hash}${OVERWRITE_SUFFIX}`;
}

interface PendingRecord {
  data: Record<string, unknown>;
  emittedAt: number;
}

interface StreamTarget {
  stream: DestinationStream;
  key: string;
  final: TableName;
  /** Where records go: the final table, or the staging table of an overwrite. */
  target: TableName;
  layout: LayoutColumn[];
  metaIndex: number;
  pending: PendingRecord[];
  /** Dedup streams keep only the winning record per primary key until merged (at commit, or when many keys are pending). */
  pendingByKey: Map<string, PendingRecord> | undefined;
  uncommitted: number;
  committed: number;
}

export interface SqlWriterOptions {
  connectionId: string;
  syncId: string;
  generationId: number | undefined;
}

/**
 * Writes records into final tables inside one open transaction per commit window: records go to
 * the database in batches as they come, and commit() writes the state and COMMITs, so a crash
 * loses the window's records and its state together.
 */
export class SqlWriter implements DestinationWriter {
  private readonly targets = new Map<string, StreamTarget>();
  private inTransaction = false;
  private readonly generationId: bigint;
  private finished = false;

  private constructor(
    private readonly session: SqlSession,
    private readonly dialect: SqlDialect,
    private readonly options: SqlWriterOptions,
    private readonly onFinish: () => Promise<void>,
  ) {
    this.generationId = BigInt(options.generationId ?? 0);
  }

  static async open(
    session: SqlSession,
    dialect: SqlDialect,
    streams: DestinationStream[],
    options: SqlWriterOptions,
    onFinish: () => Promise<void>,
  ): Promise<SqlWriter> {
    const writer = new SqlWriter(session, dialect, options, onFinish);
    for (const stream of streams) await writer.prepareStream(stream);
    return writer;
  }

  private async prepareStream(stream: DestinationStream): Promise<void> {
    if (stream.syncMode === 'incremental_append_dedup' && stream.primaryKey.length === 0) {
      throw new DestinationError('DEST_SYNC_MODE_UNSUPPORTED', `stream '${streamKey(stream.name, stream.namespace)}': incremental_append_dedup needs a primary key`);
    }
    const final: TableName = { schema: stream.namespace ?? this.dialect.defaultSchema, table: stream.name };
    const columns = columnsFromJsonSchema(stream.jsonSchema);
    let target = final;
    if (stream.syncMode === 'full_refresh_overwrite') {
      target = { schema: final.schema, table: stagingTableName(stream.name) };
      if (!(await this.stagingCanResume(target))) await this.session.execute(`DROP TABLE IF EXISTS ${tableSql(target)}`);
    }
    const layout = await ensureTable(this.session, this.dialect, target, columns);
    const key = streamKey(stream.name, stream.namespace);
    this.targets.set(key, {
      stream,
      key,
      final,
      target,
      layout,
      metaIndex: layout.findIndex((column) => column.name === '_airbyte_meta'),
      pending: [],
      pendingByKey: stream.syncMode === 'incremental_append_dedup' ? new Map() : undefined,
      uncommitted: 0,
      committed: 0,
    });
  }

  /** A staging table left by a killed attempt is kept only for the same generation (its rows are committed work). */
  private async stagingCanResume(staging: TableName): Promise<boolean> {
    if (this.options.generationId === undefined) return false;
    if ((await readLayout(this.session, this.dialect, staging)).length === 0) return false;
    const rows = await this.session.query(
      `SELECT count(*) AS other FROM ${tableSql(staging)} WHERE _airbyte_generation_id IS DISTINCT FROM ${this.options.generationId}`,
    );
    return Number(rows[0]?.['other'] ?? 0) === 0;
  }

  async write(stream: string, namespace: string | undefined, data: Record<string, unknown>, emittedAt: number): Promise<void> {
    this.assertOpen();
    const target = this.targets.get(streamKey(stream, namespace));
    if (!target) {
      throw new DestinationError('DEST_UNKNOWN_STREAM', `record for stream '${streamKey(stream, namespace)}', which is not in the catalog given to open()`);
    }
    target.uncommitted += 1;
    const record = { data, emittedAt };
    if (target.pendingByKey) {
      const pk = primaryKeyOf(data, target.stream.primaryKey);
      const existing = target.pendingByKey.get(pk);
      if (!existing || supersedes(data, existing.data, target.stream.cursorField)) target.pendingByKey.set(pk, record);
      // Merged early inside the open transaction, so memory stays bounded; later merges still see these rows.
      if (target.pendingByKey.size >= FLUSH_ROWS) {
        await this.begin();
        await this.mergeDedup(target);
      }
      return;
    }
    target.pending.push(record);
    if (target.pending.length >= FLUSH_ROWS) {
      await this.begin();
      await this.flushAppend(target);
    }
  }

  async commit(state: StateMessage): Promise<void> {
    this.assertOpen();
    await this.commitWindow(state);
  }

  async complete(): Promise<{ recordsWritten: Record<string, number> }> {
    this.assertOpen();
    await this.commitWindow(undefined, true);
    this.finished = true;
    await this.onFinish();
    const recordsWritten: Record<string, number> = {};
    for (const target of this.targets.values()) recordsWritten[target.key] = target.committed;
    return { recordsWritten };
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      if (this.inTransaction) await this.session.execute('ROLLBACK');
    } finally {
      this.inTransaction = false;
      await this.onFinish();
    }
  }

  private async commitWindow(state: StateMessage | undefined, swapOverwrites = false): Promise<void> {
    try {
      await this.begin();
      for (const target of this.targets.values()) {
        if (target.pendingByKey) await this.mergeDedup(target);
        else await this.flushAppend(target);
      }
      if (state) await saveState(this.session, this.dialect, this.options.connectionId, state);
      if (swapOverwrites) {
        for (const target of this.targets.values()) {
          if (target.target === target.final) continue;
          await this.session.execute(`DROP TABLE IF EXISTS ${tableSql(target.final)}`);
          await this.session.execute(`ALTER TABLE ${tableSql(target.target)} RENAME TO ${quoteIdentifier(target.final.table)}`);
        }
      }
      await this.session.execute('COMMIT');
      this.inTransaction = false;
    } catch (error) {
      if (this.inTransaction) await this.session.execute('ROLLBACK').catch(() => undefined);
      this.inTransaction = false;
      this.finished = true;
      await this.onFinish().catch(() => undefined);
      throw new DestinationError('DEST_WRITE_FAILED', `commit failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    for (const target of this.targets.values()) {
      target.committed += target.uncommitted;
      target.uncommitted = 0;
    }
  }

  private async begin(): Promise<void> {
    if (this.inTransaction) return;
    await this.session.execute('BEGIN');
    this.inTransaction = true;
  }

  private async flushAppend(target: StreamTarget): Promise<void> {
    if (target.pending.length === 0) return;
    const rows = target.pending.map((record) => this.rowOf(target, record));
    target.pending = [];
    await this.session.insertRows(target.target, target.layout, rows);
  }

  /**
   * Dedup at commit: the window's winners go to a temporary batch table; existing rows they
   * supersede are deleted, then the winners that are not beaten by an existing row are inserted.
   */
  private async mergeDedup(target: StreamTarget): Promise<void> {
    const winners = [...(target.pendingByKey?.values() ?? [])];
    if (winners.length === 0) return;
    target.pendingByKey?.clear();
    const batch: TableName = { schema: 'temp', table: `_manifold_batch_${[...this.targets.keys()].indexOf(target.key)}`, temporary: true };
    const batchSql = quoteIdentifier(batch.table);
    const finalSql = tableSql(target.target);
    await this.session.execute(`DROP TABLE IF EXISTS ${batchSql}`);
    await this.session.execute(`CREATE TEMP TABLE ${batchSql} AS SELECT * FROM ${finalSql} LIMIT 0`);
    await this.session.insertRows(batch, target.layout, winners.map((record) => this.rowOf(target, record)));
    // Plain equality (not IS NOT DISTINCT FROM) lets the database hash-join; a NULL key never matches, so such rows are kept.
    const sameKey = target.stream.primaryKey
      .map((path) => `${this.pathSql('f', path, target.layout)} = ${this.pathSql('b', path, target.layout)}`)
      .join(' AND ');
    const cursor = target.stream.cursorField;
    // Missing cursors sort lowest; on equal cursors the batch (later) row wins.
    const batchWins =
      cursor.length === 0
        ? 'TRUE'
        : `(${this.pathSql('f', cursor, target.layout)} IS NULL OR ${this.pathSql('f', cursor, target.layout)} <= ${this.pathSql('b', cursor, target.layout)})`;
    await this.session.execute(`DELETE FROM ${finalSql} AS f USING ${batchSql} AS b WHERE ${sameKey} AND ${batchWins}`);
    const columns = target.layout.map((column) => quoteIdentifier(column.name)).join(', ');
    await this.session.execute(
      `INSERT INTO ${finalSql} (${columns}) SELECT ${columns} FROM ${batchSql} AS b WHERE NOT EXISTS (SELECT 1 FROM ${finalSql} AS f WHERE ${sameKey})`,
    );
    await this.session.execute(`DROP TABLE ${batchSql}`);
  }

  /** A key or cursor path as SQL: the typed column for a top-level field, else text from _airbyte_data. */
  private pathSql(alias: string, path: string[], layout: LayoutColumn[]): string {
    const [first] = path;
    if (path.length === 1 && first !== undefined && layout.some((column) => column.name === first && column.kind !== 'json')) {
      return `${alias}.${quoteIdentifier(first)}`;
    }
    return this.dialect.jsonPathText(`${alias}._airbyte_data`, path);
  }

  /** One row in layout order: typed values cast from the record (NULL + a meta change when they do not fit). */
  private rowOf(target: StreamTarget, record: PendingRecord): unknown[] {
    const changes: MetaChange[] = [];
    const row = new Array<unknown>(target.layout.length);
    for (let index = 0; index < target.layout.length; index += 1) {
      const column = target.layout[index]!;
      switch (column.name) {
        case '_airbyte_raw_id':
          row[index] = randomUUID();
          break;
        case '_airbyte_extracted_at':
          row[index] = record.emittedAt;
          break;
        case '_airbyte_meta':
          break;
        case '_airbyte_generation_id':
          row[index] = this.generationId;
          break;
        case '_airbyte_data':
          row[index] = stringifyJson(record.data);
          break;
        default: {
          const type = column.kind === 'timestamp' ? 'string' : column.kind;
          const value = coerceValue(record.data[column.name], type);
          if (value === undefined) changes.push({ field: column.name, change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' });
          row[index] = value ?? null;
        }
      }
    }
    row[target.metaIndex] = JSON.stringify({ changes, sync_id: this.options.syncId });
    return row;
  }

  private assertOpen(): void {
    if (this.finished) throw new DestinationError('DEST_WRITER_CLOSED', 'the writer was used after complete() or abort()');
  }
}

