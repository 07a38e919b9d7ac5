/**
 * The syncs this server started: at most one per connection, each with its latest progress and
 * the listeners (Server-Sent Events clients) that follow it. A sync keeps running when its
 * listeners go away; it ends by itself or by cancel.
 */
import type { SyncEntry, SyncProgress, SyncResult, Workspace } from '@manifold/workspace';
import { ApiError } from './errors.js';

/** What a progress event carries: the runner's progress plus the sync's status. */
export interface ProgressEvent extends SyncProgress {
  status: 'running';
}

/** The last event of a sync: its history entry, with totals and duration. */
export interface SyncSummary {
  id: string;
  connectionId: string;
  status: SyncEntry['status'];
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  records: number;
  bytes: number;
  streams: Record<string, { records: number; bytes: number }>;
  /** Rows the destination reports written per stream (succeeded syncs run by this server). */
  recordsWritten?: Record<string, number> | undefined;
  error?: string | undefined;
}

export type SyncEvent = { type: 'progress'; data: ProgressEvent } | { type: 'summary'; data: SyncSummary };
type Listener = (event: SyncEvent) => void;

interface RunningSync {
  syncId: string;
  controller: AbortController;
  latest: ProgressEvent;
  listeners: Set<Listener>;
}

export function summaryOf(entry: SyncEntry | SyncResult): SyncSummary {
  const streams = Object.fromEntries(Object.entries(entry.streams).map(([name, stats]) => [name, { records: stats.records, bytes: stats.bytes }]));
  const totals = Object.values(streams).reduce((sum, s) => ({ records: sum.records + s.records, bytes: sum.bytes + s.bytes }), { records: 0, bytes: 0 });
  const durationMs = entry.endedAt ? Date.parse(entry.endedAt) - Date.parse(entry.startedAt) : null;
  const summary: SyncSummary = {
    id: entry.id,
    connectionId: entry.connectionId,
    status: entry.status,
    startedAt: entry.startedAt,
    endedAt: entry.endedAt ?? null,
    durationMs,
    ...totals,
    streams,
  };
  if ('recordsWritten' in entry && entry.recordsWritten) summary.recordsWritten = entry.recordsWritten;
  if (entry.error) summary.error = entry.error;
  return summary;
}

export class SyncRuns {
  private readonly running = new Map<string, RunningSync>();
  /** The last summary of each connection's sync run here (kept so a late listener still sees it). */
  private readonly finished = new Map<string, SyncSummary>();
  private readonly settled = new Set<Promise<unknown>>();

  constructor(private readonly workspace: Workspace) {}

  isRunning(connectionId: string): boolean {
    return this.running.has(connectionId);
  }

  /**
   * Starts a sync and resolves with its id once the runner has saved its history entry; a sync
   * that cannot start (already running, missing secrets, no destination module) rejects instead.
   */
  start(connectionId: string): Promise<{ syncId: string }> {
    if (this.running.has(connectionId)) {
      const current = this.running.get(connectionId) as RunningSync;
      throw new ApiError(409, `A sync of this connection is already running (sync ${current.syncId}); wait for it or cancel it`, 'SYNC_RUNNING');
    }
    const controller = new AbortController();
    const placeholder: RunningSync = {
      syncId: '',
      controller,
      latest: { status: 'running', syncId: '', connectionId, phase: 'discovering', elapsedMs: 0, records: 0, bytes: 0, checkpoints: 0, streams: {} },
      listeners: new Set(),
    };
    // Reserved before the first await, so a second request in the meantime gets a 409.
    this.running.set(connectionId, placeholder);
    return new Promise((resolve, reject) => {
      let started = false;
      const onProgress = (progress: SyncProgress) => {
        placeholder.syncId = progress.syncId;
        placeholder.latest = { ...progress, status: 'running' };
        if (!started) {
          started = true;
          resolve({ syncId: progress.syncId });
        }
        for (const listener of placeholder.listeners) listener({ type: 'progress', data: placeholder.latest });
      };
      const done = this.workspace.runSync(connectionId, { signal: controller.signal, onProgress }).then(
        (result) => {
          const summary = summaryOf(result);
          this.finished.set(connectionId, summary);
          this.running.delete(connectionId);
          for (const listener of placeholder.listeners) listener({ type: 'summary', data: summary });
          placeholder.listeners.clear();
        },
        (error: unknown) => {
          this.running.delete(connectionId);
          if (!started) reject(error);
          else for (const listener of placeholder.listeners) listener({ type: 'summary', data: failedSummary(placeholder, error) });
        },
      );
      this.settled.add(done);
      void done.finally(() => this.settled.delete(done));
    });
  }

  cancel(connectionId: string): { syncId: string } {
    const current = this.running.get(connectionId);
    if (!current) throw new ApiError(409, 'No sync of this connection is running', 'NO_SYNC_RUNNING');
    current.controller.abort();
    return { syncId: current.syncId };
  }

  /**
   * Follows the connection's sync: the current progress at once, then every change, then the
   * summary. With nothing running, the last summary known here (or undefined: see history).
   */
  follow(connectionId: string, listener: Listener): { stop: () => void; lastSummary?: SyncSummary | undefined } {
    const current = this.running.get(connectionId);
    if (!current) return { stop: () => undefined, lastSummary: this.finished.get(connectionId) };
    listener({ type: 'progress', data: current.latest });
    current.listeners.add(listener);
    return { stop: () => current.listeners.delete(listener) };
  }

  /** Cancels every sync and waits for them to end (server shutdown, tests). */
  async close(): Promise<void> {
    for (const sync of this.running.values()) sync.controller.abort();
    await Promise.allSettled([...this.settled]);
  }
}

function failedSummary(sync: RunningSync, error: unknown): SyncSummary {
  return {
    id: sync.syncId,
    connectionId: sync.latest.connectionId,
    status: 'failed',
    startedAt: new Date(Date.now() - sync.latest.elapsedMs).toISOString(),
    endedAt: new Date().toISOString(),
    durationMs: sync.latest.elapsedMs,
    records: sync.latest.records,
    bytes: sync.latest.bytes,
    streams: Object.fromEntries(Object.entries(sync.latest.streams).map(([name, s]) => [name, { records: s.records, bytes: s.bytes }])),
    error: error instanceof Error ? error.message : String(error),
  };
}
