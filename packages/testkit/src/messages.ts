/** Parsing and picking apart Airbyte protocol output (one JSON message per stdout line). */

export type AirbyteMessageType = 'RECORD' | 'STATE' | 'LOG' | 'SPEC' | 'CONNECTION_STATUS' | 'CATALOG' | 'TRACE' | 'CONTROL';

export interface StreamDescriptor {
  name: string;
  namespace?: string;
}

export interface AirbyteRecordMessage {
  stream: string;
  namespace?: string;
  data: Record<string, unknown>;
  emitted_at: number;
  [key: string]: unknown;
}

export interface AirbyteStateMessage {
  type?: 'LEGACY' | 'STREAM' | 'GLOBAL';
  stream?: { stream_descriptor: StreamDescriptor; stream_state?: unknown };
  global?: { shared_state?: unknown; stream_states: Array<{ stream_descriptor: StreamDescriptor; stream_state?: unknown }> };
  data?: unknown;
  sourceStats?: { recordCount?: number };
  destinationStats?: { recordCount?: number };
  [key: string]: unknown;
}

export type AirbyteLogLevel = 'FATAL' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';

export interface AirbyteLogMessage {
  level: AirbyteLogLevel;
  message: string;
  stack_trace?: string;
}

export interface AirbyteErrorTraceMessage {
  message: string;
  internal_message?: string;
  stack_trace?: string;
  failure_type?: 'system_error' | 'config_error' | 'transient_error';
  stream_descriptor?: StreamDescriptor;
  [key: string]: unknown;
}

export interface AirbyteStreamStatusTraceMessage {
  stream_descriptor: StreamDescriptor;
  status: 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE';
  reasons?: unknown[];
  [key: string]: unknown;
}

export interface AirbyteTraceMessage {
  type: 'ERROR' | 'ESTIMATE' | 'STREAM_STATUS' | 'ANALYTICS';
  emitted_at: number;
  error?: AirbyteErrorTraceMessage;
  estimate?: Record<string, unknown>;
  stream_status?: AirbyteStreamStatusTraceMessage;
  analytics?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface AirbyteConnectionStatus {
  status: 'SUCCEEDED' | 'FAILED';
  message?: string;
}

export interface AirbyteMessage {
  type: AirbyteMessageType;
  record?: AirbyteRecordMessage;
  state?: AirbyteStateMessage;
  log?: AirbyteLogMessage;
  trace?: AirbyteTraceMessage;
  spec?: Record<string, unknown>;
  catalog?: { streams: Array<Record<string, unknown>> };
  connectionStatus?: AirbyteConnectionStatus;
  control?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Parse connector stdout into messages. Blank lines are skipped; any other line must be a JSON
 * object with a string `type`, otherwise this throws naming the (1-based) line number —
 * stdout must carry only protocol messages.
 */
export function parseMessages(stdout: string): AirbyteMessage[] {
  const out: AirbyteMessage[] = [];
  const lines = stdout.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const shown = line.length > 200 ? `${line.slice(0, 200)}…` : line;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`stdout line ${i + 1} is not JSON (stdout must carry only Airbyte messages): ${shown}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof (value as { type?: unknown }).type !== 'string') {
      throw new Error(`stdout line ${i + 1} is not an Airbyte message (a JSON object with a string "type"): ${shown}`);
    }
    out.push(value as AirbyteMessage);
  });
  return out;
}

/** The `data` of RECORD messages, optionally only for one stream. */
export function records(msgs: AirbyteMessage[], stream?: string): Array<Record<string, unknown>> {
  return msgs
    .filter((m) => m.type === 'RECORD' && m.record !== undefined && (stream === undefined || m.record.stream === stream))
    .map((m) => (m.record as AirbyteRecordMessage).data);
}

/** The payloads of STATE messages, in order. */
export function states(msgs: AirbyteMessage[]): AirbyteStateMessage[] {
  return msgs.filter((m) => m.type === 'STATE' && m.state !== undefined).map((m) => m.state as AirbyteStateMessage);
}

/** The last STATE payload, or undefined. */
export function lastState(msgs: AirbyteMessage[]): AirbyteStateMessage | undefined {
  const all = states(msgs);
  return all[all.length - 1];
}

/** The payloads of TRACE messages. */
export function traces(msgs: AirbyteMessage[]): AirbyteTraceMessage[] {
  return msgs.filter((m) => m.type === 'TRACE' && m.trace !== undefined).map((m) => m.trace as AirbyteTraceMessage);
}

/** The `error` objects of TRACE messages of type ERROR. */
export function errors(msgs: AirbyteMessage[]): AirbyteErrorTraceMessage[] {
  return traces(msgs)
    .filter((t) => t.type === 'ERROR' && t.error !== undefined)
    .map((t) => t.error as AirbyteErrorTraceMessage);
}

/** LOG payloads, optionally only of one level. */
export function logs(msgs: AirbyteMessage[], level?: AirbyteLogLevel): AirbyteLogMessage[] {
  return msgs
    .filter((m) => m.type === 'LOG' && m.log !== undefined && (level === undefined || m.log.level === level))
    .map((m) => m.log as AirbyteLogMessage);
}

/** STREAM_STATUS trace payloads, optionally only for one stream. */
export function streamStatuses(msgs: AirbyteMessage[], stream?: string): AirbyteStreamStatusTraceMessage[] {
  return traces(msgs)
    .filter((t) => t.type === 'STREAM_STATUS' && t.stream_status !== undefined)
    .map((t) => t.stream_status as AirbyteStreamStatusTraceMessage)
    .filter((s) => stream === undefined || s.stream_descriptor.name === stream);
}
