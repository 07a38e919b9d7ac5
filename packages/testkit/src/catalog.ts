/** Builders for configured catalogs and state input, shaped as the Airbyte protocol defines them. */
import type { AirbyteStateMessage } from './messages.js';

export type SyncMode = 'full_refresh' | 'incremental';
export type DestinationSyncMode = 'overwrite' | 'append' | 'append_dedup';

export interface CatalogStreamSpec {
  name: string;
  namespace?: string;
  /** Default 'full_refresh'. */
  syncMode?: SyncMode;
  /** Default 'overwrite' for full_refresh, 'append' for incremental. */
  destinationSyncMode?: DestinationSyncMode;
  cursorField?: string[];
  primaryKey?: string[][];
  /** Default: an open object schema. */
  jsonSchema?: object;
}

export interface AirbyteStream {
  name: string;
  namespace?: string;
  json_schema: object;
  supported_sync_modes: SyncMode[];
  source_defined_cursor?: boolean;
  default_cursor_field?: string[];
  source_defined_primary_key?: string[][];
}

export interface ConfiguredAirbyteStream {
  stream: AirbyteStream;
  sync_mode: SyncMode;
  destination_sync_mode: DestinationSyncMode;
  cursor_field: string[];
  primary_key: string[][];
}

export interface ConfiguredAirbyteCatalog {
  streams: ConfiguredAirbyteStream[];
}

const openSchema = (): object => ({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: true, properties: {} });

/** A ConfiguredAirbyteCatalog selecting the given streams (a bare name = full_refresh/overwrite). */
export function configuredCatalog(streams: Array<string | CatalogStreamSpec>): ConfiguredAirbyteCatalog {
  return {
    streams: streams.map((s) => {
      const spec: CatalogStreamSpec = typeof s === 'string' ? { name: s } : s;
      const syncMode = spec.syncMode ?? 'full_refresh';
      const stream: AirbyteStream = {
        name: spec.name,
        json_schema: spec.jsonSchema ?? openSchema(),
        supported_sync_modes: syncMode === 'incremental' || spec.cursorField ? ['full_refresh', 'incremental'] : ['full_refresh'],
      };
      if (spec.namespace !== undefined) stream.namespace = spec.namespace;
      if (spec.cursorField) stream.default_cursor_field = [...spec.cursorField];
      if (spec.primaryKey) stream.source_defined_primary_key = spec.primaryKey.map((k) => [...k]);
      return {
        stream,
        sync_mode: syncMode,
        destination_sync_mode: spec.destinationSyncMode ?? (syncMode === 'incremental' ? 'append' : 'overwrite'),
        cursor_field: spec.cursorField ? [...spec.cursorField] : [],
        primary_key: spec.primaryKey ? spec.primaryKey.map((k) => [...k]) : [],
      };
    }),
  };
}

/** A per-stream state message: `{ type: 'STREAM', stream: { stream_descriptor: { name, namespace? }, stream_state } }`. */
export function streamState(name: string, state: unknown, namespace?: string): AirbyteStateMessage {
  return {
    type: 'STREAM',
    stream: { stream_descriptor: namespace === undefined ? { name } : { name, namespace }, stream_state: state },
  };
}

export interface StreamStateEntry {
  name: string;
  state: unknown;
  namespace?: string;
}

/**
 * The content of a `--state` file: an array of STREAM state messages, from either
 * `{ streamName: state, ... }` or `[{ name, state, namespace? }, ...]`.
 */
export function stateFile(states: Record<string, unknown> | StreamStateEntry[]): AirbyteStateMessage[] {
  if (Array.isArray(states)) return states.map((s) => streamState(s.name, s.state, s.namespace));
  return Object.entries(states).map(([name, state]) => streamState(name, state));
}
