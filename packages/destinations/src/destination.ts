// Contract between @manifold/destinations (owner: destinations helper) and the sync runner
// in @manifold/workspace (owner: workspace helper). File: packages/destinations/src/destination.ts
import type { AirbyteMessage } from '@manifold/runtime'; // protocol message types (STATE etc.)

export type DestinationSyncMode =
  | 'full_refresh_overwrite'   // replace the table's contents at the successful end of the sync
  | 'full_refresh_append'      // append every record
  | 'incremental_append'       // append every record
  | 'incremental_append_dedup';// keep one row per primary key: the one with the greatest cursor (ties: the later record)

export interface DestinationStream {
  name: string;
  namespace?: string | undefined;
  jsonSchema: Record<string, unknown>;   // the stream's JSON schema (drives typed columns)
  syncMode: DestinationSyncMode;
  primaryKey: string[][];                // Airbyte form: list of field paths
  cursorField: string[];                 // path; [] when none
}

/** A STATE message as the source emitted it (type STATE, any of LEGACY/STREAM/GLOBAL). */
export type StateMessage = Extract<AirbyteMessage, { type: 'STATE' }>['state'];

export interface Destination {
  /** Can we connect / write? Never throws for a bad config: returns ok=false with a message. */
  check(): Promise<{ ok: boolean; message?: string }>;
  /** Starts a sync: creates/migrates tables for these streams (new columns added, types widened). */
  // generationId (optional addition): stored in _airbyte_generation_id; an overwrite staging table
  // left by a killed attempt is resumed only when the new attempt passes the same generationId.
  open(streams: DestinationStream[], options: { syncId: string; connectionId: string; generationId?: number }): Promise<DestinationWriter>;
  /** Committed state of a connection (the last state whose records are durable), [] if none. */
  readState(connectionId: string): Promise<StateMessage[]>;
  /** Forgets a stream: drops its state for the connection and its table's rows. */
  resetStream(connectionId: string, stream: { name: string; namespace?: string | undefined }): Promise<void>;
  close(): Promise<void>;
}

export interface DestinationWriter {
  /** Buffers one record (data = record.data, emittedAt = record.emitted_at in ms). May flush a batch. */
  write(stream: string, namespace: string | undefined, data: Record<string, unknown>, emittedAt: number): Promise<void>;
  /**
   * Makes every record written so far durable together with this state, atomically (one
   * transaction, or an equivalent for files). After it resolves, readState returns a state
   * that includes it. A crash before it resolves leaves neither the records nor the state.
   */
  commit(state: StateMessage): Promise<void>;
  /** End of a successful sync: flushes records written after the last state (committed without state),
   * swaps overwrite tables in, then releases resources. */
  complete(): Promise<{ recordsWritten: Record<string, number> }>;
  /** A failed or killed sync: discards uncommitted records. */
  abort(): Promise<void>;
}
