#!/usr/bin/env node
// Differential run against Airbyte's python CDK: for each manifest of a folder of Airbyte
// connectors, its first stream(s) are read by our CLI and by the CDK's source-declarative-manifest,
// one after the other, against the same local mock API. The mock answers every request from its
// URL alone (records made from the stream's schema, cursor values in the cursor's format, one
// later page when a paginator asks for it), so both runs see the same responses. It prints the
// differences in requests sent, records, final state and errors.
//
//   REFERENCE_CDK=/path/to/source-declarative-manifest npm run build && \
//   node scripts/diff-against-cdk.mjs [dir] [--only source-x,source-y] [--from N] [--limit N]
//        [--streams K] [--inc-only] [--resume] [--verbose]
//
// REFERENCE_CDK is a command that runs the CDK (`<cmd> read --manifest-path M --config C
// --catalog K [--state S]`). --resume reads incremental streams a second time from the CDK's
// final state. Values that depend on the clock (anything within three days of now) are compared
// as '<now>'. Needs the CDK installed: it is not part of this repository or of CI.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadManifest, runEntrypoint } from '../packages/runtime/dist/index.js';
import { sample } from './sample-config.mjs';

const args = process.argv.slice(2);
const opt = (n, d) => (args.includes(n) ? args[args.indexOf(n) + 1] : d);
const verbose = args.includes('--verbose');
const dir = resolve(args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.match(/^--(only|from|limit|streams)$/)) ?? '../shared/airbyte-manifests');
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'packages/cli/dist/cli.js');
const CDK = process.env.REFERENCE_CDK;
if (!CDK) {
  console.error('set REFERENCE_CDK to a command that runs the python CDK (source-declarative-manifest)');
  process.exit(2);
}
const customList = join(dir, 'needs-custom-components.txt');
const custom = new Set(existsSync(customList) ? readFileSync(customList, 'utf8').split(/\s+/).filter(Boolean) : []);
const work = process.env.DIFF_WORK_DIR ?? join(tmpdir(), 'manifold-diff-cdk');
mkdirSync(work, { recursive: true });

// ---------- "now" normalisation: both runs happen at different wall times ----------
const NOW = Date.now();
const DAY = 86400e3;
function nowish(v) {
  if (typeof v === 'number') return (Math.abs(v * 1000 - NOW) < 3 * DAY) || (Math.abs(v - NOW) < 3 * DAY);
  if (typeof v !== 'string') return false;
  if (/^\d{10}(\.\d+)?$/.test(v)) return Math.abs(Number(v) * 1000 - NOW) < 3 * DAY;
  if (/^\d{13}$/.test(v)) return Math.abs(Number(v) - NOW) < 3 * DAY;
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) && !/^\d{2}[-/]\d{2}[-/]\d{4}/.test(v)) return false;
  const t = Date.parse(v.replace(' ', 'T'));
  return Number.isFinite(t) && Math.abs(t - NOW) < 3 * DAY;
}
function normNow(x) {
  if (Array.isArray(x)) return x.map(normNow);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, normNow(v)]));
  return nowish(x) ? '<now>' : x;
}
function normUrl(u) {
  const url = new URL(u, 'http://x');
  const q = [...url.searchParams.entries()].map(([k, v]) => [k, nowish(v) ? '<now>' : v]).sort((a, b) => (a[0] + a[1]).localeCompare(b[0] + b[1]));
  return url.pathname + (q.length ? '?' + q.map(([k, v]) => `${k}=${v}`).join('&') : '');
}
function normBody(b) {
  if (!b) return '';
  try { return JSON.stringify(sortKeys(normNow(JSON.parse(b)))); } catch {}
  try { const p = new URLSearchParams(b); return [...p.entries()].map(([k, v]) => `${k}=${nowish(v) ? '<now>' : v}`).sort().join('&'); } catch { return b; }
}
function sortKeys(x) {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sortKeys(x[k])]));
  return x;
}

// ---------- the mock API ----------
const hash = (s) => createHash('sha1').update(s).digest();
function strftime(fmt, d) {
  const p = (n, w = 2) => String(n).padStart(w, '0');
  const mon = ['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'];
  return fmt.replace(/%(ms|[a-zA-Z%])/g, (_, c) => ({
    Y: d.getUTCFullYear(), m: p(d.getUTCMonth() + 1), d: p(d.getUTCDate()), H: p(d.getUTCHours()), M: p(d.getUTCMinutes()),
    S: p(d.getUTCSeconds()), f: p(d.getUTCMilliseconds() * 1000, 6), s: Math.floor(d.getTime() / 1000), ms: d.getTime(),
    z: '+0000', Z: 'UTC', y: p(d.getUTCFullYear() % 100), b: mon[d.getUTCMonth()], B: mon[d.getUTCMonth()], j: p(1, 3), '%': '%',
    a: 'Mon', A: 'Monday', p: 'AM', I: p(d.getUTCHours() % 12 || 12), e: d.getUTCDate(),
  }[c] ?? `%${c}`));
}
function valueFor(schema, name, seed, i, depth, info) {
  if (info.cursorField === name && depth === 0) {
    const d = new Date(Date.UTC(2024, 1 + (seed[0] % 6), 1 + (seed[1] % 27) , seed[2] % 24, i * 7 % 60, 0));
    const fmt = info.cursorFormat;
    if (!fmt) return d.toISOString();
    const s = strftime(fmt, d);
    return fmt === '%s' || fmt === '%ms' ? (schema && [].concat(schema.type).includes('string') ? s : Number(s)) : s;
  }
  if (!schema || typeof schema !== 'object') return `v${seed[3]}`;
  const types = [].concat(schema.type ?? (schema.properties ? 'object' : 'string')).filter((t) => t !== 'null');
  const t = types[0] ?? 'string';
  const n = (seed[(i + depth) % 20] + i) % 97;
  if (t === 'integer') return n + i;
  if (t === 'number') return n + i + 0.5;
  if (t === 'boolean') return n % 2 === 0;
  if (t === 'array') return depth > 2 ? [] : [valueFor(schema.items, name, seed, i, depth + 1, info)];
  if (t === 'object') {
    if (depth > 2) return {};
    const o = {};
    for (const [k, s] of Object.entries(schema.properties ?? {}).slice(0, 30)) o[k] = valueFor(s, k, hash(seed.toString('hex') + k), i, depth + 1, info);
    return o;
  }
  if (schema.format === 'date-time') return new Date(Date.UTC(2024, 2, 1 + (n % 27), 10)).toISOString();
  if (schema.format === 'date') return new Date(Date.UTC(2024, 2, 1 + (n % 27))).toISOString().slice(0, 10);
  return `${name}-${n}-${i}`;
}
function setPath(obj, path, value) {
  let o = obj;
  path.forEach((k, idx) => {
    if (idx === path.length - 1) o[k] = value;
    else o = o[k] ??= {};
  });
  return obj;
}

// Component info for each (possibly parent) stream: where its records go and what they look like.
function collectStreams(manifest, catalogSchemas) {
  const out = [];
  const seen = new Set();
  const visit = (stream) => {
    if (!stream || typeof stream !== 'object' || seen.has(stream)) return;
    seen.add(stream);
    const retr = stream.retriever ?? {};
    const req = retr.requester ?? {};
    const name = stream.name;
    const url = String(req.url ?? `${req.url_base ?? ''}/${req.path ?? ''}`);
    const marker = '/__h/';
    const tail = url.includes(marker) ? url.slice(url.indexOf(marker)) : url;
    const rx = tail.split(/\{\{.*?\}\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^?]*?').replace(/\/+/g, '/+');
    const literal = tail.replace(/\{\{.*?\}\}/g, '').length;
    const ext = retr.record_selector?.extractor ?? {};
    const fieldPath = (ext.field_path ?? []).map(String);
    const inc = stream.incremental_sync ?? {};
    const cursorField = typeof inc.cursor_field === 'string' ? inc.cursor_field : undefined;
    const cursorFormat = inc.type === 'DatetimeBasedCursor' ? (inc.cursor_datetime_formats?.[0] ?? inc.datetime_format) : undefined;
    const schema = stream.schema_loader?.schema ?? catalogSchemas[name];
    const pag = retr.paginator ?? {};
    const strategy = pag.pagination_strategy ?? {};
    const templates = [strategy.cursor_value, strategy.stop_condition].filter((t) => typeof t === 'string').join(' ');
    const nextPaths = [];
    for (const m of templates.matchAll(/response((?:\.(?!get\b)[A-Za-z_]\w*|\[['"][^'"]+['"]\]|\.get\(['"][^'"]+['"][^)]*\))+)/g)) {
      nextPaths.push([...m[1].matchAll(/\.get\(['"]([^'"]+)['"]|\[['"]([^'"]+)['"]\]|\.([A-Za-z_]\w*)/g)].map((k) => k[1] ?? k[2] ?? k[3]));
    }
    const pageParam = pag.page_token_option?.field_name ?? pag.page_token_option?.field_path?.join('.');
    out.push({ name, rx: new RegExp('^' + rx.replace(/\/+$/, '') + '/*$'), literal, fieldPath, cursorField, cursorFormat, schema, pageParam, pageSizeParam: pag.page_size_option?.field_name, nextPaths, stream });
    for (const r of [].concat(retr.partition_router ?? [])) for (const pc of r?.parent_stream_configs ?? []) visit(pc.stream);
  };
  for (const s of manifest.streams ?? []) visit(s);
  return out;
}

function startMock(holder) {
  const log = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url, 'http://127.0.0.1');
      log.push(`${req.method} ${normUrl(req.url)} ${normBody(body)}`);
      const path = url.pathname;
      if (/token|oauth|login|auth|session/i.test(path) && req.method === 'POST') {
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify({ access_token: 'tok', expires_in: 3600, token: 'tok', token_type: 'bearer' }));
      }
      const match = holder.streams.filter((s) => s.rx.test(path)).sort((a, b) => b.literal - a.literal)[0];
      res.setHeader('content-type', 'application/json');
      if (!match) return res.end('{}');
      const seed = hash(normUrl(req.url) + normBody(body));
      const isLaterPage = match.pageParam && url.searchParams.has(match.pageParam) &&
        !['0', '1', ''].includes(url.searchParams.get(match.pageParam));
      const n = isLaterPage ? 0 : 3;
      const schema = match.schema && Object.keys(match.schema.properties ?? {}).length ? match.schema : { type: 'object', properties: { id: { type: 'string' } } };
      // The CDK stops reading at a record that is an empty object (its queue loop ends on a falsy item): never send one.
      const records = Array.from({ length: n }, (_, i) => valueFor(schema, '', hash(seed.toString('hex') + i), i, 0, match)).map((r) => (r && typeof r === 'object' && !Array.isArray(r) && Object.keys(r).length === 0 ? { id: 'x' } : r));
      const payload = match.fieldPath.length && !match.fieldPath.some((k) => k.includes('{{') || k === '*') ? setPath({}, match.fieldPath, records) : records;
      if (!isLaterPage && !Array.isArray(payload)) for (const p of match.nextPaths) if (p.length && !(p.length === 1 && match.fieldPath[0] === p[0])) setPath(payload, p, 'p2');
      res.end(JSON.stringify(payload));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: server.address().port, log })));
}

// ---------- runs ----------
function run(cmd, argv, timeoutMs = 120e3) {
  return new Promise((resolve) => {
    execFile(cmd, argv, { maxBuffer: 256 << 20, timeout: timeoutMs, env: { ...process.env, NO_PROXY: '*' } }, (error, stdout, stderr) => {
      const msgs = [];
      for (const line of stdout.split('\n')) { if (!line.startsWith('{')) continue; try { msgs.push(JSON.parse(line)); } catch {} }
      resolve({ msgs, timedOut: error?.killed === true, stderr: stderr.slice(-2000) });
    });
  });
}
function summarize(msgs) {
  const records = msgs.filter((m) => m.type === 'RECORD').map((m) => `${m.record.stream} ${JSON.stringify(sortKeys(normNow(m.record.data)))}`).sort();
  const states = msgs.filter((m) => m.type === 'STATE').map((m) => m.state);
  const last = states.at(-1);
  const finalState = last ? JSON.stringify(sortKeys(normNow(last.stream?.stream_state ?? last.global ?? last.data ?? null))) : 'none';
  const errors = msgs.filter((m) => m.type === 'TRACE' && m.trace.type === 'ERROR').map((m) => `${m.trace.error.failure_type}: ${m.trace.error.message}`);
  return { records, finalState, nStates: states.length, errors, lastState: states.length ? { type: states.at(-1).type, stream: states.at(-1).stream, global: states.at(-1).global } : undefined };
}
function multisetDiff(a, b) {
  const count = new Map();
  for (const x of a) count.set(x, (count.get(x) ?? 0) + 1);
  for (const x of b) count.set(x, (count.get(x) ?? 0) - 1);
  return { onlyOurs: [...count].filter(([, c]) => c > 0).map(([x, c]) => `${c}× ${x}`), onlyCdk: [...count].filter(([, c]) => c < 0).map(([x, c]) => `${-c}× ${x}`) };
}

const sink = () => { const lines = []; let buf = ''; return { lines, write(c) { buf += c; const p = buf.split('\n'); buf = p.pop(); for (const l of p) if (l) lines.push(JSON.parse(l)); return true; }, once() {} }; };

const names = readdirSync(dir).filter((n) => n.startsWith('source-') && !custom.has(n) && existsSync(join(dir, n, 'manifest.yaml')))
  .filter((n) => !opt('--only') || opt('--only').split(',').includes(n))
  .slice(Number(opt('--from', 0)), Number(opt('--from', 0)) + Number(opt('--limit', 1000)));
const maxStreams = Number(opt('--streams', 1));
const tally = { same: 0, differ: 0, skipped: 0 };
for (const name of names) {
  const original = readFileSync(join(dir, name, 'manifest.yaml'), 'utf8');
  const specOut = sink();
  await runEntrypoint(['spec', '--manifest-path', join(dir, name, 'manifest.yaml')], { stdout: specOut });
  const spec = specOut.lines.find((m) => m.type === 'SPEC');
  if (!spec) { tally.skipped++; continue; }
  const holder = { streams: [] };
  const mock = await startMock(holder);
  const base = `http://127.0.0.1:${mock.port}/__h/`;
  const rewrite = (text) => text.replace(/https?:\/\//g, base);
  const manifestText = rewrite(original);
  const mpath = join(work, `${name}.yaml`);
  writeFileSync(mpath, manifestText);
  const config = JSON.parse(rewrite(JSON.stringify(sample({ type: 'object', ...spec.spec.connectionSpecification }))));
  const cpath = join(work, `${name}.config.json`);
  writeFileSync(cpath, JSON.stringify(config));
  const disc = sink();
  await runEntrypoint(['discover', '--manifest-path', mpath, '--config', cpath], { stdout: disc });
  const catalog = disc.lines.find((m) => m.type === 'CATALOG')?.catalog;
  if (!catalog) { tally.skipped++; mock.server.close(); continue; }
  let resolved;
  try { resolved = loadManifest(manifestText).manifest; } catch { tally.skipped++; mock.server.close(); continue; }
  const schemas = Object.fromEntries(catalog.streams.map((s) => [s.name, s.json_schema]));
  holder.streams = collectStreams(resolved, schemas);
  const real = mock;
  const candidates = args.includes('--inc-only') ? catalog.streams.filter((s) => s.supported_sync_modes.includes('incremental')) : catalog.streams;
  for (const stream of candidates.slice(0, maxStreams)) {
    const incremental = stream.supported_sync_modes.includes('incremental');
    const configured = { streams: [{ stream, sync_mode: incremental ? 'incremental' : 'full_refresh', destination_sync_mode: 'append', cursor_field: stream.default_cursor_field ?? [] }] };
    const kpath = join(work, `${name}.catalog.json`);
    writeFileSync(kpath, JSON.stringify(configured));
    real.log.length = 0;
    const ours = await run('node', [CLI, 'read', '--manifest-path', mpath, '--config', cpath, '--catalog', kpath]);
    const oursReq = [...real.log];
    real.log.length = 0;
    const cdk = await run(CDK, ['read', '--manifest-path', mpath, '--config', cpath, '--catalog', kpath]);
    const cdkReq = [...real.log];
    writeFileSync(join(work, `${name}.ours.jsonl`), ours.msgs.map((m) => JSON.stringify(m)).join('\n') + '\n' + oursReq.join('\n') + '\n' + ours.stderr);
    writeFileSync(join(work, `${name}.cdk.jsonl`), cdk.msgs.map((m) => JSON.stringify(m)).join('\n') + '\n' + cdkReq.join('\n') + '\n' + cdk.stderr);
    const a = summarize(ours.msgs), b = summarize(cdk.msgs);
    const rd = multisetDiff(oursReq, cdkReq), recd = multisetDiff(a.records, b.records);
    const problems = [];
    if (rd.onlyOurs.length || rd.onlyCdk.length) problems.push(`requests: ours-only ${JSON.stringify(rd.onlyOurs.slice(0, 3))} cdk-only ${JSON.stringify(rd.onlyCdk.slice(0, 3))} (${oursReq.length} vs ${cdkReq.length})`);
    if (recd.onlyOurs.length || recd.onlyCdk.length) problems.push(`records: ${a.records.length} vs ${b.records.length}; ours-only ${JSON.stringify(recd.onlyOurs.slice(0, 2)).slice(0, 600)} cdk-only ${JSON.stringify(recd.onlyCdk.slice(0, 2)).slice(0, 600)}`);
    if (a.finalState !== b.finalState) problems.push(`state: ours ${a.finalState.slice(0, 400)} | cdk ${b.finalState.slice(0, 400)}`);
    if ((a.errors.length > 0) !== (b.errors.length > 0)) problems.push(`errors: ours ${JSON.stringify(a.errors).slice(0, 300)} | cdk ${JSON.stringify(b.errors).slice(0, 300)}${cdk.msgs.length === 0 ? ' cdk-stderr ' + cdk.stderr.slice(-300) : ''}`);
    if (cdk.timedOut || ours.timedOut) problems.push(`timeout: ours ${ours.timedOut} cdk ${cdk.timedOut}`);
    if (a.nStates !== b.nStates) problems.push(`state count: ours ${a.nStates} cdk ${b.nStates}`);
    if (args.includes('--resume') && incremental && b.lastState) {
      const spath = join(work, `${name}.state.json`);
      writeFileSync(spath, JSON.stringify([b.lastState]));
      real.log.length = 0;
      const ours2 = await run('node', [CLI, 'read', '--manifest-path', mpath, '--config', cpath, '--catalog', kpath, '--state', spath]);
      const oursReq2 = [...real.log];
      real.log.length = 0;
      const cdk2 = await run(CDK, ['read', '--manifest-path', mpath, '--config', cpath, '--catalog', kpath, '--state', spath]);
      const cdkReq2 = [...real.log];
      const a2 = summarize(ours2.msgs), b2 = summarize(cdk2.msgs);
      const rd2 = multisetDiff(oursReq2, cdkReq2), recd2 = multisetDiff(a2.records, b2.records);
      if (rd2.onlyOurs.length || rd2.onlyCdk.length) problems.push(`resume requests: ours-only ${JSON.stringify(rd2.onlyOurs.slice(0, 3))} cdk-only ${JSON.stringify(rd2.onlyCdk.slice(0, 3))} (${oursReq2.length} vs ${cdkReq2.length})`);
      if (recd2.onlyOurs.length || recd2.onlyCdk.length) problems.push(`resume records: ${a2.records.length} vs ${b2.records.length}`);
      if (a2.finalState !== b2.finalState) problems.push(`resume state: ours ${a2.finalState.slice(0, 400)} | cdk ${b2.finalState.slice(0, 400)}`);
      if ((a2.errors.length > 0) !== (b2.errors.length > 0)) problems.push(`resume errors: ours ${JSON.stringify(a2.errors).slice(0, 300)} | cdk ${JSON.stringify(b2.errors).slice(0, 300)}`);
    }
    const tag = `${name}/${stream.name} [${incremental ? 'inc' : 'full'}] req ${oursReq.length}/${cdkReq.length} rec ${a.records.length}/${b.records.length} err ${a.errors.length}/${b.errors.length}`;
    if (problems.length) { tally.differ++; console.log(`DIFF ${tag}\n  ${problems.join('\n  ')}`); }
    else { tally.same++; if (verbose) console.log(`same ${tag}`); }
  }
  real.server.close();
}
console.log(JSON.stringify(tally));
