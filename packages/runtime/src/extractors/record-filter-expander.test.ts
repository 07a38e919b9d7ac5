import { describe, expect, it } from 'vitest';
import type { RunContext } from '../context.js';
import { BuildContext, type Builder } from '../factory/build-context.js';
import { silentLogger } from '../logging/logger.js';
import { SecretMasker } from '../logging/mask.js';
import { type RecordExpander, recordExpanderBuilders } from './record-expander.js';
import { type RecordFilter, recordFilterBuilders } from './record-filter.js';

function context(config: Record<string, unknown> = {}): BuildContext {
  const run: RunContext = {
    config,
    logger: silentLogger(),
    masker: new SecretMasker(),
    clock: () => 0,
    sleep: async () => {},
    http: { send: async () => Promise.reject(new Error('no http')), close: async () => {} },
    emit: () => {},
  };
  const registry = new Map<string, Builder>(Object.entries({ ...recordFilterBuilders, ...recordExpanderBuilders }));
  return new BuildContext(run, registry, 'streams[0].retriever.record_selector');
}

describe('RecordFilter', () => {
  const filter = (condition: string, parameters?: Record<string, unknown>): RecordFilter =>
    context({ min: 10 }).component<RecordFilter>({ type: 'RecordFilter', condition, $parameters: parameters });

  it.each<[string, string, Record<string, unknown>, boolean]>([
    ['a record field', "{{ record['status'] == 'active' }}", { status: 'active' }, true],
    ['a record field (false)', "{{ record.status in ['active', 'expired'] }}", { status: 'gone' }, false],
    ['config', '{{ record.n >= config.min }}', { n: 10 }, true],
    ['the slice', "{{ record['created_at'] >= stream_slice['start_time'] }}", { created_at: '2024-02-01' }, true],
    ['the interval alias', "{{ record['created_at'] >= stream_interval['start_time'] }}", { created_at: '2023-12-01' }, false],
    ['the page token', '{{ next_page_token is none or next_page_token.page > 1 }}', {}, true],
    ['a rendered "False" string', '{{ "False" }}', {}, false],
    ['an empty rendered list', '{{ [] }}', {}, false],
    ['a non-empty string is true', '{{ "no" }}', {}, true],
  ])('evaluates %s', (_, condition, record, expected) => {
    expect(filter(condition).matches(record, { stream_slice: { start_time: '2024-01-01' } })).toBe(expected);
  });

  it('sees parameters and the page token', () => {
    const f = filter('{{ record.kind == parameters.kind and next_page_token.page == 2 }}', { kind: 'a' });
    expect(f.matches({ kind: 'a' }, { stream_slice: {}, next_page_token: { page: 2 } })).toBe(true);
    expect(f.matches({ kind: 'b' }, { stream_slice: {}, next_page_token: { page: 2 } })).toBe(false);
  });

  it('rejects an empty condition (the CDK would drop every record)', () => {
    expect(() => context().component({ type: 'RecordFilter' })).toThrow(/no 'condition'/);
  });
});

describe('RecordExpander', () => {
  const expander = (model: Record<string, unknown>): RecordExpander =>
    context({ field: 'lines' }).component<RecordExpander>({ type: 'RecordExpander', ...model });
  const run = (model: Record<string, unknown>, record: unknown): unknown[] => [...expander(model).expand(record)];

  it.each<[string, Record<string, unknown>, unknown, unknown[]]>([
    ['object items', { expand_records_from_field: ['lines', 'data'] }, { id: 1, lines: { data: [{ a: 1 }, { a: 2 }] } }, [{ a: 1 }, { a: 2 }]],
    [
      'with the original record',
      { expand_records_from_field: ['items'], remain_original_record: true },
      { id: 1, items: [{ a: 1 }, 5] },
      [
        { a: 1, original_record: { id: 1, items: [{ a: 1 }, 5] } },
        { value: 5, original_record: { id: 1, items: [{ a: 1 }, 5] } },
      ],
    ],
    ['scalar items', { expand_records_from_field: ['items'] }, { items: [1, 'x'] }, [1, 'x']],
    ['wildcards', { expand_records_from_field: ['sections', '*', 'items'] }, { sections: [{ items: [{ a: 1 }] }, { items: [{ a: 2 }] }] }, [{ a: 1 }, { a: 2 }]],
    ['a template path', { expand_records_from_field: ['{{ config.field }}'] }, { lines: [{ a: 1 }] }, [{ a: 1 }]],
    ['a missing path skips', { expand_records_from_field: ['items'] }, { id: 1 }, []],
    ['a non-list skips', { expand_records_from_field: ['items'] }, { items: { a: 1 } }, []],
    ['empty list with emit_parent', { expand_records_from_field: ['items'], on_no_records: 'emit_parent' }, { id: 1, items: [] }, [{ id: 1, items: [] }]],
    ['a non-object record passes', { expand_records_from_field: ['items'] }, 7, [7]],
  ])('expands %s', (_, model, record, expected) => {
    expect(run(model, record)).toEqual(expected);
  });

  it('copies items and deep-copies the parent', () => {
    const record = { items: [{ a: 1 }], meta: { x: 1 } };
    const [child] = run({ expand_records_from_field: ['items'], remain_original_record: true }, record) as Array<Record<string, unknown>>;
    (child!.original_record as { meta: { x: number } }).meta.x = 2;
    child!.a = 9;
    expect(record).toEqual({ items: [{ a: 1 }], meta: { x: 1 } });
  });

  it.each([
    [{}, /expand_records_from_field/],
    [{ expand_records_from_field: ['a'], on_no_records: 'emit' }, /on_no_records/],
  ])('rejects bad models %#', (model, message) => {
    expect(() => expander(model)).toThrow(message);
  });
});
