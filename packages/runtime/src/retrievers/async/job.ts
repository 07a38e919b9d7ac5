import type { Json } from '../../context.js';
import { RuntimeError } from '../../errors/runtime-error.js';
import type { StreamSlice } from '../../partitioning/stream-slice.js';

/** The CDK's AsyncJobStatus: where a server-side job is, as the status_mapping names it. */
export type AsyncJobStatus = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'TIMED_OUT' | 'SKIPPED';

const MAPPING_KEYS: Record<string, AsyncJobStatus> = {
  running: 'RUNNING',
  completed: 'COMPLETED',
  failed: 'FAILED',
  timeout: 'TIMED_OUT',
  skipped: 'SKIPPED',
};
const OPTIONAL_KEYS = new Set(['skipped']);

/**
 * status_mapping → API status → job status. As the CDK: every key but `skipped` must be given
 * (an empty list is fine), and an API status may be listed under one key only.
 */
export function statusMappingOf(model: Json): Map<string, AsyncJobStatus> {
  const out = new Map<string, AsyncJobStatus>();
  for (const [key, status] of Object.entries(MAPPING_KEYS)) {
    const apiStatuses = model[key];
    if (apiStatuses === undefined || apiStatuses === null) {
      if (OPTIONAL_KEYS.has(key)) continue;
      throw new RuntimeError('MANIFEST_INVALID', `status_mapping.${key} is required (give an empty list when the API has no such status)`);
    }
    for (const apiStatus of apiStatuses as unknown[]) {
      const text = String(apiStatus);
      if (out.has(text)) {
        throw new RuntimeError('MANIFEST_INVALID', `status_mapping lists the API status '${text}' more than once; each API status may map to one job status only`);
      }
      out.set(text, status);
    }
  }
  return out;
}

export function isTerminal(status: AsyncJobStatus): boolean {
  return status !== 'RUNNING';
}

/**
 * One server-side job for one slice. The timer starts when the job is created and stops when it
 * reaches a terminal status; a running job older than its timeout reports TIMED_OUT.
 */
export class AsyncJob {
  private current: AsyncJobStatus = 'RUNNING';
  private startedAt: number;
  private endedAt: number | undefined;
  /** The API's own word for the status, for error messages. */
  apiStatus: string | undefined;

  constructor(
    readonly id: string,
    readonly slice: StreamSlice,
    private readonly timeoutMs: number,
    private readonly clock: () => number,
    readonly creationFailure?: Error,
  ) {
    this.startedAt = clock();
    if (creationFailure) this.update('FAILED');
  }

  status(): AsyncJobStatus {
    const end = this.endedAt ?? this.clock();
    if (end - this.startedAt > this.timeoutMs) return 'TIMED_OUT';
    return this.current;
  }

  update(status: AsyncJobStatus): void {
    if (this.current !== 'RUNNING' && status === 'RUNNING') {
      this.startedAt = this.clock();
      this.endedAt = undefined;
    } else if (isTerminal(status)) {
      this.endedAt ??= this.clock();
    }
    this.current = status;
  }
}
