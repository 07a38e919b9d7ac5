/**
 * The Builder's projects and published connectors, kept by the workspace (@manifold/workspace):
 * one store for the Builder, the `manifold` CLI and syncs. This adapter only gives the workspace's
 * errors the API's status codes. Testing values (config) are never part of what is stored.
 */
import { type Connector, type Project, defaultWorkspaceDir, isWorkspaceError, openWorkspace, slug, type Workspace } from '@manifold/workspace';
import { ApiError } from './errors.js';

export type { Connector, Project };
export { defaultWorkspaceDir, slug };

export class WorkspaceStore {
  private readonly workspace: Workspace;

  constructor(readonly dir: string) {
    this.workspace = openWorkspace(dir);
  }

  listProjects(): Promise<Project[]> {
    return this.workspace.listProjects();
  }

  getProject(id: string): Promise<Project> {
    return apiErrors(this.workspace.getProject(id));
  }

  createProject(name: string, manifest: string): Promise<Project> {
    return this.workspace.createProject(name, manifest);
  }

  updateProject(id: string, changes: { name?: string | undefined; manifest?: string | undefined }): Promise<Project> {
    return apiErrors(this.workspace.updateProject(id, changes));
  }

  deleteProject(id: string): Promise<void> {
    return apiErrors(this.workspace.deleteProject(id));
  }

  listConnectors(): Promise<Connector[]> {
    return this.workspace.listConnectors();
  }

  publish(project: Project, name: string, description: string | null): Promise<{ connector: Connector; version: number }> {
    return apiErrors(this.workspace.publishProject(project.id, name, description));
  }
}

/** The workspace's NOT_FOUND and NAME_TAKEN as this API's 404 PROJECT_NOT_FOUND and 409 CONNECTOR_NAME_TAKEN. */
async function apiErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isWorkspaceError(error) && error.code === 'NOT_FOUND') throw new ApiError(404, capitalised(error.message), 'PROJECT_NOT_FOUND');
    if (isWorkspaceError(error) && error.code === 'NAME_TAKEN') throw new ApiError(409, capitalised(error.message), 'CONNECTOR_NAME_TAKEN');
    throw error;
  }
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
