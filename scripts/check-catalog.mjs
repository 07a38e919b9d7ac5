#!/usr/bin/env node
// Runs `spec` and `discover` on every manifest in a folder of Airbyte connectors
// (default ../shared/airbyte-manifests), with a config made from each spec's examples,
// and prints how many pass. Needs `npm run build` first.
//   node scripts/check-catalog.mjs [dir] [--verbose] [--only name]
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runEntrypoint } from '../packages/runtime/dist/index.js';

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

/** A value for a spec property: its examples, default, enum, or something of its type and pattern. */
function sample(schema, key = '') {
  if (!schema || typeof schema !== 'object') return 'x';
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (schema.const !== undefined) return schema.const;
  const candidates = [
    ...(Array.isArray(schema.examples) ? schema.examples : schema.examples !== undefined ? [schema.examples] : []),
    ...(schema.default !== undefined ? [schema.default] : []),
    ...(Array.isArray(schema.enum) ? schema.enum : []),
  ];
  for (const candidate of candidates) {
    const value = coerce(candidate, type, schema);
    if (value !== undefined) return value;
  }
  const branches = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(branches) && branches.length > 0) return sample({ type: 'object', ...branches[0] }, key);
  switch (type) {
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return schema.items ? [sample(schema.items, key)] : [];
    case 'object': {
      const out = {};
      for (const [name, sub] of Object.entries(schema.properties ?? {})) out[name] = sample(sub, name);
      return out;
    }
    default:
      return stringFor(schema, key);
  }
}

/** An example as the declared type wants it, or undefined when it does not fit. */
function coerce(value, type, schema) {
  if (type === 'array') {
    const items = Array.isArray(value) ? value : [value];
    return schema.items ? items.map((item) => coerce(item, schema.items.type, schema.items) ?? item) : items;
  }
  if (type === 'integer' || type === 'number') {
    const number = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  if (type === 'boolean') return typeof value === 'boolean' ? value : undefined;
  if (type === 'string') {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (schema.pattern && !safeTest(schema.pattern, text)) return undefined;
    // An example like 'YYYY-MM-DD' documents the format; it is not a value.
    if ((schema.format === 'date-time' || schema.format === 'date') && !/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
    return text;
  }
  return value;
}

function safeTest(pattern, text) {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return true;
  }
}

function stringFor(schema, key) {
  const pattern = schema.pattern;
  const guesses = [
    '2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z', '2024-01-01', '01-01-2024', '01/01/2024 00:00',
    '2024-01-01 00:00:00', 'https://example.com', 'example.com', 'a@example.com', 'live_example', 'sk_live_abc123',
    'ABC123', 'example', '12345',
  ];
  if (pattern) {
    const match = guesses.find((guess) => safeTest(pattern, guess));
    if (match) return match;
  }
  if (schema.format === 'date-time') return '2024-01-01T00:00:00Z';
  if (schema.format === 'date' || /date/i.test(key)) return '2024-01-01';
  if (schema.format === 'uri' || /url|uri|domain|host/i.test(key)) return 'https://example.com';
  if (schema.format === 'email') return 'a@example.com';
  return 'example';
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
