import type { DestinationStream, DestinationSyncMode, StateMessage } from '../destination.js';

export function stream(
  name: string,
  properties: Record<string, unknown>,
  syncMode: DestinationSyncMode = 'incremental_append',
  options: { primaryKey?: string[][]; cursorField?: string[]; namespace?: string } = {},
): DestinationStream {
  return {
    name,
    namespace: options.namespace,
    jsonSchema: { type: 'object', properties },
    syncMode,
    primaryKey: options.primaryKey ?? [],
    cursorField: options.cursorField ?? [],
  };
}

export function streamState(name: string, state: Record<string, unknown>): StateMessage {
  return { type: 'STREAM', stream: { stream_descriptor: { name }, stream_state: state } };
}

export const EMITTED_AT = Date.parse('2024-05-06T07:08:09.123Z');
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
