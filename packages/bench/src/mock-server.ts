/**
 * A deliberately cheap mock API for benchmarks (plain node:http, no routing or request log):
 * `GET /items?cursor=N[&partition=P][&page_size=S]` serves page N of a partition as
 * `{"data":[...],"next_cursor":"N+1"|null}`. Records are built by string templates, not
 * JSON.stringify, so the server costs far less CPU than the client under test.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export type RecordKind = 'flat' | 'wide';

export interface DatasetOptions {
  /** Records per partition. */
  records: number;
  pageSize: number;
  kind: RecordKind;
  /** Delay before each response. */
  latencyMs?: number;
  /** Keep built page bodies for later runs, up to this many bytes (default 512 MB). */
  cacheBytes?: number;
}

export interface BenchServer {
  url: string;
  /** Requests served since start (or since resetCount). */
  requests(): number;
  /** Since resetCount: the most requests in flight at once, and ms from the first request's arrival to the last response. */
  activity(): { maxInFlight: number; spanMs: number };
  resetCount(): void;
  /** Builds (and caches) every page of the first `partitions` partitions ahead of the timed runs. */
  prime(partitions?: number): void;
  close(): Promise<void>;
}

const STATUSES = ['active', 'pending', 'archived', 'active', 'active', 'pending', 'active', 'archived', 'active', 'deleted'];

/** A small flat record (~190 bytes of JSON). One in ten has status 'deleted'. */
export function flatRecord(id: number): string {
  const status = STATUSES[id % 10];
  return (
    `{"id":${id},"name":"item-${id}","status":"${status}","amount":${(id % 1000) * 1.25},` +
    `"currency":"EUR","active":${id % 3 !== 0},"created_at":"2024-01-01T00:00:00Z",` +
    `"updated_at":"2024-06-${String((id % 28) + 1).padStart(2, '0')}T12:00:00Z","internal":"x${id % 97}"}`
  );
}

/** A wide nested record (~1.6 KB of JSON): 30+ fields, nested objects and arrays of objects. */
export function wideRecord(id: number): string {
  const status = STATUSES[id % 10];
  const metrics: string[] = [];
  for (let i = 0; i < 12; i += 1) metrics.push(`"m${i}":${(id * (i + 1)) % 10007}`);
  const lines: string[] = [];
  for (let i = 0; i < 4; i += 1) {
    lines.push(`{"sku":"SKU-${(id + i) % 5000}","qty":${(i % 3) + 1},"price":${((id + i) % 400) * 0.5},"tags":["t${i}","bulk"]}`);
  }
  let extra = '';
  for (let i = 0; i < 12; i += 1) extra += `,"attr_${i}":"value-${(id + i) % 313}-lorem-ipsum"`;
  return (
    `{"id":${id},"uuid":"00000000-0000-4000-8000-${String(id).padStart(12, '0')}","name":"customer number ${id}",` +
    `"status":"${status}","email":"user${id}@example.com","active":${id % 3 !== 0},"score":${(id % 100) / 10},` +
    `"created_at":"2024-01-01T00:00:00Z","updated_at":"2024-06-01T12:00:00Z","internal":"x${id % 97}",` +
    `"address":{"street":"${id} Main Street","city":"Springfield","zip":"${10000 + (id % 90000)}","country":"US",` +
    `"geo":{"lat":${(id % 180) - 90}.123,"lng":${(id % 360) - 180}.456}},` +
    `"metrics":{${metrics.join(',')}},"lines":[${lines.join(',')}],` +
    `"labels":["a","b","c"],"owner":{"id":${id % 50},"name":"owner-${id % 50}","team":{"id":${id % 7},"name":"team-${id % 7}"}}` +
    `${extra}}`
  );
}

export function pageBody(opts: DatasetOptions, partition: number, cursor: number): string {
  const make = opts.kind === 'wide' ? wideRecord : flatRecord;
  const start = cursor * opts.pageSize;
  const end = Math.min(opts.records, start + opts.pageSize);
  const base = partition * opts.records;
  const parts: string[] = [];
  for (let i = start; i < end; i += 1) parts.push(make(base + i));
  const next = end < opts.records ? `"${cursor + 1}"` : 'null';
  return `{"data":[${parts.join(',')}],"next_cursor":${next}}`;
}

function partitionIndex(value: string | null): number {
  if (!value) return 0;
  const m = /(\d+)$/.exec(value);
  return m ? Number(m[1]) : 0;
}

export async function startBenchServer(opts: DatasetOptions): Promise<BenchServer> {
  let count = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let firstAt: number | undefined;
  let lastDoneAt: number | undefined;
  const cache = new Map<string, Buffer>();
  let cached = 0;
  const limit = opts.cacheBytes ?? 512 * 1024 * 1024;
  const body = (partition: number, cursor: number): Buffer => {
    const key = `${partition}/${cursor}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const built = Buffer.from(pageBody(opts, partition, cursor), 'utf8');
    if (cached + built.length <= limit) {
      cache.set(key, built);
      cached += built.length;
    }
    return built;
  };
  const server: Server = createServer((req, res) => {
    count += 1;
    firstAt ??= performance.now();
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => {
      inFlight -= 1;
      lastDoneAt = performance.now();
    });
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/items') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not found"}');
      return;
    }
    const cursor = Number(url.searchParams.get('cursor') ?? '0') || 0;
    const page = body(partitionIndex(url.searchParams.get('partition')), cursor);
    const send = () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(page.length) });
      res.end(page);
    };
    if (opts.latencyMs) setTimeout(send, opts.latencyMs);
    else send();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    activity: () => ({ maxInFlight, spanMs: firstAt !== undefined && lastDoneAt !== undefined ? lastDoneAt - firstAt : NaN }),
    resetCount: () => {
      count = 0;
      maxInFlight = 0;
      firstAt = undefined;
      lastDoneAt = undefined;
    },
    prime: (partitions = 1) => {
      const pages = Math.ceil(opts.records / opts.pageSize);
      for (let p = 0; p < partitions; p += 1) for (let c = 0; c < pages; c += 1) body(p, c);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
