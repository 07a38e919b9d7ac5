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
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, constants as zlib } from 'node:zlib';
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

// any-ascii (KeysToSnakeCase's transliteration) keeps its table as 534 KB of string literals in
// block.js. The bundle's whole source stays in the startup snapshot and is read and deserialised
// by every process, while the table is needed only by the few manifests that snake-case keys. So
// the bundle carries it brotli-compressed (~230 KB as base64), inflated the first time a key is
// transliterated. Checked here, block by block, against the package's own function.
const LAST_BLOCK = 0x10ff; // code points end at U+10FFFF; any-ascii asks for codePoint >>> 8
const packedAnyAsciiTable = {
  name: 'packed-any-ascii-table',
  setup(b) {
    b.onLoad({ filter: /[\\/]any-ascii[\\/]block\.js$/ }, async (args) => {
      const { default: block } = await import(pathToFileURL(args.path).href);
      const table = {};
      for (let n = 0; n <= LAST_BLOCK; n++) {
        const text = block(n);
        if (typeof text !== 'string') throw new Error(`bundle: any-ascii's block(${n}) is not a string; update docker/bundle.mjs`);
        if (text !== '') table[n] = text;
      }
      const json = Buffer.from(JSON.stringify(table));
      const packed = brotliCompressSync(json, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: json.length } }).toString('base64');
      const unpacked = JSON.parse(brotliDecompressSync(Buffer.from(packed, 'base64')).toString('utf8'));
      for (let n = 0; n <= LAST_BLOCK; n++) {
        if ((unpacked[n] ?? '') !== block(n)) throw new Error(`bundle: the packed any-ascii table differs from block(${n})`);
      }
      // The literal sits inside the function: a top-level one would be a second copy in the heap
      // (a compiled module's string constants), while an uncalled function's exist only in the source.
      const contents = [
        "import { brotliDecompressSync } from 'node:zlib';",
        'let table;',
        'export default function block(blockNum) {',
        `  table ??= JSON.parse(brotliDecompressSync(Buffer.from(${JSON.stringify(packed)}, 'base64')).toString('utf8'));`,
        "  return table[blockNum] ?? '';",
        '}',
      ].join('\n');
      return { contents, loader: 'js' };
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
    plugins: [inlineValidator, packedAnyAsciiTable],
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
