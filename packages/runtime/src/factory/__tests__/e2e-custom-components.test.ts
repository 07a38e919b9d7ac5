/**
 * A manifest with a Custom* component (Python code from components.py) run through the CLI path:
 * check, discover and read each end with one plain config_error naming the component, its class and
 * that it needs custom Python code; nothing crashes, no request is sent, stdout stays protocol.
 */
import { type MockApi, configuredCatalog, errors, startMockApi } from '@manifold/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSource } from '../../source/__tests__/harness.js';

let api: MockApi;
beforeAll(async () => {
  api = await startMockApi([{ path: /.*/, response: { body: { data: [{ id: 1 }] } } }]);
});
afterAll(async () => {
  await api.close();
});

/** The stream's YAML pieces; each case swaps one for a Custom* component. */
const PARTS = {
  requester: `      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: items }`,
  selector: `      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }`,
  extra: '',
  stream: '',
  retrieverType: 'SimpleRetriever',
};
type Parts = typeof PARTS;

function manifest(parts: Partial<Parts>): string {
  const p = { ...PARTS, ...parts };
  return `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
streams:
  - type: DeclarativeStream
    name: items
    retriever:
      type: ${p.retrieverType}
${p.requester}
${p.selector}
${p.extra}
${p.stream}
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string } } }
`;
}

const custom = (type: string) => `{ type: ${type}, class_name: source_acme.components.Acme${type.slice('Custom'.length)} }`;

const CASES: Array<[type: string, parts: Partial<Parts>]> = [
  ['CustomRetriever', { retrieverType: 'CustomRetriever\n      class_name: source_acme.components.AcmeRetriever' }],
  ['CustomRequester', { requester: `      requester: ${custom('CustomRequester')}` }],
  [
    'CustomAuthenticator',
    { requester: `      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: items, authenticator: ${custom('CustomAuthenticator')} }` },
  ],
  ['CustomRecordExtractor', { selector: `      record_selector: { type: RecordSelector, extractor: ${custom('CustomRecordExtractor')} }` }],
  [
    'CustomRecordFilter',
    { selector: `      record_selector: { type: RecordSelector, extractor: { type: DpathExtractor, field_path: [] }, record_filter: ${custom('CustomRecordFilter')} }` },
  ],
  ['CustomPartitionRouter', { extra: `      partition_router: ${custom('CustomPartitionRouter')}` }],
  [
    'CustomPaginationStrategy',
    { extra: `      paginator: { type: DefaultPaginator, pagination_strategy: ${custom('CustomPaginationStrategy')} }` },
  ],
  ['CustomDecoder', { extra: `      decoder: ${custom('CustomDecoder')}` }],
  [
    'CustomErrorHandler',
    { requester: `      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: items, error_handler: ${custom('CustomErrorHandler')} }` },
  ],
  [
    'CustomBackoffStrategy',
    {
      requester: `      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: items, error_handler: { type: DefaultErrorHandler, backoff_strategies: [${custom('CustomBackoffStrategy')}] } }`,
    },
  ],
  ['CustomTransformation', { stream: `    transformations: [${custom('CustomTransformation')}]` }],
  ['CustomIncrementalSync', { stream: `    incremental_sync: { type: CustomIncrementalSync, class_name: source_acme.components.AcmeCursor, cursor_field: updated_at }` }],
  ['CustomSchemaLoader', { stream: `    schema_loader: ${custom('CustomSchemaLoader')}` }],
];

describe.each(CASES)('%s', (type, parts) => {
  it.each(['check', 'discover', 'read'] as const)('%s: one config_error naming the component and saying it needs custom Python', async (command) => {
    api.reset();
    const run = await runSource(command, {
      manifest: manifest(parts),
      config: { base_url: api.url },
      catalog: command === 'read' ? configuredCatalog(['items']) : undefined,
    });
    // The run ends cleanly with a non-zero code and protocol output only (runSource parses every line).
    expect(run.code).not.toBe(0);
    const [error, ...more] = errors(run.messages);
    expect(more).toEqual([]);
    expect(error?.failure_type).toBe('config_error');
    expect(error?.message).toContain(type);
    expect(error?.message).toMatch(/needs custom Python code/);
    expect(error?.message).toContain('source_acme.components.');
    expect(error?.stack_trace ?? '').not.toMatch(/TypeError|undefined is not/);
    expect(api.requests).toEqual([]);
  });
});
