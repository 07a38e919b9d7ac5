import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AirbyteMessage, parseMessages } from '@manifold/testkit';
import { runEntrypoint } from '../../entrypoint.js';

export interface CliRun {
  code: number;
  messages: AirbyteMessage[];
  /** Every sleep asked for, in ms; sleeping advances the fake clock instead of waiting. */
  sleeps: number[];
}

/** Runs the CLI in-process with files in a temp dir, a fake clock and a sleep that only advances it. */
export async function runCli(
  command: 'read' | 'discover' | 'check',
  manifest: string,
  config: unknown,
  catalog?: unknown,
): Promise<CliRun> {
  const dir = mkdtempSync(join(tmpdir(), 'manifold-cli-'));
  const write = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const argv = [command, '--manifest-path', write('manifest.yaml', manifest), '--config', write('config.json', config)];
  if (catalog) argv.push('--catalog', write('catalog.json', catalog));
  let now = Date.parse('2024-01-01T00:00:00Z');
  let stdout = '';
  const sleeps: number[] = [];
  const code = await runEntrypoint(argv, {
    stdout: { write: (chunk: string) => ((stdout += chunk), true), once: () => undefined },
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    clock: () => now,
  });
  return { code, messages: parseMessages(stdout), sleeps };
}

export function catalogOf(run: CliRun): Array<Record<string, unknown>> {
  const message = run.messages.find((m) => m.type === 'CATALOG');
  return ((message?.catalog as { streams?: Array<Record<string, unknown>> } | undefined)?.streams ?? []);
}

export function connectionStatus(run: CliRun): unknown {
  return run.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus;
}
