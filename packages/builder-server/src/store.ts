/**
 * The workspace store: projects and published connectors as JSON files under one directory.
 * Writes go to a temporary file first and are renamed into place. Testing values (config) are
 * never part of what is stored.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from './errors.js';

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

export function defaultWorkspaceDir(): string {
  return process.env.MANIFOLD_WORKSPACE ?? join(homedir(), '.manifold', 'workspace');
}

const ID = /^[A-Za-z0-9-]{1,64}$/;

export class WorkspaceStore {
  constructor(readonly dir: string) {}

  private get projectsDir(): string {
    return join(this.dir, 'projects');
  }

  private get connectorsDir(): string {
    return join(this.dir, 'connectors');
  }

  async listProjects(): Promise<Project[]> {
    const projects = await readAll<Project>(this.projectsDir);
    return projects.sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  }

  async getProject(id: string): Promise<Project> {
    if (!ID.test(id)) throw notFound(id);
    const project = await readJson<Project>(join(this.projectsDir, `${id}.json`));
    if (!project) throw notFound(id);
    return project;
  }

  async createProject(name: string, manifest: string): Promise<Project> {
    const now = new Date().toISOString();
    const project: Project = { id: randomUUID(), name, manifest, created_at: now, updated_at: now };
    await writeJson(this.projectsDir, `${project.id}.json`, project);
    return project;
  }

  async updateProject(id: string, changes: { name?: string | undefined; manifest?: string | undefined }): Promise<Project> {
    const project = await this.getProject(id);
    const updated: Project = {
      ...project,
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.manifest === undefined ? {} : { manifest: changes.manifest }),
      updated_at: new Date().toISOString(),
    };
    await writeJson(this.projectsDir, `${id}.json`, updated);
    return updated;
  }

  async deleteProject(id: string): Promise<void> {
    await this.getProject(id);
    await rm(join(this.projectsDir, `${id}.json`), { force: true });
  }

  async listConnectors(): Promise<Connector[]> {
    const connectors = await readAll<Connector>(this.connectorsDir);
    return connectors.sort((a, b) => a.name.localeCompare(b.name));
  }

  async publish(project: Project, name: string, description: string | null): Promise<{ connector: Connector; version: number }> {
    const file = `${slug(name)}.json`;
    const existing = await readJson<Connector>(join(this.connectorsDir, file));
    if (existing && existing.project_id !== project.id) {
      throw new ApiError(409, `A connector named '${name}' was already published from another project`, 'CONNECTOR_NAME_TAKEN');
    }
    const connector: Connector = existing ?? { name, project_id: project.id, versions: [] };
    const version = (connector.versions[connector.versions.length - 1]?.version ?? 0) + 1;
    connector.versions.push({ version, published_at: new Date().toISOString(), description, manifest: project.manifest });
    await writeJson(this.connectorsDir, file, connector);
    return { connector, version };
  }
}

function notFound(id: string): ApiError {
  return new ApiError(404, `Project '${id}' does not exist`, 'PROJECT_NOT_FOUND');
}

/** kebab-case from a display name: "My API v2" → "my-api-v2". */
export function slug(name: string): string {
  const text = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return text || 'connector';
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function readAll<T>(dir: string): Promise<T[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const items: T[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const item = await readJson<T>(join(dir, name));
    if (item) items.push(item);
  }
  return items;
}

async function writeJson(dir: string, name: string, value: unknown): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${name}.${process.pid}.${randomUUID()}.tmp`);
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, 'utf8');
  await rename(tmp, join(dir, name));
}
