import type { AirbyteMessage } from './messages.js';
import type { SecretMasker } from '../logging/mask.js';
import { stringifyJson } from './stringify-json.js';

export interface OutputStream {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * The only code that writes to stdout. Messages are serialised once, batched into large writes
 * (a write per record would dominate the read loop), and back-pressure is honoured: `write`
 * returns a promise only when the stream asked us to wait.
 *
 * LOG and TRACE messages are masked by value; RECORD data is the user's data and is not touched.
 * CONTROL messages carry the config the platform saves (a rotated refresh token must reach it as is).
 */
export class MessageWriter {
  private buffer = '';
  private pending: Promise<void> | undefined;
  private readonly highWaterMark: number;

  constructor(
    private readonly out: OutputStream,
    private readonly masker?: SecretMasker,
    options: { highWaterMark?: number } = {},
  ) {
    this.highWaterMark = options.highWaterMark ?? 64 * 1024;
  }

  /** Queues a message; resolves when it is safe to continue (i.e. after a drain when needed). */
  write(message: AirbyteMessage): Promise<void> | undefined {
    if (message.type === 'RECORD') return this.writeLine(this.recordLine(message));
    let line = stringifyJson(message);
    if (this.masker && (message.type === 'LOG' || message.type === 'TRACE')) {
      line = this.masker.mask(line);
    }
    return this.writeLine(line);
  }

  private lastStream = '';
  private lastStreamJson = '""';

  /**
   * The hot path: a RECORD line with its envelope written by hand around JSON.stringify(data) —
   * stringifying the two small envelope objects cost about half as much again as the data itself.
   * The bytes are those of JSON.stringify(message) for what recordMessage builds; anything else
   * (a namespace, a non-finite emitted_at) takes the general path. A BigInt in the data (an integer
 * beyond 2^53) is written as its digits.
   */
  private recordLine(message: Extract<AirbyteMessage, { type: 'RECORD' }>): string {
    const record = message.record;
    const { stream, data, emitted_at: emittedAt } = record;
    if (record.namespace !== undefined || typeof stream !== 'string' || typeof data !== 'object' || data === null || !Number.isFinite(emittedAt)) {
      return stringifyJson(message);
    }
    if (stream !== this.lastStream) {
      this.lastStream = stream;
      this.lastStreamJson = JSON.stringify(stream);
    }
    return `{"type":"RECORD","record":{"stream":${this.lastStreamJson},"data":${stringifyJson(data)},"emitted_at":${emittedAt}}}`;
  }

  /** Writes an already serialised JSON line (no newline). Used by the logger. */
  writeLine(line: string): Promise<void> | undefined {
    this.buffer += `${line}\n`;
    if (this.buffer.length >= this.highWaterMark) return this.flush();
    return this.pending;
  }

  flush(): Promise<void> | undefined {
    if (this.buffer.length > 0) {
      const chunk = this.buffer;
      this.buffer = '';
      if (!this.out.write(chunk)) {
        this.pending = new Promise<void>((resolve) => {
          this.out.once('drain', () => {
            this.pending = undefined;
            resolve();
          });
        });
      }
    }
    return this.pending;
  }

  /** Flushes everything and waits until the stream has taken it. */
  async end(): Promise<void> {
    await this.flush();
    await this.pending;
  }
}
