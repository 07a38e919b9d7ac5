import { describe, expect, it } from 'vitest';
import type { RunContext } from '../context.js';
import { BuildContext, type Builder } from '../factory/build-context.js';
import { silentLogger } from '../logging/logger.js';
import { SecretMasker } from '../logging/mask.js';
import { type ConfigTransformation, configTransformationBuilders } from './config-transformations.js';

function transform(model: Record<string, unknown>, config: Record<string, unknown>, buildConfig: Record<string, unknown> = {}): Record<string, unknown> {
  const run: RunContext = {
    config: buildConfig,
    logger: silentLogger(),
    masker: new SecretMasker(),
    clock: () => 0,
    sleep: async () => {},
    http: { send: async () => Promise.reject(new Error('no http')), close: async () => {} },
    emit: () => {},
  };
  const ctx = new BuildContext(run, new Map<string, Builder>(Object.entries(configTransformationBuilders)), 'spec.config_normalization_rules');
  ctx.component<ConfigTransformation>(model).transform(config);
  return config;
}

describe('ConfigRemapField', () => {
  const remap = (field_path: string[], map: unknown = { pending: 'in_progress', done: 'completed' }) => ({ type: 'ConfigRemapField', field_path, map });
  it.each<[string, Record<string, unknown>, Record<string, unknown>, unknown]>([
    ['a mapped value', remap(['status']), { status: 'pending' }, { status: 'in_progress' }],
    ['an unmapped value', remap(['status']), { status: 'other' }, { status: 'other' }],
    ['a nested path', remap(['data', 'status']), { data: { status: 'done' } }, { data: { status: 'completed' } }],
    ['a missing path', remap(['data', 'status']), { data: 'x' }, { data: 'x' }],
    ['a templated path', remap(['{{ config.which }}']), { which: 'state', state: 'done' }, { which: 'state', state: 'completed' }],
    ['a non-string value', remap(['n'], { '1': 'one' }), { n: 1 }, { n: 1 }],
    ['a templated map value', remap(['env'], { prod: '{{ config.prod_url }}' }), { env: 'prod', prod_url: 'https://x' }, { env: 'https://x', prod_url: 'https://x' }],
    ['a map from a template', remap(['s'], "{{ {'a': 'b'} }}"), { s: 'a' }, { s: 'b' }],
  ])('%s', (_, model, config, expected) => {
    expect(transform(model, config)).toEqual(expected);
  });
});

describe('ConfigAddFields', () => {
  const add = (fields: unknown[], condition?: string) => ({ type: 'ConfigAddFields', fields, condition });
  it.each<[string, Record<string, unknown>, Record<string, unknown>, unknown]>([
    ['a derived field', add([{ path: ['region'], value: "{{ config.host.split('.')[0] }}" }]), { host: 'eu.api.com' }, { host: 'eu.api.com', region: 'eu' }],
    ['a nested field', add([{ path: ['a', 'b'], value: 'x' }]), {}, { a: { b: 'x' } }],
    ['with value_type', add([{ path: ['n'], value: '{{ config.s }}', value_type: 'integer' }]), { s: '7' }, { s: '7', n: 7 }],
    ['a false condition', add([{ path: ['x'], value: '1' }], "{{ config.env == 'sandbox' }}"), { env: 'prod' }, { env: 'prod' }],
    ['a true condition on value', add([{ path: ['x'], value: '5' }], '{{ value > 2 }}'), {}, { x: 5 }],
  ])('%s', (_, model, config, expected) => {
    expect(transform(model, config)).toEqual(expected);
  });
});

describe('ConfigRemoveFields', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, unknown]>([
    ['pointers', { type: 'ConfigRemoveFields', field_pointers: [['a'], ['b', 'c'], ['missing']] }, { a: 1, b: { c: 2, d: 3 } }, { b: { d: 3 } }],
    ['a false condition', { type: 'ConfigRemoveFields', field_pointers: [['a']], condition: '{{ config.drop }}' }, { a: 1, drop: false }, { a: 1, drop: false }],
    ['a true condition', { type: 'ConfigRemoveFields', field_pointers: [['a']], condition: '{{ config.drop }}' }, { a: 1, drop: true }, { drop: true }],
  ])('%s', (_, model, config, expected) => {
    expect(transform(model, config)).toEqual(expected);
  });
});
