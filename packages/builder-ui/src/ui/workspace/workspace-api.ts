/** The builder server's workspace API (/api/workspace): sources, destinations, connections, syncs. */
import { ApiError, type ApiErrorBody } from '../../api.js';

export type SyncMode = 'full_refresh_overwrite' | 'full_refresh_append' | 'incremental_append' | 'incremental_append_dedup';

export const SYNC_MODE_LABELS: Record<SyncMode, string> = {
  full_refresh_overwrite: 'Full refresh · overwrite',
  full_refresh_append: 'Full refresh · append',
  incremental_append: 'Incremental · append',
  incremental_append_dedup: 'Incremental · append + dedup',
};

export type JsonSchema = Record<string, unknown>;

export interface WsConnectorVersion {
  version: number;
  published_at: string;
  description: string | null;
  spec: JsonSchema | null;
}
export interface WsConnector {
  name: string;
  project_id: string;
  latest_version: number;
  versions: WsConnectorVersion[];
}

export interface WsSource {
  id: string;
  name: string;
  connector: { name: string; version: number | 'latest' };
  /** Secret fields masked. */
  config: Record<string, unknown>;
  createdAt: string;
}

export interface WsStream {
  name: string;
  namespace: string | null;
  supportsIncremental: boolean;
  defaultCursorField: string[];
  primaryKey: string[][];
  defaultSyncMode: SyncMode;
  syncModes: SyncMode[];
  fields: string[];
}

export interface WsDestinationType {
  type: string;
  title: string;
  spec: JsonSchema;
}
export interface WsDestination {
  id: string;
  name: string;
  config: { type: string } & Record<string, unknown>;
  createdAt: string;
}

export interface WsConnectionStream {
  name: string;
  namespace?: string;
  syncMode: SyncMode;
}
export interface WsConnection {
  id: string;
  name: string;
  sourceId: string;
  destinationId: string;
  streams: WsConnectionStream[];
  status: 'active' | 'inactive';
  running: boolean;
  lastSync: SyncSummary | null;
  createdAt: string;
}

export type SyncStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface StreamProgress {
  records: number;
  bytes: number;
  pages: number;
  status?: string;
}
export interface SyncProgressEvent {
  syncId: string;
  connectionId: string;
  status: 'running';
  phase: 'discovering' | 'reading' | 'finishing' | 'done';
  elapsedMs: number;
  records: number;
  bytes: number;
  checkpoints: number;
  streams: Record<string, StreamProgress>;
}
export interface SyncSummary {
  id: string;
  connectionId: string;
  status: SyncStatus;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  records: number;
  bytes: number;
  streams: Record<string, { records: number; bytes: number }>;
  recordsWritten?: Record<string, number>;
  error?: string;
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, { detail: `The builder server is not reachable (${(e as Error).message}).` });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const b = (json ?? {}) as Partial<ApiErrorBody> & { help?: string };
    const detail = b.detail ?? `${res.status} ${res.statusText}: ${text.slice(0, 200)}`;
    throw new ApiError(res.status, { ...b, detail: b.help ? `${detail}. ${b.help}` : detail });
  }
  return json as T;
}

const base = '/api/workspace';
const id = (value: string) => encodeURIComponent(value);

/** When the server's scheduler runs a connection: every N minutes, or a cron expression (UTC). */
export type WsSchedule = { intervalMinutes: number } | { cron: string };

export const workspaceApi = {
  connectors: () => call<{ connectors: WsConnector[] }>('GET', `${base}/connectors`).then((r) => r.connectors),
  sources: () => call<{ sources: WsSource[] }>('GET', `${base}/sources`).then((r) => r.sources),
  createSource: (body: { name: string; connector: string; version: number | 'latest'; config: Record<string, unknown> }) =>
    call<WsSource>('POST', `${base}/sources`, body),
  deleteSource: (sourceId: string) => call<void>('DELETE', `${base}/sources/${id(sourceId)}`),
  /** With a destination: the modes it can write, and defaults among them. */
  streams: (sourceId: string, destinationId?: string) =>
    call<{ streams: WsStream[] }>('GET', `${base}/sources/${id(sourceId)}/streams${destinationId ? `?destination=${id(destinationId)}` : ''}`).then((r) => r.streams),
  destinationTypes: () => call<{ types: WsDestinationType[]; default: { type: string; path: string } }>('GET', `${base}/destination-types`),
  destinations: () => call<{ destinations: WsDestination[] }>('GET', `${base}/destinations`).then((r) => r.destinations),
  createDestination: (body: { name: string; config: Record<string, unknown> }) => call<WsDestination>('POST', `${base}/destinations`, body),
  deleteDestination: (destinationId: string) => call<void>('DELETE', `${base}/destinations/${id(destinationId)}`),
  connections: () => call<{ connections: WsConnection[] }>('GET', `${base}/connections`).then((r) => r.connections),
  connection: (connectionId: string) => call<WsConnection>('GET', `${base}/connections/${id(connectionId)}`),
  createConnection: (body: { name: string; source: string; destination: string; streams: WsConnectionStream[]; schedule?: WsSchedule }) =>
    call<WsConnection>('POST', `${base}/connections`, body),
  deleteConnection: (connectionId: string) => call<void>('DELETE', `${base}/connections/${id(connectionId)}`),
  sync: (connectionId: string) => call<{ syncId: string }>('POST', `${base}/connections/${id(connectionId)}/sync`),
  cancel: (connectionId: string) => call<{ syncId: string }>('POST', `${base}/connections/${id(connectionId)}/sync/cancel`),
  history: (connectionId: string) => call<{ syncs: SyncSummary[] }>('GET', `${base}/connections/${id(connectionId)}/history`).then((r) => r.syncs),
  reset: (connectionId: string) => call<{ reset: string[] }>('POST', `${base}/connections/${id(connectionId)}/reset`, {}),
  eventsUrl: (connectionId: string) => `${base}/connections/${id(connectionId)}/sync/events`,
};
