import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { parseJsonExact, stringifyJson } from '@manifold/runtime';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Destination, DestinationStream, DestinationWriter, StateMessage } from '../destination.js';
import { DestinationError, safeMessage } from '../errors.js';
import { forgetStream, mergeState, streamKey } from '../state.js';
import { configuredCatalog } from './catalog.js';
import { defaultStateDirectory, ImageStateStore } from './state-store.js';

export interface AirbyteImageConfig {
  image: string;
  config: Record<string, unknown>;
  stateDirectory?: string;
  command?: string[];
}

type DestinationProcess = ChildProcessByStdio<Writable, Readable, Readable>;

/** Where the config files are seen by the destination: mounted at /tmp/cfg under docker, host paths otherwise. */
const MOUNT_POINT = '/tmp/cfg';
const KEPT_OUTPUT_LINES = 20;

/** Config keys whose values are treated as secret; without the image's spec, names are all we have. */
const SECRET_KEY = /pass|secret|token|key|credential|private|auth/i;

function configSecrets(value: unknown, underSecretKey = false): string[] {
  if (typeof value === 'string') return underSecretKey && value !== '' ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => configSecrets(item, underSecretKey));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => configSecrets(item, underSecretKey || SECRET_KEY.test(key)));
  }
  return [];
}

/** A state without the counters destinations add when echoing it, with keys in a fixed order. */
function canonicalState(state: unknown): string {
  const sortKeys = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.keys(value)
        .filter((key) => key !== 'sourceStats' && key !== 'destinationStats')
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  };
  return stringifyJson(sortKeys(state));
}

interface RunningImage {
  child: DestinationProcess;
  configDirectory: string;
  exited: Promise<number | null>;
  /** Last LOG/TRACE/stderr lines, for the error when it fails. */
  output: string[];
}

class ImageLauncher {
  constructor(private readonly config: AirbyteImageConfig) {}

  readonly secrets = (): string[] => configSecrets(this.config.config);

  start(verb: 'check' | 'write', catalog: Record<string, unknown> | undefined, onMessage: (message: Record<string, unknown>) => void): RunningImage {
    const configDirectory = mkdtempSync(join(tmpdir(), 'manifold-destination-'));
    chmodSync(configDirectory, 0o700);
    writeFileSync(join(configDirectory, 'config.json'), JSON.stringify(this.config.config), { mode: 0o600 });
    if (catalog) writeFileSync(join(configDirectory, 'catalog.json'), JSON.stringify(catalog), { mode: 0o600 });
    const seenAt = this.config.command ? configDirectory : MOUNT_POINT;
    const args = ['--config', `${seenAt}/config.json`, ...(catalog ? ['--catalog', `${seenAt}/catalog.json`] : [])];
    const [program, ...prefix] = this.config.command ?? [
      'docker',
      'run',
      '--rm',
      '-i',
      '--network',
      'host',
      // The config directory is private (0700, files 0600); an image's own non-root user could
      // not read it, so the container runs as this process's user.
      ...(typeof process.getuid === 'function' && typeof process.getgid === 'function' ? ['--user', `${process.getuid()}:${process.getgid()}`] : []),
      '-v',
      `${configDirectory}:${MOUNT_POINT}`,
      this.config.image,
    ];
    const child = spawn(program!, [...prefix, verb, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const output: string[] = [];
    const keep = (line: string): void => {
      output.push(line);
      if (output.length > KEPT_OUTPUT_LINES) output.shift();
    };
    createInterface({ input: child.stdout }).on('line', (line) => {
      let message: Record<string, unknown>;
      try {
        message = parseJsonExact(line) as Record<string, unknown>;
      } catch {
        keep(line);
        return;
      }
      if (message['type'] === 'LOG') keep(String((message['log'] as { message?: unknown } | undefined)?.message ?? ''));
      if (message['type'] === 'TRACE') {
        const error = (message['trace'] as { error?: { message?: unknown } } | undefined)?.error;
        if (error) keep(String(error.message ?? ''));
      }
      onMessage(message);
    });
    createInterface({ input: child.stderr }).on('line', keep);
    // Writes after the process died fail with EPIPE; the exit is reported through `exited`.
    child.stdin.on('error', () => undefined);
    const exited = new Promise<number | null>((resolveExit) => {
      child.on('error', (error) => {
        keep(`cannot start ${program}: ${error.message}`);
        resolveExit(null);
      });
      child.on('close', (code) => resolveExit(code));
    }).finally(() => rmSync(configDirectory, { recursive: true, force: true }));
    return { child, configDirectory, exited, output };
  }

  describeFailure(running: RunningImage, code: number | null): string {
    const detail = running.output.filter((line) => line.trim() !== '').slice(-5).join(' | ');
    const how = code === null ? 'could not run' : `exited with code ${code}`;
    return safeMessage(`destination image ${this.config.image} ${how}${detail ? `: ${detail}` : ''}`, this.secrets());
  }
}

interface PendingCommit {
  canonical: string;
  state: StateMessage;
  resolve: () => void;
  reject: (error: Error) => void;
}

class ImageWriter implements DestinationWriter {
  private readonly pending: PendingCommit[] = [];
  private readonly counts = new Map<string, { written: number; committed: number }>();
  private finished = false;
  private failure: DestinationError | undefined;
  private readonly running: RunningImage;

  constructor(
    private readonly launcher: ImageLauncher,
    private readonly store: ImageStateStore,
    streams: DestinationStream[],
    catalog: Record<string, unknown>,
  ) {
    for (const stream of streams) this.counts.set(streamKey(stream.name, stream.namespace), { written: 0, committed: 0 });
    this.running = launcher.start('write', catalog, (message) => this.onMessage(message));
    void this.running.exited.then((code) => {
      this.failure ??= new DestinationError('DEST_PROCESS_FAILED', this.launcher.describeFailure(this.running, code));
      for (const commit of this.pending.splice(0)) commit.reject(this.failure);
    });
  }

  async write(stream: string, namespace: string | undefined, data: Record<string, unknown>, emittedAt: number): Promise<void> {
    this.assertUsable();
    const count = this.counts.get(streamKey(stream, namespace));
    if (!count) throw new DestinationError('DEST_UNKNOWN_STREAM', `record for stream '${streamKey(stream, namespace)}', which is not in the catalog given to open()`);
    count.written += 1;
    const record = { stream, ...(namespace ? { namespace } : {}), data, emitted_at: emittedAt };
    await this.send({ type: 'RECORD', record });
  }

  /** Resolves when the destination echoes the state back: its promise that everything before it is stored. */
  async commit(state: StateMessage): Promise<void> {
    this.assertUsable();
    const acknowledged = new Promise<void>((resolve, reject) => {
      this.pending.push({ canonical: canonicalState(state), state, resolve, reject });
    });
    await this.send({ type: 'STATE', state });
    await acknowledged;
    for (const count of this.counts.values()) count.committed = count.written;
  }

  async complete(): Promise<{ recordsWritten: Record<string, number> }> {
    this.assertUsable();
    this.finished = true;
    this.running.child.stdin.end();
    const code = await this.running.exited;
    if (code !== 0) throw new DestinationError('DEST_PROCESS_FAILED', this.launcher.describeFailure(this.running, code));
    const recordsWritten: Record<string, number> = {};
    for (const [key, count] of this.counts) recordsWritten[key] = count.written;
    return { recordsWritten };
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.running.child.kill('SIGTERM');
    await this.running.exited;
  }

  private onMessage(message: Record<string, unknown>): void {
    if (message['type'] !== 'STATE') return;
    const canonical = canonicalState(message['state']);
    const index = this.pending.findIndex((commit) => commit.canonical === canonical);
    if (index < 0) return;
    // An echoed state also vouches for every state sent before it.
    const acknowledged = this.pending.splice(0, index + 1);
    let states = this.store.read();
    for (const commit of acknowledged) states = mergeState(states, commit.state);
    this.store.write(states);
    for (const commit of acknowledged) commit.resolve();
  }

  private async send(message: Record<string, unknown>): Promise<void> {
    const stdin = this.running.child.stdin;
    if (!stdin.write(`${stringifyJson(message)}\n`)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          stdin.off('drain', done);
          stdin.off('close', done);
          resolve();
        };
        stdin.on('drain', done);
        stdin.on('close', done);
      });
    }
  }

  private assertUsable(): void {
    if (this.failure) throw this.failure;
    if (this.finished) throw new DestinationError('DEST_WRITER_CLOSED', 'the writer was used after complete() or abort()');
  }
}

/**
 * Any Airbyte destination image: records and states go to its `write` on stdin, and a state is
 * committed once the image echoes it on stdout. Rows already in the destination cannot be
 * removed from here, so resetStream forgets only the state.
 */
export class AirbyteImageDestination implements Destination {
  private readonly launcher: ImageLauncher;
  private readonly writers = new Set<ImageWriter>();

  constructor(private readonly config: AirbyteImageConfig) {
    this.launcher = new ImageLauncher(config);
  }

  async check(): Promise<{ ok: boolean; message?: string }> {
    let status: { status?: unknown; message?: unknown } | undefined;
    const running = this.launcher.start('check', undefined, (message) => {
      if (message['type'] === 'CONNECTION_STATUS') status = message['connectionStatus'] as typeof status;
    });
    running.child.stdin.end();
    const code = await running.exited;
    if (status?.status === 'SUCCEEDED') return { ok: true };
    if (status) return { ok: false, message: safeMessage(`destination image ${this.config.image}: ${String(status.message ?? 'check failed')}`, this.launcher.secrets()) };
    return { ok: false, message: this.launcher.describeFailure(running, code) };
  }

  async open(streams: DestinationStream[], options: { syncId: string; connectionId: string; generationId?: number }): Promise<DestinationWriter> {
    const catalog = configuredCatalog(streams, { generationId: options.generationId ?? 0, syncId: options.syncId });
    const writer = new ImageWriter(this.launcher, this.store(options.connectionId), streams, catalog);
    this.writers.add(writer);
    return writer;
  }

  async readState(connectionId: string): Promise<StateMessage[]> {
    return this.store(connectionId).read();
  }

  async resetStream(connectionId: string, stream: { name: string; namespace?: string | undefined }): Promise<void> {
    const store = this.store(connectionId);
    store.write(forgetStream(store.read(), stream));
  }

  async close(): Promise<void> {
    for (const writer of this.writers) await writer.abort();
    this.writers.clear();
  }

  private store(connectionId: string): ImageStateStore {
    return new ImageStateStore(this.config.stateDirectory ?? defaultStateDirectory(), this.config.image, connectionId);
  }
}

export function createAirbyteImageDestination(config: AirbyteImageConfig): Destination {
  return new AirbyteImageDestination(config);
}
