#!/usr/bin/env node
// Builds manifold's Docker images.
//
//   node scripts/build-image.mjs base             bundle the CLI (docker/bundle.mjs) and build the base image
//   node scripts/build-image.mjs [connector-dir]  validate metadata.yaml, then build the connector image
//                                                 (default: the current directory, as `npm run build` in a connector)
//   node scripts/build-image.mjs --all            base + every connectors/source-* folder
// Options:
//   --validate-only      only validate metadata.yaml (and that manifest.yaml parses); no Docker
//   --require-docker     fail when no Docker engine answers (default: print why and skip the image)
//                        also on with MANIFOLD_REQUIRE_DOCKER=1
//   --platform P --push  build with `docker buildx` for platforms P and push (CI on main)
//   --tag T              extra tag (repeatable), e.g. --tag latest
// Env: MANIFOLD_BASE_IMAGE  the Node image the base is built FROM (default: what the existing base
//                           was built from, else the Dockerfile's official node image;
//                           scripts/docker-base.sh makes a local one where no registry is reachable)
// Without --require-docker, a missing engine or an unobtainable Node image skips the image (exit 0)
// with the reason printed, so `npm run build` works on machines without Docker.
//
// An image is labelled with a hash of its inputs (io.manifold.inputs); when the tagged image already
// carries the same hash it is not rebuilt. Turbo caches the connector `build` task on the same inputs.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CONNECTORS_DIR = join(ROOT, 'connectors');
export const BASE_REPOSITORY = 'manifold/source-declarative-manifest';
const INPUTS_LABEL = 'io.manifold.inputs';
const FROM_LABEL = 'io.manifold.from';

export function baseVersion() {
  return JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')).version;
}
export const baseImageRef = () => `${BASE_REPOSITORY}:${baseVersion()}`;

/** Every connectors/source-* folder holding a metadata.yaml, sorted. */
export function listConnectors() {
  return readdirSync(CONNECTORS_DIR)
    .filter((n) => n.startsWith('source-') && existsSync(join(CONNECTORS_DIR, n, 'metadata.yaml')))
    .sort()
    .map((n) => join(CONNECTORS_DIR, n));
}

let metadataValidator;
function compileMetadataSchema() {
  if (!metadataValidator) {
    const schema = JSON.parse(readFileSync(join(CONNECTORS_DIR, 'metadata.schema.json'), 'utf8'));
    metadataValidator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return metadataValidator;
}

export class MetadataError extends Error {}
/** The Node image the base is built FROM is neither present nor pullable. */
export class BaseUnavailableError extends Error {}

/** The Dockerfile's default BASE_IMAGE (an official Node image). */
export function defaultBaseImage() {
  const m = /^ARG BASE_IMAGE=(\S+)/m.exec(readFileSync(join(ROOT, 'docker/Dockerfile'), 'utf8'));
  if (!m) throw new Error('docker/Dockerfile has no ARG BASE_IMAGE default');
  return m[1];
}

/**
 * Validates <dir>/metadata.yaml against connectors/metadata.schema.json and the folder rules.
 * Returns metadata.data; throws MetadataError with every problem, one a line.
 */
export function validateConnector(dir) {
  const name = basename(dir);
  const file = join(dir, 'metadata.yaml');
  const where = relative(process.cwd(), file) || file;
  const problems = [];
  let doc;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new MetadataError(`${where}: cannot read: ${err.message}`);
  }
  const validate = compileMetadataSchema();
  if (!validate(doc)) {
    for (const e of validate.errors ?? []) {
      const at = e.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : '(root)';
      let msg = e.message ?? 'invalid';
      if (e.keyword === 'additionalProperties') msg = `unknown field "${e.params.additionalProperty}"`;
      if (e.keyword === 'enum') msg += `: ${e.params.allowedValues.join(', ')}`;
      if (e.keyword === 'const') msg = `must be ${JSON.stringify(e.params.allowedValue)}`;
      if (e.keyword === 'contains') msg = 'must contain "language:manifest-only"';
      problems.push(`${at}: ${msg}`);
    }
  }
  const data = doc?.data ?? {};
  if (typeof data.dockerRepository === 'string' && !data.dockerRepository.endsWith(`/${name}`)) {
    problems.push(`data.dockerRepository: must end with the folder name "/${name}" (is "${data.dockerRepository}")`);
  }
  if (!existsSync(join(dir, 'manifest.yaml'))) problems.push('manifest.yaml: missing');
  else {
    try {
      const manifest = parseYaml(readFileSync(join(dir, 'manifest.yaml'), 'utf8'));
      if (manifest?.type !== 'DeclarativeSource') problems.push('manifest.yaml: type must be DeclarativeSource');
      if (!manifest?.spec?.connection_specification) problems.push('manifest.yaml: spec.connection_specification is missing');
    } catch (err) {
      problems.push(`manifest.yaml: not valid YAML: ${err.message.split('\n')[0]}`);
    }
  }
  if (problems.length) {
    throw new MetadataError(`${where} is not valid (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n  - ${[...new Set(problems)].join('\n  - ')}`);
  }
  return data;
}

/** dist/image.json in the connector folder: what was built (turbo's cached output for the task). */
function writeImageRecord(dir, record) {
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'dist/image.json'), `${JSON.stringify(record, null, 2)}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'], input: opts.input, env: { ...process.env, ...opts.env } });
  return { code: r.status ?? (r.error ? 127 : 1), stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error.message) : '') };
}

/** undefined when a Docker engine answers, else why not. */
export function dockerUnavailableReason() {
  const r = run('docker', ['version', '--format', '{{.Server.Version}}']);
  if (r.code === 127) return 'the docker CLI is not installed';
  if (r.code !== 0) return `no Docker engine answers (${(r.stderr.trim().split('\n').pop() || 'docker version failed').slice(0, 200)})`;
  return undefined;
}

function imageLabel(ref, label) {
  const r = run('docker', ['image', 'inspect', '--format', `{{ index .Config.Labels "${label}" }}`, ref]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}
function imageId(ref) {
  const r = run('docker', ['image', 'inspect', '--format', '{{.Id}}', ref]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

function hashFiles(hash, dir, rel = '') {
  for (const n of readdirSync(join(dir, rel)).sort()) {
    const p = join(rel, n);
    if (statSync(join(dir, p)).isDirectory()) hashFiles(hash, dir, p);
    else hash.update(`${p}\0`).update(readFileSync(join(dir, p))).update('\0');
  }
}

function dockerBuild({ context, dockerfile, tags, buildArgs, labels, platform, push }) {
  const args = platform || push ? ['buildx', 'build'] : ['build'];
  if (platform) args.push('--platform', platform);
  if (push) args.push('--push');
  args.push('-f', dockerfile);
  for (const t of tags) args.push('-t', t);
  for (const [k, v] of Object.entries(buildArgs)) args.push('--build-arg', `${k}=${v}`);
  for (const [k, v] of Object.entries(labels)) args.push('--label', `${k}=${v}`);
  args.push(context);
  const r = run('docker', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.code !== 0) throw new Error(`docker ${args.join(' ')} failed:\n${r.stdout.slice(-4000)}${r.stderr.slice(-4000)}`);
}

/** Bundle the CLI and build the base image (skipped when up to date). Returns its reference. */
export async function buildBase({ platform, push, extraTags = [], log = console.log } = {}) {
  const { bundle } = await import(pathToFileURL(join(ROOT, 'docker/bundle.mjs')).href);
  const { outfile } = await bundle();
  const ref = baseImageRef();
  // FROM: $MANIFOLD_BASE_IMAGE, else what the existing base image was built from (so a machine
  // without a registry keeps using its imported node image), else the Dockerfile's official image.
  const previous = imageLabel(ref, FROM_LABEL);
  const from = process.env.MANIFOLD_BASE_IMAGE || (previous && previous !== 'default' ? previous : undefined);
  const hash = createHash('sha256');
  hash.update(readFileSync(outfile)).update(readFileSync(join(ROOT, 'docker/Dockerfile')));
  hash.update(`from:${from ?? 'default'}:${from ? imageId(from) ?? '' : ''}`);
  const inputs = hash.digest('hex').slice(0, 32);
  if (!push && imageLabel(ref, INPUTS_LABEL) === inputs) {
    log(`${ref} is up to date`);
    return ref;
  }
  const fromRef = from ?? defaultBaseImage();
  if (!push && !platform && !imageId(fromRef) && run('docker', ['pull', '-q', fromRef]).code !== 0) {
    throw new BaseUnavailableError(
      `cannot get the Node image ${fromRef} (no registry reachable?). Build a local one with scripts/docker-base.sh and pass it as MANIFOLD_BASE_IMAGE=<ref>`,
    );
  }
  const t0 = Date.now();
  dockerBuild({
    context: join(ROOT, 'docker'),
    dockerfile: join(ROOT, 'docker/Dockerfile'),
    tags: [ref, ...extraTags.map((t) => `${BASE_REPOSITORY}:${t}`)],
    buildArgs: { VERSION: baseVersion(), ...(from ? { BASE_IMAGE: from } : {}) },
    labels: { [INPUTS_LABEL]: inputs, [FROM_LABEL]: from ?? 'default' },
    platform,
    push,
  });
  log(`built ${ref}${from ? ` FROM ${from}` : ''} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return ref;
}

/** Validate and build one connector's image (skipped when up to date). Returns its reference. */
export async function buildConnector(dir, { platform, push, extraTags = [], log = console.log } = {}) {
  const data = validateConnector(dir);
  const base = data.connectorBuildOptions.baseImage;
  if (!push && !imageId(base)) {
    if (base !== baseImageRef()) throw new Error(`${basename(dir)}: base image ${base} is not present locally and this checkout builds ${baseImageRef()}`);
    await buildBase({ log });
  }
  const ref = `${data.dockerRepository}:${data.dockerImageTag}`;
  const hash = createHash('sha256');
  hash.update(readFileSync(join(dir, 'manifest.yaml'))).update(readFileSync(join(dir, 'metadata.yaml')));
  if (existsSync(join(dir, 'schemas'))) hashFiles(hash, join(dir, 'schemas'));
  hash.update(readFileSync(join(ROOT, 'docker/connector.Dockerfile'))).update(`base:${base}:${push ? '' : imageId(base)}`);
  const inputs = hash.digest('hex').slice(0, 32);
  if (!push && imageLabel(ref, INPUTS_LABEL) === inputs) {
    log(`${ref} is up to date`);
    writeImageRecord(dir, { image: ref, id: imageId(ref), inputs });
    return ref;
  }
  const context = mkdtempSync(join(tmpdir(), 'manifold-image-'));
  try {
    cpSync(join(dir, 'manifest.yaml'), join(context, 'integration_code/manifest.yaml'));
    if (existsSync(join(dir, 'schemas'))) cpSync(join(dir, 'schemas'), join(context, 'integration_code/schemas'), { recursive: true });
    const t0 = Date.now();
    dockerBuild({
      context,
      dockerfile: join(ROOT, 'docker/connector.Dockerfile'),
      tags: [ref, ...extraTags.map((t) => `${data.dockerRepository}:${t}`)],
      buildArgs: { BASE: base, CONNECTOR_NAME: data.dockerRepository, CONNECTOR_VERSION: data.dockerImageTag },
      labels: { [INPUTS_LABEL]: inputs },
      platform,
      push,
    });
    log(`built ${ref} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (!push) writeImageRecord(dir, { image: ref, id: imageId(ref), inputs });
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  return ref;
}

async function main(argv) {
  const opts = { extraTags: [] };
  const targets = [];
  let validateOnly = false;
  let requireDocker = process.env.MANIFOLD_REQUIRE_DOCKER === '1';
  let all = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--validate-only') validateOnly = true;
    else if (a === '--require-docker') requireDocker = true;
    else if (a === '--all') all = true;
    else if (a === '--push') opts.push = true;
    else if (a === '--platform') opts.platform = argv[++i];
    else if (a === '--tag') opts.extraTags.push(argv[++i]);
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else targets.push(a);
  }
  const dirs = all ? ['base', ...listConnectors()] : targets.length ? targets : [process.cwd()];

  // Validation first, for every target: a bad metadata.yaml fails before any Docker work.
  for (const d of dirs) if (d !== 'base') validateConnector(resolve(d));
  if (validateOnly) {
    console.log(`metadata valid: ${dirs.filter((d) => d !== 'base').map((d) => basename(resolve(d))).join(', ')}`);
    return 0;
  }
  const why = dockerUnavailableReason();
  if (why && dirs.includes('base')) {
    const { bundle } = await import(pathToFileURL(join(ROOT, 'docker/bundle.mjs')).href);
    console.log(`bundled ${relative(ROOT, (await bundle()).outfile)}`);
  }
  if (why) {
    for (const d of dirs) if (d !== 'base') writeImageRecord(resolve(d), { image: null, skipped: why });
    const msg = `image not built: ${why}. Metadata is valid. Start a Docker engine (or run scripts/ci-docker.sh) and run \`npm run images\`.`;
    if (requireDocker) throw new Error(msg);
    console.log(msg);
    return 0;
  }
  try {
    for (const d of dirs) {
      if (d === 'base') await buildBase(opts);
      else await buildConnector(resolve(d), opts);
    }
  } catch (err) {
    if (err instanceof BaseUnavailableError && !requireDocker) {
      console.log(`image not built: ${err.message}. Metadata is valid.`);
      return 0;
    }
    throw err;
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error(err instanceof MetadataError ? `error: ${err.message}` : `error: ${err.message ?? err}`);
      process.exitCode = 1;
    },
  );
}
