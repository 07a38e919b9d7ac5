/**
 * The Builder's full_resolve view (resolveDynamicStreams) of a manifest with ConditionalStreams,
 * against a local mock API for the HttpComponentsResolver. As the CDK's full_resolve_manifest:
 * the resolved manifest's `streams` list is returned as it is, each entry marked with
 * `dynamic_stream_name: null`, so a ConditionalStreams entry stays one unexpanded entry (whatever
 * its condition gives for the config), and the generated streams follow.
 */
import { type MockApi, startMockApi } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import { SecretMasker } from '../logging/mask.js';
import { loadManifest } from '../manifest/index.js';
import { UndiciHttpClient } from '../requesters/http-client.js';
import { DeclarativeSource } from '../source/declarative-source.js';
import { resolveDynamicStreams } from './index.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const MANIFEST = `
version: 7.0.0
type: DeclarativeSource
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string }, with_extra: { type: boolean } } }
check: { type: CheckStream, stream_names: [meta] }
definitions:
  requester: { type: HttpRequester, url_base: "{{ config.base_url }}" }
streams:
  - type: DeclarativeStream
    name: meta
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: /meta }
      record_selector: { type: RecordSelector, extractor: { type: DpathExtractor, field_path: [] } }
  - type: ConditionalStreams
    condition: "{{ config.with_extra }}"
    $parameters: { section: extra }
    streams:
      - type: DeclarativeStream
        name: extra
        retriever:
          type: SimpleRetriever
          requester: { $ref: "#/definitions/requester", path: /extra }
          record_selector: { type: RecordSelector, extractor: { type: DpathExtractor, field_path: [] } }
dynamic_streams:
  - type: DynamicDeclarativeStream
    name: tables
    stream_template:
      type: DeclarativeStream
      name: placeholder
      retriever:
        type: SimpleRetriever
        requester: { $ref: "#/definitions/requester", path: /placeholder }
        record_selector: { type: RecordSelector, extractor: { type: DpathExtractor, field_path: [data] } }
    components_resolver:
      type: HttpComponentsResolver
      retriever:
        type: SimpleRetriever
        requester: { $ref: "#/definitions/requester", path: /tables }
        record_selector: { type: RecordSelector, extractor: { type: DpathExtractor, field_path: [tables] } }
      components_mapping:
        - type: ComponentMappingDefinition
          field_path: [name]
          value: "{{ components_values.name }}"
`;

async function fullResolve(config: Record<string, unknown>): Promise<Record<string, unknown>> {
  const http = new UndiciHttpClient();
  const source = new DeclarativeSource(loadManifest(MANIFEST), {
    config,
    logger: silentLogger(),
    http,
    masker: new SecretMasker(),
    clock: () => 0,
    sleep: async () => undefined,
    emit: () => undefined,
  });
  try {
    return await resolveDynamicStreams(source, { maxStreams: 5 });
  } finally {
    await http.close();
  }
}

/** The ConditionalStreams entry as loaded: $ref resolved, $parameters propagated, nothing evaluated. */
const withSection = <T extends object>(component: T) => ({ ...component, section: 'extra', $parameters: { section: 'extra' } });
const CONDITIONAL_ENTRY = withSection({
  type: 'ConditionalStreams',
  condition: '{{ config.with_extra }}',
  streams: [
    withSection({
      type: 'DeclarativeStream',
      name: 'extra',
      retriever: withSection({
        type: 'SimpleRetriever',
        requester: withSection({ type: 'HttpRequester', url_base: '{{ config.base_url }}', path: '/extra' }),
        record_selector: withSection({
          type: 'RecordSelector',
          extractor: withSection({ type: 'DpathExtractor', field_path: [] }),
        }),
      }),
    }),
  ],
});

describe('full_resolve with ConditionalStreams', () => {
  it.each([true, false])('keeps the entry unexpanded and marked like a static stream (condition %s), before the generated streams', async (withExtra) => {
    api = await startMockApi([{ path: '/tables', response: { body: { tables: [{ name: 'alpha' }, { name: 'beta' }] } } }]);
    const manifest = await fullResolve({ base_url: api.url, with_extra: withExtra });
    // Only the resolver's request: no stream is read, conditional or not.
    expect(api.requests.map((r) => r.url)).toEqual(['/tables']);
    const streams = manifest.streams as Array<Record<string, unknown>>;
    expect(streams.map((s) => [s.type, s.name, s.dynamic_stream_name])).toEqual([
      ['DeclarativeStream', 'meta', null],
      ['ConditionalStreams', undefined, null],
      ['DeclarativeStream', 'alpha', 'tables'],
      ['DeclarativeStream', 'beta', 'tables'],
    ]);
    // The inner streams are not marked: the CDK marks the entries of `streams` only.
    expect(streams[1]).toEqual({ ...CONDITIONAL_ENTRY, dynamic_stream_name: null });
  });
});
