#!/usr/bin/env node
/**
 * source-declarative-manifest: argv → runtime → exit code. Nothing else lives here.
 */
import { runEntrypoint } from '@manifold/runtime';

const code = await runEntrypoint(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
process.exitCode = code;
