/** The builder server's HTTP API (docs/builder-api.md). */

export interface Project {
  id: string;
  name: string;
  manifest: string;
  created_at: string;
  updated_at: string;
}

export interface ApiErrorBody {
  detail: string;
  code?: string;
  path?: string;
  line?: number;
}

export class ApiError extends Error {
  constructor(public status: number, public body: ApiErrorBody) {
    super(body.detail);
  }
}

export interface HttpRequest {
  url: string;
  http_method: string;
  headers?: Record<string, string> | null;
  body?: string | null;
}
export interface HttpResponse {
  status: number;
  headers?: Record<string, string> | null;
  body?: string | null;
}
export interface StreamReadPage {
  request?: HttpRequest | null;
  response?: HttpResponse | null;
  records: Record<string, unknown>[];
}
export interface StreamReadSlice {
  slice_descriptor?: Record<string, unknown> | null;
  pages: StreamReadPage[];
  state?: unknown[];
  auxiliary_requests?: AuxiliaryRequest[];
}
export interface AuxiliaryRequest {
  title: string;
  type?: string;
  description?: string;
  request?: HttpRequest | null;
  response?: HttpResponse | null;
}
export interface LogMessage {
  message: string;
  level: string;
  internal_message?: string | null;
  stacktrace?: string | null;
}
export interface StreamRead {
  logs: LogMessage[];
  slices: StreamReadSlice[];
  test_read_limit_reached: boolean;
  auxiliary_requests: AuxiliaryRequest[];
  inferred_schema: Record<string, unknown> | null;
  inferred_datetime_formats?: Record<string, string> | null;
  latest_config_update?: Record<string, unknown> | null;
}

export interface ConnectorVersion {
  version: number;
  published_at: string;
  description?: string | null;
}
export interface Connector {
  name: string;
  project_id: string;
  latest_version: number;
  versions: ConnectorVersion[];
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, { detail: `The builder server is not reachable (${(e as Error).message}).` });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const b = (json ?? {}) as Partial<ApiErrorBody>;
    throw new ApiError(res.status, { ...b, detail: b.detail ?? `${res.status} ${res.statusText}: ${text.slice(0, 200)}` });
  }
  return json as T;
}

export const api = {
  listProjects: () => call<{ projects: Project[] }>('GET', '/api/projects').then((r) => r.projects),
  createProject: (name: string, manifest?: string) => call<Project>('POST', '/api/projects', { name, ...(manifest !== undefined ? { manifest } : {}) }),
  getProject: (id: string) => call<Project>('GET', `/api/projects/${encodeURIComponent(id)}`),
  saveProject: (id: string, patch: { name?: string; manifest?: string }) => call<Project>('PUT', `/api/projects/${encodeURIComponent(id)}`, patch),
  deleteProject: (id: string) => call<void>('DELETE', `/api/projects/${encodeURIComponent(id)}`),
  downloadUrl: (id: string) => `/api/projects/${encodeURIComponent(id)}/download`,
  publish: (id: string, description: string) =>
    call<{ connector: Connector; version: number }>('POST', `/api/projects/${encodeURIComponent(id)}/publish`, { description }),
  connectors: () => call<{ connectors: Connector[] }>('GET', '/api/connectors').then((r) => r.connectors),
  contribute: (id: string, body: { name?: string; documentation_url?: string; tags?: string[] }) =>
    call<{ directory: string; files: string[] }>('POST', `/api/projects/${encodeURIComponent(id)}/contribute`, body),
  resolve: (manifest: string) => call<{ manifest: Record<string, unknown> }>('POST', '/v1/manifest/resolve', { manifest }),
  read: (body: { manifest: string; config: Record<string, unknown>; stream: string; record_limit: number; page_limit: number; slice_limit: number; state?: unknown[] }) =>
    call<StreamRead>('POST', '/v1/stream/read', body),
};
