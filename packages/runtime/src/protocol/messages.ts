/**
 * Airbyte protocol message shapes, as written on stdout one JSON object a line.
 * Only what the runtime emits is typed; field names follow the protocol exactly.
 */
import type { FailureType } from '../errors/codes.js';

export type LogLevel = 'FATAL' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';
export type StreamStatus = 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE';
export type JsonObject = Record<string, unknown>;

export interface StreamDescriptor {
  name: string;
  namespace?: string;
}

export interface AirbyteStateMessage {
  type: 'STREAM' | 'GLOBAL' | 'LEGACY';
  stream?: { stream_descriptor: StreamDescriptor; stream_state: JsonObject | null };
  global?: {
    shared_state?: JsonObject | null;
    stream_states: Array<{ stream_descriptor: StreamDescriptor; stream_state: JsonObject | null }>;
  };
  data?: JsonObject;
  sourceStats?: { recordCount: number };
}

export type AirbyteMessage =
  | { type: 'RECORD'; record: { stream: string; namespace?: string; data: JsonObject; emitted_at: number } }
  | { type: 'STATE'; state: AirbyteStateMessage }
  | { type: 'LOG'; log: { level: LogLevel; message: string; stack_trace?: string } }
  | { type: 'SPEC'; spec: JsonObject }
  | { type: 'CONNECTION_STATUS'; connectionStatus: { status: 'SUCCEEDED' | 'FAILED'; message?: string } }
  | { type: 'CATALOG'; catalog: { streams: JsonObject[] } }
  | { type: 'TRACE'; trace: TraceBody }
  | { type: 'CONTROL'; control: { type: 'CONNECTOR_CONFIG'; emitted_at: number; connectorConfig: { config: JsonObject } } };

export type TraceBody =
  | {
      type: 'ERROR';
      emitted_at: number;
      error: {
        message: string;
        internal_message?: string;
        stack_trace?: string;
        failure_type: FailureType;
        stream_descriptor?: StreamDescriptor;
      };
    }
  | {
      type: 'STREAM_STATUS';
      emitted_at: number;
      stream_status: { stream_descriptor: StreamDescriptor; status: StreamStatus };
    };

export function recordMessage(stream: string, data: JsonObject, emittedAt: number): AirbyteMessage {
  return { type: 'RECORD', record: { stream, data, emitted_at: emittedAt } };
}

export function streamStateMessage(name: string, state: JsonObject | null, recordCount?: number): AirbyteMessage {
  const message: AirbyteStateMessage = {
    type: 'STREAM',
    stream: { stream_descriptor: { name }, stream_state: state },
  };
  if (recordCount !== undefined) message.sourceStats = { recordCount };
  return { type: 'STATE', state: message };
}

export function streamStatusMessage(name: string, status: StreamStatus, now: number): AirbyteMessage {
  return {
    type: 'TRACE',
    trace: { type: 'STREAM_STATUS', emitted_at: now, stream_status: { stream_descriptor: { name }, status } },
  };
}

export function errorTraceMessage(
  message: string,
  failureType: FailureType,
  now: number,
  extra: { internalMessage?: string; stackTrace?: string; stream?: string } = {},
): AirbyteMessage {
  const error: Extract<TraceBody, { type: 'ERROR' }>['error'] = { message, failure_type: failureType };
  if (extra.internalMessage) error.internal_message = extra.internalMessage;
  if (extra.stackTrace) error.stack_trace = extra.stackTrace;
  if (extra.stream) error.stream_descriptor = { name: extra.stream };
  return { type: 'TRACE', trace: { type: 'ERROR', emitted_at: now, error } };
}
