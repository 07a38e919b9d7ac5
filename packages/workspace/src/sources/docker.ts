/**
 * A source run as an Airbyte image: `docker run --rm -i --network host <image> <command> ...`,
 * one protocol message per stdout line. The config (with its secrets) goes in a private temporary
 * directory mounted read-only, removed when the command ends; stderr lines become logs.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type AirbyteMessage, SecretMasker, collectSecrets, parseJsonExact, stringifyJson } from '@manifold/runtime';
import type { StateMessage } from '../destination.js';
import { WorkspaceError } from '../errors.js';
import type { Json } from '../model.js';
import {
  type ConfiguredCatalog,
  type DiscoveredStream,
  type ReadHooks,
  type SourceProcess,
  discoveredStream,
} from './source-process.js';

const MOUNT = '/manifold';

/**
 * The config directory is ours alone (0700, files 0600), and an image usually runs as its own
 * non-root user, which could not read it: run the container as this process's user instead.
 */
export function asThisUser(): string[] {
  return typeof process.getuid === 'function' && typeof process.getgid === 'function' ? ['--user', `${process.getuid()}:${process.getgid()}`] : [];
}

export interface DockerOptions {
  /** The docker executable (tests put a fake one here). */
  docker?: string;
}

export class DockerSource implements SourceProcess {
  private readonly masker = new SecretMasker();

  constructor(
    private readonly image: string,
    private readonly config: Json,
    connectionSpecification: Json | undefined,
    private readonly options: DockerOptions = {},
  ) {
    collectSecrets(connectionSpecification, config, this.masker);
  }

  async discover(signal?: AbortSignal): Promise<DiscoveredStream[]> {
    let catalog: { streams: Json[] } | undefined;
    const errors: string[] = [];
    await this.run('discover', {}, signal, async (message) => {
      if (message.type === 'CATALOG') catalog = message.catalog;
      if (message.type === 'TRACE' && message.trace.type === 'ERROR') errors.push(message.trace.error.message);
    });
    if (!catalog) {
      throw new WorkspaceError('SYNC_FAILED', `${this.image} discover printed no catalog${errors.length > 0 ? `: ${errors.join('; ')}` : ''}`);
    }
    return catalog.streams.map(discoveredStream);
  }

  async read(
    catalog: ConfiguredCatalog,
    state: StateMessage[],
    onMessage: (message: AirbyteMessage) => Promise<void>,
    hooks: ReadHooks,
  ): Promise<{ ok: boolean }> {
    const code = await this.run('read', { catalog, state }, hooks.signal, onMessage);
    return { ok: code === 0 };
  }

  /** Runs one command; resolves with its exit code once stdout is consumed. */
  private async run(
    command: 'discover' | 'read',
    files: { catalog?: ConfiguredCatalog; state?: StateMessage[] },
    signal: AbortSignal | undefined,
    onMessage: (message: AirbyteMessage) => Promise<void>,
  ): Promise<number> {
    const dir = await mkdtemp(join(tmpdir(), 'manifold-docker-'));
    try {
      await writeFile(join(dir, 'config.json'), JSON.stringify(this.config), { mode: 0o600 });
      const args = ['run', '--rm', '-i', '--network', 'host', ...asThisUser(), '-v', `${dir}:${MOUNT}:ro`, this.image, command, '--config', `${MOUNT}/config.json`];
      if (files.catalog) {
        await writeFile(join(dir, 'catalog.json'), JSON.stringify(files.catalog), { mode: 0o600 });
        args.push('--catalog', `${MOUNT}/catalog.json`);
      }
      if (files.state) {
        await writeFile(join(dir, 'state.json'), stringifyJson(files.state), { mode: 0o600 });
        args.push('--state', `${MOUNT}/state.json`);
      }
      return await this.spawnAndParse(args, signal, onMessage);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private spawnAndParse(args: string[], signal: AbortSignal | undefined, onMessage: (message: AirbyteMessage) => Promise<void>): Promise<number> {
    const docker = this.options.docker ?? 'docker';
    const child = spawn(docker, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const onAbort = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', onAbort, { once: true });
    const exited = new Promise<number>((resolve, reject) => {
      child.on('error', (error) => {
        reject(
          new WorkspaceError('SYNC_FAILED', `cannot run '${docker}': ${error.message}`, {
            help: 'Install Docker, or run the source in-process (create it without --docker)',
          }),
        );
      });
      child.on('close', (code, killedBy) => resolve(code ?? (killedBy ? 128 : 1)));
    });
    const stderr: string[] = [];
    createInterface({ input: child.stderr }).on('line', (line) => stderr.push(this.masker.mask(line)));
    const consume = async () => {
      try {
        await this.forEachMessage(child.stdout, onMessage);
      } catch (error) {
        child.kill('SIGTERM'); // The sync cannot take more messages: stop the container too.
        throw error;
      }
    };
    return Promise.all([consume(), exited])
      .then(async ([, code]) => {
        for (const line of stderr) await onMessage({ type: 'LOG', log: { level: 'WARN', message: line } });
        return code;
      })
      .finally(() => signal?.removeEventListener('abort', onAbort));
  }

  private async forEachMessage(stdout: NodeJS.ReadableStream, onMessage: (message: AirbyteMessage) => Promise<void>): Promise<void> {
    for await (const line of createInterface({ input: stdout })) {
      if (!line.trim().startsWith('{')) continue;
      let message: AirbyteMessage;
      try {
        message = parseJsonExact(line) as AirbyteMessage;
      } catch {
        continue; // Not a protocol message (the CDK ignores these too).
      }
      await onMessage(message.type === 'RECORD' || message.type === 'STATE' ? message : this.masker.maskValue(message));
    }
  }
}
