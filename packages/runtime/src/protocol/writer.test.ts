import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { SecretMasker } from '../logging/mask.js';
import { createLogger } from '../logging/logger.js';
import { recordMessage } from './messages.js';
import { MessageWriter } from './writer.js';

class Sink extends EventEmitter {
  chunks: string[] = [];
  full = false;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return !this.full;
  }
  get lines(): string[] {
    return this.chunks.join('').split('\n').filter(Boolean);
  }
}

describe('MessageWriter', () => {
  it('writes one JSON message a line, in order, batching small writes', async () => {
    const sink = new Sink();
    const writer = new MessageWriter(sink);
    for (let i = 0; i < 10; i += 1) writer.write(recordMessage('s', { i }, 1));
    expect(sink.chunks).toHaveLength(0);
    await writer.end();
    expect(sink.chunks).toHaveLength(1);
    expect(sink.lines.map((l) => JSON.parse(l).record.data.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('writes BigInt values (integers beyond 2^53) as bare digits in RECORD and STATE lines', async () => {
    const sink = new Sink();
    const writer = new MessageWriter(sink);
    writer.write(recordMessage('s', { id: 12345678901234567890n, ids: [-9007199254740993n] }, 1));
    writer.write({ type: 'RECORD', record: { stream: 's', namespace: 'ns', data: { id: 9007199254740993n }, emitted_at: 2 } });
    writer.write({
      type: 'STATE',
      state: { type: 'STREAM', stream: { stream_descriptor: { name: 's' }, stream_state: { id: 12345678901234567890n } } },
    });
    await writer.end();
    expect(sink.lines).toEqual([
      '{"type":"RECORD","record":{"stream":"s","data":{"id":12345678901234567890,"ids":[-9007199254740993]},"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","namespace":"ns","data":{"id":9007199254740993},"emitted_at":2}}',
      '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"s"},"stream_state":{"id":12345678901234567890}}}}',
    ]);
  });

  it('writes RECORD lines byte for byte as JSON.stringify would', async () => {
    const sink = new Sink();
    const writer = new MessageWriter(sink);
    const messages = [
      recordMessage('s', { id: 1, name: 'é "quoted" \n', nested: { list: [1, null, { a: true }] }, n: 1.5e300 }, 1764100000000),
      recordMessage('other "stream"', {}, 0),
      recordMessage('s', { id: 2 }, 1.5),
      { type: 'RECORD' as const, record: { stream: 's', namespace: 'ns', data: { id: 3 }, emitted_at: 2 } },
      { type: 'RECORD' as const, record: { stream: 's', data: { id: 4 }, emitted_at: Number.NaN } },
    ];
    for (const message of messages) writer.write(message);
    await writer.end();
    expect(sink.lines).toEqual(messages.map((m) => JSON.stringify(m)));
  });

  it('waits for drain when the stream asks', async () => {
    const sink = new Sink();
    sink.full = true;
    const writer = new MessageWriter(sink, undefined, { highWaterMark: 10 });
    const pending = writer.write(recordMessage('s', { i: 1 }, 1));
    expect(pending).toBeInstanceOf(Promise);
    let done = false;
    void pending?.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toBe(false);
    sink.emit('drain');
    await pending;
    expect(done).toBe(true);
  });

  it('masks secrets in LOG and TRACE lines but not in records', async () => {
    const sink = new Sink();
    const masker = new SecretMasker();
    masker.add('s3cr3t-value');
    const writer = new MessageWriter(sink, masker);
    writer.write(recordMessage('s', { token: 's3cr3t-value' }, 1));
    writer.write({ type: 'LOG', log: { level: 'INFO', message: 'using s3cr3t-value' } });
    await writer.end();
    expect(sink.lines[0]).toContain('s3cr3t-value');
    expect(sink.lines[1]).not.toContain('s3cr3t-value');
  });
});

describe('createLogger', () => {
  it('shapes pino lines as Airbyte LOG messages with upper-case levels, masked', async () => {
    const sink = new Sink();
    const masker = new SecretMasker();
    masker.add('hunter2-pass');
    const writer = new MessageWriter(sink, masker);
    const logger = createLogger(writer, masker);
    logger.info('hello');
    logger.warn('password is hunter2-pass');
    logger.debug('hidden at info level');
    await writer.end();
    expect(sink.lines.map((l) => JSON.parse(l))).toEqual([
      { type: 'LOG', log: { level: 'INFO', message: 'hello' } },
      { type: 'LOG', log: { level: 'WARN', message: 'password is ****' } },
    ]);
  });
});
