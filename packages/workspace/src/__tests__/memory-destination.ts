/**
 * An in-memory destination for the runner tests that keeps the contract faithfully: records
 * become visible only with the state that follows them (commit), or at complete(); abort drops
 * what was not committed; overwrite streams are swapped in at complete(); dedup keeps one row
 * per primary key (greatest cursor, ties: the later record).
 */
import type {
  CreateDestination,
  Destination,
  DestinationConfig,
  DestinationStream,
  DestinationWriter,
  StateMessage,
} from '../destination.js';

type Row = Record<string, unknown>;

export interface MemoryTables {
  /** Visible rows per connection and stream. */
  rows: Map<string, Map<string, Row[]>>;
  /** Committed state per connection: one message per stream. */
  states: Map<string, Map<string, StateMessage>>;
  /** Every call, for ordering assertions. */
  calls: string[];
  /** Every config a destination was created with. */
  configs: DestinationConfig[];
  /** When set, write() throws this after that many records. */
  failAfterRecords?: number;
}

export function memoryDestinations(): { create: CreateDestination; tables: MemoryTables } {
  const tables: MemoryTables = { rows: new Map(), states: new Map(), calls: [], configs: [] };
  const create: CreateDestination = (config) => {
    tables.configs.push(config);
    return new MemoryDestination(tables);
  };
  return { create, tables };
}

export function rowsOf(tables: MemoryTables, connectionId: string, stream: string): Row[] {
  return tables.rows.get(connectionId)?.get(stream) ?? [];
}

class MemoryDestination implements Destination {
  constructor(private readonly tables: MemoryTables) {}

  async check() {
    return { ok: true };
  }

  async open(streams: DestinationStream[], options: { syncId: string; connectionId: string }): Promise<DestinationWriter> {
    this.tables.calls.push(`open ${streams.map((s) => `${s.name}:${s.syncMode}`).join(',')}`);
    return new MemoryWriter(this.tables, streams, options.connectionId);
  }

  async readState(connectionId: string): Promise<StateMessage[]> {
    return [...(this.tables.states.get(connectionId)?.values() ?? [])].map((s) => structuredClone(s));
  }

  async resetStream(connectionId: string, stream: { name: string }): Promise<void> {
    this.tables.calls.push(`reset ${stream.name}`);
    this.tables.rows.get(connectionId)?.delete(stream.name);
    this.tables.states.get(connectionId)?.delete(stream.name);
  }

  async close(): Promise<void> {}
}

class MemoryWriter implements DestinationWriter {
  private pending: Array<{ stream: string; data: Row }> = [];
  /** Committed rows of overwrite streams, swapped in at complete(). */
  private staged = new Map<string, Row[]>();
  private written: Record<string, number> = {};
  private done = false;

  constructor(
    private readonly tables: MemoryTables,
    private readonly streams: DestinationStream[],
    private readonly connectionId: string,
  ) {}

  async write(stream: string, _namespace: string | undefined, data: Row): Promise<void> {
    if (this.done) throw new Error('write after the writer ended');
    if (!this.streams.some((s) => s.name === stream)) throw new Error(`stream ${stream} was not opened`);
    const total = Object.values(this.written).reduce((a, b) => a + b, 0);
    if (this.tables.failAfterRecords !== undefined && total >= this.tables.failAfterRecords) throw new Error('disk full (simulated)');
    this.pending.push({ stream, data: structuredClone(data) });
    this.written[stream] = (this.written[stream] ?? 0) + 1;
  }

  async commit(state: StateMessage): Promise<void> {
    if (this.done) throw new Error('commit after the writer ended');
    this.tables.calls.push(`commit ${state.stream?.stream_descriptor.name ?? state.type} after ${this.pending.length}`);
    this.flush();
    const name = state.stream?.stream_descriptor.name ?? '__global';
    const states = this.tables.states.get(this.connectionId) ?? new Map<string, StateMessage>();
    states.set(name, structuredClone(state));
    this.tables.states.set(this.connectionId, states);
  }

  async complete(): Promise<{ recordsWritten: Record<string, number> }> {
    this.flush();
    for (const [stream, rows] of this.staged) this.table(stream).splice(0, Infinity, ...rows);
    for (const stream of this.streams) {
      if (stream.syncMode === 'full_refresh_overwrite' && !this.staged.has(stream.name)) this.table(stream.name).splice(0);
    }
    this.done = true;
    this.tables.calls.push('complete');
    return { recordsWritten: { ...this.written } };
  }

  async abort(): Promise<void> {
    this.pending = [];
    this.done = true;
    this.tables.calls.push('abort');
  }

  private flush(): void {
    for (const { stream, data } of this.pending) {
      const config = this.streams.find((s) => s.name === stream) as DestinationStream;
      if (config.syncMode === 'full_refresh_overwrite') {
        const staged = this.staged.get(stream) ?? [];
        staged.push(data);
        this.staged.set(stream, staged);
      } else if (config.syncMode === 'incremental_append_dedup') {
        this.upsert(this.table(stream), data, config);
      } else {
        this.table(stream).push(data);
      }
    }
    this.pending = [];
  }

  private upsert(table: Row[], data: Row, config: DestinationStream): void {
    const keyOf = (row: Row) => JSON.stringify(config.primaryKey.map((path) => valueAt(row, path)));
    const index = table.findIndex((row) => keyOf(row) === keyOf(data));
    if (index === -1) {
      table.push(data);
      return;
    }
    const cursor = (row: Row) => String(valueAt(row, config.cursorField) ?? '');
    if (cursor(data) >= cursor(table[index] as Row)) table[index] = data;
  }

  private table(stream: string): Row[] {
    const byStream = this.tables.rows.get(this.connectionId) ?? new Map<string, Row[]>();
    this.tables.rows.set(this.connectionId, byStream);
    const rows = byStream.get(stream) ?? [];
    byStream.set(stream, rows);
    return rows;
  }
}

function valueAt(row: Row, path: string[]): unknown {
  let current: unknown = row;
  for (const key of path) current = (current as Row | undefined)?.[key];
  return current;
}
