import type { Json, RunContext } from '../context.js';
import { RuntimeError, isRuntimeError } from '../errors/runtime-error.js';
import {
  type AirbyteMessage,
  errorTraceMessage,
  recordMessage,
  streamStateMessage,
  streamStatusMessage,
} from '../protocol/messages.js';
import { SliceFailures } from '../streams/declarative-stream.js';
import type { DeclarativeSource } from './declarative-source.js';

export interface ConfiguredStream {
  stream: { name: string; namespace?: string };
  sync_mode: 'full_refresh' | 'incremental';
  destination_sync_mode?: string;
  cursor_field?: string[];
  primary_key?: string[][];
}

export interface ConfiguredCatalog {
  streams: ConfiguredStream[];
}

export type Emit = (message: AirbyteMessage) => Promise<void> | undefined;

/**
 * Reads the configured streams one after another. A failing stream ends with an INCOMPLETE
 * status and an ERROR trace, the other streams still run, and the read fails at the end (as the
 * CDK does). State messages always follow the records they cover.
 */
export async function readSource(
  source: DeclarativeSource,
  catalog: ConfiguredCatalog,
  states: Map<string, Json>,
  emit: Emit,
  run: RunContext,
): Promise<{ failed: string[] }> {
  const defined = new Set(source.streams().map((stream) => stream.name));
  const unknown = catalog.streams.map((c) => c.stream.name).filter((name) => !defined.has(name));
  if (unknown.length > 0) {
    throw new RuntimeError(
      'CATALOG_UNKNOWN_STREAM',
      `the configured catalog names stream${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')} that the manifest does not define`,
      { help: `The manifest defines: ${[...defined].join(', ')}` },
    );
  }

  const failed: string[] = [];
  run.logger.info('Starting syncing');
  for (const configured of catalog.streams) {
    const name = configured.stream.name;
    const stream = source.stream(name);
    if (!stream) continue;
    // As the CDK, the incoming state reaches the stream whatever its configured sync mode: the
    // CDK builds every stream from the connector's state. A stream without a cursor ignores it;
    // a StateDelegatingStream uses it to choose its incremental_stream even when it is
    // discovered as full refresh only (its full_refresh_stream has no cursor).
    const state = states.get(name);
    run.logger.info(`Marking stream ${name} as STARTED`);
    await emit(streamStatusMessage(name, 'STARTED', run.clock()));
    let count = 0;
    let sinceState = 0;
    try {
      for await (const event of stream.read(state, { isolateSliceFailures: true })) {
        if (event.failure !== undefined) {
          // As the CDK: each failed slice is reported when it fails, and the other slices go on.
          const described = describeError(event.failure);
          run.logger.error(`Stream ${name}: a slice failed: ${described.message}`);
          await emit(errorTrace(described, name, run));
          continue;
        }
        if (event.record) {
          if (count === 0) {
            run.logger.info(`Marking stream ${name} as RUNNING`);
            await emit(streamStatusMessage(name, 'RUNNING', run.clock()));
          }
          count += 1;
          sinceState += 1;
          const pending = emit(recordMessage(name, event.record, run.clock()));
          if (pending) await pending;
        } else if (event.state !== undefined) {
          await emit(streamStateMessage(name, event.state, sinceState));
          sinceState = 0;
        }
      }
      run.logger.info(`Read ${count} records from ${name} stream`);
      run.logger.info(`Marking stream ${name} as COMPLETE`);
      await emit(streamStatusMessage(name, 'COMPLETE', run.clock()));
    } catch (error) {
      failed.push(name);
      if (error instanceof SliceFailures) {
        // Every failed slice was reported as it failed.
        run.logger.error(`Stream ${name} failed: ${error.failures.length} slice(s) failed, ${count} records read`);
        await emit(streamStatusMessage(name, 'INCOMPLETE', run.clock()));
        continue;
      }
      const described = describeError(error);
      run.logger.error(`Stream ${name} failed after ${count} records: ${described.message}`);
      await emit(streamStatusMessage(name, 'INCOMPLETE', run.clock()));
      await emit(errorTrace(described, name, run));
    }
  }
  run.logger.info('Finished syncing');
  return { failed };
}

function errorTrace(described: ReturnType<typeof describeError>, stream: string, run: RunContext): AirbyteMessage {
  return errorTraceMessage(described.message, described.failureType, run.clock(), {
    stream,
    internalMessage: described.internal,
    stackTrace: described.stack,
  });
}

export function describeError(error: unknown): {
  message: string;
  failureType: 'config_error' | 'system_error' | 'transient_error';
  internal?: string;
  stack?: string;
} {
  if (isRuntimeError(error)) {
    return {
      message: error.describe(),
      failureType: error.failureType,
      internal: (error as RuntimeError & { internalMessage?: string }).internalMessage ?? error.code,
      stack: error.stack,
    };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  return { message: `Unexpected error: ${err.message}`, failureType: 'system_error', internal: err.message, stack: err.stack };
}

/**
 * Incoming state: a list of AirbyteStateMessages (STREAM or GLOBAL), or the legacy
 * `{stream_name: state}` object. Anything else is a config error naming what is wrong.
 */
export function parseState(raw: unknown, source = 'state'): Map<string, Json> {
  const states = new Map<string, Json>();
  if (raw === null || raw === undefined) return states;
  const fail = (what: string) =>
    new RuntimeError('STATE_INVALID', `${source} is not a valid Airbyte state: ${what}`, {
      help: 'Pass the list of STATE messages a previous read emitted (or an empty list)',
    });
  if (Array.isArray(raw)) {
    raw.forEach((item, index) => {
      if (typeof item !== 'object' || item === null) throw fail(`item ${index} is not an object`);
      const message = item as Json;
      const type = message.type ?? (message.stream ? 'STREAM' : undefined);
      if (type === 'STREAM') {
        const stream = message.stream as Json | undefined;
        const descriptor = stream?.stream_descriptor as Json | undefined;
        if (!descriptor || typeof descriptor.name !== 'string') throw fail(`item ${index} has no stream.stream_descriptor.name`);
        const streamState = stream?.stream_state;
        if (streamState !== undefined && streamState !== null && (typeof streamState !== 'object' || Array.isArray(streamState))) {
          throw fail(`item ${index} stream_state must be an object`);
        }
        if (streamState) states.set(descriptor.name, streamState as Json);
      } else if (type === 'GLOBAL') {
        const global = message.global as Json | undefined;
        const streamStates = global?.stream_states;
        if (!Array.isArray(streamStates)) throw fail(`item ${index} (GLOBAL) has no global.stream_states list`);
        for (const entry of streamStates as Json[]) {
          const name = (entry.stream_descriptor as Json | undefined)?.name;
          if (typeof name !== 'string') throw fail(`item ${index} has a stream state without stream_descriptor.name`);
          if (entry.stream_state) states.set(name, entry.stream_state as Json);
        }
      } else if (type === 'LEGACY') {
        for (const [name, value] of Object.entries((message.data as Json | undefined) ?? {})) states.set(name, value as Json);
      } else {
        throw fail(`item ${index} has unknown type '${String(message.type)}'`);
      }
    });
    return states;
  }
  if (typeof raw === 'object') {
    for (const [name, value] of Object.entries(raw as Json)) {
      if (typeof value !== 'object' || value === null) throw fail(`the state of '${name}' is not an object`);
      states.set(name, value as Json);
    }
    return states;
  }
  throw fail('expected a list of state messages');
}

export function parseCatalog(raw: unknown, source = 'catalog'): ConfiguredCatalog {
  const fail = (what: string) =>
    new RuntimeError('CATALOG_INVALID', `${source} is not a valid configured catalog: ${what}`);
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as Json).streams)) throw fail("it has no 'streams' list");
  const streams = (raw as { streams: unknown[] }).streams.map((entry, index) => {
    const configured = entry as Json;
    const stream = configured?.stream as Json | undefined;
    if (!stream || typeof stream.name !== 'string') throw fail(`streams[${index}] has no stream.name`);
    const mode = configured.sync_mode ?? 'full_refresh';
    if (mode !== 'full_refresh' && mode !== 'incremental') throw fail(`streams[${index}].sync_mode '${String(mode)}' is not full_refresh or incremental`);
    return { ...configured, stream, sync_mode: mode } as ConfiguredStream;
  });
  return { streams };
}
