/**
 * Runs a connector command (spec, check, discover, read) and collects its Airbyte messages.
 *
 * - docker: the connector's image through testcontainers (`GenericContainer`, network mode host,
 *   so the container reaches the mock API on 127.0.0.1); input files are copied into /data.
 * - local: the bundled CLI started from its startup snapshot
 *   (`node --snapshot-blob docker/build/source-declarative-manifest.blob`), reading the manifest
 *   through $MANIFEST_PATH exactly as the image does. For quick iterations on a
 *   connector without Docker: MANIFOLD_ACCEPTANCE_RUNNER=local.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenericContainer, getContainerRuntimeClient, StartupCheckStrategy, type StartupStatus } from 'testcontainers';
import { parseMessages, type AirbyteMessage } from '@manifold/testkit';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  messages: AirbyteMessage[];
  ms: number;
}

export interface ConnectorRunner {
  readonly kind: 'docker' | 'local';
  /** `files` are written as /data/<name>; refer to them in args as `/data/<name>`. */
  run(args: string[], files?: Record<string, unknown>): Promise<RunResult>;
}

/** Done when the container has stopped, whatever its exit code (a failed read must be inspected, not thrown). */
class ExitedStrategy extends StartupCheckStrategy {
  override async checkStartupState(dockerClient: unknown, containerId: string): Promise<StartupStatus> {
    const info = await (dockerClient as { getContainer(id: string): { inspect(): Promise<{ State: { Running: boolean; FinishedAt: string } }> } })
      .getContainer(containerId)
      .inspect();
    return !info.State.Running && Date.parse(info.State.FinishedAt) > 0 ? 'SUCCESS' : 'PENDING';
  }
}

/** Docker's multiplexed log stream → text (frames: 1 byte stream, 3 pad, 4 bytes length). */
function demux(buf: Buffer): string {
  const out: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const len = buf.readUInt32BE(i + 4);
    out.push(buf.subarray(i + 8, i + 8 + len));
    i += 8 + len;
  }
  return Buffer.concat(out).toString('utf8');
}

function finish(code: number, stdout: string, stderr: string, started: number): RunResult {
  let messages: AirbyteMessage[];
  try {
    messages = parseMessages(stdout);
  } catch (err) {
    throw new Error(`${(err as Error).message}\nstderr:\n${stderr.slice(-2000)}`);
  }
  return { code, stdout, stderr, messages, ms: Date.now() - started };
}

export function dockerRunner(image: string): ConnectorRunner {
  return {
    kind: 'docker',
    async run(args, files = {}) {
      const started = Date.now();
      const container = await new GenericContainer(image)
        .withNetworkMode('host')
        .withCommand(args)
        .withCopyContentToContainer(
          Object.entries(files).map(([name, value]) => ({ content: JSON.stringify(value), target: `/data/${name}`, mode: 0o644 })),
        )
        .withWaitStrategy(new ExitedStrategy())
        .withStartupTimeout(120_000)
        .start();
      const client = await getContainerRuntimeClient();
      const raw = client.container.dockerode.getContainer(container.getId());
      try {
        const info = await raw.inspect();
        const stdout = demux((await raw.logs({ stdout: true, stderr: false, follow: false })) as unknown as Buffer);
        const stderr = demux((await raw.logs({ stdout: false, stderr: true, follow: false })) as unknown as Buffer);
        return finish(info.State.ExitCode, stdout, stderr, started);
      } finally {
        await raw.remove({ force: true, v: true }).catch(() => undefined);
      }
    },
  };
}

export function localRunner(snapshotBlob: string, manifestPath: string): ConnectorRunner {
  return {
    kind: 'local',
    async run(args, files = {}) {
      const started = Date.now();
      const dir = mkdtempSync(join(tmpdir(), 'manifold-acceptance-'));
      try {
        for (const [name, value] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(value));
        const local = args.map((a) => (a.startsWith('/data/') ? join(dir, a.slice('/data/'.length)) : a));
        return await new Promise<RunResult>((resolve, reject) => {
          const child = spawn(process.execPath, ['--snapshot-blob', snapshotBlob, ...local], { env: { ...process.env, MANIFEST_PATH: manifestPath }, stdio: ['ignore', 'pipe', 'pipe'] });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
          child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
          child.on('error', reject);
          child.on('close', (code) => {
            try {
              resolve(finish(code ?? 1, stdout, stderr, started));
            } catch (err) {
              reject(err);
            }
          });
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
