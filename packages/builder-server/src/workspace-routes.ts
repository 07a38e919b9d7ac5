/**
 * The workspace over JSON (/api/workspace/...): published connectors, sources, destinations,
 * connections and their syncs, for the Builder's Connections area. One Workspace, opened on the
 * server's workspace directory, serves every request.
 *
 * No answer carries a secret: sources and destinations are shown with their secret fields
 * masked, and errors about a submitted config are masked with that config's secret values.
 */
import { type LoadedManifest, SecretMasker, isRuntimeError, loadManifest, specOf } from '@manifold/runtime';
import {
  type Connection,
  type ConnectionStream,
  type DestinationConfig,
  type DestinationSyncMode,
  type DiscoveredStream,
  type Schedule,
  type SchedulerOptions,
  SYNC_MODES,
  type Workspace,
  type WorkspaceOptions,
  defaultSyncMode,
  isWorkspaceError,
  openWorkspace,
  startScheduler,
} from '@manifold/workspace';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errorResponse } from './errors.js';
import { type Json, bodyOf, isObject, optionalString, requiredObject, requiredString, typeName } from './input.js';
import { maskerFor } from './manifest.js';
import { type SyncEvent, SyncRuns, summaryOf } from './sync-runs.js';

export interface WorkspaceRoutesOptions {
  /** The workspace directory (the one the projects store uses). */
  dir: string;
  /** For tests: destination factory, HTTP client, secret key environment. */
  workspace?: WorkspaceOptions;
  /** Run scheduled syncs while the server runs (their history shows like manual syncs'); options for tests. */
  scheduler?: boolean | SchedulerOptions;
}

/** HTTP status of each workspace error code. */
const STATUS_OF_CODE: Record<string, number> = {
  NOT_FOUND: 404,
  NAME_TAKEN: 409,
  AMBIGUOUS: 409,
  INVALID_INPUT: 400,
  CONFIG_INVALID: 400,
  SYNC_RUNNING: 409,
  SYNC_FAILED: 502,
  SECRET_KEY: 500,
  DESTINATIONS_MISSING: 500,
  CORRUPT_FILE: 500,
};

/** How often a Server-Sent Events stream gets a comment line while nothing happens. */
const KEEP_ALIVE_MS = 15_000;

/**
 * Sync modes a destination type cannot write. The workspace picks a stream's default mode from
 * the source alone (dedup when it has a primary key), so a JSON Lines connection would fail at
 * its first sync; here the defaults and checks take the destination into account.
 */
const UNSUPPORTED_MODES: Record<string, readonly DestinationSyncMode[]> = { jsonl: ['incremental_append_dedup'] };

/** Destination types the UI offers, in order; the spec of each comes from @manifold/destinations. */
const DESTINATION_TYPE_ORDER = ['duckdb', 'jsonl', 'postgres', 'airbyte-image'] as const;

type Params = { id: string };
type Handler = (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, scope: { masker?: SecretMasker }) => Promise<unknown>;

function route(handler: Handler) {
  return async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    const scope: { masker?: SecretMasker } = {};
    try {
      return await handler(request, reply, scope);
    } catch (error) {
      const { status, body } = workspaceErrorResponse(error, scope.masker);
      return reply.code(status).send(body);
    }
  };
}

export function workspaceErrorResponse(error: unknown, masker?: SecretMasker): { status: number; body: Json } {
  if (isWorkspaceError(error)) {
    const mask = (text: string) => (masker ? masker.mask(text) : text);
    const body: Json = { detail: mask(error.message), code: error.code };
    if (error.help) body.help = mask(error.help);
    return { status: STATUS_OF_CODE[error.code] ?? 500, body };
  }
  const { status, body } = errorResponse(error, masker);
  return { status, body: { ...body } };
}

export async function workspaceRoutes(app: FastifyInstance, options: WorkspaceRoutesOptions): Promise<void> {
  const workspace = openWorkspace(options.dir, options.workspace ?? {});
  const syncs = new SyncRuns(workspace);
  app.addHook('onClose', async () => syncs.close());
  if (options.scheduler) {
    const scheduler = startScheduler(workspace, {
      ...(typeof options.scheduler === 'object' ? options.scheduler : {}),
      onEvent: (event) => {
        if (event.type === 'error') app.log.warn(`scheduled sync${event.connection ? ` of '${event.connection.name}'` : ''}: ${(event.error as Error)?.message ?? String(event.error)}`);
      },
    });
    // Closing cancels scheduled syncs; the next one resumes from their last commit.
    app.addHook('onClose', () => scheduler.stop());
  }

  // ---- Connectors ----
  app.get(
    '/api/workspace/connectors',
    route(async () => {
      const connectors = await workspace.listConnectors();
      return {
        connectors: connectors.map((connector) => ({
          name: connector.name,
          project_id: connector.project_id,
          latest_version: connector.versions[connector.versions.length - 1]?.version ?? 0,
          versions: connector.versions.map((v) => ({
            version: v.version,
            published_at: v.published_at,
            description: v.description,
            spec: specOrNull(v.manifest, connector.name),
          })),
        })),
      };
    }),
  );

  // ---- Sources ----
  const sourceView = async (id: string) => {
    const source = await workspace.getSource(id);
    return { ...source, config: await workspace.maskedSourceConfig(source.id) };
  };
  app.get('/api/workspace/sources', route(async () => ({ sources: await Promise.all((await workspace.listSources()).map((s) => sourceView(s.id))) })));
  app.get('/api/workspace/sources/:id', route(async (request) => sourceView(request.params.id)));
  app.post(
    '/api/workspace/sources',
    route(async (request, reply, scope) => {
      const body = bodyOf(request.body);
      const config = requiredObject(body, 'config');
      scope.masker = maskerFor({}, config);
      const name = requiredString(body, 'name');
      const connector = connectorRefOf(body);
      // The spec's secret fields are masked in errors too, whatever their names.
      const spec = await connectorSpec(workspace, connector);
      scope.masker = maskerFor({ spec: { connection_specification: spec } }, config);
      const source = await workspace.createSource({ name, connector, config });
      return reply.code(201).send(await sourceView(source.id));
    }),
  );
  app.delete(
    '/api/workspace/sources/:id',
    route(async (request, reply) => {
      await workspace.deleteSource(request.params.id);
      return reply.code(204).send();
    }),
  );
  app.get(
    '/api/workspace/sources/:id/streams',
    route(async (request) => {
      const query = request.query as { destination?: unknown };
      const unsupported = typeof query.destination === 'string' && query.destination !== '' ? await unsupportedModes(workspace, query.destination) : [];
      const streams = await workspace.discoverStreams(request.params.id);
      return { streams: streams.map((stream) => streamView(stream, unsupported)) };
    }),
  );

  // ---- Destinations ----
  const destinationView = async (id: string) => {
    const entry = await workspace.getDestination(id);
    return { ...entry, config: await workspace.maskedDestinationConfig(entry.id) };
  };
  app.get(
    '/api/workspace/destination-types',
    route(async () => {
      const specs = await destinationSpecs();
      return {
        types: DESTINATION_TYPE_ORDER.filter((type) => specs[type]).map((type) => ({
          type,
          title: String(specs[type]?.title ?? type),
          spec: specs[type],
        })),
        default: { type: 'duckdb', path: `${workspace.dir}/warehouse.duckdb` },
      };
    }),
  );
  app.get(
    '/api/workspace/destinations',
    route(async () => ({ destinations: await Promise.all((await workspace.listDestinations()).map((d) => destinationView(d.id))) })),
  );
  app.get('/api/workspace/destinations/:id', route(async (request) => destinationView(request.params.id)));
  app.post(
    '/api/workspace/destinations',
    route(async (request, reply, scope) => {
      const body = bodyOf(request.body);
      const config = requiredObject(body, 'config');
      const specs = await destinationSpecs();
      const type = config.type;
      const spec = typeof type === 'string' ? specs[type] : undefined;
      scope.masker = maskerFor({ spec: { connection_specification: spec ?? {} } }, config);
      if (type === 'airbyte-image' && isObject(config.config)) collectAllStrings(config.config, scope.masker);
      const name = requiredString(body, 'name');
      const entry = await workspace.createDestination({ name, config: config as unknown as DestinationConfig });
      return reply.code(201).send(await destinationView(entry.id));
    }),
  );
  app.delete(
    '/api/workspace/destinations/:id',
    route(async (request, reply) => {
      await workspace.deleteDestination(request.params.id);
      return reply.code(204).send();
    }),
  );

  // ---- Connections ----
  const connectionView = async (connection: Connection) => {
    const history = await workspace.history(connection.id);
    const last = history[0];
    return { ...connection, running: syncs.isRunning(connection.id), lastSync: last ? summaryOf(last) : null };
  };
  app.get(
    '/api/workspace/connections',
    route(async () => ({ connections: await Promise.all((await workspace.listConnections()).map(connectionView)) })),
  );
  app.get('/api/workspace/connections/:id', route(async (request) => connectionView(await workspace.getConnection(request.params.id))));
  app.post(
    '/api/workspace/connections',
    route(async (request, reply) => {
      const body = bodyOf(request.body);
      const name = requiredString(body, 'name');
      const source = requiredString(body, 'source');
      const destination = requiredString(body, 'destination');
      const unsupported = await unsupportedModes(workspace, destination);
      const chosen = { ...optionalStreams(body), ...optionalSyncMode(body) };
      const streams = unsupported.length > 0 ? await streamsFor(workspace, source, chosen, unsupported) : chosen;
      const { schedule } = optionalSchedule(body);
      const connection = await workspace.createConnection({ name, source, destination, ...streams, ...(schedule ? { schedule } : {}) });
      return reply.code(201).send(await connectionView(connection));
    }),
  );
  app.patch(
    '/api/workspace/connections/:id',
    route(async (request) => {
      const body = bodyOf(request.body);
      const status = body.status;
      if (status !== undefined && status !== 'active' && status !== 'inactive') {
        throw new ApiError(400, `Field 'status' must be 'active' or 'inactive', got ${JSON.stringify(status)}`, 'INVALID_FIELD');
      }
      const name = optionalString(body, 'name');
      const current = await workspace.getConnection(request.params.id);
      const chosen = { ...optionalStreams(body), ...optionalSyncMode(body) };
      const unsupported = await unsupportedModes(workspace, current.destinationId);
      if (unsupported.length > 0 && (chosen.streams !== undefined || chosen.syncMode !== undefined)) {
        Object.assign(chosen, await streamsFor(workspace, current.sourceId, { streams: chosen.streams ?? current.streams.map((s) => s.name), ...(chosen.syncMode ? { syncMode: chosen.syncMode } : {}) }, unsupported));
      }
      const updated = await workspace.updateConnection(current.id, {
        ...(name !== undefined ? { name } : {}),
        ...chosen,
        ...optionalSchedule(body),
        ...(status !== undefined ? { status } : {}),
      });
      return connectionView(updated);
    }),
  );
  app.delete(
    '/api/workspace/connections/:id',
    route(async (request, reply) => {
      const connection = await workspace.getConnection(request.params.id);
      if (syncs.isRunning(connection.id)) throw new ApiError(409, `Connection '${connection.name}' is syncing; cancel the sync first`, 'SYNC_RUNNING');
      await workspace.deleteConnection(connection.id);
      return reply.code(204).send();
    }),
  );

  // ---- Syncs ----
  app.post(
    '/api/workspace/connections/:id/sync',
    route(async (request, reply) => {
      const connection = await workspace.getConnection(request.params.id);
      const { syncId } = await syncs.start(connection.id);
      return reply.code(202).send({ syncId, connectionId: connection.id, events: `/api/workspace/connections/${connection.id}/sync/events` });
    }),
  );
  app.post(
    '/api/workspace/connections/:id/sync/cancel',
    route(async (request, reply) => {
      const connection = await workspace.getConnection(request.params.id);
      return reply.code(202).send(syncs.cancel(connection.id));
    }),
  );
  app.get(
    '/api/workspace/connections/:id/sync/events',
    route(async (request, reply) => {
      const connection = await workspace.getConnection(request.params.id);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
      const send = (event: SyncEvent | { type: 'idle'; data: Json }) => raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
      const followed = syncs.follow(connection.id, (event) => {
        send(event);
        if (event.type === 'summary') raw.end();
      });
      if (!syncs.isRunning(connection.id)) {
        // Nothing running: the last sync's summary (from here, else from history), then the end.
        const last = followed.lastSummary ?? (await workspace.history(connection.id).then((h) => (h[0] ? summaryOf(h[0]) : undefined)));
        send(last ? { type: 'summary', data: last } : { type: 'idle', data: { connectionId: connection.id } });
        raw.end();
        return;
      }
      // A comment line now and then keeps idle proxies from closing a long quiet sync's stream.
      const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      raw.on('close', () => {
        clearInterval(keepAlive);
        followed.stop();
      });
    }),
  );
  app.get(
    '/api/workspace/connections/:id/history',
    route(async (request) => ({ syncs: (await workspace.history(request.params.id)).map(summaryOf) })),
  );
  app.get('/api/workspace/connections/:id/state', route(async (request) => ({ state: await workspace.state(request.params.id) })));
  app.post(
    '/api/workspace/connections/:id/reset',
    route(async (request) => {
      const body = request.body === undefined || request.body === null ? {} : bodyOf(request.body);
      const connection = await workspace.getConnection(request.params.id);
      if (syncs.isRunning(connection.id)) throw new ApiError(409, `Connection '${connection.name}' is syncing; cancel the sync first`, 'SYNC_RUNNING');
      return { reset: await workspace.reset(connection.id, optionalString(body, 'stream')) };
    }),
  );
}

function connectorRefOf(body: Json): string {
  const connector = requiredString(body, 'connector');
  const version = body.version;
  if (version === undefined || version === null || version === 'latest') return connector.includes('@') ? connector : `${connector}@latest`;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ApiError(400, `Field 'version' must be a version number (1, 2, ...) or 'latest', got ${JSON.stringify(version)}`, 'INVALID_FIELD');
  }
  return `${connector}@${version}`;
}

/** The connection_specification of the connector version a source asks for. */
async function connectorSpec(workspace: Workspace, ref: string): Promise<Json> {
  const at = ref.lastIndexOf('@');
  const name = ref.slice(0, at);
  const wanted = ref.slice(at + 1);
  const connector = await workspace.getConnector(name);
  const version = wanted === 'latest' ? connector.versions[connector.versions.length - 1] : connector.versions.find((v) => String(v.version) === wanted);
  if (!version) throw new ApiError(404, `Connector '${name}' has no version ${wanted}`, 'NOT_FOUND');
  return specOrNull(version.manifest, name) ?? {};
}

function specOrNull(manifestText: string, connectorName: string): Json | null {
  let loaded: LoadedManifest;
  try {
    loaded = loadManifest(manifestText, { fileName: `${connectorName}/manifest.yaml` });
    return (specOf(loaded.manifest).connectionSpecification as Json | undefined) ?? null;
  } catch (error) {
    if (isRuntimeError(error)) return null;
    throw error;
  }
}

function streamView(stream: DiscoveredStream, unsupported: readonly DestinationSyncMode[] = []) {
  const modes = SYNC_MODES.filter((mode) => {
    if (mode.startsWith('incremental') && !stream.supportsIncremental) return false;
    if (mode === 'incremental_append_dedup' && stream.primaryKey.length === 0) return false;
    return !unsupported.includes(mode);
  });
  return {
    name: stream.name,
    namespace: stream.namespace ?? null,
    supportsIncremental: stream.supportsIncremental,
    defaultCursorField: stream.defaultCursorField,
    primaryKey: stream.primaryKey,
    defaultSyncMode: defaultModeFor(stream, unsupported),
    syncModes: modes,
    fields: Object.keys((stream.jsonSchema.properties as Json | undefined) ?? {}),
  };
}

/** The workspace's default mode, or the next most faithful one the destination can write. */
function defaultModeFor(stream: DiscoveredStream, unsupported: readonly DestinationSyncMode[]): DestinationSyncMode {
  const mode = defaultSyncMode(stream);
  if (!unsupported.includes(mode)) return mode;
  return mode === 'incremental_append_dedup' && !unsupported.includes('incremental_append') ? 'incremental_append' : 'full_refresh_append';
}

async function unsupportedModes(workspace: Workspace, destination: string): Promise<readonly DestinationSyncMode[]> {
  const entry = await workspace.getDestination(destination);
  return UNSUPPORTED_MODES[entry.config.type] ?? [];
}

/**
 * The connection's streams spelled out for a destination that cannot write every mode: defaults
 * chosen among the modes it can write, and an asked-for mode it cannot write refused by name.
 */
async function streamsFor(
  workspace: Workspace,
  source: string,
  chosen: { streams?: Array<string | ConnectionStream>; syncMode?: DestinationSyncMode },
  unsupported: readonly DestinationSyncMode[],
): Promise<{ streams: ConnectionStream[] }> {
  const discovered = await workspace.discoverStreams(source);
  const names = chosen.streams ?? discovered.map((stream) => stream.name);
  return {
    streams: names.map((entry) => {
      const name = typeof entry === 'string' ? entry : entry.name;
      const stream = discovered.find((candidate) => candidate.name === name);
      // Unknown names are left for the workspace to refuse, with the list of streams.
      const mode = typeof entry === 'string' ? (chosen.syncMode ?? (stream ? defaultModeFor(stream, unsupported) : 'full_refresh_overwrite')) : entry.syncMode;
      if (unsupported.includes(mode)) {
        throw new ApiError(400, `stream '${name}': this destination cannot write ${mode}; use ${SYNC_MODES.filter((m) => !unsupported.includes(m)).join(', ')}`, 'SYNC_MODE_UNSUPPORTED');
      }
      return typeof entry === 'string' ? { name, syncMode: mode, ...(stream?.namespace ? { namespace: stream.namespace } : {}) } : { ...entry, syncMode: mode };
    }),
  };
}

function optionalStreams(body: Json): { streams?: Array<string | ConnectionStream> } {
  const streams = body.streams;
  if (streams === undefined || streams === null) return {};
  if (!Array.isArray(streams)) throw new ApiError(400, `Field 'streams' must be a list of stream names or {name, syncMode} objects, got ${typeName(streams)}`, 'INVALID_FIELD');
  if (streams.length === 0) throw new ApiError(400, "Field 'streams' must name at least one stream", 'INVALID_FIELD');
  return {
    streams: streams.map((entry, index) => {
      if (typeof entry === 'string') return entry;
      if (!isObject(entry) || typeof entry.name !== 'string') {
        throw new ApiError(400, `streams[${index}] must be a stream name or an object with a 'name', got ${typeName(entry)}`, 'INVALID_FIELD');
      }
      if (typeof entry.syncMode !== 'string' || !SYNC_MODES.includes(entry.syncMode as DestinationSyncMode)) {
        throw new ApiError(400, `streams[${index}].syncMode must be one of ${SYNC_MODES.join(', ')}, got ${JSON.stringify(entry.syncMode)}`, 'INVALID_FIELD');
      }
      const stream: ConnectionStream = { name: entry.name, syncMode: entry.syncMode as DestinationSyncMode };
      if (typeof entry.namespace === 'string') stream.namespace = entry.namespace;
      return stream;
    }),
  };
}

function optionalSyncMode(body: Json): { syncMode?: DestinationSyncMode } {
  const mode = body.syncMode;
  if (mode === undefined || mode === null) return {};
  if (typeof mode !== 'string' || !SYNC_MODES.includes(mode as DestinationSyncMode)) {
    throw new ApiError(400, `Field 'syncMode' must be one of ${SYNC_MODES.join(', ')}, got ${JSON.stringify(mode)}`, 'INVALID_FIELD');
  }
  return { syncMode: mode as DestinationSyncMode };
}

/** The destination config schemas, from @manifold/destinations (loaded on first use: it brings database drivers). */
let specsModule: Promise<Record<string, Record<string, unknown>>> | undefined;
async function destinationSpecs(): Promise<Record<string, Record<string, unknown>>> {
  specsModule ??= import('@manifold/destinations').then((module) => markImageConfigSecret(module.destinationSpecs));
  return specsModule;
}

/** As the workspace does: an image destination's own config is kept (and shown) as one secret. */
function markImageConfigSecret(specs: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  const image = specs['airbyte-image'];
  if (!image) return specs;
  const properties = (image.properties ?? {}) as Record<string, Json>;
  return { ...specs, 'airbyte-image': { ...image, properties: { ...properties, config: { ...properties.config, airbyte_secret: true } } } };
}

function collectAllStrings(value: unknown, masker: SecretMasker): void {
  if (typeof value === 'string' && value.length > 0) masker.add(value);
  else if (Array.isArray(value)) for (const item of value) collectAllStrings(item, masker);
  else if (isObject(value)) for (const item of Object.values(value)) collectAllStrings(item, masker);
}

/** `schedule`: { cron } or { intervalMinutes }, checked by the workspace; null removes it. */
function optionalSchedule(body: Json): { schedule?: Schedule | null } {
  if (!('schedule' in body) || body.schedule === undefined) return {};
  return { schedule: body.schedule as Schedule | null };
}
