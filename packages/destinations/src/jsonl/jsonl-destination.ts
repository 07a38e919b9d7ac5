import { randomUUID } from 'node:crypto';
import { stringifyJson } from '@manifold/runtime';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import type { Destination, DestinationStream, DestinationWriter, StateMessage } from '../destination.js';
import { DestinationError } from '../errors.js';
import { forgetStream, mergeState, streamKey } from '../state.js';
import { type CommittedState, readCommittedState, writeCommittedState } from './state-file.js';

/** Buffered lines of a stream go to its file once they pass this many characters. */
const FLUSH_CHARS = 1 << 20;

export function jsonlFileName(name: string, namespace: string | undefined): string {
  const safe = (part: string): string => part.replace(/[/\\\0]/g, '_').replace(/^\.+/, '_');
  return `${namespace ? `${safe(namespace)}.` : ''}${safe(name)}.jsonl`;
}

/**
 * Brings files back to what the state file says is committed: pending overwrite renames are
 * redone, and every file is cut back to its committed length (bytes past it were never committed).
 */
function recover(directory: string, committed: CommittedState): void {
  for (const { from, to } of committed.renames) {
    if (existsSync(join(directory, from))) renameSync(join(directory, from), join(directory, to));
  }
  for (const file of readdirSync(directory)) {
    if (!file.endsWith('.jsonl') && !file.endsWith('.jsonl.tmp')) continue;
    // A data file the state file does not know was created by a sync that never committed.
    const length = committed.files[file]?.length ?? 0;
    const path = join(directory, file);
    if (statSync(path).size > length) truncateSync(path, length);
  }
}

interface StreamFile {
  key: string;
  file: string;
  /** The file records go to: `file` itself, or `file.tmp` for an overwrite. */
  target: string;
  fd: number;
  buffer: string[];
  bufferedChars: number;
  written: number;
  dirty: boolean;
  uncommitted: number;
  committed: number;
}

class JsonlWriter implements DestinationWriter {
  private finished = false;

  constructor(
    private readonly directory: string,
    private readonly streams: Map<string, StreamFile>,
    private readonly options: { connectionId: string; generationId: number | undefined },
    private readonly onFinish: () => void,
  ) {}

  async write(stream: string, namespace: string | undefined, data: Record<string, unknown>, emittedAt: number): Promise<void> {
    this.assertOpen();
    const target = this.streams.get(streamKey(stream, namespace));
    if (!target) {
      throw new DestinationError('DEST_UNKNOWN_STREAM', `record for stream '${streamKey(stream, namespace)}', which is not in the catalog given to open()`);
    }
    const line = `${stringifyJson({ _airbyte_raw_id: randomUUID(), _airbyte_extracted_at: emittedAt, _airbyte_data: data })}\n`;
    target.buffer.push(line);
    target.bufferedChars += line.length;
    target.uncommitted += 1;
    if (target.bufferedChars >= FLUSH_CHARS) this.flush(target);
  }

  async commit(state: StateMessage): Promise<void> {
    this.assertOpen();
    this.commitWith((committed) => {
      committed.connections[this.options.connectionId] = mergeState(committed.connections[this.options.connectionId] ?? [], state);
    });
  }

  async complete(): Promise<{ recordsWritten: Record<string, number> }> {
    this.assertOpen();
    this.commitWith((committed) => {
      for (const target of this.streams.values()) {
        if (target.target === target.file) continue;
        // Decided here, done below; a crash in between is finished by recovery.
        committed.files[target.file] = { length: target.written };
        delete committed.files[target.target];
        committed.renames.push({ from: target.target, to: target.file });
      }
    });
    const committed = readCommittedState(this.directory);
    recover(this.directory, committed);
    committed.renames = [];
    writeCommittedState(this.directory, committed);
    this.release();
    const recordsWritten: Record<string, number> = {};
    for (const target of this.streams.values()) recordsWritten[target.key] = target.committed;
    return { recordsWritten };
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.release();
    recover(this.directory, readCommittedState(this.directory));
  }

  /** Data first (written and fsynced), then the state file naming the new lengths: the commit point. */
  private commitWith(change: (committed: CommittedState) => void): void {
    const committed = readCommittedState(this.directory);
    for (const target of this.streams.values()) {
      this.flush(target);
      if (target.dirty) fsyncSync(target.fd);
      target.dirty = false;
      committed.files[target.target] = { length: target.written, generationId: target.target === target.file ? undefined : this.options.generationId };
    }
    change(committed);
    writeCommittedState(this.directory, committed);
    for (const target of this.streams.values()) {
      target.committed += target.uncommitted;
      target.uncommitted = 0;
    }
  }

  private flush(target: StreamFile): void {
    if (target.buffer.length === 0) return;
    const bytes = Buffer.from(target.buffer.join(''), 'utf8');
    target.buffer = [];
    target.bufferedChars = 0;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(target.fd, bytes, offset, bytes.length - offset, target.written + offset);
    target.written += bytes.length;
    target.dirty = true;
  }

  private release(): void {
    this.finished = true;
    for (const target of this.streams.values()) closeSync(target.fd);
    this.onFinish();
  }

  private assertOpen(): void {
    if (this.finished) throw new DestinationError('DEST_WRITER_CLOSED', 'the writer was used after complete() or abort()');
  }
}

/** One `<namespace.>stream.jsonl` per stream in a directory, committed through `_state.json`. */
export class JsonlDestination implements Destination {
  private readonly directory: string;
  private activeWriter: JsonlWriter | undefined;

  constructor(config: { directory: string }) {
    this.directory = resolve(config.directory);
  }

  async check(): Promise<{ ok: boolean; message?: string }> {
    try {
      mkdirSync(this.directory, { recursive: true });
      accessSync(this.directory, constants.W_OK);
      return { ok: true };
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
      return { ok: false, message: `JSONL directory ${this.directory} cannot be created or written (${reason})` };
    }
  }

  async open(streams: DestinationStream[], options: { syncId: string; connectionId: string; generationId?: number }): Promise<DestinationWriter> {
    for (const stream of streams) {
      if (stream.syncMode === 'incremental_append_dedup') {
        throw new DestinationError(
          'DEST_SYNC_MODE_UNSUPPORTED',
          `stream '${streamKey(stream.name, stream.namespace)}': the jsonl destination cannot deduplicate (incremental_append_dedup); use incremental_append or a duckdb/postgres destination`,
        );
      }
    }
    if (this.activeWriter) throw new DestinationError('DEST_WRITE_FAILED', `JSONL directory ${this.directory} already has a sync writing to it`);
    mkdirSync(this.directory, { recursive: true });
    const committed = readCommittedState(this.directory);
    recover(this.directory, committed);
    const files = new Map<string, StreamFile>();
    try {
      for (const stream of streams) {
        const file = jsonlFileName(stream.name, stream.namespace);
        const overwrite = stream.syncMode === 'full_refresh_overwrite';
        const target = overwrite ? `${file}.tmp` : file;
        const entry = committed.files[target];
        // An overwrite left by a killed attempt of the same generation is resumed; otherwise it starts empty.
        const resume = !overwrite || (options.generationId !== undefined && entry?.generationId === options.generationId);
        const written = resume ? (entry?.length ?? 0) : 0;
        // Not O_APPEND: positional writes must land at the committed length, which append mode ignores on Linux.
        const fd = openSync(join(this.directory, target), constants.O_RDWR | constants.O_CREAT);
        ftruncateSync(fd, written);
        const key = streamKey(stream.name, stream.namespace);
        files.set(key, { key, file, target, fd, buffer: [], bufferedChars: 0, written, dirty: false, uncommitted: 0, committed: 0 });
      }
    } catch (error) {
      for (const file of files.values()) closeSync(file.fd);
      throw error;
    }
    const writer = new JsonlWriter(this.directory, files, { connectionId: options.connectionId, generationId: options.generationId }, () => {
      this.activeWriter = undefined;
    });
    this.activeWriter = writer;
    return writer;
  }

  async readState(connectionId: string): Promise<StateMessage[]> {
    const committed = readCommittedState(this.directory);
    if (!this.activeWriter && existsSync(this.directory)) recover(this.directory, committed);
    return committed.connections[connectionId] ?? [];
  }

  async resetStream(connectionId: string, stream: { name: string; namespace?: string | undefined }): Promise<void> {
    if (!existsSync(this.directory)) return;
    const committed = readCommittedState(this.directory);
    const file = jsonlFileName(stream.name, stream.namespace);
    committed.connections[connectionId] = forgetStream(committed.connections[connectionId] ?? [], stream);
    committed.files[file] = { length: 0 };
    delete committed.files[`${file}.tmp`];
    writeCommittedState(this.directory, committed);
    rmSync(join(this.directory, file), { force: true });
    rmSync(join(this.directory, `${file}.tmp`), { force: true });
  }

  async close(): Promise<void> {
    await this.activeWriter?.abort();
  }
}

export function createJsonlDestination(config: { directory: string }): Destination {
  return new JsonlDestination(config);
}
