/**
 * One kind of named thing (sources, destinations, connections), a JSON file per id under its
 * folder. Names are unique within a kind, so the CLI can take a name wherever it takes an id.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { WorkspaceError } from '../errors.js';
import { readAll, readJson, removeFile, writeJson } from '../json-files.js';

interface Named {
  id: string;
  name: string;
}

const ID = /^[A-Za-z0-9-]{1,64}$/;

export class Collection<T extends Named> {
  constructor(
    private readonly dir: string,
    /** For messages and help: 'source', 'destination', 'connection'. */
    readonly kind: string,
  ) {}

  newId(): string {
    return randomUUID();
  }

  async list(): Promise<T[]> {
    const items = await readAll<T>(this.dir);
    return items.sort((a, b) => a.name.localeCompare(b.name));
  }

  async find(idOrName: string): Promise<T | undefined> {
    if (ID.test(idOrName)) {
      const byId = await readJson<T>(join(this.dir, `${idOrName}.json`));
      if (byId) return byId;
    }
    return (await this.list()).find((item) => item.name === idOrName);
  }

  async get(idOrName: string): Promise<T> {
    const item = await this.find(idOrName);
    if (!item) {
      const names = (await this.list()).map((i) => i.name);
      throw new WorkspaceError('NOT_FOUND', `no ${this.kind} named '${idOrName}' in this workspace`, {
        help: names.length > 0 ? `Existing ${this.kind}s: ${names.join(', ')}` : `Create one with \`manifold ${this.kind} create\``,
      });
    }
    return item;
  }

  async assertNameFree(name: string, exceptId?: string): Promise<void> {
    if (name.trim() === '') throw new WorkspaceError('INVALID_INPUT', `a ${this.kind} needs a non-empty name`);
    const clash = (await this.list()).find((item) => item.name === name && item.id !== exceptId);
    if (clash) {
      throw new WorkspaceError('NAME_TAKEN', `a ${this.kind} named '${name}' already exists (id ${clash.id})`, {
        help: `Pick another name, or delete it with \`manifold ${this.kind} delete ${name}\``,
      });
    }
  }

  async save(item: T): Promise<T> {
    await writeJson(this.dir, `${item.id}.json`, item);
    return item;
  }

  async remove(id: string): Promise<void> {
    await removeFile(join(this.dir, `${id}.json`));
  }
}
