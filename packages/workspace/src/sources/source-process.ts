/**
 * How the sync runner talks to a source, whether it runs in this process or in a container:
 * discover its streams, read them as a sequence of Airbyte messages.
 */
import type { AirbyteMessage } from '@manifold/runtime';
import type { StateMessage } from '../destination.js';

export interface DiscoveredStream {
  name: string;
  namespace?: string | undefined;
  jsonSchema: Record<string, unknown>;
  supportsIncremental: boolean;
  /** [] when the stream has no cursor. */
  defaultCursorField: string[];
  /** [] when the stream has no primary key. */
  primaryKey: string[][];
}

export interface ConfiguredCatalogStream {
  stream: {
    name: string;
    namespace?: string;
    json_schema: Record<string, unknown>;
    supported_sync_modes: string[];
  };
  sync_mode: 'full_refresh' | 'incremental';
  destination_sync_mode: 'overwrite' | 'append' | 'append_dedup';
  cursor_field?: string[];
  primary_key?: string[][];
}

export interface ConfiguredCatalog {
  streams: ConfiguredCatalogStream[];
}

export interface ReadHooks {
  signal?: AbortSignal | undefined;
  /** A page of a stream was fetched (in-process reads only). */
  onPage?(stream: string): void;
}

export interface SourceProcess {
  discover(signal?: AbortSignal): Promise<DiscoveredStream[]>;
  /**
   * Reads the catalog from the given state. Every message goes through `onMessage`, awaited in
   * order, LOG and TRACE messages already masked. Resolves `ok: false` when a stream failed (its
   * error came as a TRACE message); throws when the read could not start.
   */
  read(
    catalog: ConfiguredCatalog,
    state: StateMessage[],
    onMessage: (message: AirbyteMessage) => Promise<void>,
    hooks: ReadHooks,
  ): Promise<{ ok: boolean }>;
}

/** An Airbyte CATALOG stream entry as our shape. */
export function discoveredStream(entry: Record<string, unknown>): DiscoveredStream {
  const modes = Array.isArray(entry.supported_sync_modes) ? entry.supported_sync_modes : [];
  const cursor = entry.default_cursor_field;
  const key = entry.source_defined_primary_key;
  return {
    name: String(entry.name),
    ...(typeof entry.namespace === 'string' ? { namespace: entry.namespace } : {}),
    jsonSchema: (entry.json_schema as Record<string, unknown> | undefined) ?? {},
    supportsIncremental: modes.includes('incremental'),
    defaultCursorField: Array.isArray(cursor) ? cursor.map(String) : typeof cursor === 'string' ? [cursor] : [],
    primaryKey: Array.isArray(key) ? key.map((path) => (Array.isArray(path) ? path.map(String) : [String(path)])) : [],
  };
}
