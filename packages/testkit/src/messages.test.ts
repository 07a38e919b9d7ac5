import { describe, expect, it } from 'vitest';
import { errors, lastState, logs, parseMessages, records, states, streamStatuses, traces } from './messages.js';

const lines = [
  { type: 'LOG', log: { level: 'INFO', message: 'Starting syncing' } },
  { type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: 'users' }, status: 'STARTED' } } },
  { type: 'RECORD', record: { stream: 'users', data: { id: 1 }, emitted_at: 2 } },
  { type: 'RECORD', record: { stream: 'orgs', data: { id: 'o1' }, emitted_at: 3 } },
  { type: 'RECORD', record: { stream: 'users', data: { id: 2 }, emitted_at: 4 } },
  { type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'users' }, stream_state: { updated_at: '2024-01-01' } } } },
  { type: 'LOG', log: { level: 'WARN', message: 'slow' } },
  { type: 'TRACE', trace: { type: 'ERROR', emitted_at: 5, error: { message: 'boom', failure_type: 'config_error' } } },
  { type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 6, stream_status: { stream_descriptor: { name: 'orgs' }, status: 'COMPLETE' } } },
  { type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: 'users' }, stream_state: { updated_at: '2024-02-01' } } } },
  { type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 7, stream_status: { stream_descriptor: { name: 'users' }, status: 'COMPLETE' } } },
];
const stdout = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

describe('parseMessages', () => {
  it('parses one message per line, skipping blank lines and CRLF endings', () => {
    const msgs = parseMessages(stdout);
    expect(msgs).toHaveLength(lines.length);
    expect(msgs[0]).toEqual(lines[0]);
    expect(parseMessages('\n{"type":"LOG","log":{"level":"INFO","message":"x"}}\r\n\n')).toHaveLength(1);
    expect(parseMessages('')).toEqual([]);
  });

  it('throws naming the line of a non-JSON line', () => {
    const bad = `${JSON.stringify(lines[0])}\n${JSON.stringify(lines[2])}\nconsole.log leaked here\n`;
    expect(() => parseMessages(bad)).toThrow(/line 3 is not JSON.*console\.log leaked here/);
  });

  it('throws for JSON that is not an Airbyte message', () => {
    expect(() => parseMessages('{"type":"LOG"}\n[1,2]')).toThrow(/line 2 is not an Airbyte message/);
    expect(() => parseMessages('{"record":{}}')).toThrow(/line 1/);
    expect(() => parseMessages('42')).toThrow(/line 1/);
  });

  it('shortens very long offending lines in the error', () => {
    try {
      parseMessages('x'.repeat(1000));
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message.length).toBeLessThan(400);
    }
  });
});

describe('pickers', () => {
  const msgs = parseMessages(stdout);

  it('records: all or by stream', () => {
    expect(records(msgs)).toEqual([{ id: 1 }, { id: 'o1' }, { id: 2 }]);
    expect(records(msgs, 'users')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(records(msgs, 'nope')).toEqual([]);
  });

  it('states and lastState', () => {
    expect(states(msgs)).toHaveLength(2);
    expect(lastState(msgs)?.stream?.stream_state).toEqual({ updated_at: '2024-02-01' });
    expect(lastState([])).toBeUndefined();
  });

  it('traces and errors', () => {
    expect(traces(msgs)).toHaveLength(4);
    expect(errors(msgs)).toEqual([{ message: 'boom', failure_type: 'config_error' }]);
  });

  it('logs: all or by level', () => {
    expect(logs(msgs).map((l) => l.message)).toEqual(['Starting syncing', 'slow']);
    expect(logs(msgs, 'WARN')).toEqual([{ level: 'WARN', message: 'slow' }]);
    expect(logs(msgs, 'ERROR')).toEqual([]);
  });

  it('streamStatuses: all or by stream', () => {
    expect(streamStatuses(msgs).map((s) => `${s.stream_descriptor.name}:${s.status}`)).toEqual(['users:STARTED', 'orgs:COMPLETE', 'users:COMPLETE']);
    expect(streamStatuses(msgs, 'users').map((s) => s.status)).toEqual(['STARTED', 'COMPLETE']);
  });
});
