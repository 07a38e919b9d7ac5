/**
 * JSON files of the workspace: one object per file, written atomically (temporary file, then
 * rename), so a killed process leaves either the old or the new file — never half of one.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkspaceError } from './errors.js';

export async function readJson<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new WorkspaceError('CORRUPT_FILE', `${path} is not valid JSON: ${(error as Error).message}`, {
      help: 'Restore the file from a backup or delete it',
    });
  }
}

/** Every `*.json` object of a directory; [] when it does not exist. */
export async function readAll<T>(dir: string): Promise<T[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const items: T[] = [];
  for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
    const item = await readJson<T>(join(dir, name));
    if (item) items.push(item);
  }
  return items;
}

export async function writeJson(dir: string, name: string, value: unknown, mode?: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${name}.${process.pid}.${randomUUID()}.tmp`);
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { encoding: 'utf8', ...(mode === undefined ? {} : { mode }) });
  await rename(tmp, join(dir, name));
}

export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
