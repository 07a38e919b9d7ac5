/**
 * From a connection's streams and the source's discovered streams to what a sync needs: the
 * configured catalog the source reads, the streams the destination opens, and the part of the
 * committed state each stream may resume from.
 */
import type { DestinationStream, DestinationSyncMode, StateMessage } from './destination.js';
import { SYNC_MODES } from './destination.js';
import { WorkspaceError } from './errors.js';
import type { ConnectionStream } from './model.js';
import type { ConfiguredCatalog, DiscoveredStream } from './sources/source-process.js';

/** The mode a stream gets when none is asked for: the most faithful one it supports. */
export function defaultSyncMode(stream: DiscoveredStream): DestinationSyncMode {
  if (stream.supportsIncremental && stream.primaryKey.length > 0) return 'incremental_append_dedup';
  if (stream.supportsIncremental) return 'incremental_append';
  return 'full_refresh_overwrite';
}

export function isIncremental(mode: DestinationSyncMode): boolean {
  return mode === 'incremental_append' || mode === 'incremental_append_dedup';
}

/**
 * The connection's streams from a selection: every discovered stream (or the named ones), each
 * with the asked mode or its default. Bad names and modes a stream cannot do are errors.
 */
export function selectStreams(
  discovered: DiscoveredStream[],
  names: string[] | undefined,
  mode: DestinationSyncMode | undefined,
): ConnectionStream[] {
  const picked = names ?? discovered.map((stream) => stream.name);
  if (picked.length === 0) throw new WorkspaceError('INVALID_INPUT', 'the source has no streams to sync');
  return picked.map((name) => {
    const stream = findStream(discovered, name);
    const entry: ConnectionStream = { name, syncMode: mode ?? defaultSyncMode(stream) };
    if (stream.namespace) entry.namespace = stream.namespace;
    validateStream(entry, stream);
    return entry;
  });
}

export function validateStream(entry: ConnectionStream, stream: DiscoveredStream): void {
  if (!SYNC_MODES.includes(entry.syncMode)) {
    throw new WorkspaceError('INVALID_INPUT', `stream '${entry.name}': unknown sync mode '${entry.syncMode}'`, {
      help: `Use one of ${SYNC_MODES.join(', ')}`,
    });
  }
  if (isIncremental(entry.syncMode) && !stream.supportsIncremental) {
    throw new WorkspaceError('INVALID_INPUT', `stream '${entry.name}' does not support incremental syncs, so it cannot use ${entry.syncMode}`, {
      help: 'Use full_refresh_overwrite or full_refresh_append for it',
    });
  }
  if (entry.syncMode === 'incremental_append_dedup' && (entry.primaryKey ?? stream.primaryKey).length === 0) {
    throw new WorkspaceError('INVALID_INPUT', `stream '${entry.name}' has no primary key, so it cannot use incremental_append_dedup`, {
      help: 'Use incremental_append, or give the connection a primary key for the stream',
    });
  }
}

function findStream(discovered: DiscoveredStream[], name: string): DiscoveredStream {
  const stream = discovered.find((candidate) => candidate.name === name);
  if (!stream) {
    throw new WorkspaceError('INVALID_INPUT', `the source has no stream named '${name}'`, {
      help: `Its streams: ${discovered.map((s) => s.name).join(', ')}`,
    });
  }
  return stream;
}

export interface SyncPlan {
  catalog: ConfiguredCatalog;
  destinationStreams: DestinationStream[];
}

export function planSync(streams: ConnectionStream[], discovered: DiscoveredStream[]): SyncPlan {
  const catalog: ConfiguredCatalog = { streams: [] };
  const destinationStreams: DestinationStream[] = [];
  for (const entry of streams) {
    const stream = findStream(discovered, entry.name);
    validateStream(entry, stream);
    const cursorField = entry.cursorField ?? stream.defaultCursorField;
    const primaryKey = entry.primaryKey ?? stream.primaryKey;
    const incremental = isIncremental(entry.syncMode);
    catalog.streams.push({
      stream: {
        name: stream.name,
        ...(stream.namespace ? { namespace: stream.namespace } : {}),
        json_schema: stream.jsonSchema,
        supported_sync_modes: stream.supportsIncremental ? ['full_refresh', 'incremental'] : ['full_refresh'],
      },
      sync_mode: incremental ? 'incremental' : 'full_refresh',
      destination_sync_mode:
        entry.syncMode === 'incremental_append_dedup' ? 'append_dedup' : entry.syncMode === 'full_refresh_overwrite' ? 'overwrite' : 'append',
      ...(incremental && cursorField.length > 0 ? { cursor_field: cursorField } : {}),
      ...(primaryKey.length > 0 ? { primary_key: primaryKey } : {}),
    });
    destinationStreams.push({
      name: stream.name,
      namespace: stream.namespace,
      jsonSchema: stream.jsonSchema,
      syncMode: entry.syncMode,
      primaryKey,
      cursorField: incremental ? cursorField : [],
    });
  }
  return { catalog, destinationStreams };
}

/**
 * The committed state a sync may resume from: per-stream states of incremental streams only.
 * A full refresh stream starts from nothing, whatever state a past sync left for it; a GLOBAL
 * state keeps only the incremental streams' entries.
 */
export function resumableState(committed: StateMessage[], streams: ConnectionStream[]): StateMessage[] {
  const incremental = new Set(streams.filter((s) => isIncremental(s.syncMode)).map((s) => key(s.name, s.namespace)));
  const kept: StateMessage[] = [];
  for (const message of committed) {
    if (message.type === 'STREAM' && message.stream) {
      const descriptor = message.stream.stream_descriptor;
      if (incremental.has(key(descriptor.name, descriptor.namespace))) kept.push(message);
    } else if (message.type === 'GLOBAL' && message.global) {
      const streamStates = message.global.stream_states.filter((s) => incremental.has(key(s.stream_descriptor.name, s.stream_descriptor.namespace)));
      if (streamStates.length > 0) kept.push({ ...message, global: { ...message.global, stream_states: streamStates } });
    } else if (message.type === 'LEGACY' && message.data) {
      const data = Object.fromEntries(Object.entries(message.data).filter(([name]) => incremental.has(key(name, undefined))));
      if (Object.keys(data).length > 0) kept.push({ ...message, data });
    }
  }
  return kept;
}

function key(name: string, namespace: string | undefined): string {
  return `${namespace ?? ''}\u0000${name}`;
}
