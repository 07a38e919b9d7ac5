import { describe, expect, it } from 'vitest';
import { applyMappings, componentMappingsOf, parseYamlIfPossible } from './components-mapping.js';
import { dpathGet, dpathNew, dpathSet } from './dpath.js';

describe('dpath helpers', () => {
  it('set changes every existing match of a glob and reports how many', () => {
    const doc = { a: { x: 1, y: 2 }, b: [{ k: 1 }, { k: 2 }] };
    expect(dpathSet(doc, ['a', '*'], 0)).toBe(2);
    expect(dpathSet(doc, ['b', '1', 'k'], 9)).toBe(1);
    expect(dpathSet(doc, ['missing', 'k'], 1)).toBe(0);
    expect(doc).toEqual({ a: { x: 0, y: 0 }, b: [{ k: 1 }, { k: 9 }] });
  });

  it('new creates the path literally; get falls back when missing', () => {
    const doc: Record<string, unknown> = {};
    dpathNew(doc, ['a', 'b*', 'c'], 1);
    expect(doc).toEqual({ a: { 'b*': { c: 1 } } });
    expect(dpathGet(doc, ['a', 'b*', 'c'], 'none')).toBe(1);
    expect(dpathGet(doc, ['a', 'x'], 'none')).toBe('none');
  });
});

describe('parseYamlIfPossible (yaml.safe_load)', () => {
  it.each([
    ['[a, b]', ['a', 'b']],
    ['{k: 1}', { k: 1 }],
    ['yes', true],
    ['12', 12],
    ['2024-01-02', '2024-01-02'],
    ['%Y-%m-%d', '%Y-%m-%d'],
    ["{{ record[0] in ['x'] }}", "{{ record[0] in ['x'] }}"],
    ['', null],
  ])('%j → %j', (input, expected) => {
    expect(parseYamlIfPossible(input)).toEqual(expected);
  });
});

describe('applyMappings', () => {
  const resolver = (mapping: Record<string, unknown>) => ({ type: 'ConfigComponentsResolver', components_mapping: [mapping] });
  const template = { name: 'tpl', retriever: { requester: { path: '/p' } } };

  it('value_type string keeps text that YAML would turn into a number', () => {
    const r = resolver({ field_path: ['name'], value: '{{ components_values.id }}', value_type: 'string' });
    const out = applyMappings(template, componentMappingsOf(r, 'r'), r, {}, { components_values: { id: '007' } }, { yaml: 'config', useCondition: true, useCreateOrUpdate: true });
    expect(out.name).toBe('007');
    expect(template.name).toBe('tpl');
  });

  it('without create_or_update a missing path is left alone; with it, it is created', () => {
    const plain = resolver({ field_path: ['retriever', 'requester', 'request_parameters', 'q'], value: 'x' });
    const options = { yaml: 'config' as const, useCondition: true, useCreateOrUpdate: true };
    expect(applyMappings(template, componentMappingsOf(plain, 'r'), plain, {}, { components_values: {} }, options)).toEqual(template);
    const create = resolver({ field_path: ['retriever', 'requester', 'request_parameters', 'q'], value: 'x', create_or_update: true });
    const out = applyMappings(template, componentMappingsOf(create, 'r'), create, {}, { components_values: {} }, options);
    expect(out.retriever).toEqual({ requester: { path: '/p', request_parameters: { q: 'x' } } });
  });

  it('a false condition skips the mapping', () => {
    const r = resolver({ field_path: ['name'], value: 'new', condition: "{{ components_values.use == 'yes' }}" });
    const options = { yaml: 'config' as const, useCondition: true, useCreateOrUpdate: true };
    expect(applyMappings(template, componentMappingsOf(r, 'r'), r, {}, { components_values: { use: 'no' } }, options).name).toBe('tpl');
    expect(applyMappings(template, componentMappingsOf(r, 'r'), r, {}, { components_values: { use: 'yes' } }, options).name).toBe('new');
  });
});
