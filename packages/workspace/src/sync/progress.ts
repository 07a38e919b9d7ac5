/** What a running sync reports: the CLI draws a line from it, the Builder can stream it. */
export interface StreamProgress {
  records: number;
  bytes: number;
  /** Pages fetched (known for in-process reads). */
  pages: number;
  /** The source's last stream status: STARTED, RUNNING, COMPLETE, INCOMPLETE. */
  status?: string | undefined;
}

export interface SyncProgress {
  syncId: string;
  connectionId: string;
  phase: 'discovering' | 'reading' | 'finishing' | 'done';
  elapsedMs: number;
  records: number;
  bytes: number;
  /** States committed with their records so far. */
  checkpoints: number;
  streams: Record<string, StreamProgress>;
}

export type ProgressListener = (progress: SyncProgress) => void;

/** Counts per stream; reports at most every `intervalMs` unless forced (phase changes, commits). */
export class ProgressTracker {
  private readonly started = Date.now();
  private last = 0;
  readonly progress: SyncProgress;

  constructor(
    syncId: string,
    connectionId: string,
    private readonly listener: ProgressListener | undefined,
    private readonly intervalMs = 200,
  ) {
    this.progress = { syncId, connectionId, phase: 'discovering', elapsedMs: 0, records: 0, bytes: 0, checkpoints: 0, streams: {} };
  }

  stream(name: string): StreamProgress {
    let stream = this.progress.streams[name];
    if (!stream) {
      stream = { records: 0, bytes: 0, pages: 0 };
      this.progress.streams[name] = stream;
    }
    return stream;
  }

  record(name: string, bytes: number): void {
    const stream = this.stream(name);
    stream.records += 1;
    stream.bytes += bytes;
    this.progress.records += 1;
    this.progress.bytes += bytes;
    this.report(false);
  }

  page(name: string): void {
    this.stream(name).pages += 1;
    this.report(false);
  }

  checkpoint(): void {
    this.progress.checkpoints += 1;
    this.report(true);
  }

  phase(phase: SyncProgress['phase']): void {
    this.progress.phase = phase;
    this.report(true);
  }

  report(force: boolean): void {
    if (!this.listener) return;
    const now = Date.now();
    if (!force && now - this.last < this.intervalMs) return;
    this.last = now;
    this.progress.elapsedMs = now - this.started;
    this.listener(structuredClone(this.progress));
  }
}
