#!/usr/bin/env node
// Runs `spec` and `discover` on every manifest in a folder of Airbyte connectors
// (default ../shared/airbyte-manifests), with a config made from each spec's examples,
// and prints how many pass. Needs `npm run build` first.
//   node scripts/check-catalog.mjs [dir] [--verbose] [--only name]
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runEntrypoint } from '../packages/runtime/dist/index.js';
import { sample } from './sample-config.mjs';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const dir = resolve(args.find((a) => !a.startsWith('--') && a !== only) ?? '../shared/airbyte-manifests');
const custom = new Set(
  existsSync(join(dir, 'needs-custom-components.txt'))
    ? readFileSync(join(dir, 'needs-custom-components.txt'), 'utf8').split(/\s+/).filter(Boolean)
    : [],
);

/** Captures protocol lines written by the runtime. */
function sink() {
  const lines = [];
  let buffer = '';
  return {
    lines,
    write(chunk) {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop();
      for (const part of parts) if (part) lines.push(JSON.parse(part));
      return true;
    },
    once() {},
  };
}

let tried = 0;
const passed = { spec: 0, discover: 0 };
const failures = [];
const names = readdirSync(dir).filter((name) => name.startsWith('source-') && !custom.has(name) && (!only || name === only));
const work = process.env.CATALOG_CONFIG_DIR ?? mkdtempSync(join(tmpdir(), 'catalog-check-'));
for (const name of names) {
  const manifestPath = join(dir, name, 'manifest.yaml');
  if (!existsSync(manifestPath)) continue;
  tried += 1;
  const spec = sink();
  await runEntrypoint(['spec', '--manifest-path', manifestPath], { stdout: spec });
  const specMessage = spec.lines.find((m) => m.type === 'SPEC');
  if (!specMessage) {
    failures.push(`${name}: spec: ${spec.lines.find((m) => m.type === 'TRACE')?.trace?.error?.message}`);
    continue;
  }
  passed.spec += 1;
  const config = sample({ type: 'object', ...specMessage.spec.connectionSpecification });
  const configPath = join(work, `${name}.json`);
  writeFileSync(configPath, JSON.stringify(config));
  const discover = sink();
  await runEntrypoint(['discover', '--manifest-path', manifestPath, '--config', configPath], { stdout: discover });
  if (discover.lines.some((m) => m.type === 'CATALOG')) passed.discover += 1;
  else failures.push(`${name}: discover: ${discover.lines.find((m) => m.type === 'TRACE')?.trace?.error?.message}`);
}
if (verbose || failures.length <= 40) for (const failure of failures) console.log(failure);
else console.log(`${failures.length} failures (use --verbose to list them all)`);
console.log(`tried ${tried} manifests (custom-component ones left out: ${custom.size})`);
console.log(`spec passed: ${passed.spec}/${tried}`);
console.log(`discover passed: ${passed.discover}/${tried}`);
