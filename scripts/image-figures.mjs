#!/usr/bin/env node
// Measures the base image: its size, and the cold `docker run --rm <image> spec` time (container
// create + start + node start + spec + exit) for a connector image, as the median of N runs after
// one warm-up of the page cache. Prints a small table; exit 1 when a target is missed and
// --enforce is given.
//
//   node scripts/image-figures.mjs [--runs 5] [--connector source-pokeapi] [--enforce]
import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { baseImageRef, listConnectors, validateConnector, defaultBaseImage } from './build-image.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i === -1 ? dflt : argv[i + 1];
};
const runs = Number(opt('--runs', '5'));
const enforce = argv.includes('--enforce');
const connectorDir = join(process.cwd(), 'connectors', opt('--connector', basename(listConnectors()[0] ?? 'source-pokeapi')));
const data = validateConnector(connectorDir);
const connectorImage = `${data.dockerRepository}:${data.dockerImageTag}`;

function docker(args) {
  const r = spawnSync('docker', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr || r.error?.message}`);
  return r.stdout.trim();
}

const base = baseImageRef();
const bytes = Number(docker(['image', 'inspect', '-f', '{{.Size}}', base]));
const from = docker(['image', 'inspect', '-f', '{{ index .Config.Labels "io.manifold.from" }}', base]);
const fromRef = from && from !== 'default' ? from : defaultBaseImage();
let fromBytes;
try {
  fromBytes = Number(docker(['image', 'inspect', '-f', '{{.Size}}', fromRef]));
} catch {
  fromBytes = undefined;
}
const connectorBytes = Number(docker(['image', 'inspect', '-f', '{{.Size}}', connectorImage]));

function timeSpec() {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('docker', ['run', '--rm', '--network', 'host', connectorImage, 'spec'], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 || !r.stdout.includes('"type":"SPEC"')) throw new Error(`spec failed: ${r.stderr}`);
  return ms;
}
function timeNode() {
  const t0 = process.hrtime.bigint();
  spawnSync('docker', ['run', '--rm', '--network', 'host', '--entrypoint', 'node', connectorImage, '-e', '0']);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
timeSpec(); // warm-up
const spec = median(Array.from({ length: runs }, timeSpec));
const bare = median(Array.from({ length: runs }, timeNode));

const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const sizeTarget = 120e6;
const specTarget = 500;
console.log(`base image            ${base} FROM ${fromRef}`);
console.log(`base image size       ${mb(bytes)}${fromBytes ? ` (node image ${mb(fromBytes)} + manifold ${mb(bytes - fromBytes)})` : ''}   target < 120 MB: ${bytes < sizeTarget ? 'met' : 'MISSED'}`);
console.log(`connector image       ${connectorImage} ${mb(connectorBytes)} (+${((connectorBytes - bytes) / 1e3).toFixed(1)} kB over the base)`);
console.log(`cold spec (median/${runs}) ${spec.toFixed(0)} ms   (docker run of \`node -e 0\` alone: ${bare.toFixed(0)} ms)   target < 500 ms: ${spec < specTarget ? 'met' : 'MISSED'}`);
if (enforce && (bytes >= sizeTarget || spec >= specTarget)) process.exit(1);
