import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseJsonExact, stringifyJson } from '@manifold/runtime';
import { join } from 'node:path';
import type { StateMessage } from '../destination.js';

export const STATE_FILE = '_state.json';

/** What is committed in a JSONL directory: bytes of each data file, and each connection's state. */
export interface CommittedState {
  version: 1;
  /** Committed byte length per data file name; bytes past it were never committed. */
  files: Record<string, { length: number; generationId?: number | undefined }>;
  /** Renames decided by a commit but perhaps not yet done (overwrite swaps), redone on recovery. */
  renames: Array<{ from: string; to: string }>;
  connections: Record<string, StateMessage[]>;
}

export function emptyState(): CommittedState {
  return { version: 1, files: {}, renames: [], connections: {} };
}

export function readCommittedState(directory: string): CommittedState {
  const path = join(directory, STATE_FILE);
  if (!existsSync(path)) return emptyState();
  const parsed = parseJsonExact(readFileSync(path, 'utf8')) as Partial<CommittedState>;
  return { version: 1, files: parsed.files ?? {}, renames: parsed.renames ?? [], connections: parsed.connections ?? {} };
}

/** Replaces the state file atomically: a crash leaves either the old or the new one, complete. */
export function writeCommittedState(directory: string, state: CommittedState): void {
  const path = join(directory, STATE_FILE);
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${stringifyJson(state)}\n`);
  const fd = openSync(temporary, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  const directoryFd = openSync(directory, 'r');
  try {
    fsyncSync(directoryFd);
  } finally {
    closeSync(directoryFd);
  }
}
