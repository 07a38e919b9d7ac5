/**
 * Projects and published connectors, in the files and shapes of the Connector Builder's store
 * (packages/builder-server/src/store.ts): `projects/<id>.json` and `connectors/<slug>.json`.
 * A connector the Builder publishes is one the CLI can run, and the reverse.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { WorkspaceError } from '../errors.js';
import { readAll, readJson, writeJson } from '../json-files.js';
import type { Connector, ConnectorVersion, Project } from '../model.js';

/** kebab-case of a display name, as the Builder names connector files: "My API v2" → "my-api-v2". */
export function slug(name: string): string {
  const text = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return text || 'connector';
}

export class ConnectorStore {
  constructor(private readonly dir: string) {}

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

  async findProject(id: string): Promise<Project | undefined> {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) return undefined;
    return readJson<Project>(join(this.projectsDir, `${id}.json`));
  }

  async getProject(id: string): Promise<Project> {
    const project = await this.findProject(id);
    if (!project) throw new WorkspaceError('NOT_FOUND', `project '${id}' does not exist`);
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

  /** The Builder's publish: a project's manifest as the next version; a name belongs to one project. */
  async publishProject(projectId: string, name: string, description: string | null): Promise<{ connector: Connector; version: number }> {
    const project = await this.getProject(projectId);
    const existing = await readJson<Connector>(join(this.connectorsDir, `${slug(name)}.json`));
    if (existing && existing.project_id !== project.id) {
      throw new WorkspaceError('NAME_TAKEN', `a connector named '${name}' was already published from another project`);
    }
    return this.appendVersion(existing ?? { name, project_id: project.id, versions: [] }, project.manifest, description);
  }

  async list(): Promise<Connector[]> {
    const connectors = await readAll<Connector>(this.connectorsDir);
    return connectors.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** By display name or its slug (the file name). */
  async get(name: string): Promise<Connector> {
    const connector = await readJson<Connector>(join(this.connectorsDir, `${slug(name)}.json`));
    if (!connector) {
      const names = (await this.list()).map((c) => c.name);
      throw new WorkspaceError('NOT_FOUND', `no connector named '${name}' is published in this workspace`, {
        help: names.length > 0
          ? `Published connectors: ${names.join(', ')}`
          : 'Publish one with `manifold publish <manifest.yaml> --name <name>` or from the Connector Builder',
      });
    }
    return connector;
  }

  /** A version of a connector: a number, or 'latest' for the newest. */
  async version(name: string, version: number | 'latest'): Promise<ConnectorVersion> {
    const connector = await this.get(name);
    const found = version === 'latest' ? connector.versions.at(-1) : connector.versions.find((v) => v.version === version);
    if (!found) {
      throw new WorkspaceError('NOT_FOUND', `connector '${connector.name}' has no version ${String(version)}`, {
        help: `Published versions: ${connector.versions.map((v) => v.version).join(', ') || 'none'}`,
      });
    }
    return found;
  }

  /**
   * Publishes a manifest as the next version of a connector. Like the Builder, a connector
   * belongs to one project: the project's manifest is updated (or the project created) too, so
   * the Builder opens what was published.
   */
  async publish(name: string, manifest: string, description: string | null): Promise<{ connector: Connector; version: number }> {
    const existing = await readJson<Connector>(join(this.connectorsDir, `${slug(name)}.json`));
    const now = new Date().toISOString();
    const projectId = existing?.project_id ?? randomUUID();
    const project = await this.findProject(projectId);
    const saved: Project = project
      ? { ...project, manifest, updated_at: now }
      : { id: projectId, name, manifest, created_at: now, updated_at: now };
    await writeJson(this.projectsDir, `${projectId}.json`, saved);
    return this.appendVersion(existing ?? { name, project_id: projectId, versions: [] }, manifest, description);
  }

  private async appendVersion(connector: Connector, manifest: string, description: string | null): Promise<{ connector: Connector; version: number }> {
    const version = (connector.versions.at(-1)?.version ?? 0) + 1;
    connector.versions.push({ version, published_at: new Date().toISOString(), description, manifest });
    await writeJson(this.connectorsDir, `${slug(connector.name)}.json`, connector);
    return { connector, version };
  }
}
