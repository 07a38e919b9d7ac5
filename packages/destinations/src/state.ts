import type { StateMessage } from './destination.js';

/**
 * Where a committed state is kept: one slot per stream for STREAM states, one shared slot for
 * GLOBAL and LEGACY states (they describe the whole connection).
 */
export interface StateSlot {
  streamName: string;
  streamNamespace: string;
}

export const CONNECTION_SLOT: StateSlot = { streamName: '', streamNamespace: '' };

export function stateSlot(state: StateMessage): StateSlot {
  if (state.type === 'STREAM' && state.stream) {
    const descriptor = state.stream.stream_descriptor;
    return { streamName: descriptor.name, streamNamespace: descriptor.namespace ?? '' };
  }
  return CONNECTION_SLOT;
}

/** A GLOBAL or LEGACY state replaces everything committed before it; a STREAM state only its own slot. */
export function replacesAllSlots(state: StateMessage): boolean {
  return stateSlot(state) === CONNECTION_SLOT;
}

export function streamKey(name: string, namespace: string | undefined): string {
  return namespace ? `${namespace}.${name}` : name;
}

/**
 * The committed states after forgetting one stream: its STREAM state goes, and a GLOBAL state
 * loses its entry for the stream. A LEGACY state cannot be split and is kept.
 */
export function forgetStream(states: StateMessage[], stream: { name: string; namespace?: string | undefined }): StateMessage[] {
  const namespace = stream.namespace ?? '';
  const sameStream = (descriptor: { name: string; namespace?: string }): boolean =>
    descriptor.name === stream.name && (descriptor.namespace ?? '') === namespace;
  const kept: StateMessage[] = [];
  for (const state of states) {
    if (state.type === 'STREAM' && state.stream && sameStream(state.stream.stream_descriptor)) continue;
    if (state.type === 'GLOBAL' && state.global) {
      kept.push({
        ...state,
        global: { ...state.global, stream_states: state.global.stream_states.filter((entry) => !sameStream(entry.stream_descriptor)) },
      });
      continue;
    }
    kept.push(state);
  }
  return kept;
}

/** Committed states after one more commit, for stores that keep the whole list (files). */
export function mergeState(states: StateMessage[], state: StateMessage): StateMessage[] {
  if (replacesAllSlots(state)) return [state];
  const slot = stateSlot(state);
  const kept = states.filter((existing) => {
    if (replacesAllSlots(existing)) return false;
    const other = stateSlot(existing);
    return other.streamName !== slot.streamName || other.streamNamespace !== slot.streamNamespace;
  });
  return [...kept, state];
}
