/**
 * The baseline: the least a Node program can do for the same job as `read` of the bench
 * manifest. One undici request per page, JSON.parse of the body, one Airbyte RECORD line per
 * record, written in 64 KB batches with back-pressure honoured. No manifest, no templates,
 * no validation, no retries.
 *
 *   node dist/baseline.js <base_url> <stream> [partition]
 */
import { setFlagsFromString } from 'node:v8';
import { Agent, request } from 'undici';

// The same V8 flag the CLI sets (see packages/cli/src/cli.ts): without it, exit waits ~200 ms for
// the background optimisation of undici's WebAssembly parser. Set here too so that the
// comparison stays like for like. (undici compiles the module on first connect, after this line.)
setFlagsFromString('--liftoff-only');

async function main(): Promise<void> {
  const [baseUrl, stream = 'items', partition] = process.argv.slice(2);
  if (!baseUrl) throw new Error('usage: baseline <base_url> <stream> [partition]');
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const out = process.stdout;
  let buffer = '';
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const chunk = buffer;
    buffer = '';
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  let cursor: string | null = '0';
  while (cursor !== null) {
    const url = `${baseUrl}/items?cursor=${encodeURIComponent(cursor)}${partition ? `&partition=${encodeURIComponent(partition)}` : ''}`;
    const response = await request(url, { dispatcher: agent });
    const page = JSON.parse(await response.body.text()) as { data: Record<string, unknown>[]; next_cursor: string | null };
    for (const data of page.data) {
      buffer += JSON.stringify({ type: 'RECORD', record: { stream, data, emitted_at: Date.now() } }) + '\n';
      if (buffer.length >= 65536) await flush();
    }
    cursor = page.next_cursor ?? null;
  }
  await flush();
  await agent.close();
}

await main();
