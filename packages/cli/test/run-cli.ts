import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AirbyteMessage, parseMessages } from '@manifold/testkit';

const here = dirname(fileURLToPath(import.meta.url));
export const BIN = resolve(here, '../bin/source-declarative-manifest.js');
export const FIXTURES = resolve(here, 'fixtures');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  messages: AirbyteMessage[];
}

/** Runs the real bin as a child process, as Airbyte's platform would. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolvePromise({ code, stdout, stderr, messages: parseMessages(stdout) });
      } catch (error) {
        reject(new Error(`${(error as Error).message}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      }
    });
  });
}

/** Writes JSON files into a fresh temp dir and returns their paths. */
export function tempFiles(files: Record<string, unknown>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'manifold-cli-'));
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    paths[name] = path;
  }
  return paths;
}
