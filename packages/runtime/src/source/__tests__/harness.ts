import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AirbyteMessage, parseMessages } from '@manifold/testkit';
import { runEntrypoint } from '../../entrypoint.js';

export interface SourceRun {
  code: number;
  messages: AirbyteMessage[];
  stdout: string;
  /** Every sleep the run asked for, in milliseconds (no real waiting happens). */
  sleeps: number[];
}

/**
 * Runs the source in-process exactly as the CLI does, with files written to a temp dir and a
 * sleep that records instead of waiting, so retry and backoff tests take no time.
 */
export async function runSource(
  command: 'spec' | 'check' | 'discover' | 'read',
  files: { manifest: string; config?: unknown; catalog?: unknown; state?: unknown | string },
  options: { clock?: () => number } = {},
): Promise<SourceRun> {
  const dir = mkdtempSync(join(tmpdir(), 'manifold-run-'));
  const write = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const argv = [command, '--manifest-path', write('manifest.yaml', files.manifest)];
  if (files.config !== undefined) argv.push('--config', write('config.json', files.config));
  if (files.catalog !== undefined) argv.push('--catalog', write('catalog.json', files.catalog));
  if (files.state !== undefined) argv.push('--state', write('state.json', files.state));
  let stdout = '';
  const sleeps: number[] = [];
  const code = await runEntrypoint(argv, {
    stdout: {
      write(chunk: string) {
        stdout += chunk;
        return true;
      },
      once() {
        return undefined;
      },
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    clock: options.clock,
  });
  return { code, messages: parseMessages(stdout), stdout, sleeps };
}
