/**
 * What the startup snapshot runs before the heap is saved (snapshot.ts), so that the functions a
 * connector process needs are already compiled to bytecode in the image instead of being parsed
 * and compiled lazily on every run: the load → validate → spec path every command takes, and a
 * small read (partitions, pagination, record selection, the concurrent reader, the record
 * writer) against an in-memory HTTP client.
 *
 * Whatever runs here ends up in every process started from the snapshot, so it must leave
 * nothing behind: no output on the real stdout or stderr, no environment, no clock, no timers,
 * no temporary files, and no one-off state such as a warning already given.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HttpClient, type Json, loadManifest, runEntrypoint, specOf, validateConfig } from '@manifold/runtime';

/** Our own small manifest, shaped like most real ones: auth, partitions, cursor pagination. */
export const WARM_UP_MANIFEST = `# Written as most manifests are: block style, comments, quoted and plain scalars, a literal
# block, flow sequences; the YAML parser's paths for each are compiled while warming up.
version: 7.0.0
type: DeclarativeSource
description: |
  A manifest of our own for warming up the startup snapshot.
check:
  type: CheckStream
  stream_names: [things]
concurrency_level:
  type: ConcurrencyLevel
  default_concurrency: "{{ config.get('concurrency', 2) }}"
  max_concurrency: 4
definitions:
  requester:
    type: HttpRequester
    url_base: "https://example.invalid/{{ config['region'] }}"
    http_method: GET
    authenticator:
      type: BearerAuthenticator
      api_token: '{{ config["token"] }}'
    request_headers: { Accept: application/json }
  paginator:
    type: DefaultPaginator
    pagination_strategy:
      type: CursorPagination
      cursor_value: "{{ response.next }}"
      stop_condition: "{{ not response.next }}"
    page_token_option:
      type: RequestOption
      inject_into: request_parameter
      field_name: cursor
streams:
  - type: DeclarativeStream
    name: things
    primary_key:
      - id
    retriever:
      type: SimpleRetriever
      requester:
        $ref: "#/definitions/requester"
        path: /things
      record_selector:
        type: RecordSelector
        extractor:
          type: DpathExtractor
          field_path: ["data"]
      paginator:
        $ref: "#/definitions/paginator"
      partition_router:
        type: ListPartitionRouter
        cursor_field: part
        values: [a, b]
        request_option:
          type: RequestOption
          inject_into: request_parameter
          field_name: part
    schema_loader:
      type: InlineSchemaLoader
      schema:
        $schema: http://json-schema.org/draft-07/schema#
        type: object
        additionalProperties: true
        properties:
          id: { type: integer }
          name: { type: [string, "null"] }
spec:
  type: Spec
  documentation_url: https://example.invalid/docs
  connection_specification:
    $schema: http://json-schema.org/draft-07/schema#
    type: object
    required: [token]
    additionalProperties: true
    properties:
      token:
        type: string
        title: API token
        airbyte_secret: true
        order: 0
      region: { type: string, default: eu, enum: [eu, us] }
      concurrency: { type: integer, default: 2, minimum: 1 }
`;

const PAGES_PER_PARTITION = 2;

/** The path every command takes before it does anything else. */
export function warmUpCommands(): void {
  for (let i = 0; i < 3; i++) {
    const loaded = loadManifest(WARM_UP_MANIFEST);
    const spec = specOf(loaded.manifest) as { connectionSpecification: Json };
    validateConfig({ token: 't', region: 'eu' }, spec.connectionSpecification);
  }
}

/** Serves two small pages per partition from memory; no socket, no timer. */
function inMemoryApi(): HttpClient {
  return {
    async send(req) {
      const query = new URL(req.url).searchParams;
      const part = query.get('part') ?? '';
      const page = Number(query.get('cursor') ?? 0);
      const next = page + 1 < PAGES_PER_PARTITION ? String(page + 1) : null;
      const data = [0, 1, 2].map((i) => ({ id: page * 3 + i, part, name: `thing ${i}`, score: i + 0.5, tags: ['x'], active: i % 2 === 0, meta: null }));
      const body = Buffer.from(JSON.stringify({ data, next }));
      return { status: 200, headers: { 'content-type': 'application/json' }, body, url: req.url, request: req, text: () => body.toString('utf8') };
    },
    async close() {},
  };
}

/**
 * A read of WARM_UP_MANIFEST through runEntrypoint, as the CLI runs it, with files in a temp
 * directory removed afterwards. Fails if the read fails, emits no record, or logs a warning or
 * an error (a warning given here would be "already given" in every run).
 */
export async function warmUpRead(times = 2): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'manifold-warm-up-'));
  // Every request gets AbortSignal.timeout(): a pending timer and a FinalizationRegistry entry,
  // neither of which a snapshot can hold (V8 refuses a registry with pending cleanups, and node's
  // timer list would name a timer libuv no longer has). Here, and only here, requests get a
  // signal that never fires.
  const timeout = Object.getOwnPropertyDescriptor(AbortSignal, 'timeout') as PropertyDescriptor;
  Object.defineProperty(AbortSignal, 'timeout', { ...timeout, value: () => new AbortController().signal });
  try {
    const manifest = join(dir, 'manifest.yaml');
    const config = join(dir, 'config.json');
    const catalog = join(dir, 'catalog.json');
    writeFileSync(manifest, WARM_UP_MANIFEST);
    writeFileSync(config, JSON.stringify({ token: 'warm-up' }));
    const stream = { name: 'things', json_schema: {}, supported_sync_modes: ['full_refresh'] };
    writeFileSync(catalog, JSON.stringify({ streams: [{ stream, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' }] }));
    for (let i = 0; i < times; i++) {
      let output = '';
      const stdout = { write: (chunk: string) => ((output += chunk), true), once: () => undefined };
      const code = await runEntrypoint(['read', '--manifest-path', manifest, '--config', config, '--catalog', catalog], {
        stdout,
        env: {},
        clock: () => 0,
        sleep: async () => undefined,
        http: inMemoryApi(),
      });
      const records = output.split('\n').filter((line) => line.startsWith('{"type":"RECORD"')).length;
      const expected = 2 * PAGES_PER_PARTITION * 3;
      if (code !== 0 || records !== expected || /"level":"(WARN|ERROR)"/.test(output)) {
        throw new Error(`snapshot warm-up: the read exited ${code} with ${records} of ${expected} records:\n${output.slice(0, 2000)}`);
      }
    }
  } finally {
    Object.defineProperty(AbortSignal, 'timeout', timeout);
    rmSync(dir, { recursive: true, force: true });
  }
}
