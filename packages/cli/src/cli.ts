#!/usr/bin/env node
/**
 * source-declarative-manifest: argv → runtime → exit code. Nothing else lives here.
 */
import { setFlagsFromString } from 'node:v8';
import { runEntrypoint, UndiciHttpClient } from '@manifold/runtime';

// undici parses HTTP with a WebAssembly module. V8 compiles it quickly (Liftoff), then optimises
// it in the background, and a process cannot exit before that background job ends: ~200 ms on
// every check, discover and read. A connector process is short-lived; the baseline compiler is
// plenty for HTTP framing (records are parsed by JSON.parse, not by it). The flag is set once
// undici is loaded, not at start: after a V8 flag changes, V8 rejects node's code cache for the
// built-in modules loaded later (~25 of them on a read).
const http = new UndiciHttpClient({ onLoaded: () => setFlagsFromString('--liftoff-only') });

const code = await runEntrypoint(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  http,
});
process.exitCode = code;
