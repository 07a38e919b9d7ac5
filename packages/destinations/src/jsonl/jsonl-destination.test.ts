import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDestination } from '../create-destination.js';
import { killWriterMidBatch } from '../testing/run-crash-writer.js';
import { EMITTED_AT, UUID_V4, stream, streamState } from '../testing/streams.js';
import { readCommittedState } from './state-file.js';

function newDirectory(): string {
  return join(mkdtempSync(join(tmpdir(), 'manifold-jsonl-')), 'out');
}

function lines(directory: string, file: string): Array<Record<string, unknown>> {
  const path = join(directory, file);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const ids = (directory: string, file: string): unknown[] => lines(directory, file).map((line) => (line['_airbyte_data'] as { id?: unknown }).id);

describe('jsonl destination', () => {
  it('writes one line per record with raw id, extraction time and data', async () => {
    const directory = newDirectory();
    const destination = createDestination({ type: 'jsonl', directory });
    const writer = await destination.open(
      [stream('users', { id: { type: 'integer' } }), stream('users', { id: { type: 'integer' } }, 'incremental_append', { namespace: 'crm' })],
      { syncId: 's', connectionId: 'c1' },
    );
    await writer.write('users', undefined, { id: 1, nested: { a: [1, 2] } }, EMITTED_AT);
    await writer.write('users', 'crm', { id: 2 }, EMITTED_AT);
    await writer.commit(streamState('users', { cursor: 1 }));
    expect(await writer.complete()).toEqual({ recordsWritten: { users: 1, 'crm.users': 1 } });
    const [line] = lines(directory, 'users.jsonl');
    expect(Object.keys(line ?? {})).toEqual(['_airbyte_raw_id', '_airbyte_extracted_at', '_airbyte_data']);
    expect(line?.['_airbyte_raw_id']).toMatch(UUID_V4);
    expect(line?.['_airbyte_extracted_at']).toBe(EMITTED_AT);
    expect(line?.['_airbyte_data']).toEqual({ id: 1, nested: { a: [1, 2] } });
    expect(ids(directory, 'crm.users.jsonl')).toEqual([2]);
    expect(await destination.readState('c1')).toEqual([streamState('users', { cursor: 1 })]);
  });

  it('appends across syncs in append modes', async () => {
    const directory = newDirectory();
    const destination = createDestination({ type: 'jsonl', directory });
    for (const syncMode of ['full_refresh_append', 'incremental_append'] as const) {
      const writer = await destination.open([stream('events', {}, syncMode)], { syncId: 's', connectionId: 'c1' });
      await writer.write('events', undefined, { id: syncMode }, EMITTED_AT);
      await writer.complete();
    }
    expect(ids(directory, 'events.jsonl')).toEqual(['full_refresh_append', 'incremental_append']);
  });

  it('overwrite writes a .tmp file and renames it over the old file at complete()', async () => {
    const directory = newDirectory();
    const destination = createDestination({ type: 'jsonl', directory });
    const users = stream('users', {}, 'full_refresh_overwrite');
    let writer = await destination.open([users], { syncId: 's1', connectionId: 'c1' });
    await writer.write('users', undefined, { id: 1 }, EMITTED_AT);
    await writer.complete();

    writer = await destination.open([users], { syncId: 's2', connectionId: 'c1' });
    await writer.write('users', undefined, { id: 2 }, EMITTED_AT);
    await writer.commit(streamState('users', { page: 1 }));
    expect(ids(directory, 'users.jsonl')).toEqual([1]);
    expect(ids(directory, 'users.jsonl.tmp')).toEqual([2]);
    await writer.abort();
    expect(ids(directory, 'users.jsonl')).toEqual([1]);

    writer = await destination.open([users], { syncId: 's3', connectionId: 'c1' });
    await writer.write('users', undefined, { id: 3 }, EMITTED_AT);
    await writer.complete();
    expect(ids(directory, 'users.jsonl')).toEqual([3]);
    expect(existsSync(join(directory, 'users.jsonl.tmp'))).toBe(false);
    expect(readCommittedState(directory).files['users.jsonl']?.length).toBe(statSync(join(directory, 'users.jsonl')).size);
  });

  it('overwrite resumes the .tmp file of a killed attempt only for the same generation', async () => {
    const directory = newDirectory();
    const destination = createDestination({ type: 'jsonl', directory });
    const users = stream('users', {}, 'full_refresh_overwrite');
    let writer = await destination.open([users], { syncId: 's1', connectionId: 'c1', generationId: 2 });
    await writer.write('users', undefined, { id: 1 }, EMITTED_AT);
    await writer.commit(streamState('users', { page: 1 }));
    await writer.write('users', undefined, { id: 'uncommitted' }, EMITTED_AT);
    await writer.abort();
    writer = await destination.open([users], { syncId: 's1', connectionId: 'c1', generationId: 2 });
    await writer.write('users', undefined, { id: 2 }, EMITTED_AT);
    await writer.commit(streamState('users', { page: 2 }));
    await writer.abort();
    expect(ids(directory, 'users.jsonl.tmp')).toEqual([1, 2]);
    writer = await destination.open([users], { syncId: 's2', connectionId: 'c1', generationId: 3 });
    await writer.write('users', undefined, { id: 3 }, EMITTED_AT);
    await writer.complete();
    expect(ids(directory, 'users.jsonl')).toEqual([3]);
  });

  it('refuses dedup at open() with a clear error', async () => {
    const destination = createDestination({ type: 'jsonl', directory: newDirectory() });
    await expect(
      destination.open([stream('orders', {}, 'incremental_append_dedup', { primaryKey: [['id']] })], { syncId: 's', connectionId: 'c1' }),
    ).rejects.toMatchObject({ code: 'DEST_SYNC_MODE_UNSUPPORTED', message: expect.stringContaining("stream 'orders': the jsonl destination cannot deduplicate") });
  });

  it('abort cuts the files back to their committed length', async () => {
    const directory = newDirectory();
    const destination = createDestination({ type: 'jsonl', directory });
    const writer = await destination.open([stream('events', {})], { syncId: 's', connectionId: 'c1' });
    await writer.write('events', undefined, { id: 1 }, EMITTED_AT);
    await writer.commit(streamState('events', { cursor: 1 }));
    // Enough to pass the flush threshold, so uncommitted bytes really are in the file before abort.
    for (let id = 2; id < 20_000; id += 1) await writer.write('events', undefined, { id, pad: 'y'.repeat(60) }, EMITTED_AT);
    expect(statSync(join(directory, 'events.jsonl')).size).toBeGreaterThan(readCommittedState(directory).files['events.jsonl']?.length ?? 0);
    await writer.abort();
    expect(ids(directory, 'events.jsonl')).toEqual([1]);
    expect(await destination.readState('c1')).toEqual([streamState('events', { cursor: 1 })]);
  });

  it('after a writer is killed mid-batch, only committed lines and state remain', async () => {
    const directory = newDirectory();
    const events = stream('events', {});
    await killWriterMidBatch({ config: { type: 'jsonl', directory }, stream: events, committed: 50, uncommitted: 12_000, connectionId: 'c1' });
    expect(lines(directory, 'events.jsonl').length).toBeGreaterThan(50);
    const destination = createDestination({ type: 'jsonl', directory });
    expect(await destination.readState('c1')).toEqual([streamState('events', { cursor: 50 })]);
    expect(ids(directory, 'events.jsonl')).toEqual(Array.from({ length: 50 }, (_, id) => id));
    const writer = await destination.open([events], { syncId: 's2', connectionId: 'c1' });
    await writer.write('events', undefined, { id: 50 }, EMITTED_AT);
    await writer.complete();
    expect(ids(directory, 'events.jsonl').at(-1)).toBe(50);
    expect(ids(directory, 'events.jsonl').length).toBe(51);
  }, 60_000);

  it('a file left by a sync that never committed is emptied on open', async () => {
    const directory = newDirectory();
    const destination = createDestination({ type: 'jsonl', directory });
    await destination.check();
    writeFileSync(join(directory, 'events.jsonl'), '{"_airbyte_data":{"id":"ghost"}}\n');
    const writer = await destination.open([stream('events', {})], { syncId: 's', connectionId: 'c1' });
    await writer.write('events', undefined, { id: 1 }, EMITTED_AT);
    await writer.complete();
    expect(ids(directory, 'events.jsonl')).toEqual([1]);
  });

  it('resetStream empties one stream and forgets its state', async () => {
    const directory = newDirectory();
    const destination = createDestination({ type: 'jsonl', directory });
    const writer = await destination.open([stream('a', {}), stream('b', {})], { syncId: 's', connectionId: 'c1' });
    await writer.write('a', undefined, { id: 1 }, EMITTED_AT);
    await writer.write('b', undefined, { id: 2 }, EMITTED_AT);
    await writer.commit(streamState('a', { cursor: 1 }));
    await writer.commit(streamState('b', { cursor: 2 }));
    await writer.complete();
    await destination.resetStream('c1', { name: 'a' });
    expect(ids(directory, 'a.jsonl')).toEqual([]);
    expect(ids(directory, 'b.jsonl')).toEqual([2]);
    expect(await destination.readState('c1')).toEqual([streamState('b', { cursor: 2 })]);
  });

  it('check() creates the directory, and reports one it cannot create', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'manifold-jsonl-'));
    expect(await createDestination({ type: 'jsonl', directory: join(parent, 'new') }).check()).toEqual({ ok: true });
    writeFileSync(join(parent, 'a-file'), '');
    const result = await createDestination({ type: 'jsonl', directory: join(parent, 'a-file', 'sub') }).check();
    expect(result).toEqual({ ok: false, message: `JSONL directory ${join(parent, 'a-file', 'sub')} cannot be created or written (ENOTDIR)` });
    if (userInfo().uid !== 0) {
      chmodSync(parent, 0o500);
      expect((await createDestination({ type: 'jsonl', directory: join(parent, 'x') }).check()).ok).toBe(false);
    }
  });
});
