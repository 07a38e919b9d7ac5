/**
 * A request that times out is retried as a transient error, like a connection reset: the CDK
 * retries `requests` timeouts with its default backoff. The transport's timeout is shortened
 * here (the runtime's default is 300 s) so the test runs in a moment.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockApi, configuredCatalog, errors, parseMessages, records, startMockApi } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runEntrypoint } from '../../entrypoint.js';
import { UndiciHttpClient } from '../http-client.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const MANIFEST = `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
streams:
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: /items }
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string } } }
`;

async function read(timeoutMs: number, baseUrl: string) {
  const dir = mkdtempSync(join(tmpdir(), 'manifold-timeout-'));
  const file = (name: string, value: unknown) => {
    writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
    return join(dir, name);
  };
  let stdout = '';
  const sleeps: number[] = [];
  const http = new UndiciHttpClient({ timeoutMs });
  const code = await runEntrypoint(
    ['read', '--manifest-path', file('manifest.yaml', MANIFEST), '--config', file('config.json', { base_url: baseUrl }), '--catalog', file('catalog.json', configuredCatalog(['items']))],
    {
      stdout: { write: (chunk: string) => ((stdout += chunk), true), once: () => undefined },
      sleep: async (ms) => void sleeps.push(ms),
      http,
    },
  );
  await http.close();
  return { code, messages: parseMessages(stdout), sleeps };
}

describe('request timeouts', () => {
  it('a response that does not come in time is retried, and the retry is read', async () => {
    let calls = 0;
    api = await startMockApi([
      { method: 'GET', path: '/items', handler: () => ({ body: { data: [{ id: (calls += 1) }] }, delayMs: calls === 1 ? 1500 : 0 }) },
    ]);
    const run = await read(300, api.url);
    expect(errors(run.messages)).toEqual([]);
    expect(run.code).toBe(0);
    expect(api.requestsTo('/items')).toHaveLength(2);
    expect(records(run.messages)).toEqual([{ id: 2 }]);
    expect(run.sleeps).toHaveLength(1);
  });

  it('timing out on every attempt ends the stream with a transient error after the retries', async () => {
    api = await startMockApi([{ method: 'GET', path: '/items', handler: () => ({ body: { data: [] }, delayMs: 1000 }) }]);
    const run = await read(100, api.url);
    expect(run.code).not.toBe(0);
    expect(api.requestsTo('/items')).toHaveLength(6);
    const [error] = errors(run.messages);
    expect(error?.failure_type).toBe('transient_error');
    expect(error?.message).toMatch(/Giving up after 5 retries/);
  }, 20_000);
});
