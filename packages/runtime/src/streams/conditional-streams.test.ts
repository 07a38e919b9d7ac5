/**
 * ConditionalStreams through the real entrypoint: the condition, evaluated against the config,
 * decides which streams discover lists and read can read.
 */
import { type MockApi, configuredCatalog, records, startMockApi } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../source/__tests__/harness.js';
import { staticStreamModels } from './conditional-streams.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const stream = (name: string, indent = '  ') =>
  `
${indent}- type: DeclarativeStream
${indent}  name: ${name}
${indent}  retriever:
${indent}    type: SimpleRetriever
${indent}    requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: ${name} }
${indent}    record_selector:
${indent}      type: RecordSelector
${indent}      extractor: { type: DpathExtractor, field_path: [data] }`;

const manifest = (condition: string) => `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [always] }
streams:
${stream('always')}
  - type: ConditionalStreams
    condition: "${condition}"
    streams:
${stream('gated_a', '      ')}
${stream('gated_b', '      ')}
${stream('last')}
spec:
  type: Spec
  connection_specification:
    type: object
    properties:
      base_url: { type: string }
      sandbox: { type: boolean }
`;

async function discoveredNames(condition: string, config: Record<string, unknown>): Promise<string[]> {
  const run = await runSource('discover', { manifest: manifest(condition), config: { base_url: 'http://127.0.0.1:9', ...config } });
  expect(run.code).toBe(0);
  const catalog = run.messages.find((m) => m.type === 'CATALOG')?.catalog as { streams: Array<{ name: string }> };
  return catalog.streams.map((s) => s.name);
}

describe('ConditionalStreams', () => {
  it('a true condition puts its streams in place, between the streams around it', async () => {
    expect(await discoveredNames('{{ not config.get(\'sandbox\', False) }}', {})).toEqual(['always', 'gated_a', 'gated_b', 'last']);
  });

  it('a false condition leaves its streams out', async () => {
    expect(await discoveredNames('{{ not config.get(\'sandbox\', False) }}', { sandbox: true })).toEqual(['always', 'last']);
  });

  it('the condition is interpolated against the config, with Python truthiness of the result', async () => {
    const condition = "{{ config.get('region') == 'eu' }}";
    expect(await discoveredNames(condition, { region: 'eu' })).toEqual(['always', 'gated_a', 'gated_b', 'last']);
    expect(await discoveredNames(condition, { region: 'us' })).toEqual(['always', 'last']);
    // An empty list renders as '[]', which is false.
    expect(await discoveredNames("{{ config.get('tags', []) }}", {})).toEqual(['always', 'last']);
    expect(await discoveredNames("{{ config.get('tags', []) }}", { tags: ['x'] })).toEqual(['always', 'gated_a', 'gated_b', 'last']);
  });

  it('read reads the included streams', async () => {
    api = await startMockApi([
      { path: '/always', response: { body: { data: [{ id: 1 }] } } },
      { path: '/gated_a', response: { body: { data: [{ id: 2 }] } } },
      { path: '/gated_b', response: { body: { data: [{ id: 3 }] } } },
    ]);
    const run = await runSource('read', {
      manifest: manifest("{{ config['base_url'] != '' }}"),
      config: { base_url: api.url },
      catalog: configuredCatalog(['always', 'gated_a', 'gated_b']),
    });
    expect(run.code).toBe(0);
    expect(api.requests.map((r) => r.url)).toEqual(['/always', '/gated_a', '/gated_b']);
    expect(records(run.messages, 'gated_b')).toEqual([{ id: 3 }]);
  });

  it('a catalog naming a stream left out by a false condition is rejected before any request', async () => {
    api = await startMockApi([{ path: '/always', response: { body: { data: [{ id: 1 }] } } }]);
    const run = await runSource('read', {
      manifest: manifest('{{ config.get(\'sandbox\') }}'),
      config: { base_url: api.url, sandbox: false },
      catalog: configuredCatalog(['always', 'gated_a']),
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain("names stream 'gated_a' that the manifest does not define");
    expect(api.requests).toEqual([]);
  });
});

describe('staticStreamModels', () => {
  const model = (name: string) => ({ type: 'DeclarativeStream', name });

  it('gives each stream with its manifest path', () => {
    const manifestModel = {
      streams: [model('a'), { type: 'ConditionalStreams', condition: '{{ config.flag }}', streams: [model('b')] }, model('c')],
    };
    expect(staticStreamModels(manifestModel, { flag: true })).toEqual([
      { model: model('a'), path: ['streams', 0] },
      { model: model('b'), path: ['streams', 1, 'streams', 0] },
      { model: model('c'), path: ['streams', 2] },
    ]);
    expect(staticStreamModels(manifestModel, { flag: false }).map((s) => s.model.name)).toEqual(['a', 'c']);
  });

  it('does not see $parameters in the condition (the CDK evaluates it without them)', () => {
    const manifestModel = {
      streams: [{ type: 'ConditionalStreams', condition: "{{ parameters.get('on', False) }}", $parameters: { on: true }, streams: [model('b')] }],
    };
    expect(staticStreamModels(manifestModel, {})).toEqual([]);
  });

  it('a broken condition is an error naming where it is', () => {
    const manifestModel = { streams: [model('a'), { type: 'ConditionalStreams', condition: '{{ config[ }}', streams: [] }] };
    expect(() => staticStreamModels(manifestModel, {})).toThrow(expect.objectContaining({ path: 'streams[1].condition' }));
  });
});
