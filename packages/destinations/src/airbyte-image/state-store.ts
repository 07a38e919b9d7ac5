import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseJsonExact, stringifyJson } from '@manifold/runtime';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { StateMessage } from '../destination.js';

export function defaultStateDirectory(): string {
  return join(homedir(), '.manifold', 'destination-state');
}

/** Committed states of one connection writing to one image, kept in a JSON file. */
export class ImageStateStore {
  private readonly path: string;

  constructor(stateDirectory: string, image: string, connectionId: string) {
    const safe = (text: string): string => text.replace(/[^A-Za-z0-9._-]/g, '_');
    this.path = join(stateDirectory, safe(image), `${safe(connectionId)}.json`);
  }

  read(): StateMessage[] {
    if (!existsSync(this.path)) return [];
    return parseJsonExact(readFileSync(this.path, 'utf8')) as StateMessage[];
  }

  /** Replaced through a renamed temporary file, so a crash leaves the old or the new list. */
  write(states: StateMessage[]): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, `${stringifyJson(states)}\n`);
    renameSync(temporary, this.path);
  }
}
