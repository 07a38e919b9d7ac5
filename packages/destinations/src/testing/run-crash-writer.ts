import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { DestinationConfig } from '../config.js';
import type { DestinationStream } from '../destination.js';

let bundled: Promise<string> | undefined;

/** The crash writer bundled once per test run, so the child runs plain JS without a TS loader. */
function crashWriterScript(): Promise<string> {
  bundled ??= (async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    // Inside the package (under node_modules, which git ignores) so the child resolves its externals from here.
    const outfile = join(here, '..', '..', 'node_modules', '.cache', `crash-writer-${process.pid}.mjs`);
    await build({
      entryPoints: [join(here, 'crash-writer.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['@duckdb/node-api', 'pg', 'esbuild', '@manifold/runtime'],
      logLevel: 'silent',
    });
    return outfile;
  })();
  return bundled;
}

/**
 * Runs a writer in a child process that commits `committed` records, writes `uncommitted` more,
 * and is then killed with SIGKILL: the state of a crash in the middle of a batch.
 */
export async function killWriterMidBatch(plan: {
  config: DestinationConfig;
  stream: DestinationStream;
  committed: number;
  uncommitted: number;
  connectionId: string;
}): Promise<void> {
  const script = await crashWriterScript();
  const child = spawn(process.execPath, [script, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`crash writer exited early (code ${code}): ${stderr}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
