/**
 * One sync of a connection: discover, resume from the destination's committed state, read, and
 * hand records and states to the destination in order. A STATE is committed together with the
 * records before it, so a sync killed at any point resumes from its last commit and loses
 * nothing; with dedup it duplicates nothing either.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type AirbyteMessage, stringifyJson } from '@manifold/runtime';
import { planSync, resumableState } from '../catalog.js';
import type { Destination, DestinationWriter } from '../destination.js';
import { WorkspaceError, isWorkspaceError } from '../errors.js';
import type { Connection, SyncEntry } from '../model.js';
import type { SourceProcess } from '../sources/source-process.js';
import type { HistoryStore } from '../store/history.js';
import { type ProgressListener, ProgressTracker } from './progress.js';

export interface SyncOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
}

export interface SyncResult extends SyncEntry {
  /** Rows the destination reports written, per stream (succeeded syncs). */
  recordsWritten?: Record<string, number> | undefined;
}

export interface SyncInputs {
  connection: Connection;
  source: SourceProcess;
  destination: Destination;
  history: HistoryStore;
  /** Masks every secret value (source and destination) in text that is saved or shown. */
  mask: (text: string) => string;
}

class Cancelled extends Error {}

export async function runSync(inputs: SyncInputs, options: SyncOptions = {}): Promise<SyncResult> {
  const { connection, source, destination, history, mask } = inputs;
  const syncId = history.newSyncId();
  const entry: SyncResult = {
    id: syncId,
    connectionId: connection.id,
    startedAt: new Date().toISOString(),
    status: 'running',
    streams: {},
    logsPath: history.logsPath(connection.id, syncId),
    pid: process.pid,
  };
  await history.save(entry);
  await mkdir(dirname(entry.logsPath), { recursive: true });
  const log = createWriteStream(entry.logsPath, { flags: 'a', mode: 0o600 });
  const writeLog = (level: string, message: string) =>
    log.write(`${JSON.stringify({ time: new Date().toISOString(), level, message: mask(message) })}\n`);
  const tracker = new ProgressTracker(syncId, connection.id, options.onProgress);
  const signal = options.signal;
  const errors: string[] = [];
  let writer: DestinationWriter | undefined;

  try {
    tracker.phase('discovering');
    writeLog('INFO', `sync ${syncId} of connection '${connection.name}' started`);
    const discovered = await source.discover(signal);
    const plan = planSync(connection.streams, discovered);
    for (const stream of plan.destinationStreams) entry.streams[stream.name] = { records: 0, bytes: 0 };
    const state = resumableState(await destination.readState(connection.id), connection.streams);
    writeLog('INFO', `resuming from ${state.length} committed state message(s)`);
    writer = await destination.open(plan.destinationStreams, { syncId, connectionId: connection.id });
    const open = writer;
    tracker.phase('reading');

    // A destination that failed once takes nothing more: the read stops at its next message
    // (the runtime would otherwise take the error for one stream's and go on with the next).
    let destinationError: unknown;
    const toDestination = async (call: () => Promise<void>) => {
      try {
        await call();
      } catch (error) {
        destinationError = error;
        throw error;
      }
    };
    const onMessage = async (message: AirbyteMessage): Promise<void> => {
      if (signal?.aborted) throw new Cancelled();
      if (destinationError !== undefined) throw destinationError;
      switch (message.type) {
        case 'RECORD': {
          const { stream, namespace, data, emitted_at: emittedAt } = message.record;
          const bytes = Buffer.byteLength(stringifyJson(data));
          tracker.record(stream, bytes);
          const stats = (entry.streams[stream] ??= { records: 0, bytes: 0 });
          stats.records += 1;
          stats.bytes += bytes;
          await toDestination(() => open.write(stream, namespace, data, emittedAt));
          return;
        }
        case 'STATE':
          await toDestination(() => open.commit(message.state));
          tracker.checkpoint();
          return;
        case 'LOG':
          writeLog(message.log.level, message.log.message);
          return;
        case 'TRACE':
          if (message.trace.type === 'ERROR') {
            const streamName = message.trace.error.stream_descriptor?.name;
            errors.push(streamName ? `${streamName}: ${message.trace.error.message}` : message.trace.error.message);
            writeLog('ERROR', message.trace.error.message);
          } else {
            const { stream_descriptor: descriptor, status } = message.trace.stream_status;
            tracker.stream(descriptor.name).status = status;
            tracker.report(true);
          }
          return;
        default:
          return;
      }
    };

    const { ok } = await source.read(plan.catalog, state, onMessage, {
      signal,
      onPage: (stream) => tracker.page(stream),
    });
    if (signal?.aborted) throw new Cancelled();
    if (destinationError !== undefined) throw destinationError;
    if (!ok) throw new WorkspaceError('SYNC_FAILED', errors.join('; ') || 'the source failed without saying why');
    tracker.phase('finishing');
    const { recordsWritten } = await open.complete();
    writer = undefined;
    entry.recordsWritten = recordsWritten;
    entry.status = 'succeeded';
  } catch (error) {
    if (writer) await writer.abort().catch((abortError: unknown) => writeLog('ERROR', `abort failed: ${String(abortError)}`));
    if (error instanceof Cancelled || signal?.aborted) {
      entry.status = 'cancelled';
      entry.error = 'cancelled';
    } else {
      entry.status = 'failed';
      entry.error = mask(describe(error, errors));
    }
    writeLog('ERROR', `sync ${entry.status}: ${entry.error}`);
  } finally {
    entry.endedAt = new Date().toISOString();
    tracker.phase('done');
    await history.save(stripResult(entry));
    await closeLog(log);
  }
  return entry;
}

function describe(error: unknown, sourceErrors: string[]): string {
  if (isWorkspaceError(error)) return error.message;
  const runtime = error as { describe?: () => string; message?: string };
  const message = typeof runtime.describe === 'function' ? runtime.describe() : String(runtime.message ?? error);
  return sourceErrors.length > 0 ? `${message} (source errors: ${sourceErrors.join('; ')})` : message;
}

/** The history entry as saved: what the destination reported stays in the returned result. */
function stripResult(entry: SyncResult): SyncEntry {
  const { recordsWritten: _written, ...saved } = entry;
  return saved;
}

function closeLog(log: WriteStream): Promise<void> {
  return new Promise((resolve) => log.end(resolve));
}
