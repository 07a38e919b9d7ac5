import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { createDestination } from './create-destination.js';
import { EMITTED_AT, stream, streamState } from './testing/streams.js';
it('perf', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'p-')), 'w.duckdb');
  const destination = createDestination({ type: 'duckdb', path });
  const events = stream('events', { id: { type: 'integer' }, name: { type: 'string' }, value: { type: 'number' } });
  const writer = await destination.open([events], { syncId: 's', connectionId: 'c1' });
  let t = performance.now();
  for (let id = 0; id < 100_000; id += 1) {
    await writer.write('events', undefined, { id, name: `name-${id}`, value: id / 3 }, EMITTED_AT);
    if (id % 20_000 === 19_999) await writer.commit(streamState('events', { cursor: id }));
  }
  await writer.complete();
  console.log('total', performance.now() - t);
  await destination.close();
}, 60000);
