/**
 * Sync history: `syncs/<connection id>/<sync id>.json`, one entry per sync, written when it
 * starts (status running) and again when it ends. Sync ids sort by start time.
 * A 'running' entry whose process is gone was interrupted (killed, crashed): it is marked failed
 * the next time the connection's history is read or a sync starts.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkspaceError } from '../errors.js';
import { readAll, writeJson } from '../json-files.js';
import type { SyncEntry } from '../model.js';

export const INTERRUPTED = 'interrupted: the process running this sync ended before it finished';

export class HistoryStore {
  constructor(private readonly dir: string) {}

  private folder(connectionId: string): string {
    return join(this.dir, 'syncs', connectionId);
  }

  logsPath(connectionId: string, syncId: string): string {
    return join(this.dir, 'logs', connectionId, `${syncId}.log`);
  }

  newSyncId(now = new Date()): string {
    return `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
  }

  /**
   * Newest first; interrupted entries are repaired on the way: those whose process is gone, and
   * — when the caller holds the connection's lock, so nothing else can be running — all of them.
   */
  async list(connectionId: string, options: { lockHeld?: boolean } = {}): Promise<SyncEntry[]> {
    const entries = await readAll<SyncEntry>(this.folder(connectionId));
    for (const entry of entries) {
      if (entry.status === 'running' && (options.lockHeld || !processAlive(entry.pid))) {
        entry.status = 'failed';
        entry.error = INTERRUPTED;
        entry.endedAt ??= new Date().toISOString();
        await this.save(entry);
      }
    }
    return entries.sort((a, b) => b.id.localeCompare(a.id));
  }

  /**
   * One sync or reset of a connection at a time, across processes: `syncs/<id>/.lock` holds the
   * owner's pid, created exclusively. A lock whose process is gone is taken over.
   */
  async lock(connectionId: string, connectionName: string): Promise<() => Promise<void>> {
    const folder = this.folder(connectionId);
    const path = join(folder, '.lock');
    await mkdir(folder, { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(path, String(process.pid), { flag: 'wx' });
        return () => rm(path, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && processAlive(owner)) {
        throw new WorkspaceError('SYNC_RUNNING', `a sync or reset of connection '${connectionName}' is already running (pid ${owner})`, {
          help: 'Wait for it to end, or stop that process',
        });
      }
      await rm(path, { force: true });
    }
    throw new WorkspaceError('SYNC_RUNNING', `connection '${connectionName}' is locked by another process that just started`, {
      help: 'Try again',
    });
  }

  async save(entry: SyncEntry): Promise<void> {
    await writeJson(this.folder(entry.connectionId), `${entry.id}.json`, entry);
  }
}

/** Is a process with this pid running? (Signal 0 checks without sending anything.) */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
