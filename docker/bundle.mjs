#!/usr/bin/env node
// Bundles the source-declarative-manifest CLI (packages/cli/dist/cli.js and everything it imports)
// into one ESM file, docker/build/source-declarative-manifest.mjs, for the base image.
// Uses esbuild's JS API (npm 11 does not run esbuild's postinstall; the JS API finds its binary).
import { readFile, mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const entry = join(root, 'packages/cli/dist/cli.js');
export const outfile = join(here, 'build/source-declarative-manifest.mjs');

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
    format: 'esm',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins: [inlineValidator],
    // CommonJS dependencies call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __manifoldCreateRequire } from 'node:module'; const require = __manifoldCreateRequire(import.meta.url);" },
  });
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { outfile, bytes };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { outfile: out, bytes } = await bundle();
  console.log(`bundled ${out} (${(bytes / 1024).toFixed(0)} KiB)`);
}
