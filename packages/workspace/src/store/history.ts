/**
 * Sync history: `syncs/<connection id>/<sync id>.json`, one entry per sync, written when it
 * starts (status running) and again when it ends. Sync ids sort by start time.
 * A 'running' entry whose process is gone was interrupted (killed, crashed): it is marked failed
 * the next time the connection's history is read or a sync starts.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
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

  /** Newest first; interrupted entries are repaired on the way. */
  async list(connectionId: string): Promise<SyncEntry[]> {
    const entries = await readAll<SyncEntry>(this.folder(connectionId));
    for (const entry of entries) {
      if (entry.status === 'running' && !processAlive(entry.pid)) {
        entry.status = 'failed';
        entry.error = INTERRUPTED;
        entry.endedAt ??= new Date().toISOString();
        await this.save(entry);
      }
    }
    return entries.sort((a, b) => b.id.localeCompare(a.id));
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
