/**
 * The workspace: an embedded store (a directory of JSON files, no server) of connectors, sources,
 * destinations and connections, plus the syncs between them. The CLI and, later, the Builder
 * server use this one API. It is a facade, long only because the API is wide: each method is a
 * few lines over store/, secrets/, sources/ and sync/, where the logic lives.
 *
 * Layout of the directory:
 *   projects/<id>.json, connectors/<slug>.json   the Connector Builder's files, same shapes
 *   sources/<id>.json, destinations/<id>.json    configs without their secret fields
 *   connections/<id>.json
 *   syncs/<connection id>/<sync id>.json         sync history
 *   logs/<connection id>/<sync id>.log           a sync's LOG messages, masked
 *   secrets.enc.json                             secret fields, AES-256-GCM
 *   secret.key                                   the key, when MANIFOLD_SECRET_KEY is not set
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type HttpClient,
  type LoadedManifest,
  SecretMasker,
  isRuntimeError,
  loadManifest,
  specOf,
  validateConfig,
} from '@manifold/runtime';
import { selectStreams, validateStream } from './catalog.js';
import {
  type CreateDestination,
  DESTINATION_TYPES,
  type Destination,
  type DestinationConfig,
  type DestinationSyncMode,
  type DestinationType,
  type StateMessage,
} from './destination.js';
import { type DestinationsModule, loadDestinationsModule } from './destination-factory.js';
import { FALLBACK_DESTINATION_SPECS } from './destination-specs.js';
import { WorkspaceError } from './errors.js';
import { parseConnectorRef } from './input.js';
import type {
  Connection,
  ConnectionStream,
  Connector,
  ConnectorRef,
  DestinationEntry,
  Json,
  Project,
  Schedule,
  Source,
  SourceRuntime,
  SyncEntry,
} from './model.js';
import { type FieldPath, maskedConfig, mergeSecrets, secretPaths, splitSecrets } from './secrets/secret-fields.js';
import { SecretVault } from './secrets/vault.js';
import { validateSchedule } from './schedule/schedule.js';
import { DockerSource } from './sources/docker.js';
import { InProcessSource } from './sources/in-process.js';
import type { DiscoveredStream, SourceProcess } from './sources/source-process.js';
import { Collection } from './store/collection.js';
import { ConnectorStore } from './store/connectors.js';
import { HistoryStore } from './store/history.js';
import { type SyncOptions, type SyncResult, runSync } from './sync/run-sync.js';

export { parseConnectorRef };

export function defaultWorkspaceDir(env: Record<string, string | undefined> = process.env): string {
  return env.MANIFOLD_WORKSPACE ?? join(homedir(), '.manifold', 'workspace');
}

export interface WorkspaceOptions {
  /** Where MANIFOLD_SECRET_KEY is read (default process.env). */
  env?: Record<string, string | undefined>;
  /** Destination implementations; default: @manifold/destinations, loaded on first use. */
  createDestination?: CreateDestination;
  /** Destination config schemas (secret fields); default: @manifold/destinations' or built-in ones. */
  destinationSpecs?: Partial<Record<DestinationType, Record<string, unknown>>>;
  /** HTTP client for in-process sources (tests). */
  http?: HttpClient;
  /** The docker executable for docker sources (tests put a fake one here). */
  docker?: string;
}

export interface CreateSourceInput {
  name: string;
  /** 'name', 'name@3', 'name@latest', or a reference. */
  connector: string | ConnectorRef;
  config: Json;
  runtime?: SourceRuntime;
}

export interface CreateConnectionInput {
  name: string;
  /** Source id or name. */
  source: string;
  /** Destination id or name. */
  destination: string;
  /** Stream names (modes by default) or full entries; default: every stream. */
  streams?: Array<string | ConnectionStream>;
  /** One mode for every stream given by name; default: per stream, see defaultSyncMode. */
  syncMode?: DestinationSyncMode;
  schedule?: Schedule;
}

export interface ConnectionChanges {
  name?: string;
  streams?: Array<string | ConnectionStream>;
  syncMode?: DestinationSyncMode;
  schedule?: Schedule | null;
  status?: Connection['status'];
}

export function openWorkspace(dir?: string, options: WorkspaceOptions = {}): Workspace {
  return new Workspace(resolve(dir ?? defaultWorkspaceDir(options.env)), options);
}

export class Workspace {
  private readonly connectors: ConnectorStore;
  private readonly sources: Collection<Source>;
  private readonly destinations: Collection<DestinationEntry>;
  private readonly connections: Collection<Connection>;
  private readonly syncs: HistoryStore;
  private readonly vault: SecretVault;
  private destinationsModule: Promise<DestinationsModule> | undefined;

  constructor(
    readonly dir: string,
    private readonly options: WorkspaceOptions = {},
  ) {
    this.connectors = new ConnectorStore(dir);
    this.sources = new Collection<Source>(join(dir, 'sources'), 'source');
    this.destinations = new Collection<DestinationEntry>(join(dir, 'destinations'), 'destination');
    this.connections = new Collection<Connection>(join(dir, 'connections'), 'connection');
    this.syncs = new HistoryStore(dir);
    this.vault = new SecretVault(dir, options.env ?? process.env);
  }

  // Connectors ------------------------------------------------------------------------------

  listConnectors(): Promise<Connector[]> {
    return this.connectors.list();
  }

  getConnector(name: string): Promise<Connector> {
    return this.connectors.get(name);
  }

  /** Publishes a manifest (YAML text) as the next version of a connector; it must load. */
  async publishConnector(input: { name: string; manifest: string; description?: string | null }): Promise<{ connector: Connector; version: number }> {
    if (input.name.trim() === '') throw new WorkspaceError('INVALID_INPUT', 'a connector needs a non-empty name');
    const loaded = this.loadManifestText(input.manifest, input.name);
    specOf(loaded.manifest);
    return this.connectors.publish(input.name, input.manifest, input.description ?? null);
  }

  // Projects: the Connector Builder's drafts (same files and shapes as its own store) ------------

  listProjects(): Promise<Project[]> {
    return this.connectors.listProjects();
  }

  getProject(id: string): Promise<Project> {
    return this.connectors.getProject(id);
  }

  createProject(name: string, manifest: string): Promise<Project> {
    return this.connectors.createProject(name, manifest);
  }

  updateProject(id: string, changes: { name?: string | undefined; manifest?: string | undefined }): Promise<Project> {
    return this.connectors.updateProject(id, changes);
  }

  deleteProject(id: string): Promise<void> {
    return this.connectors.deleteProject(id);
  }

  /** Publishes a project's manifest as the next version of the connector `name` (the Builder's publish). */
  publishProject(projectId: string, name: string, description: string | null = null): Promise<{ connector: Connector; version: number }> {
    return this.connectors.publishProject(projectId, name, description);
  }

  // Sources ---------------------------------------------------------------------------------

  async createSource(input: CreateSourceInput): Promise<Source> {
    await this.sources.assertNameFree(input.name);
    const ref = typeof input.connector === 'string' ? parseConnectorRef(input.connector) : input.connector;
    const version = await this.connectors.version(ref.name, ref.version);
    const connector = await this.connectors.get(ref.name);
    const spec = this.connectorSpec(this.loadManifestText(version.manifest, connector.name));
    try {
      validateConfig(input.config, spec);
    } catch (error) {
      if (!isRuntimeError(error)) throw error;
      throw new WorkspaceError('CONFIG_INVALID', `the config of source '${input.name}' does not match connector '${connector.name}': ${error.message}`, {
        help: 'Fix the config file so it matches the connector spec (`manifold connectors --spec <name>` shows it)',
      });
    }
    const runtime = input.runtime ?? { type: 'in-process' };
    if (runtime.type === 'docker' && !runtime.image) throw new WorkspaceError('INVALID_INPUT', 'a docker source needs an image name');
    const { plain, secrets } = splitSecrets(spec, input.config);
    const now = new Date().toISOString();
    const source: Source = {
      id: this.sources.newId(),
      name: input.name,
      connector: { name: connector.name, version: ref.version },
      config: plain,
      secretFields: secrets.map((secret) => secret.path),
      runtime,
      createdAt: now,
      updatedAt: now,
    };
    if (secrets.length > 0) await this.vault.set(`sources/${source.id}`, secrets);
    return this.sources.save(source);
  }

  listSources(): Promise<Source[]> {
    return this.sources.list();
  }

  getSource(idOrName: string): Promise<Source> {
    return this.sources.get(idOrName);
  }

  /** The config as shown to people: secret fields masked. */
  async maskedSourceConfig(idOrName: string): Promise<Json> {
    const source = await this.sources.get(idOrName);
    return maskedConfig(source.config, source.secretFields);
  }

  async deleteSource(idOrName: string): Promise<void> {
    const source = await this.sources.get(idOrName);
    const users = (await this.connections.list()).filter((c) => c.sourceId === source.id);
    if (users.length > 0) {
      throw new WorkspaceError('INVALID_INPUT', `source '${source.name}' is used by connection(s) ${users.map((c) => `'${c.name}'`).join(', ')}`, {
        help: 'Delete those connections first',
      });
    }
    await this.vault.delete(`sources/${source.id}`);
    await this.sources.remove(source.id);
  }

  /** The streams a source offers now (runs its discover: may call its API). */
  async discoverStreams(sourceIdOrName: string, signal?: AbortSignal): Promise<DiscoveredStream[]> {
    const source = await this.sources.get(sourceIdOrName);
    return (await this.sourceProcess(source)).process.discover(signal);
  }

  // Destinations ----------------------------------------------------------------------------

  async createDestination(input: { name: string; config: DestinationConfig }): Promise<DestinationEntry> {
    await this.destinations.assertNameFree(input.name);
    const config = input.config as DestinationConfig & Json;
    if (!DESTINATION_TYPES.includes(config.type)) {
      throw new WorkspaceError('INVALID_INPUT', `unknown destination type '${String(config.type)}'`, {
        help: `Use one of ${DESTINATION_TYPES.join(', ')}`,
      });
    }
    const spec = await this.destinationSpec(config.type);
    try {
      validateConfig(config, spec);
    } catch (error) {
      if (!isRuntimeError(error)) throw error;
      throw new WorkspaceError('CONFIG_INVALID', `the config of destination '${input.name}' (${config.type}) is invalid: ${error.message}`);
    }
    const { plain, secrets } = splitSecrets(spec, config);
    const now = new Date().toISOString();
    const entry: DestinationEntry = {
      id: this.destinations.newId(),
      name: input.name,
      config: plain as DestinationConfig,
      secretFields: secrets.map((secret) => secret.path),
      createdAt: now,
      updatedAt: now,
    };
    if (secrets.length > 0) await this.vault.set(`destinations/${entry.id}`, secrets);
    return this.destinations.save(entry);
  }

  listDestinations(): Promise<DestinationEntry[]> {
    return this.destinations.list();
  }

  getDestination(idOrName: string): Promise<DestinationEntry> {
    return this.destinations.get(idOrName);
  }

  async maskedDestinationConfig(idOrName: string): Promise<Json> {
    const entry = await this.destinations.get(idOrName);
    return maskedConfig(entry.config as unknown as Json, entry.secretFields);
  }

  async deleteDestination(idOrName: string): Promise<void> {
    const entry = await this.destinations.get(idOrName);
    const users = (await this.connections.list()).filter((c) => c.destinationId === entry.id);
    if (users.length > 0) {
      throw new WorkspaceError('INVALID_INPUT', `destination '${entry.name}' is used by connection(s) ${users.map((c) => `'${c.name}'`).join(', ')}`, {
        help: 'Delete those connections first',
      });
    }
    await this.vault.delete(`destinations/${entry.id}`);
    await this.destinations.remove(entry.id);
  }

  // Connections -----------------------------------------------------------------------------

  async createConnection(input: CreateConnectionInput): Promise<Connection> {
    await this.connections.assertNameFree(input.name);
    const schedule = input.schedule ? validateSchedule(input.schedule) : undefined;
    const source = await this.sources.get(input.source);
    const destination = await this.destinations.get(input.destination);
    const discovered = await this.discoverStreams(source.id);
    const now = new Date().toISOString();
    const connection: Connection = {
      id: this.connections.newId(),
      name: input.name,
      sourceId: source.id,
      destinationId: destination.id,
      streams: this.connectionStreams(discovered, input.streams, input.syncMode),
      ...(schedule ? { schedule } : {}),
      status: 'active',
      createdAt: now,
      updatedAt: now,
    };
    return this.connections.save(connection);
  }

  listConnections(): Promise<Connection[]> {
    return this.connections.list();
  }

  getConnection(idOrName: string): Promise<Connection> {
    return this.connections.get(idOrName);
  }

  async updateConnection(idOrName: string, changes: ConnectionChanges): Promise<Connection> {
    const connection = await this.connections.get(idOrName);
    const schedule = changes.schedule ? validateSchedule(changes.schedule) : changes.schedule;
    const updated: Connection = { ...connection, updatedAt: new Date().toISOString() };
    if (changes.name !== undefined) {
      await this.connections.assertNameFree(changes.name, connection.id);
      updated.name = changes.name;
    }
    if (changes.streams !== undefined || changes.syncMode !== undefined) {
      const discovered = await this.discoverStreams(connection.sourceId);
      updated.streams = this.connectionStreams(discovered, changes.streams ?? connection.streams.map((s) => s.name), changes.syncMode);
    }
    if (changes.schedule === null) delete updated.schedule;
    else if (schedule) updated.schedule = schedule;
    if (changes.status !== undefined) updated.status = changes.status;
    return this.connections.save(updated);
  }

  async deleteConnection(idOrName: string): Promise<void> {
    const connection = await this.connections.get(idOrName);
    await this.connections.remove(connection.id);
  }

  // Syncs -----------------------------------------------------------------------------------

  async runSync(connectionIdOrName: string, options: SyncOptions = {}): Promise<SyncResult> {
    const connection = await this.connections.get(connectionIdOrName);
    const unlock = await this.syncs.lock(connection.id, connection.name);
    try {
      // Entries left running by a killed process are marked interrupted before this one starts.
      await this.syncs.list(connection.id, { lockHeld: true });
      const source = await this.sources.get(connection.sourceId);
      const { process: sourceProcess, secrets: sourceSecrets } = await this.sourceProcess(source);
      const { destination, secrets: destinationSecrets } = await this.openDestination(connection.destinationId);
      const masker = new SecretMasker();
      for (const value of [...sourceSecrets, ...destinationSecrets]) masker.add(typeof value === 'string' ? value : JSON.stringify(value));
      try {
        return await runSync(
          { connection, source: sourceProcess, destination, history: this.syncs, mask: (text) => masker.mask(text) },
          options,
        );
      } finally {
        await destination.close();
      }
    } finally {
      await unlock();
    }
  }

  /** Newest first. Entries left 'running' by a process that is gone are marked failed (interrupted). */
  async history(connectionIdOrName: string): Promise<SyncEntry[]> {
    const connection = await this.connections.get(connectionIdOrName);
    return this.syncs.list(connection.id);
  }

  /** The state the destination has committed for the connection (what the next sync resumes from). */
  async state(connectionIdOrName: string): Promise<StateMessage[]> {
    const connection = await this.connections.get(connectionIdOrName);
    const { destination } = await this.openDestination(connection.destinationId);
    try {
      return await destination.readState(connection.id);
    } finally {
      await destination.close();
    }
  }

  /** Forgets a stream (or every stream): its rows in the destination and its state. Returns the streams reset. */
  async reset(connectionIdOrName: string, stream?: string): Promise<string[]> {
    const connection = await this.connections.get(connectionIdOrName);
    const targets = stream === undefined ? connection.streams : connection.streams.filter((s) => s.name === stream);
    if (targets.length === 0) {
      throw new WorkspaceError('NOT_FOUND', `connection '${connection.name}' has no stream named '${String(stream)}'`, {
        help: `Its streams: ${connection.streams.map((s) => s.name).join(', ')}`,
      });
    }
    const unlock = await this.syncs.lock(connection.id, connection.name);
    try {
      const { destination } = await this.openDestination(connection.destinationId);
      try {
        for (const target of targets) await destination.resetStream(connection.id, { name: target.name, namespace: target.namespace });
      } finally {
        await destination.close();
      }
    } finally {
      await unlock();
    }
    return targets.map((t) => t.name);
  }

  // Internals -------------------------------------------------------------------------------

  private connectionStreams(
    discovered: DiscoveredStream[],
    streams: Array<string | ConnectionStream> | undefined,
    syncMode: DestinationSyncMode | undefined,
  ): ConnectionStream[] {
    if (streams === undefined || streams.every((s) => typeof s === 'string')) {
      return selectStreams(discovered, streams as string[] | undefined, syncMode);
    }
    return streams.map((entry) => {
      const full: ConnectionStream = typeof entry === 'string' ? selectStreams(discovered, [entry], syncMode)[0] as ConnectionStream : entry;
      const stream = discovered.find((s) => s.name === full.name);
      if (!stream) throw new WorkspaceError('INVALID_INPUT', `the source has no stream named '${full.name}'`);
      validateStream(full, stream);
      return full;
    });
  }

  private loadManifestText(text: string, connectorName: string): LoadedManifest {
    try {
      return loadManifest(text, { fileName: `${connectorName}/manifest.yaml` });
    } catch (error) {
      if (!isRuntimeError(error)) throw error;
      throw new WorkspaceError('INVALID_INPUT', `the manifest of connector '${connectorName}' does not load: ${error.describe()}`);
    }
  }

  private connectorSpec(loaded: LoadedManifest): Json {
    return (specOf(loaded.manifest).connectionSpecification as Json | undefined) ?? {};
  }

  private async sourceProcess(source: Source): Promise<{ process: SourceProcess; secrets: unknown[] }> {
    const version = await this.connectors.version(source.connector.name, source.connector.version);
    const loaded = this.loadManifestText(version.manifest, source.connector.name);
    const stored = source.secretFields.length > 0 ? ((await this.vault.get(`sources/${source.id}`)) as SecretList | undefined) : [];
    if (stored === undefined) {
      throw new WorkspaceError('SECRET_KEY', `the secrets of source '${source.name}' are missing from secrets.enc.json`, {
        help: `Create the source again (\`manifold source delete ${source.name}\`, then \`manifold source create\`)`,
      });
    }
    const config = mergeSecrets(source.config, stored);
    const secrets = stored.map((entry) => entry.value);
    if (source.runtime.type === 'docker') {
      const spec = this.connectorSpec(loaded);
      return { process: new DockerSource(source.runtime.image, config, spec, this.options.docker ? { docker: this.options.docker } : {}), secrets };
    }
    return { process: new InProcessSource(loaded, config, this.options.http ? { http: this.options.http } : {}), secrets };
  }

  private async openDestination(idOrName: string): Promise<{ destination: Destination; secrets: unknown[] }> {
    const entry = await this.destinations.get(idOrName);
    const stored = entry.secretFields.length > 0 ? ((await this.vault.get(`destinations/${entry.id}`)) as SecretList | undefined) : [];
    if (stored === undefined) {
      throw new WorkspaceError('SECRET_KEY', `the secrets of destination '${entry.name}' are missing from secrets.enc.json`, {
        help: 'Create the destination again',
      });
    }
    const config = mergeSecrets(entry.config as unknown as Json, stored) as unknown as DestinationConfig;
    const create = this.options.createDestination ?? (await this.loadDestinations()).createDestination;
    return { destination: create(config), secrets: stored.map((s) => s.value) };
  }

  private loadDestinations(): Promise<DestinationsModule> {
    this.destinationsModule ??= loadDestinationsModule();
    return this.destinationsModule;
  }

  /** The config schema of a destination type: given, else @manifold/destinations', else built in. */
  private async destinationSpec(type: DestinationType): Promise<Json> {
    const given = this.options.destinationSpecs?.[type];
    if (given) return given;
    if (this.options.createDestination) return FALLBACK_DESTINATION_SPECS[type];
    const specs = await this.loadDestinations().then(
      (module) => module.destinationSpecs,
      () => FALLBACK_DESTINATION_SPECS,
    );
    return specs[type] ?? FALLBACK_DESTINATION_SPECS[type];
  }
}

type SecretList = Array<{ path: FieldPath; value: unknown }>;
