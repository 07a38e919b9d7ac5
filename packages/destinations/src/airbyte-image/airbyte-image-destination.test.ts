import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createDestination } from '../create-destination.js';
import type { Destination } from '../destination.js';
import { EMITTED_AT, stream, streamState } from '../testing/streams.js';

const FAKE = join(dirname(fileURLToPath(import.meta.url)), 'fake-destination.test-fixture.mjs');

function fakeImage(extra: Record<string, unknown> = {}): { destination: Destination; output: string; stateDirectory: string } {
  const root = mkdtempSync(join(tmpdir(), 'manifold-image-'));
  const output = join(root, 'received.jsonl');
  const stateDirectory = join(root, 'state');
  const destination = createDestination({
    type: 'airbyte-image',
    image: 'example/destination-fake:1.0',
    config: { output, password: 'image-secret-xyz', ...extra },
    stateDirectory,
    command: [process.execPath, FAKE],
  });
  return { destination, output, stateDirectory };
}

function received(output: string): Array<Record<string, unknown>> {
  return readFileSync(output, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('airbyte image destination', () => {
  it('sends a configured catalog, records and states; a state is committed once echoed', async () => {
    const { destination, output } = fakeImage();
    const orders = stream('orders', { id: { type: 'integer' } }, 'incremental_append_dedup', { primaryKey: [['id']], cursorField: ['id'], namespace: 'shop' });
    const users = stream('users', { id: { type: 'integer' } }, 'full_refresh_overwrite');
    const writer = await destination.open([orders, users], { syncId: '12', connectionId: 'c1', generationId: 4 });
    await writer.write('orders', 'shop', { id: 1 }, EMITTED_AT);
    await writer.write('users', undefined, { id: 2 }, EMITTED_AT);
    const state = { type: 'STREAM' as const, stream: { stream_descriptor: { name: 'orders', namespace: 'shop' }, stream_state: { id: 1 } } };
    await writer.commit(state);
    expect(await destination.readState('c1')).toEqual([state]);
    await writer.write('users', undefined, { id: 3 }, EMITTED_AT);
    expect(await writer.complete()).toEqual({ recordsWritten: { 'shop.orders': 1, users: 2 } });

    const [first, ...messages] = received(output);
    const catalog = (first as { catalog: { streams: Array<Record<string, unknown>> } }).catalog;
    expect(catalog.streams[0]).toMatchObject({
      stream: { name: 'orders', namespace: 'shop', json_schema: orders.jsonSchema },
      sync_mode: 'incremental',
      destination_sync_mode: 'append_dedup',
      primary_key: [['id']],
      cursor_field: ['id'],
      generation_id: 4,
      minimum_generation_id: 0,
      sync_id: 12,
    });
    expect(catalog.streams[1]).toMatchObject({ sync_mode: 'full_refresh', destination_sync_mode: 'overwrite', generation_id: 4, minimum_generation_id: 4 });
    expect(messages).toEqual([
      { type: 'RECORD', record: { stream: 'orders', namespace: 'shop', data: { id: 1 }, emitted_at: EMITTED_AT } },
      { type: 'RECORD', record: { stream: 'users', data: { id: 2 }, emitted_at: EMITTED_AT } },
      { type: 'STATE', state },
      { type: 'RECORD', record: { stream: 'users', data: { id: 3 }, emitted_at: EMITTED_AT } },
    ]);
  });

  it('a destination that dies fails the pending commit with its error, secrets masked, and keeps earlier state', async () => {
    const { destination } = fakeImage({ exitAfterStates: 1 });
    const writer = await destination.open([stream('events', {})], { syncId: 's', connectionId: 'c1' });
    await writer.write('events', undefined, { id: 1 }, EMITTED_AT);
    await writer.commit(streamState('events', { cursor: 1 }));
    await writer.write('events', undefined, { id: 2 }, EMITTED_AT);
    const failure = writer.commit(streamState('events', { cursor: 2 }));
    await expect(failure).rejects.toMatchObject({ code: 'DEST_PROCESS_FAILED', message: expect.stringContaining('exited with code 3: disk full near ****') });
    await expect(failure).rejects.not.toMatchObject({ message: expect.stringContaining('image-secret-xyz') });
    expect(await destination.readState('c1')).toEqual([streamState('events', { cursor: 1 })]);
    await expect(writer.write('events', undefined, { id: 3 }, EMITTED_AT)).rejects.toMatchObject({ code: 'DEST_PROCESS_FAILED' });
  });

  it('abort stops the destination; states it never echoed are not committed', async () => {
    const { destination } = fakeImage({ echo: false });
    const writer = await destination.open([stream('events', {})], { syncId: 's', connectionId: 'c1' });
    await writer.write('events', undefined, { id: 1 }, EMITTED_AT);
    const pending = writer.commit(streamState('events', { cursor: 1 }));
    pending.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await writer.abort();
    await expect(pending).rejects.toMatchObject({ code: 'DEST_PROCESS_FAILED' });
    expect(await destination.readState('c1')).toEqual([]);
  });

  it('resetStream forgets the stream state and keeps the others', async () => {
    const { destination } = fakeImage();
    const writer = await destination.open([stream('a', {}), stream('b', {})], { syncId: 's', connectionId: 'c1' });
    await writer.commit(streamState('a', { cursor: 1 }));
    await writer.commit(streamState('b', { cursor: 2 }));
    await writer.complete();
    await destination.resetStream('c1', { name: 'a' });
    expect(await destination.readState('c1')).toEqual([streamState('b', { cursor: 2 })]);
  });

  it('check() passes the image verdict on, with secrets masked, and reports a command that cannot start', async () => {
    expect(await fakeImage().destination.check()).toEqual({ ok: true });
    expect(await fakeImage({ fail: 'bad host' }).destination.check()).toEqual({
      ok: false,
      message: 'destination image example/destination-fake:1.0: bad host (password ****)',
    });
    const missing = createDestination({ type: 'airbyte-image', image: 'x/y', config: {}, command: ['/nonexistent/docker-binary'] });
    const result = await missing.check();
    expect(result.ok).toBe(false);
    expect(result.message).toContain('destination image x/y could not run: cannot start /nonexistent/docker-binary');
  });
});
