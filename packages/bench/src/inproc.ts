/**
 * `node dist/inproc.js [records] [manifest] [repeats]`: the runtime's per-record cost without
 * the network or process start-up. runEntrypoint reads the bench manifest in this process with
 * an in-memory HttpClient serving pre-built pages and a stdout that only counts bytes; prints the
 * CPU µs per record (median over repeats). A steadier figure than whole-process runs for
 * comparing changes to the read loop on a busy machine.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEntrypoint, type HttpClient } from '@manifold/runtime';
import { configuredCatalog } from '@manifold/testkit';
import { median } from './harness.js';
import { pageBody, type DatasetOptions } from './mock-server.js';
import { BENCH_DIR } from './run.js';

export function memoryHttp(opts: DatasetOptions): HttpClient {
  const pages = new Map<string, Buffer>();
  return {
    async send(req) {
      const url = new URL(req.url);
      const cursor = Number(url.searchParams.get('cursor') ?? '0') || 0;
      const partition = Number(/(\d+)$/.exec(url.searchParams.get('partition') ?? '')?.[1] ?? 0);
      const key = `${partition}/${cursor}`;
      let body = pages.get(key);
      if (!body) pages.set(key, (body = Buffer.from(pageBody(opts, partition, cursor))));
      const text = body.toString('utf8');
      return { status: 200, headers: { 'content-type': 'application/json' }, body, url: req.url, request: req, text: () => text };
    },
    async close() {},
  };
}

export function nullStdout(): { stream: { write(chunk: string): boolean; once(): unknown }; bytes: () => number } {
  let bytes = 0;
  return {
    stream: {
      write(chunk: string) {
        bytes += chunk.length;
        return true;
      },
      once: () => undefined,
    },
    bytes: () => bytes,
  };
}

/** The baseline's loop over the same in-memory pages: decode, JSON.parse, one stringified RECORD line each. */
async function baselineCpuPerRecord(http: HttpClient, records: number, pageSize: number): Promise<number> {
  const out = nullStdout();
  const cpu0 = process.cpuUsage();
  let buffer = '';
  for (let cursor = 0; cursor * pageSize < records; cursor += 1) {
    const response = await http.send({ method: 'GET', url: `http://bench.invalid/items?cursor=${cursor}`, headers: {} });
    const page = JSON.parse(response.body.toString('utf8')) as { data: Record<string, unknown>[] };
    for (const data of page.data) {
      buffer += JSON.stringify({ type: 'RECORD', record: { stream: 'items', data, emitted_at: Date.now() } }) + '\n';
      if (buffer.length >= 65536) {
        out.stream.write(buffer);
        buffer = '';
      }
    }
  }
  out.stream.write(buffer);
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / records;
}

async function main(): Promise<void> {
  const records = Number(process.argv[2] ?? 200_000);
  const manifest = process.argv[3] ?? 'items.yaml';
  const repeats = Number(process.argv[4] ?? 7);
  const dataset: DatasetOptions = { records, pageSize: Number(process.env.BENCH_PAGE_SIZE ?? 1000), kind: process.env.BENCH_KIND === 'wide' ? 'wide' : 'flat' };
  const dir = mkdtempSync(join(tmpdir(), 'manifold-inproc-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ api_key: 'k', base_url: 'http://bench.invalid' }));
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify(configuredCatalog(['items'])));
  const http = memoryHttp(dataset);
  const argv = ['read', '--manifest-path', join(BENCH_DIR, 'manifests', manifest), '--config', join(dir, 'config.json'), '--catalog', join(dir, 'catalog.json')];
  const perRecord: number[] = [];
  const basePerRecord: number[] = [];
  for (let i = 0; i < repeats + 1; i += 1) {
    const base = baselineCpuPerRecord(http, records, dataset.pageSize);
    if (i > 0) basePerRecord.push(await base);
    else await base;
    const out = nullStdout();
    const cpu0 = process.cpuUsage();
    const code = await runEntrypoint(argv, { stdout: out.stream, http, env: {} });
    const cpu = process.cpuUsage(cpu0);
    if (code !== 0) throw new Error(`read failed with ${code}`);
    if (i > 0) perRecord.push((cpu.user + cpu.system) / records);
  }
  const ours = median(perRecord);
  const base = median(basePerRecord);
  process.stdout.write(
    `${manifest} (${dataset.kind}), ${records} records: ${ours.toFixed(3)} CPU µs/record (median of ${repeats}; runs ${perRecord.map((v) => v.toFixed(2)).join(' ')})\n` +
      `baseline loop: ${base.toFixed(3)} CPU µs/record (runs ${basePerRecord.map((v) => v.toFixed(2)).join(' ')})\n`,
  );
  process.stdout.write(`${JSON.stringify({ oursUsPerRecord: ours, baselineUsPerRecord: base, records, manifest, kind: dataset.kind })}\n`);
}

if (process.argv[1]?.endsWith('inproc.js')) await main();
