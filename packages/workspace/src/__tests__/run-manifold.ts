/** Runs the real `manifold` bin as a child process. */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/manifold.js');

export interface ManifoldResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startManifold(args: string[], env: Record<string, string | undefined> = {}): { child: ChildProcess; done: Promise<ManifoldResult> } {
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...env })) if (value !== undefined) childEnv[key] = value;
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<ManifoldResult>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runManifold(args: string[], env: Record<string, string | undefined> = {}): Promise<ManifoldResult> {
  return startManifold(args, env).done;
}
