/**
 * Runs the syncs of scheduled connections. Every tick (30 s) it reads the connections, and an
 * active one with a schedule is due when its next run after the last sync's start (or the
 * connection's creation) has come. Runs missed while nothing was ticking collapse into one,
 * because the next run is counted from the last start, not from each missed slot.
 *
 * A connection never has two syncs from here at once; one already running elsewhere (a CLI
 * `manifold sync` holds the connection's lock) is skipped and tried again next tick. A sync that
 * fails is recorded in history like any other and does not stop the scheduler.
 *
 * stop() cancels: it aborts the running syncs' signals and waits for them to end. A cancelled
 * sync keeps what it committed and the next one resumes from there, so waiting for a long sync
 * to finish would only delay shutdown.
 */
import { isWorkspaceError } from '../errors.js';
import type { Connection, Schedule } from '../model.js';
import type { SyncResult } from '../sync/run-sync.js';
import type { Workspace } from '../workspace.js';
import { nextScheduledRun } from './schedule.js';

export type SchedulerEvent =
  | { type: 'started'; connection: Connection; syncId: string }
  | { type: 'finished'; connection: Connection; result: SyncResult }
  /** Another process is syncing the connection; it is tried again next tick. */
  | { type: 'skipped'; connection: Connection; reason: string }
  /** The sync could not start or threw (a sync that ran and failed is 'finished' with status failed). */
  | { type: 'error'; connection?: Connection; error: unknown };

export interface SchedulerOptions {
  /** Now (default: the system clock). */
  clock?: () => Date;
  /** Calls back once after `ms`; returns a cancel function (default: setTimeout). */
  setTimer?: (callback: () => void, ms: number) => () => void;
  /** How often it checks for due connections (default 30 s). */
  tickMs?: number;
  /** Length of a minute of intervalMinutes (default 60 000; tests shrink it). */
  minuteMs?: number;
  onEvent?: (event: SchedulerEvent) => void;
}

export interface SchedulerHandle {
  /** Stops ticking, cancels running syncs and resolves when they have ended. */
  stop(): Promise<void>;
  /** Checks for due connections now and launches their syncs (resolves once launched, not finished). */
  tick(): Promise<void>;
  /** Resolves when no sync started here is running. */
  idle(): Promise<void>;
}

const DEFAULT_TICK_MS = 30_000;

export function startScheduler(workspace: Workspace, options: SchedulerOptions = {}): SchedulerHandle {
  const clock = options.clock ?? (() => new Date());
  const setTimer = options.setTimer ?? defaultTimer;
  const tickMs = options.tickMs ?? DEFAULT_TICK_MS;
  const emit = (event: SchedulerEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's bug must not stop the scheduling.
    }
  };
  const controller = new AbortController();
  const running = new Map<string, Promise<void>>();
  // When a sync was last started from here: a sync that failed before writing history still
  // counts, so a broken connection is retried on its schedule rather than every tick.
  const lastAttempt = new Map<string, number>();
  let checking: Promise<void> | undefined;
  let cancelTimer: (() => void) | undefined;
  let stopped = false;

  const check = async (): Promise<void> => {
    let list: Connection[];
    try {
      list = await workspace.listConnections();
    } catch (error) {
      emit({ type: 'error', error });
      return;
    }
    for (const connection of list) {
      if (stopped) return;
      if (connection.status !== 'active' || !connection.schedule || running.has(connection.id)) continue;
      try {
        // stop() may have come while the history was read: start nothing after it.
        if ((await isDue(connection, connection.schedule)) && !stopped) start(connection);
      } catch (error) {
        emit({ type: 'error', connection, error });
      }
    }
  };

  const isDue = async (connection: Connection, schedule: Schedule): Promise<boolean> => {
    const [newest] = await workspace.history(connection.id);
    const since = Math.max(
      Date.parse(connection.createdAt),
      newest ? Date.parse(newest.startedAt) : 0,
      lastAttempt.get(connection.id) ?? 0,
    );
    return nextScheduledRun(schedule, new Date(since), options.minuteMs).getTime() <= clock().getTime();
  };

  const start = (connection: Connection) => {
    lastAttempt.set(connection.id, clock().getTime());
    const run = (async () => {
      try {
        let announced = false;
        const result = await workspace.runSync(connection.id, {
          signal: controller.signal,
          // The first progress report comes once the lock is held and the history entry written.
          onProgress: (progress) => {
            if (announced) return;
            announced = true;
            emit({ type: 'started', connection, syncId: progress.syncId });
          },
        });
        emit({ type: 'finished', connection, result });
      } catch (error) {
        if (isWorkspaceError(error) && error.code === 'SYNC_RUNNING') {
          // Not ours: the next tick tries again, and then counts from that sync's start.
          lastAttempt.delete(connection.id);
          emit({ type: 'skipped', connection, reason: error.message });
        } else {
          emit({ type: 'error', connection, error });
        }
      } finally {
        running.delete(connection.id);
      }
    })();
    running.set(connection.id, run);
  };

  const tick = (): Promise<void> => {
    // Ticks never overlap: a slow check (many connections) makes the next one wait.
    checking ??= check().finally(() => {
      checking = undefined;
    });
    return checking;
  };

  const loop = () => {
    if (stopped) return;
    void tick().then(() => {
      if (!stopped) cancelTimer = setTimer(loop, tickMs);
    });
  };
  loop();

  const idle = async () => {
    while (running.size > 0) await Promise.all(running.values());
  };

  return {
    tick,
    idle,
    async stop() {
      stopped = true;
      cancelTimer?.();
      controller.abort();
      await checking;
      await idle();
    },
  };
}

function defaultTimer(callback: () => void, ms: number): () => void {
  const timer = setTimeout(callback, ms);
  // The scheduler alone does not keep a process alive; its owner (CLI, server) does.
  timer.unref();
  return () => clearTimeout(timer);
}
