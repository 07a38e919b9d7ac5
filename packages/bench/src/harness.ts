/**
 * The measuring side: runs a command as a child process with stdout piped and counted as it
 * arrives (never buffered whole), and reports wall time, time to first record, bytes, records,
 * and — through the preloaded probe — peak RSS and CPU time.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const PROBE_PATH = fileURLToPath(new URL('./probe.js', import.meta.url));
const GNU_TIME = '/usr/bin/time';

/**
 * How peak RSS and CPU time are taken: GNU time (wait4 rusage of the node process; nothing is
 * added to it), else the preloaded probe (VmHWM + process.resourceUsage at exit), or not at all.
 */
export type Measure = 'time' | 'probe' | 'none';

export function defaultMeasure(): Measure {
  return existsSync(GNU_TIME) ? 'time' : 'probe';
}

/** Parses GNU time's `-f '%e %U %S %M'` output (the last such line; the child's stderr goes elsewhere). */
export function parseGnuTime(text: string): { userCpuMs: number; systemCpuMs: number; maxRssKb: number } | undefined {
  const lines = text.trim().split('\n').reverse();
  for (const line of lines) {
    const m = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(line.trim());
    if (m) return { userCpuMs: Number(m[2]) * 1000, systemCpuMs: Number(m[3]) * 1000, maxRssKb: Number(m[4]) };
  }
  return undefined;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const RECORD_MARK = Buffer.from('\n{"type":"RECORD"');

/**
 * Counts RECORD lines in a byte stream fed chunk by chunk: a RECORD line is a line that starts
 * with `{"type":"RECORD"` (how JSON.stringify writes a record message). Matches split across
 * chunks are found by keeping the tail of the previous chunk.
 */
export class RecordCounter {
  records = 0;
  bytes = 0;
  private tail: Buffer = Buffer.from('\n');

  feed(chunk: Buffer): number {
    this.bytes += chunk.length;
    const data = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    let found = 0;
    let at = data.indexOf(RECORD_MARK);
    while (at !== -1) {
      found += 1;
      at = data.indexOf(RECORD_MARK, at + RECORD_MARK.length);
    }
    this.records += found;
    const keep = Math.min(RECORD_MARK.length - 1, data.length);
    this.tail = Buffer.from(data.subarray(data.length - keep));
    return found;
  }
}

/**
 * Collects the `data` of every RECORD line and hashes the sorted set: two reads with the same
 * records in any order give the same digest.
 */
export class RecordSetCollector {
  private partial = '';
  private readonly lines: string[] = [];

  feed(chunk: Buffer): void {
    const text = this.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.take(line);
  }

  private take(line: string): void {
    if (!line.startsWith('{"type":"RECORD"')) return;
    const message = JSON.parse(line) as { record: { data: unknown } };
    this.lines.push(JSON.stringify(message.record.data));
  }

  digest(): { count: number; sha256: string } {
    if (this.partial) this.take(this.partial);
    this.partial = '';
    const hash = createHash('sha256');
    for (const line of [...this.lines].sort()) hash.update(line).update('\n');
    return { count: this.lines.length, sha256: hash.digest('hex') };
  }
}

export interface RunResult {
  exitCode: number | null;
  wallMs: number;
  /** From spawn to the first RECORD bytes on stdout; undefined when there were none. */
  firstRecordMs?: number;
  records: number;
  bytes: number;
  /** From the probe (undefined when the process ran without it). */
  maxRssMb?: number;
  cpuMs?: number;
  userCpuMs?: number;
  systemCpuMs?: number;
  stderr: string;
  /** The last 2 KB of stdout, for error reports. */
  stdoutTail: string;
  recordSet?: { count: number; sha256: string };
}

export interface RunOptions {
  /** How peak RSS and CPU time are taken (default: GNU time when installed, else the probe). */
  measure?: Measure;
  /** Hash the record set (costs parse time in this process, not in the child). */
  collect?: boolean;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  /** Added to this process's environment; an undefined value removes the variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** Runs `node [flags] script args...` and measures it. */
export async function runNode(script: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const measure = options.measure ?? defaultMeasure();
  const dir = measure !== 'none' ? mkdtempSync(join(tmpdir(), 'manifold-probe-')) : undefined;
  const probeFile = dir && measure === 'probe' ? join(dir, 'usage.json') : undefined;
  const timeFile = dir && measure === 'time' ? join(dir, 'time.txt') : undefined;
  const flags = [...(options.nodeFlags ?? []), ...(probeFile ? ['--import', PROBE_PATH] : [])];
  const command = timeFile ? GNU_TIME : process.execPath;
  const commandArgs = [...(timeFile ? ['-f', '%e %U %S %M', '-o', timeFile, process.execPath] : []), ...flags, script, ...args];
  const counter = new RecordCounter();
  const collector = options.collect ? new RecordSetCollector() : undefined;
  let firstRecordMs: number | undefined;
  let stderr = '';
  let tail = '';
  const started = performance.now();
  const child = spawn(command, commandArgs, {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: options.cwd,
    env: childEnv({ ...options.env, ...(probeFile ? { MANIFOLD_BENCH_PROBE: probeFile } : {}) }),
  });
  child.stdout.on('data', (chunk: Buffer) => {
    const found = counter.feed(chunk);
    if (found > 0 && firstRecordMs === undefined) firstRecordMs = performance.now() - started;
    collector?.feed(chunk);
    tail = (tail + chunk.subarray(Math.max(0, chunk.length - 2048)).toString('utf8')).slice(-2048);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 20_000) stderr += chunk.toString('utf8');
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const wallMs = performance.now() - started;
  const result: RunResult = {
    exitCode,
    wallMs,
    firstRecordMs,
    records: counter.records,
    bytes: counter.bytes,
    stderr,
    stdoutTail: tail,
    recordSet: collector?.digest(),
  };
  if (timeFile) {
    try {
      const usage = parseGnuTime(readFileSync(timeFile, 'utf8'));
      if (usage) {
        result.maxRssMb = usage.maxRssKb / 1024;
        result.userCpuMs = usage.userCpuMs;
        result.systemCpuMs = usage.systemCpuMs;
        result.cpuMs = usage.userCpuMs + usage.systemCpuMs;
      }
    } catch {
      // time wrote nothing
    }
  }
  if (probeFile) {
    try {
      const usage = JSON.parse(readFileSync(probeFile, 'utf8')) as { maxRSS: number; vmHwmKb?: number; userCPUTime: number; systemCPUTime: number };
      result.maxRssMb = (usage.vmHwmKb ?? usage.maxRSS) / 1024;
      result.userCpuMs = usage.userCPUTime / 1000;
      result.systemCpuMs = usage.systemCPUTime / 1000;
      result.cpuMs = result.userCpuMs + result.systemCpuMs;
    } catch {
      // the process died before its exit handler ran
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
  return result;
}

/**
 * Node reads the CA file named by NODE_EXTRA_CA_CERTS as it starts, before any JavaScript (node 20
 * parses it eagerly): ~80 ms on a machine that sets it. The base image does not, and the bench
 * only speaks plain HTTP to 127.0.0.1, so every process runs as in the image: without it, unless
 * a row puts it back (`changes`) to show its cost.
 */
export const EXTRA_CA = 'NODE_EXTRA_CA_CERTS';

/** This process's environment as the image has it, with `changes` applied (undefined removes a variable). */
export function childEnv(changes: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env[EXTRA_CA];
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Formats rows as an aligned plain-text table (first column left, the rest right-aligned). */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The same table as GitHub markdown. */
export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}
