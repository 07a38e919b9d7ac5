/** What the workspace stores, as saved in its JSON files. Secret fields are never part of these. */
import type { DestinationConfig, DestinationSyncMode } from './destination.js';
import type { FieldPath } from './secrets/secret-fields.js';

export type Json = Record<string, unknown>;

/** The Connector Builder's shapes (packages/builder-server/src/store.ts), kept byte-compatible. */
export interface Project {
  id: string;
  name: string;
  manifest: string;
  created_at: string;
  updated_at: string;
}

export interface ConnectorVersion {
  version: number;
  published_at: string;
  description: string | null;
  manifest: string;
}

export interface Connector {
  name: string;
  project_id: string;
  versions: ConnectorVersion[];
}

/** A connector version a source runs: pinned, or the newest published one at each sync. */
export interface ConnectorRef {
  name: string;
  version: number | 'latest';
}

export type SourceRuntime = { type: 'in-process' } | { type: 'docker'; image: string };

export interface Source {
  id: string;
  name: string;
  connector: ConnectorRef;
  /** The config without its secret fields. */
  config: Json;
  /** Paths of the fields kept in secrets.enc.json. */
  secretFields: FieldPath[];
  runtime: SourceRuntime;
  createdAt: string;
  updatedAt: string;
}

export interface DestinationEntry {
  id: string;
  name: string;
  /** The destination config without its secret fields. */
  config: DestinationConfig;
  secretFields: FieldPath[];
  createdAt: string;
  updatedAt: string;
}

export interface ConnectionStream {
  name: string;
  namespace?: string | undefined;
  syncMode: DestinationSyncMode;
  /** Airbyte form: a field path; defaults to the stream's cursor. */
  cursorField?: string[] | undefined;
  /** Airbyte form: a list of field paths; defaults to the stream's primary key. */
  primaryKey?: string[][] | undefined;
}

/** Run by the scheduler (src/schedule/): cron in UTC, or every n minutes after the last sync started. */
export type Schedule = { cron: string } | { intervalMinutes: number };

export interface Connection {
  id: string;
  name: string;
  sourceId: string;
  destinationId: string;
  streams: ConnectionStream[];
  schedule?: Schedule | undefined;
  status: 'active' | 'inactive';
  createdAt: string;
  updatedAt: string;
}

export type SyncStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface StreamStats {
  records: number;
  bytes: number;
}

export interface SyncEntry {
  id: string;
  connectionId: string;
  startedAt: string;
  endedAt?: string | undefined;
  status: SyncStatus;
  streams: Record<string, StreamStats>;
  /** The source's error trace message (masked), or why the sync stopped. */
  error?: string | undefined;
  /** The sync's LOG messages, masked, one JSON line each. */
  logsPath: string;
  /** The process that runs it: a 'running' entry whose process is gone was interrupted. */
  pid: number;
}
