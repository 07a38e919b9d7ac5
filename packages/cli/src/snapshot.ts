/**
 * The CLI's entry when bundled for the base image, where it also builds a V8 startup snapshot
 * (docker/bundle.mjs, docker/Dockerfile). A snapshot holds the heap after every module has been
 * loaded and evaluated, so `node --snapshot-blob <blob> spec` skips parsing and evaluating ~2.5 MB of
 * JavaScript: most of a cold start. Without a snapshot the same file runs like cli.ts.
 *
 * No top-level await (the bundle is CommonJS, which snapshots require), and nothing here touches
 * stdout, the environment or the clock before the main function runs: those belong to the run,
 * not to the image build. The build runs warm-up.ts first, so the bytecode of the command paths
 * and of the read loop is in the snapshot too.
 */
import { setFlagsFromString, startupSnapshot } from 'node:v8';
import { runEntrypoint, UndiciHttpClient } from '@manifold/runtime';
import { warmUpCommands, warmUpRead } from './warm-up.js';

function main(args: string[]): void {
  // As cli.ts: no background optimisation of undici's WebAssembly parser, which would hold the
  // process ~200 ms at exit. Set once undici is loaded, not here: after a V8 flag changes, V8
  // rejects node's code cache for the built-in modules loaded later (net, http, tls… ~25 of
  // them on a read), and `spec` never loads undici at all.
  const http = new UndiciHttpClient({ onLoaded: () => setFlagsFromString('--liftoff-only') });
  runEntrypoint(args, { stdout: process.stdout, stderr: process.stderr, env: process.env, http })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return 1;
    })
    .then(exitOnceFlushed);
}

/**
 * Exits as soon as everything written has reached stdout and stderr. The run is over: closing
 * undici's keep-alive connections one by one first (or waiting for a slice still in flight when
 * `check` has its record) only delays the exit, ~12 ms on a read of 10 slices.
 */
function exitOnceFlushed(code: number): void {
  process.stderr.write('', () => process.stdout.write('', () => process.exit(code)));
}

if (startupSnapshot.isBuildingSnapshot()) {
  warmUpCommands();
  // The snapshot is taken once the event loop is empty, so after this read. A failed warm-up
  // must fail the image build (the builder writes a blob even after an uncaught exception).
  warmUpRead().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
  startupSnapshot.setDeserializeMainFunction(() => main(process.argv.slice(1)));
} else {
  main(process.argv.slice(2));
}
