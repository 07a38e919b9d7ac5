import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../__tests__/setup.js';
import type { Connector, Project } from '../model.js';
import { ConnectorStore } from './connectors.js';

// The Builder's own store, to prove both read and write the same files. Loaded by path (vitest
// compiles it) so this package's typecheck stays inside its own sources.
interface BuilderStoreApi {
  createProject(name: string, manifest: string): Promise<Project>;
  getProject(id: string): Promise<Project>;
  listConnectors(): Promise<Connector[]>;
  publish(project: Project, name: string, description: string | null): Promise<{ connector: Connector; version: number }>;
}
const builderStorePath = '../../../builder-server/src/store.js';
const { WorkspaceStore: BuilderStore } = (await import(builderStorePath)) as { WorkspaceStore: new (dir: string) => BuilderStoreApi };

const MANIFEST_V1 = 'version: 6.44.0\ntype: DeclarativeSource\n# v1\n';
const MANIFEST_V2 = 'version: 6.44.0\ntype: DeclarativeSource\n# v2\n';

describe('ConnectorStore and the Builder store', () => {
  it('reads what the Builder publishes', async () => {
    const dir = tempDir();
    const builder = new BuilderStore(dir);
    const project = await builder.createProject('My API', MANIFEST_V1);
    await builder.publish(project, 'My API', 'first');
    const ours = new ConnectorStore(dir);
    expect((await ours.list()).map((c) => c.name)).toEqual(['My API']);
    expect(await ours.version('my-api', 'latest')).toMatchObject({ version: 1, description: 'first', manifest: MANIFEST_V1 });
  });

  it('publishes what the Builder reads, as the next version of the same project', async () => {
    const dir = tempDir();
    const builder = new BuilderStore(dir);
    const project = await builder.createProject('My API', MANIFEST_V1);
    await builder.publish(project, 'My API', null);
    const ours = new ConnectorStore(dir);
    const { version } = await ours.publish('My API', MANIFEST_V2, 'from the CLI');
    expect(version).toBe(2);
    expect((await builder.getProject(project.id)).manifest).toBe(MANIFEST_V2);
    const [connector] = await builder.listConnectors();
    expect(connector?.versions.map((v) => v.version)).toEqual([1, 2]);
    // The Builder can publish again from its project: the connector stays one.
    await builder.publish(await builder.getProject(project.id), 'My API', null);
    expect((await ours.get('My API')).versions).toHaveLength(3);
  });

  it('a first CLI publish creates the project the Builder opens', async () => {
    const dir = tempDir();
    const { connector } = await new ConnectorStore(dir).publish('Fresh', MANIFEST_V1, null);
    const file = JSON.parse(readFileSync(join(dir, 'connectors', 'fresh.json'), 'utf8'));
    expect(Object.keys(file).sort()).toEqual(['name', 'project_id', 'versions']);
    const project = await new BuilderStore(dir).getProject(connector.project_id);
    expect(project).toMatchObject({ name: 'Fresh', manifest: MANIFEST_V1 });
  });

  it('projects: what one store writes the other reads and updates', async () => {
    const dir = tempDir();
    const ours = new ConnectorStore(dir);
    const builder = new BuilderStore(dir);
    const project = await ours.createProject('Draft', MANIFEST_V1);
    expect(await builder.getProject(project.id)).toEqual(project);
    const fromBuilder = await builder.createProject('Other', MANIFEST_V2);
    expect((await ours.listProjects()).map((p) => p.name).sort()).toEqual(['Draft', 'Other']);
    await ours.updateProject(fromBuilder.id, { manifest: MANIFEST_V1 });
    expect((await builder.getProject(fromBuilder.id)).manifest).toBe(MANIFEST_V1);
    await ours.deleteProject(project.id);
    await expect(builder.getProject(project.id)).rejects.toThrow(/does not exist/);
  });

  it("publishProject keeps the Builder's rule: a connector name belongs to one project", async () => {
    const ours = new ConnectorStore(tempDir());
    const a = await ours.createProject('A', MANIFEST_V1);
    const b = await ours.createProject('B', MANIFEST_V2);
    expect((await ours.publishProject(a.id, 'Shared', null)).version).toBe(1);
    expect((await ours.publishProject(a.id, 'Shared', 'again')).version).toBe(2);
    await expect(ours.publishProject(b.id, 'Shared', null)).rejects.toThrow(/already published from another project/);
  });

  it('an unknown connector or version is an error listing what exists', async () => {
    const store = new ConnectorStore(tempDir());
    await store.publish('Shop', MANIFEST_V1, null);
    await expect(store.get('Shoe')).rejects.toThrow(/no connector named 'Shoe'/);
    await expect(store.version('Shop', 7)).rejects.toThrow(/no version 7/);
  });
});
