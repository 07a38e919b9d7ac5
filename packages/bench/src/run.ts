/**
 * `npm run bench`: throughput, memory, start-up and concurrency of the real CLI against a local
 * mock API, side by side with a minimal Node baseline and with the targets.
 *
 *   node packages/bench/dist/run.js [--runs N] [--only flat,transforms,wide,million,concurrency,startup,inproc,templates]
 *                                   [--out FILE] [--no-write]
 *
 * Every figure is the median over --runs runs (default 5; BENCH_RUNS works too).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { configuredCatalog } from '@manifold/testkit';
import { EXTRA_CA, defaultMeasure, formatTable, markdownTable, median, runNode, type RunOptions, type RunResult } from './harness.js';
import { startBenchServer, type DatasetOptions } from './mock-server.js';
import { benchTemplates, COMPLEX_TEMPLATE, SIMPLE_TEMPLATE, type TemplateFigure } from './templates.js';

const here = dirname(fileURLToPath(import.meta.url));
export const BENCH_DIR = join(here, '..');
const REPO = join(BENCH_DIR, '..', '..');
const CLI = join(REPO, 'packages', 'cli', 'bin', 'source-declarative-manifest.js');
const BASELINE = join(here, 'baseline.js');
const MANIFESTS = join(BENCH_DIR, 'manifests');

export interface VariantFigures {
  scenario: string;
  variant: string;
  runs: number;
  records: number;
  bytes: number;
  wallMs: number;
  recPerSec: number;
  mbPerSec: number;
  firstRecordMs: number | null;
  maxRssMb: number | null;
  cpuMs: number | null;
  /** Records per CPU-second of the process (less sensitive than rec/s to other load on the machine). */
  recPerCpuSec: number | null;
  /** CPU µs per record the API served (transformations and filters drop some). */
  cpuUsPerInputRecord: number | null;
  recordSets?: string[];
  /** Server side: the most requests in flight at once and ms from the first request to the last response (medians). */
  maxInFlight: number;
  requestSpanMs: number;
  samples: { wallMs: number[]; firstRecordMs: number[]; maxRssMb: number[]; cpuMs: number[] };
}

interface Variant {
  name: string;
  script: string;
  args: (ctx: { url: string; dir: string }) => string[];
  expectRecords: number;
  inputRecords: number;
  options?: RunOptions;
  warmup?: boolean;
}

interface Scenario {
  name: string;
  description: string;
  dataset: DatasetOptions;
  variants: Variant[];
  config?: Record<string, unknown>;
}

const MB = 1024 * 1024;

function fixtures(dir: string, url: string, extra: Record<string, unknown> = {}): void {
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ api_key: 'bench-key', base_url: url, ...extra }));
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify(configuredCatalog(['items'])));
}

/**
 * How the CLI is started. `image`: as the base image does, the bundle from its startup snapshot
 * (`node --snapshot-blob <blob> read …`); `dist`: the npm bin from packages/cli/dist.
 */
interface CliForm {
  kind: 'image' | 'dist';
  blob: string;
}

function cli(form: CliForm): { script: string; options: RunOptions } {
  if (form.kind === 'dist') return { script: CLI, options: {} };
  // The probe is an --import hook, which a snapshot start does not run: GNU time or nothing.
  return { script: 'read', options: { nodeFlags: ['--snapshot-blob', form.blob], measure: defaultMeasure() === 'time' ? 'time' : 'none' } };
}

function readArgs(manifest: string, configFile = 'config.json', form?: CliForm) {
  return ({ dir }: { dir: string }) => [
    ...(form?.kind === 'image' ? [] : ['read']),
    '--manifest-path',
    join(MANIFESTS, manifest),
    '--config',
    join(dir, configFile),
    '--catalog',
    join(dir, 'catalog.json'),
  ];
}

function ours(form: CliForm, manifest: string, records: number, inputRecords = records, warmup = false): Variant {
  const { script, options } = cli(form);
  const name = form.kind === 'image' ? `manifold (${manifest})` : `manifold (${manifest}, CLI from dist)`;
  return { name, script, options, args: readArgs(manifest, 'config.json', form), expectRecords: records, inputRecords, warmup };
}

function baseline(records: number, warmup = false): Variant {
  return { name: 'baseline', script: BASELINE, args: ({ url }) => [url, 'items'], expectRecords: records, inputRecords: records, warmup };
}

function scenarios(blob: string): Scenario[] {
  const image: CliForm = { kind: 'image', blob };
  const dist: CliForm = { kind: 'dist', blob };
  const flat = 200_000;
  const wide = 50_000;
  const million = 1_000_000;
  const perPartition = 1_000;
  return [
    {
      name: 'flat',
      description: `${flat.toLocaleString('en')} small flat records, 1,000 a page, no latency`,
      dataset: { records: flat, pageSize: 1000, kind: 'flat' },
      variants: [ours(image, 'items.yaml', flat, flat, true), baseline(flat, true), ours(dist, 'items.yaml', flat, flat, true)],
    },
    {
      name: 'transforms',
      description: `the same ${flat.toLocaleString('en')} records with AddFields ×2, RemoveFields and a RecordFilter (drops 10%)`,
      dataset: { records: flat, pageSize: 1000, kind: 'flat' },
      variants: [ours(image, 'items-transforms.yaml', flat * 0.9, flat, true)],
    },
    {
      name: 'wide',
      description: `${wide.toLocaleString('en')} wide nested records (~1.6 KB each), 200 a page, no latency`,
      dataset: { records: wide, pageSize: 200, kind: 'wide' },
      variants: [ours(image, 'items.yaml', wide, wide, true), baseline(wide, true)],
    },
    {
      name: 'million',
      description: `${million.toLocaleString('en')} small flat records, 1,000 a page, no latency`,
      dataset: { records: million, pageSize: 1000, kind: 'flat' },
      variants: [ours(image, 'items.yaml', million), baseline(million)],
    },
    {
      name: 'concurrency',
      description: `10 partitions × ${perPartition.toLocaleString('en')} records, 100 a page (100 requests), 50 ms latency per request`,
      dataset: { records: perPartition, pageSize: 100, kind: 'flat', latencyMs: 50 },
      variants: [1, 10].map((level) => ({
        name: `concurrency_level ${level}`,
        script: cli(image).script,
        args: readArgs('partitions.yaml', `config-c${level}.json`, image),
        expectRecords: perPartition * 10,
        inputRecords: perPartition * 10,
        options: { ...cli(image).options, collect: true },
      })),
    },
  ];
}

type Measured = RunResult & { maxInFlight: number; spanMs: number };

function summarise(scenario: string, variant: Variant, results: Measured[]): VariantFigures {
  const wall = results.map((r) => r.wallMs);
  const first = results.flatMap((r) => (r.firstRecordMs === undefined ? [] : [r.firstRecordMs]));
  const rss = results.flatMap((r) => (r.maxRssMb === undefined ? [] : [r.maxRssMb]));
  const cpu = results.flatMap((r) => (r.cpuMs === undefined ? [] : [r.cpuMs]));
  const records = results[0]?.records ?? 0;
  const bytes = median(results.map((r) => r.bytes));
  const wallMs = median(wall);
  const cpuMs = cpu.length ? median(cpu) : null;
  return {
    scenario,
    variant: variant.name,
    runs: results.length,
    records,
    bytes,
    wallMs,
    recPerSec: median(results.map((r) => r.records / (r.wallMs / 1000))),
    mbPerSec: median(results.map((r) => r.bytes / MB / (r.wallMs / 1000))),
    firstRecordMs: first.length ? median(first) : null,
    maxRssMb: rss.length ? median(rss) : null,
    cpuMs,
    recPerCpuSec: cpuMs === null ? null : records / (cpuMs / 1000),
    cpuUsPerInputRecord: cpuMs === null ? null : (cpuMs * 1000) / variant.inputRecords,
    maxInFlight: median(results.map((r) => r.maxInFlight)),
    requestSpanMs: median(results.map((r) => r.spanMs)),
    recordSets: results.some((r) => r.recordSet) ? [...new Set(results.map((r) => r.recordSet?.sha256 ?? '-'))] : undefined,
    samples: { wallMs: wall, firstRecordMs: first, maxRssMb: rss, cpuMs: cpu },
  };
}

function check(result: RunResult, variant: Variant, what: string): void {
  if (result.exitCode !== 0 || result.records !== variant.expectRecords) {
    throw new Error(
      `${what}: exit ${result.exitCode}, ${result.records} records (expected ${variant.expectRecords})\n` +
        `stderr: ${result.stderr.slice(-2000)}\nstdout tail: ${result.stdoutTail}`,
    );
  }
}

async function runScenario(scenario: Scenario, runs: number, log: (s: string) => void): Promise<VariantFigures[]> {
  const server = await startBenchServer(scenario.dataset);
  server.prime(scenario.name === 'concurrency' ? 10 : 1);
  const dir = mkdtempSync(join(tmpdir(), `manifold-bench-${scenario.name}-`));
  try {
    fixtures(dir, server.url);
    for (const level of [1, 10]) {
      writeFileSync(join(dir, `config-c${level}.json`), JSON.stringify({ api_key: 'bench-key', base_url: server.url, concurrency: level }));
    }
    const results = new Map<Variant, Measured[]>(scenario.variants.map((v) => [v, []]));
    for (const variant of scenario.variants) {
      if (!variant.warmup) continue;
      check(await runNode(variant.script, variant.args({ url: server.url, dir }), { ...variant.options, measure: 'none' }), variant, `${scenario.name}/${variant.name} warm-up`);
    }
    // Interleaved, so drift (thermal, other load) hits every variant alike.
    for (let run = 0; run < runs; run += 1) {
      for (const variant of scenario.variants) {
        server.resetCount();
        const result = await runNode(variant.script, variant.args({ url: server.url, dir }), variant.options);
        check(result, variant, `${scenario.name}/${variant.name} run ${run + 1}`);
        (results.get(variant) as Measured[]).push({ ...result, ...server.activity() });
        log(`  ${scenario.name.padEnd(11)} ${variant.name.padEnd(34)} run ${run + 1}/${runs}: ${result.wallMs.toFixed(0)} ms, ${result.records} records`);
      }
    }
    return scenario.variants.map((v) => summarise(scenario.name, v, results.get(v) as Measured[]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
}

export interface StartupFigures {
  command: string;
  runs: number;
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  samples: number[];
}

/**
 * The base image's entrypoint: the bundled CLI started from its V8 startup snapshot. Bundled and
 * snapshotted here with this machine's node (docker/bundle.mjs), as the image build does with its own.
 */
let blobPath: Promise<string> | undefined;
function snapshotBlob(log: (s: string) => void): Promise<string> {
  blobPath ??= makeSnapshotBlob(log);
  return blobPath;
}

async function makeSnapshotBlob(log: (s: string) => void): Promise<string> {
  const { bundle } = (await import(pathToFileURL(join(REPO, 'docker', 'bundle.mjs')).href)) as { bundle(): Promise<{ snapshotBlob: string }> };
  log('startup: bundling the CLI and building its startup snapshot (docker/bundle.mjs)');
  return (await bundle()).snapshotBlob;
}



/** A startup snapshot whose main function does nothing: the floor for any `--snapshot-blob` start. */
function emptySnapshotBlob(dir: string): string {
  const script = join(dir, 'empty-snapshot.cjs');
  const blob = join(dir, 'empty-snapshot.blob');
  writeFileSync(script, "require('node:v8').startupSnapshot.setDeserializeMainFunction(() => {});\n");
  execFileSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', script], { cwd: dir, stdio: 'ignore' });
  return blob;
}

interface StartupCommand {
  name: string;
  nodeFlags: string[];
  script: string;
  args: string[];
  exitCode: number;
  ok: (r: RunResult) => boolean;
  env?: Record<string, string | undefined>;
}

async function runStartup(blob: string, runs: number, log: (s: string) => void): Promise<StartupFigures[]> {
  const server = await startBenchServer({ records: 10, pageSize: 10, kind: 'flat' });
  const dir = mkdtempSync(join(tmpdir(), 'manifold-bench-startup-'));
  const empty = join(dir, 'empty.js');
  writeFileSync(empty, '');
  try {
    fixtures(dir, server.url);
    const manifest = join(MANIFESTS, 'items.yaml');
    const snapshot = ['--snapshot-blob', blob];
    const specOk = (r: RunResult) => r.stdoutTail.includes('"type":"SPEC"');
    const checkOk = (r: RunResult) => r.stdoutTail.includes('"status":"SUCCEEDED"');
    const usageOk = (r: RunResult) => r.stdoutTail.includes('"internal_message":"CLI_USAGE"');
    const config = join(dir, 'config.json');
    // This machine's NODE_EXTRA_CA_CERTS, put back for two rows that show what it costs.
    const withExtraCa = { [EXTRA_CA]: process.env[EXTRA_CA] };
    // The snapshot rows start node as the base image does.
    const commands: StartupCommand[] = [
      { name: 'node (empty script, the floor)', nodeFlags: [], script: empty, args: [], exitCode: 0, ok: () => true },
      { name: 'node, empty startup snapshot (the floor of a snapshot start)', nodeFlags: ['--snapshot-blob', emptySnapshotBlob(dir)], script: 'x', args: [], exitCode: 0, ok: () => true },
      { name: 'spec', nodeFlags: snapshot, script: 'spec', args: ['--manifest-path', manifest], exitCode: 0, ok: specOk },
      { name: 'check', nodeFlags: snapshot, script: 'check', args: ['--manifest-path', manifest, '--config', config], exitCode: 0, ok: checkOk },
      { name: 'unknown command (snapshot start, usage error)', nodeFlags: snapshot, script: 'bogus', args: [], exitCode: 1, ok: usageOk },
      { name: 'spec (CLI from dist, no snapshot)', nodeFlags: [], script: CLI, args: ['spec', '--manifest-path', manifest], exitCode: 0, ok: specOk },
      { name: 'check (CLI from dist, no snapshot)', nodeFlags: [], script: CLI, args: ['check', '--manifest-path', manifest, '--config', config], exitCode: 0, ok: checkOk },
    ];
    if (process.env[EXTRA_CA]) {
      commands.push(
        { name: `node (empty script), with this machine's ${EXTRA_CA}`, nodeFlags: [], script: empty, args: [], exitCode: 0, ok: () => true, env: withExtraCa },
        { name: `spec, with this machine's ${EXTRA_CA}`, nodeFlags: snapshot, script: 'spec', args: ['--manifest-path', manifest], exitCode: 0, ok: specOk, env: withExtraCa },
      );
    }
    const samples = new Map<string, number[]>(commands.map(({ name }) => [name, []]));
    const cpu = new Map<string, number[]>(commands.map(({ name }) => [name, []]));
    const rss = new Map<string, number[]>(commands.map(({ name }) => [name, []]));
    // The probe is an --import hook, which a snapshot start does not run: measure with GNU time or not at all.
    const measure = defaultMeasure() === 'time' ? 'time' : 'none';
    for (const { nodeFlags, script, args, env } of commands) await runNode(script, args, { measure: 'none', nodeFlags, env });
    for (let run = 0; run < runs; run += 1) {
      for (const { name, nodeFlags, script, args, exitCode, ok, env } of commands) {
        const result = await runNode(script, args, { nodeFlags, measure, env });
        if (result.exitCode !== exitCode || !ok(result)) throw new Error(`${name}: exit ${result.exitCode}\n${result.stderr}\n${result.stdoutTail}`);
        samples.get(name)?.push(result.wallMs);
        cpu.get(name)?.push(result.cpuMs ?? NaN);
        rss.get(name)?.push(result.maxRssMb ?? NaN);
      }
      log(`  startup     run ${run + 1}/${runs}`);
    }
    return commands.map(({ name }) => ({
      command: name,
      runs,
      wallMs: median(samples.get(name) ?? []),
      cpuMs: median(cpu.get(name) ?? []),
      maxRssMb: median(rss.get(name) ?? []),
      samples: samples.get(name) ?? [],
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
}

export interface InprocFigures {
  manifest: string;
  records: number;
  /** CPU µs per record of runEntrypoint read in-process: no network, no process start-up. */
  oursUsPerRecord: number;
  /** The same for the baseline's loop over the same pages. */
  baselineUsPerRecord: number;
}

/** The read loop's CPU per record, in a child process running dist/inproc.js (median over runs). */
async function runInproc(runs: number, log: (s: string) => void): Promise<InprocFigures[]> {
  const out: InprocFigures[] = [];
  for (const manifest of ['items.yaml', 'items-transforms.yaml']) {
    const result = await runNode(join(here, 'inproc.js'), ['100000', manifest, String(runs)], { measure: 'none' });
    const line = result.stdoutTail.trim().split('\n').pop() ?? '';
    if (result.exitCode !== 0 || !line.startsWith('{')) throw new Error(`inproc ${manifest}: exit ${result.exitCode}\n${result.stderr}\n${result.stdoutTail}`);
    const parsed = JSON.parse(line) as { oursUsPerRecord: number; baselineUsPerRecord: number; records: number };
    out.push({ manifest, records: parsed.records, oursUsPerRecord: parsed.oursUsPerRecord, baselineUsPerRecord: parsed.baselineUsPerRecord });
    log(`  inproc      ${manifest}: ${parsed.oursUsPerRecord.toFixed(2)} µs/record (baseline loop ${parsed.baselineUsPerRecord.toFixed(2)})`);
  }
  return out;
}

export interface Target {
  target: string;
  figure: string;
  limit: string;
  holds: boolean | null;
}

const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n) ? '–' : n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function targets(figures: VariantFigures[], startup: StartupFigures[], inproc: InprocFigures[] = []): Target[] {
  const find = (scenario: string, variant: string) => figures.find((f) => f.scenario === scenario && f.variant.startsWith(variant));
  const out: Target[] = [];
  const flatOurs = find('flat', 'manifold');
  const flatBase = find('flat', 'baseline');
  if (flatOurs && flatBase) {
    const ratio = flatOurs.recPerSec / flatBase.recPerSec;
    out.push({ target: 'flat records: rec/s vs baseline (headline)', figure: `${fmt(ratio, 2)}×`, limit: '≥ 0.80×', holds: ratio >= 0.8 });
    const dist = find('flat', 'manifold (items.yaml, CLI from dist)');
    if (dist) {
      const distRatio = dist.recPerSec / flatBase.recPerSec;
      out.push({ target: 'flat records: rec/s vs baseline, CLI from dist (no snapshot)', figure: `${fmt(distRatio, 2)}×`, limit: '(for comparison)', holds: null });
    }
    if (flatOurs.recPerCpuSec !== null && flatBase.recPerCpuSec !== null) {
      const cpuRatio = flatOurs.recPerCpuSec / flatBase.recPerCpuSec;
      out.push({ target: 'flat records: rec per CPU-second vs baseline', figure: `${fmt(cpuRatio, 2)}×`, limit: '≥ 0.80×', holds: cpuRatio >= 0.8 });
    }
  }
  const wideOurs = find('wide', 'manifold');
  const wideBase = find('wide', 'baseline');
  if (wideOurs && wideBase) {
    const ratio = wideOurs.recPerSec / wideBase.recPerSec;
    const cpuRatio = (wideOurs.recPerCpuSec ?? NaN) / (wideBase.recPerCpuSec ?? NaN);
    out.push({ target: 'wide records: rec/s (rec per CPU-s) vs baseline', figure: `${fmt(ratio, 2)}× (${fmt(cpuRatio, 2)}×)`, limit: '(no target)', holds: null });
  }
  const million = find('million', 'manifold');
  if (million) {
    out.push({ target: '1,000,000 records: peak RSS', figure: `${fmt(million.maxRssMb, 1)} MB`, limit: '< 150 MB', holds: (million.maxRssMb ?? Infinity) < 150 });
    const millionBase = find('million', 'baseline');
    if (millionBase) {
      out.push({
        target: '1,000,000 records: rec/s (rec per CPU-s) vs baseline',
        figure: `${fmt(million.recPerSec / millionBase.recPerSec, 2)}× (${fmt((million.recPerCpuSec ?? NaN) / (millionBase.recPerCpuSec ?? NaN), 2)}×)`,
        limit: '(no target)',
        holds: null,
      });
    }
  }
  const plainLoop = inproc.find((i) => i.manifest === 'items.yaml');
  const transformedLoop = inproc.find((i) => i.manifest === 'items-transforms.yaml');
  if (plainLoop) {
    out.push({
      target: 'read loop in-process: CPU per record vs baseline loop',
      figure: `${fmt(plainLoop.oursUsPerRecord, 2)} vs ${fmt(plainLoop.baselineUsPerRecord, 2)} µs (${fmt(plainLoop.baselineUsPerRecord / plainLoop.oursUsPerRecord, 2)}×)`,
      limit: '(stated)',
      holds: null,
    });
  }
  if (plainLoop && transformedLoop) {
    out.push({
      target: 'read loop in-process: transformations + filter vs plain',
      figure: `${fmt(transformedLoop.oursUsPerRecord, 2)} vs ${fmt(plainLoop.oursUsPerRecord, 2)} µs (+${fmt(transformedLoop.oursUsPerRecord - plainLoop.oursUsPerRecord, 2)} µs)`,
      limit: '(stated)',
      holds: null,
    });
  }
  const transformed = find('transforms', 'manifold');
  if (transformed && flatOurs && transformed.cpuUsPerInputRecord !== null && flatOurs.cpuUsPerInputRecord !== null) {
    const extra = transformed.cpuUsPerInputRecord - flatOurs.cpuUsPerInputRecord;
    out.push({
      target: 'transformations + filter: CPU per record vs plain',
      figure: `${fmt(transformed.cpuUsPerInputRecord, 2)} vs ${fmt(flatOurs.cpuUsPerInputRecord, 2)} µs (+${fmt(extra, 2)} µs, ${fmt((transformed.cpuUsPerInputRecord / flatOurs.cpuUsPerInputRecord - 1) * 100)}%)`,
      limit: '(stated)',
      holds: null,
    });
  }
  const c1 = find('concurrency', 'concurrency_level 1');
  const c10 = find('concurrency', 'concurrency_level 10');
  if (c1 && c10) {
    const speedup = c1.wallMs / c10.wallMs;
    const sets = new Set([...(c1.recordSets ?? []), ...(c10.recordSets ?? [])]);
    out.push({ target: 'concurrency 10 vs 1 (50 ms latency): speed-up, whole process', figure: `${fmt(speedup, 1)}×`, limit: '≥ 6×', holds: speedup >= 6 });
    const reading = c1.requestSpanMs / c10.requestSpanMs;
    out.push({
      target: 'concurrency 10 vs 1: speed-up of the requests (first request → last response)',
      figure: `${fmt(reading, 1)}× (${fmt(c1.requestSpanMs)} vs ${fmt(c10.requestSpanMs)} ms; ${c10.maxInFlight} in flight)`,
      limit: '≥ 6×',
      holds: reading >= 6,
    });
    out.push({ target: 'concurrency 10 vs 1: identical record sets', figure: sets.size === 1 ? `yes (${c1.records} records)` : `NO (${sets.size} digests)`, limit: 'identical', holds: sets.size === 1 });
  }
  const spec = startup.find((s) => s.command === 'spec');
  const floor = startup.find((s) => s.command.startsWith('node (empty script'));
  const specWithCa = startup.find((s) => s.command === `spec, with this machine's ${EXTRA_CA}`);
  if (spec) {
    out.push({
      target: '`spec` as a whole process (as the image starts it: bundle + startup snapshot)',
      figure: `${fmt(spec.wallMs)} ms${floor ? ` (empty node: ${fmt(floor.wallMs)} ms)` : ''}${specWithCa ? `; ${fmt(specWithCa.wallMs)} ms with this machine's ${EXTRA_CA}` : ''}`,
      limit: '< 150 ms',
      holds: spec.wallMs < 150,
    });
  }
  return out;
}

function figuresRows(figures: VariantFigures[]): string[][] {
  return figures.map((f) => [
    f.scenario,
    f.variant,
    fmt(f.records),
    fmt(f.recPerSec),
    fmt(f.mbPerSec, 1),
    fmt(f.recPerCpuSec),
    fmt(f.firstRecordMs),
    fmt(f.maxRssMb, 1),
    fmt(f.cpuMs),
    fmt(f.requestSpanMs),
    fmt(f.wallMs),
  ]);
}

const FIGURE_HEADER = ['scenario', 'variant', 'records', 'rec/s', 'MB/s', 'rec/CPU-s', 'first record ms', 'peak RSS MB', 'CPU ms', 'requests ms', 'wall ms'];

const STARTUP_HEADER = ['start-up (whole process, cold)', 'wall ms', 'CPU ms', 'peak RSS MB'];
const startupRows = (result: BenchResult) => result.startup.map((s) => [s.command, fmt(s.wallMs), fmt(s.cpuMs), fmt(s.maxRssMb, 1)]);

const snapshotLine = (result: BenchResult) =>
  `Startup snapshot: ${fmt(result.snapshot.blobBytes / MB, 1)} MB, of the bundle (${fmt(result.snapshot.bundleBytes / MB, 1)} MB of JavaScript).`;

const INPROC_HEADER = ['read loop in-process (no network, no start-up)', 'records', 'CPU µs / record', 'baseline loop µs / record'];
const inprocRows = (result: BenchResult) =>
  result.inproc.map((i) => [i.manifest, fmt(i.records), fmt(i.oursUsPerRecord, 2), fmt(i.baselineUsPerRecord, 2)]);

export function report(result: BenchResult): string {
  const lines: string[] = [];
  lines.push(formatTable(FIGURE_HEADER, figuresRows(result.figures)));
  lines.push('');
  lines.push(formatTable(STARTUP_HEADER, startupRows(result)));
  lines.push(snapshotLine(result));
  lines.push('');
  lines.push(formatTable(INPROC_HEADER, inprocRows(result)));
  lines.push('');
  lines.push(formatTable(['template', 'api', 'µs / evaluation'], result.templates.map((t) => [t.template, t.api, fmt(t.usPerEval, 2)])));
  lines.push('');
  lines.push(formatTable(['target', 'figure', 'limit', 'holds'], result.targets.map((t) => [t.target, t.figure, t.limit, t.holds === null ? '–' : t.holds ? 'yes' : 'NO'])));
  return lines.join('\n');
}

export function markdownReport(result: BenchResult): string {
  const lines: string[] = [];
  const env = result.environment;
  lines.push(
    `${result.date.slice(0, 10)}, Node ${env.node}, ${env.cpu}, ${env.cores} cores, load average ${env.loadAverage.join(' → ')}; median of ${result.runs} runs.`,
  );
  lines.push('');
  lines.push(markdownTable(FIGURE_HEADER, figuresRows(result.figures)));
  lines.push('');
  lines.push(markdownTable(STARTUP_HEADER, startupRows(result)));
  lines.push('');
  lines.push(snapshotLine(result));
  lines.push('');
  lines.push(markdownTable(INPROC_HEADER, inprocRows(result)));
  lines.push('');
  lines.push(markdownTable(['template', 'api', 'µs / evaluation'], result.templates.map((t) => [t.template, `\`${t.api}\``, fmt(t.usPerEval, 2)])));
  lines.push('');
  lines.push(markdownTable(['target', 'figure', 'limit', 'holds'], result.targets.map((t) => [t.target, t.figure, t.limit, t.holds === null ? '–' : t.holds ? 'yes' : '**no**'])));
  return lines.join('\n');
}

export interface BenchResult {
  date: string;
  /** loadAverage: the 1-minute load average when the run started and when it ended (other work on the machine inflates wall times). */
  environment: { node: string; platform: string; cpu: string; cores: number; memoryGb: number; loadAverage: [number, number] };
  runs: number;
  scenarios: Record<string, string>;
  figures: VariantFigures[];
  startup: StartupFigures[];
  inproc: InprocFigures[];
  templates: Array<TemplateFigure & { source: string }>;
  targets: Target[];
  headline: { recPerSecRatioVsBaseline: number | null };
  /** Sizes of the image's bundle and of the startup snapshot made from it (bytes). */
  snapshot: { blobBytes: number; bundleBytes: number };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' },
      only: { type: 'string' },
      out: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const runs = Math.max(1, Number(values.runs ?? process.env.BENCH_RUNS ?? 5) || 5);
  const only = values.only ? new Set(values.only.split(',')) : undefined;
  const wanted = (name: string) => !only || only.has(name);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const t0 = Date.now();
  const loadAtStart = loadavg()[0] ?? 0;

  const blob = await snapshotBlob(log);
  const all = scenarios(blob);
  const figures: VariantFigures[] = [];
  for (const scenario of all) {
    if (!wanted(scenario.name)) continue;
    log(`${scenario.name}: ${scenario.description}`);
    figures.push(...(await runScenario(scenario, runs, log)));
  }
  let startup: StartupFigures[] = [];
  if (wanted('startup')) {
    log('startup: spec and check, cold, whole process');
    startup = await runStartup(await snapshotBlob(log), runs, log);
  }
  let inproc: InprocFigures[] = [];
  if (wanted('inproc')) {
    log('inproc: the read loop\'s CPU per record, no network, no start-up');
    inproc = await runInproc(runs, log);
  }
  let templates: BenchResult['templates'] = [];
  if (wanted('templates')) {
    log('templates: µs per evaluation');
    templates = (await benchTemplates(runs)).map((t) => ({ ...t, source: t.template === 'simple' ? SIMPLE_TEMPLATE : COMPLEX_TEMPLATE }));
  }
  const flatOurs = figures.find((f) => f.scenario === 'flat' && f.variant === 'manifold (items.yaml)');
  const flatBase = figures.find((f) => f.scenario === 'flat' && f.variant === 'baseline');
  const result: BenchResult = {
    date: new Date().toISOString(),
    environment: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      loadAverage: [Number(loadAtStart.toFixed(2)), Number((loadavg()[0] ?? 0).toFixed(2))],
    },
    runs,
    scenarios: Object.fromEntries(all.filter((s) => wanted(s.name)).map((s) => [s.name, s.description])),
    figures,
    startup,
    templates,
    inproc,
    targets: targets(figures, startup, inproc),
    headline: { recPerSecRatioVsBaseline: flatOurs && flatBase ? flatOurs.recPerSec / flatBase.recPerSec : null },
    snapshot: { blobBytes: statSync(blob).size, bundleBytes: statSync(blob.replace(/\.blob$/, '.cjs')).size },
  };
  const text = report(result);
  process.stdout.write(`\n${text}\n`);
  if (result.headline.recPerSecRatioVsBaseline !== null) {
    process.stdout.write(`\nHeadline: manifold reads flat records at ${fmt(result.headline.recPerSecRatioVsBaseline, 2)}× the baseline's rate.\n`);
  }
  process.stdout.write(
    `(${runs} runs each, medians; ${((Date.now() - t0) / 1000).toFixed(0)} s in all; load average ${result.environment.loadAverage.join(' → ')} on ${result.environment.cores} cores)\n`,
  );
  if (!values['no-write']) {
    const out = values.out ?? join(BENCH_DIR, 'results', 'latest.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(out.replace(/\.json$/, '.md'), `${markdownReport(result)}\n`);
    process.stdout.write(`written: ${out}\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
