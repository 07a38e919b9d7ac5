import { describe, expect, it } from 'vitest';
import type { RunContext } from '../../context.js';
import { BuildContext, type Model } from '../../factory/build-context.js';
import { createRegistry } from '../../factory/registry.js';
import { silentLogger } from '../../logging/logger.js';
import { SecretMasker } from '../../logging/mask.js';
import type { ConfiguredCatalogLike } from './json-schema-property-selector.js';
import type { QueryProperties } from './query-properties.js';

function build(model: Model, catalog?: ConfiguredCatalogLike): QueryProperties {
  const run: RunContext & { configuredCatalog?: ConfiguredCatalogLike } = {
    config: {},
    logger: silentLogger(),
    http: { send: async () => Promise.reject(new Error('no HTTP in this test')), close: async () => undefined },
    masker: new SecretMasker(),
    clock: () => 0,
    sleep: async () => undefined,
    emit: () => undefined,
  };
  if (catalog) run.configuredCatalog = catalog;
  return new BuildContext(run, createRegistry(), 'query_properties').component<QueryProperties>(model);
}

const catalog = (properties: Record<string, unknown> | undefined): ConfiguredCatalogLike => ({
  streams: [
    { stream: { name: 'other', json_schema: { properties: { a: {}, b: {}, c: {}, d: {} } } } },
    { stream: { name: 'stats', json_schema: properties === undefined ? {} : { type: 'object', properties } } },
  ],
});

const model = (chunking: boolean, transformations?: unknown[]): Model => ({
  type: 'QueryProperties',
  property_list: ['a', 'b', 'c', 'd'],
  always_include_properties: ['id'],
  ...(chunking ? { property_chunking: { type: 'PropertyChunking', property_limit_type: 'property_count', property_limit: 1 } } : {}),
  property_selector: { type: 'JsonSchemaPropertySelector', ...(transformations ? { transformations } : {}) },
});

describe('JsonSchemaPropertySelector', () => {
  it('queries only the properties the configured stream selected', async () => {
    const properties = build(model(true), catalog({ id: {}, b: {}, d: {} }));
    expect(await properties.chunks('stats')).toEqual([
      ['id', 'b'],
      ['id', 'd'],
    ]);
    expect(await build(model(false), catalog({ c: {}, a: {} })).chunks('stats')).toEqual([['id', 'a', 'c']]);
  });

  it('selects nothing (queries everything) without a catalog or when the stream is not in it', async () => {
    expect(await build(model(false)).chunks('stats')).toEqual([['id', 'a', 'b', 'c', 'd']]);
    expect(await build(model(false), catalog({ a: {} })).chunks('missing')).toEqual([['id', 'a', 'b', 'c', 'd']]);
  });

  it('a schema without properties selects the empty set', async () => {
    expect(await build(model(false), catalog(undefined)).chunks('stats')).toEqual([['id']]);
  });

  it('applies its transformations to the schema properties before selecting', async () => {
    const selector = [{ type: 'KeysToLower' }, { type: 'RemoveFields', field_pointers: [['c']] }];
    expect(await build(model(false), { streams: [{ stream: { name: 'stats', json_schema: { properties: { A: {}, C: {} } } } }] }).chunks('stats')).toEqual([
      ['id'],
    ]);
    expect(
      await build(model(false, selector), { streams: [{ stream: { name: 'stats', json_schema: { properties: { A: {}, C: {}, D: {} } } } }] }).chunks('stats'),
    ).toEqual([['id', 'a', 'd']]);
  });
});
