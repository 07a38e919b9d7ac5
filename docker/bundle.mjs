#!/usr/bin/env node
// Bundles the source-declarative-manifest CLI (packages/cli/dist/snapshot.js and everything it
// imports) into one CommonJS file, docker/build/source-declarative-manifest.cjs, for the base image,
// then builds a V8 startup snapshot of it with this machine's node
// (docker/build/source-declarative-manifest.blob; the image builds its own with the image's node,
// since a snapshot only runs on the node binary that made it). CommonJS because node's snapshot
// builder takes a single script, not an ES module.
// Uses esbuild's JS API (npm 11 does not run esbuild's postinstall; the JS API finds its binary).
import { execFileSync } from 'node:child_process';
import { readFile, mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const entry = join(root, 'packages/cli/dist/snapshot.js');
export const outfile = join(here, 'build/source-declarative-manifest.cjs');
export const snapshotBlob = join(here, 'build/source-declarative-manifest.blob');

// The runtime loads its precompiled manifest validator with createRequire at run time; make that a
// static import so the generated code (and the ajv runtime it needs) is inside the bundle.
const inlineValidator = {
  name: 'inline-manifest-validator',
  setup(b) {
    b.onLoad({ filter: /[\\/]manifest[\\/]validate\.js$/ }, async (args) => {
      let src = await readFile(args.path, 'utf8');
      const call = "createRequire(import.meta.url)('./schema/validator.gen.cjs')";
      if (!src.includes(call)) throw new Error(`bundle: ${args.path} no longer loads ./schema/validator.gen.cjs as expected; update docker/bundle.mjs`);
      src = `import __manifoldValidatorGen from './schema/validator.gen.cjs';\n` + src.replace(call, '__manifoldValidatorGen');
      return { contents: src, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

export async function bundle() {
  try {
    await stat(entry);
  } catch {
    throw new Error(`bundle: ${entry} is missing; run \`npm run build\` first`);
  }
  await mkdir(dirname(outfile), { recursive: true });
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins: [inlineValidator],
    banner: { js: '#!/usr/bin/env node' },
  });
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  await rm(join(here, 'build/source-declarative-manifest.mjs'), { force: true }); // the former ESM bundle
  buildSnapshot();
  return { outfile, bytes, snapshotBlob };
}

/** `node --build-snapshot`: loads the bundle, runs its warm-up, and writes the heap to the blob. */
export function buildSnapshot(node = process.execPath) {
  try {
    execFileSync(node, ['--snapshot-blob', snapshotBlob, '--build-snapshot', outfile], {
      cwd: here,
      stdio: ['ignore', 'ignore', 'pipe'],
      // The builder warns that it has not verified some built-in modules (worker_threads, module)
      // that pino and ajv merely import; nothing of theirs runs before the snapshot is taken.
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
  } catch (error) {
    // The bundle is one minified line: keep the message, not the source dump.
    const stderr = String(error.stderr ?? '').split('\n').filter((l) => l.length < 400).join('\n');
    throw new Error(`bundle: building the startup snapshot failed:\n${stderr.slice(-3000)}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { outfile: out, bytes, snapshotBlob: blob } = await bundle();
  console.log(`bundled ${out} (${(bytes / 1024).toFixed(0)} KiB) and its startup snapshot ${blob}`);
}
