/**
 * The destination contract the sync runner codes against (the same shapes as
 * @manifold/destinations' src/destination.ts), and the config of each destination type.
 * The implementation is loaded lazily (see destination-factory.ts) so the store and CLI work
 * without a database driver installed.
 */
import type { AirbyteMessage } from '@manifold/runtime';

export type DestinationSyncMode =
  | 'full_refresh_overwrite'
  | 'full_refresh_append'
  | 'incremental_append'
  | 'incremental_append_dedup';

export const SYNC_MODES: readonly DestinationSyncMode[] = [
  'full_refresh_overwrite',
  'full_refresh_append',
  'incremental_append',
  'incremental_append_dedup',
];

export interface DestinationStream {
  name: string;
  namespace?: string | undefined;
  jsonSchema: Record<string, unknown>;
  syncMode: DestinationSyncMode;
  primaryKey: string[][];
  cursorField: string[];
}

export type StateMessage = Extract<AirbyteMessage, { type: 'STATE' }>['state'];

export interface Destination {
  check(): Promise<{ ok: boolean; message?: string }>;
  open(streams: DestinationStream[], options: { syncId: string; connectionId: string }): Promise<DestinationWriter>;
  readState(connectionId: string): Promise<StateMessage[]>;
  resetStream(connectionId: string, stream: { name: string; namespace?: string | undefined }): Promise<void>;
  close(): Promise<void>;
}

export interface DestinationWriter {
  write(stream: string, namespace: string | undefined, data: Record<string, unknown>, emittedAt: number): Promise<void>;
  commit(state: StateMessage): Promise<void>;
  complete(): Promise<{ recordsWritten: Record<string, number> }>;
  abort(): Promise<void>;
}

export type DestinationConfig =
  | { type: 'duckdb'; path: string }
  | { type: 'jsonl'; directory: string }
  | {
      type: 'postgres';
      host: string;
      port: number;
      database: string;
      user: string;
      password?: string;
      schema?: string;
      ssl?: boolean;
    }
  | { type: 'airbyte-image'; image: string; config: Record<string, unknown> };

export type DestinationType = DestinationConfig['type'];
export const DESTINATION_TYPES: readonly DestinationType[] = ['duckdb', 'jsonl', 'postgres', 'airbyte-image'];

export type CreateDestination = (config: DestinationConfig) => Destination;
