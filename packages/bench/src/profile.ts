/**
 * `npm run profile -w @manifold/bench -- [flat|wide|partitions] [manifest|baseline] [records]` (BENCH_CONCURRENCY=N for partitions.yaml`: reads a bench scenario once with
 * `node --cpu-prof` and prints where the CPU time went: the top functions by self time and the
 * totals by file. The .cpuprofile is kept (open it in Chrome DevTools or speedscope).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configuredCatalog } from '@manifold/testkit';
import { formatTable, runNode } from './harness.js';
import { startBenchServer, type DatasetOptions } from './mock-server.js';
import { BENCH_DIR } from './run.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface HotSpot {
  name: string;
  where: string;
  selfMs: number;
  selfPct: number;
}

function shortUrl(url: string): string {
  if (!url) return '(native)';
  const m = /packages\/([^/]+)\/dist\/(.*)$/.exec(url);
  if (m) return `${m[1]}/${m[2]}`;
  const n = /node_modules\/(.*)$/.exec(url);
  if (n) return n[1] as string;
  return url.replace(/^file:\/\//, '');
}

/** Self time per function and per file of a .cpuprofile. */
export function summariseProfile(profile: Profile): { functions: HotSpot[]; files: HotSpot[]; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = profile.endTime - profile.startTime;
  const fn = new Map<string, HotSpot>();
  const files = new Map<string, HotSpot>();
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const name = functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const entry = fn.get(key) ?? { name, where, selfMs: 0, selfPct: 0 };
    entry.selfMs += us / 1000;
    fn.set(key, entry);
    const file = url ? shortUrl(url) : name;
    const fileEntry = files.get(file) ?? { name: file, where: '', selfMs: 0, selfPct: 0 };
    fileEntry.selfMs += us / 1000;
    files.set(file, fileEntry);
  }
  const finish = (m: Map<string, HotSpot>) =>
    [...m.values()].map((h) => ({ ...h, selfPct: (h.selfMs * 100000) / totalUs })).sort((a, b) => b.selfMs - a.selfMs);
  return { functions: finish(fn), files: finish(files), totalMs: totalUs / 1000 };
}

async function main(): Promise<void> {
  const [kind = 'flat', manifest = 'items.yaml', recordsArg] = process.argv.slice(2);
  const dataset: DatasetOptions =
    kind === 'partitions'
      ? { records: Number(recordsArg ?? 1000), pageSize: 100, kind: 'flat', latencyMs: 50 }
      : kind === 'wide' ? { records: Number(recordsArg ?? 50_000), pageSize: 200, kind: 'wide' } : { records: Number(recordsArg ?? 200_000), pageSize: 1000, kind: 'flat' };
  const server = await startBenchServer(dataset);
  server.prime(kind === 'partitions' ? 10 : 1);
  const dir = mkdtempSync(join(tmpdir(), 'manifold-profile-'));
  try {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ api_key: 'bench-key', base_url: server.url, concurrency: Number(process.env.BENCH_CONCURRENCY ?? 1) }));
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(configuredCatalog(['items'])));
    const cli = join(BENCH_DIR, '..', 'cli', 'bin', 'source-declarative-manifest.js');
    const isBaseline = manifest === 'baseline';
    const result = await runNode(
      isBaseline ? join(BENCH_DIR, 'dist', 'baseline.js') : cli,
      isBaseline
        ? [server.url, 'items']
        : ['read', '--manifest-path', join(BENCH_DIR, 'manifests', manifest), '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')],
      { nodeFlags: ['--cpu-prof', '--cpu-prof-dir', dir] },
    );
    if (result.exitCode !== 0) throw new Error(`read failed: ${result.stderr}\n${result.stdoutTail}`);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('no .cpuprofile written');
    const summary = summariseProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile);
    process.stdout.write(`${kind} × ${manifest}: ${result.records} records, wall ${result.wallMs.toFixed(0)} ms, CPU ${result.cpuMs?.toFixed(0)} ms, profile ${summary.totalMs.toFixed(0)} ms\n\n`);
    process.stdout.write(
      `${formatTable(['function', 'where', 'self ms', 'self %'], summary.functions.slice(0, 30).map((h) => [h.name.slice(0, 40), h.where, h.selfMs.toFixed(0), h.selfPct.toFixed(1)]))}\n\n`,
    );
    process.stdout.write(`${formatTable(['file', 'self ms', 'self %'], summary.files.slice(0, 20).map((h) => [h.name, h.selfMs.toFixed(0), h.selfPct.toFixed(1)]))}\n\n`);
    process.stdout.write(`profile: ${join(dir, file)}\n`);
  } finally {
    await server.close();
  }
}

if (process.argv[1]?.endsWith('profile.js')) await main();
