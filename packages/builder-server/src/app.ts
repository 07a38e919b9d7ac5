/**
 * The Builder server: the builder API (/v1/stream/read, ...), the manifest-server API
 * (/health/, /capabilities/, /v1/manifest/...), the projects API (/api/...) and the UI.
 * Every answer is masked with the secrets of the request's config (and the tokens the run
 * obtained); every bad input is a 4xx whose `detail` names the problem.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import * as runtime from '@manifold/runtime';
import { DeclarativeSource, type LoadedManifest, SecretMasker, UndiciHttpClient, collectSecrets, loadManifest, stringifyJson } from '@manifold/runtime';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { ApiError, errorResponse } from './errors.js';
import { type Json, bodyOf, isObject, limit, optionalObject, optionalString, requiredObject, requiredString } from './input.js';
import { connectionSpecification, loadRequestManifest, maskerFor } from './manifest.js';
import { type RunOptions, check, discover, listStreams, quietRun, testRead } from './runs.js';
import { WorkspaceStore, defaultWorkspaceDir, slug } from './store.js';
import type { SchedulerOptions, WorkspaceOptions } from '@manifold/workspace';
import { workspaceRoutes } from './workspace-routes.js';

export interface AppOptions {
  /** Where projects and published connectors are stored (default MANIFOLD_WORKSPACE or ~/.manifold/workspace). */
  workspaceDir?: string;
  /** The built UI (default ../builder-ui/dist next to this package). */
  uiDir?: string;
  /** Fastify's request logger; off by default. It never logs bodies (test configs). */
  logger?: boolean;
  /** Where /contribute writes connectors/source-<name>/ (default MANIFOLD_REPO_DIR or the cwd). */
  repoDir?: string;
  /** For tests: run options (HTTP client, timeouts). */
  run?: RunOptions;
  /** For tests: options of the workspace behind /api/workspace (destinations, secret key env). */
  workspace?: WorkspaceOptions;
  /** Run scheduled syncs while the app runs (startServer turns it on unless MANIFOLD_SCHEDULER=0). */
  scheduler?: boolean | SchedulerOptions;
}

export const BODY_LIMIT = 10 * 1024 * 1024;

export const RECORD_LIMIT = { default: 100, min: 1, max: 5000 };
export const PAGE_LIMIT = { default: 5, min: 1, max: 20 };
export const SLICE_LIMIT = { default: 5, min: 1, max: 20 };
export const STREAM_LIMIT = { default: 100, min: 1, max: 100 };

const STARTER_MANIFEST = `version: 6.0.0
type: DeclarativeSource
check:
  type: CheckStream
  stream_names: []
streams: []
spec:
  type: Spec
  connection_specification:
    type: object
    $schema: http://json-schema.org/draft-07/schema#
    required: []
    properties: {}
`;

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>manifold Connector Builder</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 4rem auto">
<h1>manifold Connector Builder</h1>
<p>The Builder UI is not built. Run <code>npm run build</code> at the repository root (it builds
<code>packages/builder-ui</code>), then restart the server.</p>
<p>The API is up: see <code>docs/builder-api.md</code>, or try <a href="/v1/health">/v1/health</a>.</p>
</body></html>
`;

type Handler = (request: FastifyRequest, reply: FastifyReply, scope: { masker?: SecretMasker }) => Promise<unknown>;

/** Wraps a route: any error becomes a masked 4xx/5xx JSON answer and the server carries on. */
function route(handler: Handler) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const scope: { masker?: SecretMasker } = {};
    try {
      return await handler(request, reply, scope);
    } catch (error) {
      const { status, body } = errorResponse(error, scope.masker);
      return reply.code(status).send(body);
    }
  };
}

/**
 * The common start of the config-taking routes: the body, its config (whose secrets are masked
 * from here on, so even a manifest error cannot echo them) and the loaded manifest.
 */
function configuredRequest(request: FastifyRequest, scope: { masker?: SecretMasker }, withContext: boolean) {
  const body = bodyOf(request.body);
  const config = requiredObject(body, 'config');
  const masker = startMasker(config);
  scope.masker = masker;
  if (withContext) contextOf(body);
  const loaded = loadRequestManifest(body);
  addSpecSecrets(masker, loaded, config);
  return { body, config, loaded, masker };
}

/** Secrets of the request's config, known before the manifest loads (by name) and after it (by spec). */
function startMasker(config: Json | undefined): SecretMasker {
  return config ? maskerFor({}, config) : new SecretMasker();
}

function addSpecSecrets(masker: SecretMasker, loaded: LoadedManifest, config: Json): void {
  collectSecrets(connectionSpecification(loaded.manifest) ?? {}, config, masker);
}

function contextOf(body: Json): void {
  // `context` (workspace_id, project_id) is accepted for tracing; it must be an object when given.
  optionalObject(body, 'context');
}

function resolvedManifest(loaded: LoadedManifest): Json {
  return structuredClone(loaded.manifest);
}

/**
 * full_resolve: the resolved manifest with `dynamic_stream_name` on every stream (null for the
 * static ones) and the streams generated from `dynamic_streams` appended, at most `streamLimit`
 * per definition (as the CDK's manifest server). Generating them is the runtime's
 * `resolveDynamicStreams(source, {maxStreams})`; while the runtime does not export it, the
 * definitions stay under `dynamic_streams`.
 */
async function fullyResolved(loaded: LoadedManifest, config: Json, masker: SecretMasker, streamLimit: number, options: RunOptions): Promise<Json> {
  const resolver = (runtime as Record<string, unknown>).resolveDynamicStreams;
  const templates = loaded.manifest.dynamic_streams;
  if (typeof resolver === 'function' && Array.isArray(templates) && templates.length > 0) {
    const http = options.http ?? new UndiciHttpClient();
    try {
      const source = new DeclarativeSource(loaded, quietRun(config, masker, http));
      const resolved = await (resolver as (s: DeclarativeSource, o: { maxStreams?: number }) => Promise<Json>)(source, { maxStreams: streamLimit });
      return structuredClone(resolved);
    } finally {
      if (!options.http) await http.close().catch(() => undefined);
    }
  }
  const manifest = resolvedManifest(loaded);
  const streams = Array.isArray(manifest.streams) ? (manifest.streams as Json[]) : [];
  manifest.streams = streams.map((stream) => ({ ...stream, dynamic_stream_name: null }));
  return manifest;
}

export async function buildApp(opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: BODY_LIMIT });
  // Records may hold integers beyond 2^53 (BigInt, kept exact by the runtime): JSON.stringify
  // cannot write them, stringifyJson writes their digits.
  app.setReplySerializer((payload) => stringifyJson(payload));
  const store = new WorkspaceStore(opts.workspaceDir ?? defaultWorkspaceDir());
  const repoDir = () => opts.repoDir ?? process.env.MANIFOLD_REPO_DIR ?? process.cwd();
  const runOptions = opts.run ?? {};

  // Errors that happen before a route runs: malformed JSON, body too large, bad content type.
  app.setErrorHandler((error, _request, reply) => {
    const { status, body } = errorResponse(error);
    void reply.code(status).send(body);
  });

  // ---- Health and capabilities (both APIs) ----
  const health = async () => ({ status: 'ok' });
  app.get('/v1/health', health);
  app.get('/health', health);
  app.get('/health/', health);
  const capabilities = async () => ({ custom_code_execution: false });
  app.get('/capabilities', capabilities);
  app.get('/capabilities/', capabilities);

  // ---- Test reads ----
  const read = (field: 'stream' | 'stream_name', manifestServer: boolean): Handler =>
    async (request, _reply, scope) => {
      const body = bodyOf(request.body);
      const config = requiredObject(body, 'config');
      scope.masker = startMasker(config);
      const stream = requiredString(body, field);
      const recordLimit = limit(body, 'record_limit', RECORD_LIMIT.default, RECORD_LIMIT.min, RECORD_LIMIT.max);
      const pageLimit = limit(body, 'page_limit', PAGE_LIMIT.default, PAGE_LIMIT.min, PAGE_LIMIT.max);
      const sliceLimit = limit(body, 'slice_limit', SLICE_LIMIT.default, SLICE_LIMIT.min, SLICE_LIMIT.max);
      if (manifestServer) {
        contextOf(body);
        const code = optionalString(body, 'custom_components_code');
        if (code !== undefined && code.trim() !== '') {
          throw new ApiError(400, 'custom_components_code is not supported: this server does not run custom Python components (see GET /capabilities/)', 'CUSTOM_CODE_UNSUPPORTED');
        }
      }
      const state = body.state ?? null;
      if (state !== null && typeof state !== 'object') {
        throw new ApiError(400, `Field 'state' must be a list of state messages, got a ${typeof state}`, 'INVALID_FIELD');
      }
      const loaded = loadRequestManifest(body);
      addSpecSecrets(scope.masker, loaded, config);
      return testRead({ loaded, config, stream, state, recordLimit, pageLimit, sliceLimit, masker: scope.masker }, runOptions);
    };
  app.post('/v1/stream/read', route(read('stream', false)));
  app.post('/v1/manifest/test_read', route(read('stream_name', true)));

  // ---- Check, discover, stream list ----
  app.post(
    '/v1/manifest/check',
    route(async (request, _reply, scope) => {
      const { config, loaded, masker } = configuredRequest(request, scope, true);
      return check(loaded, config, masker, runOptions);
    }),
  );
  app.post(
    '/v1/manifest/discover',
    route(async (request, _reply, scope) => {
      const { config, loaded, masker } = configuredRequest(request, scope, true);
      return { catalog: await discover(loaded, config, masker, runOptions) };
    }),
  );
  app.post(
    '/v1/streams/list',
    route(async (request, _reply, scope) => {
      const { config, loaded, masker } = configuredRequest(request, scope, false);
      return listStreams(loaded, config, masker, runOptions);
    }),
  );

  // ---- Resolve (shared by both APIs: {manifest, context?}) ----
  app.post(
    '/v1/manifest/resolve',
    route(async (request) => {
      const body = bodyOf(request.body);
      contextOf(body);
      return { manifest: resolvedManifest(loadRequestManifest(body)) };
    }),
  );
  app.post(
    '/v1/manifest/full_resolve',
    route(async (request, _reply, scope) => {
      const body = bodyOf(request.body);
      // The manifest server requires `config`; the older builder API sent none: both are accepted.
      const config = optionalObject(body, 'config') ?? {};
      scope.masker = startMasker(config);
      contextOf(body);
      const streamLimit = limit(body, 'stream_limit', STREAM_LIMIT.default, STREAM_LIMIT.min, STREAM_LIMIT.max);
      const loaded = loadRequestManifest(body);
      addSpecSecrets(scope.masker, loaded, config);
      return scope.masker.maskValue({ manifest: await fullyResolved(loaded, config, scope.masker, streamLimit, runOptions) });
    }),
  );

  // ---- Projects ----
  const validManifestText = (text: string, field = 'manifest'): void => {
    try {
      parseYaml(text);
    } catch (error) {
      throw new ApiError(400, `Field '${field}' is not valid YAML: ${(error as Error).message.split('\n')[0]}`, 'MANIFEST_YAML');
    }
  };
  app.get('/api/projects', route(async () => ({ projects: await store.listProjects() })));
  app.post(
    '/api/projects',
    route(async (request, reply) => {
      const body = bodyOf(request.body);
      const name = requiredString(body, 'name');
      const manifest = optionalString(body, 'manifest') ?? STARTER_MANIFEST;
      validManifestText(manifest);
      const project = await store.createProject(name, manifest);
      return reply.code(201).send(project);
    }),
  );
  app.get<{ Params: { id: string } }>('/api/projects/:id', route(async (request) => store.getProject((request.params as { id: string }).id)));
  app.put(
    '/api/projects/:id',
    route(async (request) => {
      const body = bodyOf(request.body);
      const name = optionalString(body, 'name');
      if (name !== undefined && name.trim() === '') throw new ApiError(400, "Field 'name' must not be empty", 'INVALID_FIELD');
      const manifest = optionalString(body, 'manifest');
      if (manifest !== undefined) validManifestText(manifest);
      if ('config' in body || 'testing_values' in body) {
        // Testing values are never stored; say so rather than silently dropping them.
        throw new ApiError(400, 'Projects do not store testing values (config); keep them in the client', 'CONFIG_NOT_STORED');
      }
      return store.updateProject((request.params as { id: string }).id, { name, manifest });
    }),
  );
  app.delete(
    '/api/projects/:id',
    route(async (request, reply) => {
      await store.deleteProject((request.params as { id: string }).id);
      return reply.code(204).send();
    }),
  );
  app.get(
    '/api/projects/:id/download',
    route(async (request, reply) => {
      const project = await store.getProject((request.params as { id: string }).id);
      return reply
        .header('content-type', 'application/yaml; charset=utf-8')
        .header('content-disposition', 'attachment; filename="manifest.yaml"')
        .send(project.manifest);
    }),
  );
  const loadProjectManifest = (text: string): LoadedManifest => loadManifest(text, { fileName: 'manifest.yaml' });
  app.post(
    '/api/projects/:id/publish',
    route(async (request, reply) => {
      const body = request.body === undefined || request.body === null ? {} : bodyOf(request.body);
      const project = await store.getProject((request.params as { id: string }).id);
      loadProjectManifest(project.manifest);
      const name = optionalString(body, 'name') ?? project.name;
      const description = optionalString(body, 'description') ?? null;
      const { connector, version } = await store.publish(project, name, description);
      return reply.code(201).send({ connector, version });
    }),
  );
  app.get(
    '/api/connectors',
    route(async () => ({
      connectors: (await store.listConnectors()).map((connector) => ({
        name: connector.name,
        project_id: connector.project_id,
        latest_version: connector.versions[connector.versions.length - 1]?.version ?? 0,
        versions: connector.versions.map(({ version, published_at, description }) => ({ version, published_at, description })),
      })),
    })),
  );
  app.post(
    '/api/projects/:id/contribute',
    route(async (request, reply) => {
      const body = request.body === undefined || request.body === null ? {} : bodyOf(request.body);
      const project = await store.getProject((request.params as { id: string }).id);
      const loaded = loadProjectManifest(project.manifest);
      if (!connectionSpecification(loaded.manifest)) {
        throw new ApiError(400, 'The manifest has no spec.connection_specification; a contributed connector needs one', 'MANIFEST_INVALID', { path: 'spec' });
      }
      const displayName = optionalString(body, 'name') ?? project.name;
      const folder = `source-${slug(displayName)}`;
      const docs = optionalString(body, 'documentation_url') ?? specDocumentationUrl(loaded.manifest) ?? `https://github.com/manifold/manifold/tree/main/connectors/${folder}`;
      if (!/^https?:\/\//.test(docs)) throw new ApiError(400, `Field 'documentation_url' must be an http(s) URL, got '${docs}'`, 'INVALID_FIELD');
      const extraTags = Array.isArray(body.tags) ? body.tags : body.tags === undefined ? [] : undefined;
      if (!extraTags || !extraTags.every((tag) => typeof tag === 'string' && /^[a-z0-9_-]+:[A-Za-z0-9_.-]+$/.test(tag))) {
        throw new ApiError(400, "Field 'tags' must be a list of 'key:value' strings, e.g. 'category:marketing'", 'INVALID_FIELD');
      }
      const dir = join(resolve(repoDir()), 'connectors', folder);
      await mkdir(dir, { recursive: true });
      const metadataFile = join(dir, 'metadata.yaml');
      const definitionId = await existingDefinitionId(metadataFile) ?? randomUUID();
      const tags = [...new Set(['language:manifest-only', 'cdk:low-code', ...(extraTags as string[])])];
      const metadata = {
        metadataSpecVersion: '1.0',
        data: {
          name: displayName,
          definitionId,
          connectorType: 'source',
          connectorSubtype: 'api',
          dockerRepository: `manifold/${folder}`,
          dockerImageTag: '0.1.0',
          documentationUrl: docs,
          releaseStage: 'alpha',
          license: 'MIT',
          tags,
          connectorBuildOptions: { baseImage: 'manifold/source-declarative-manifest:0.1.0' },
        },
      };
      const manifestText = project.manifest.endsWith('\n') ? project.manifest : `${project.manifest}\n`;
      await writeFile(join(dir, 'manifest.yaml'), manifestText, 'utf8');
      await writeFile(metadataFile, toYaml(metadata), 'utf8');
      return reply.code(201).send({
        directory: `connectors/${folder}`,
        files: [`connectors/${folder}/manifest.yaml`, `connectors/${folder}/metadata.yaml`],
        metadata,
      });
    }),
  );

  await app.register(workspaceRoutes, {
    dir: opts.workspaceDir ?? defaultWorkspaceDir(),
    ...(opts.workspace ? { workspace: opts.workspace } : {}),
    scheduler: opts.scheduler ?? false,
  });

  // ---- The UI ----
  const uiDir = opts.uiDir ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../builder-ui/dist');
  const uiBuilt = existsSync(join(uiDir, 'index.html'));
  if (uiBuilt) {
    await app.register(fastifyStatic, { root: uiDir, prefix: '/', wildcard: true });
  } else {
    app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE));
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const isApi = path.startsWith('/v1/') || path.startsWith('/api/') || path.startsWith('/health') || path.startsWith('/capabilities');
    if (uiBuilt && request.method === 'GET' && !isApi) return reply.sendFile('index.html');
    return reply.code(404).send({ detail: `No route ${request.method} ${path}; see docs/builder-api.md`, code: 'NOT_FOUND' });
  });

  return app;
}

function specDocumentationUrl(manifest: Json): string | undefined {
  const spec = manifest.spec;
  if (!isObject(spec)) return undefined;
  const url = spec.documentation_url;
  return typeof url === 'string' && /^https?:\/\//.test(url) ? url : undefined;
}

async function existingDefinitionId(file: string): Promise<string | undefined> {
  try {
    const doc = parseYaml(await readFile(file, 'utf8')) as { data?: { definitionId?: unknown } } | null;
    const id = doc?.data?.definitionId;
    return typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
