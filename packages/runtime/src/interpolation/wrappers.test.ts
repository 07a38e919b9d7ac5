/**
 * InterpolatedString, InterpolatedBoolean, interpolateMapping and interpolateNested, with the
 * results the CDK's interpolated_string.py / interpolated_boolean.py / interpolated_mapping.py /
 * interpolated_nested_mapping.py give for the same inputs.
 */
import { describe, expect, it } from 'vitest';
import { InterpolatedBoolean, InterpolatedString, interpolateMapping, interpolateNested } from './index.js';

const CONFIG = {"field": "value", "parent": {"key_with_true": true}, "string_key": "compare_me", "zero_value": 0, "empty_array": [], "non_empty_array": [1], "empty_dict": {}, "c": "VALUE_FROM_CONFIG", "num_value": 3, "page_size": "50", "flag_str": "false"};
const PARAMETERS = {"hello": "world", "from_parameters": "come_find_me", "b": "VALUE_FROM_PARAMETERS", "k": "key", "n": 2};
const EXTRA = {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}};
const RESPONSE = { response: { data: { has_more: false }, metadata: { paging: null }, result: { emailClick: [1] } } };

const cfg = (): Record<string, unknown> => structuredClone(CONFIG);

const STRINGS: Array<{ t: string; default?: string; extra: Record<string, unknown>; value: unknown }> = [
  {"t": "HELLO WORLD", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": "HELLO WORLD"},
  {"t": "{{ parameters['hello'] }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": "world"},
  {"t": "{{ config['field'] }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": "value"},
  {"t": "{{ kwargs['c'] }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": "airbyte"},
  {"t": "123", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": 123},
  {"t": "12.5", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": 12.5},
  {"t": "true", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": "true"},
  {"t": "True", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": true},
  {"t": "None", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": null},
  {"t": "[1, 2]", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": [1, 2]},
  {"t": "{{ config['missing'] }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": ""},
  {"t": "{{ config['missing'] }}", "default": "fallback", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": "fallback"},
  {"t": "{{ config['missing'] }}", "default": "{{ config.field }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": "value"},
  {"t": "{{ config.missing.deeper }}", "default": "dflt", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": "dflt"},
  {"t": "{{ config['page_size'] }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": 50},
  {"t": "{{ config['page_size'] | int * 2 }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": 100},
  {"t": "{{ parameters.n / 2 }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": 1.0},
  {"t": "{{ parameters.n // 2 }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": 1},
  {"t": "plain\n", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": "plain"},
  {"t": "{{ '' }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": ""},
  {"t": "{{ config['empty_array'] }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": []},
  {"t": "{{ None }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": null},
  {"t": "{{ config.field ~ '-' ~ parameters.hello }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": "value-world"},
  {"t": "{{ response.next }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}, "response": {"next": "https://x"}}, "value": "https://x"},
  {"t": "{{ 'a' + 1 }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}}, "value": "{{ 'a' + 1 }}"},
  {"t": "{{ record['v'] | float if record.get('v') is not none and record.get('v') != '' else none }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}, "record": {"v": "4.4"}}, "value": 4.4},
  {"t": "{{ record['v'] | float if record.get('v') is not none and record.get('v') != '' else none }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}, "record": {"v": ""}}, "value": null},
  {"t": "{{ record['v'] | float if record.get('v') is not none and record.get('v') != '' else none }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}, "record": {"v": "0.00"}}, "value": 0.0},
  {"t": "{% set v = record.get('v') %}\n{{ v | replace('%', '') | float if v is not none and v != '' else None }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}, "record": {"v": "12%"}}, "value": 12.0},
  {"t": "{% set v = record.get('v') %}\n{{ v | replace('%', '') | float if v is not none and v != '' else None }}", "extra": {"kwargs": {"a": "VALUE_FROM_KWARGS", "c": "airbyte"}, "record": {"v": null}}, "value": null},
];

const BOOLEANS: Array<{ t: string | boolean; value: boolean }> = [
  {"t": "{{ config['parent']['key_with_true'] }}", "value": true},
  {"t": "{{ config['string_key'] == \"compare_me\" }}", "value": true},
  {"t": "{{ config['string_key'] == \"witness_me\" }}", "value": false},
  {"t": "{{ config['string_key'] }}", "value": true},
  {"t": "{{ config['zero_value'] }}", "value": false},
  {"t": "{{ config['empty_array'] }}", "value": false},
  {"t": "{{ config['empty_dict'] }}", "value": false},
  {"t": "{{ () }}", "value": false},
  {"t": "{{ \"false\" }}", "value": false},
  {"t": "{{ False }}", "value": false},
  {"t": "{{ True }}", "value": true},
  {"t": "{{ 1 in config['non_empty_array'] }}", "value": true},
  {"t": "{{ 2 in config['non_empty_array'] }}", "value": false},
  {"t": "{{ parameters['from_parameters'] == \"come_find_me\" }}", "value": true},
  {"t": "{{ config['missing'] }}", "value": false},
  {"t": "{{ config.missing.deeper }}", "value": false},
  {"t": "{{ None }}", "value": true},
  {"t": "{{ response.get('next') }}", "value": true},
  {"t": "{{ response.get('next') is none }}", "value": true},
  {"t": "{{ 0.0 }}", "value": false},
  {"t": "{{ '0' }}", "value": false},
  {"t": "{{ ' 0' }}", "value": false},
  {"t": "{{ 'no' }}", "value": true},
  {"t": "{{ config.flag_str }}", "value": false},
  {"t": "{{ [0] }}", "value": true},
  {"t": "{{ {'a': 0} }}", "value": true},
  {"t": "{{ '' }}", "value": false},
  {"t": "{{ 1 }}", "value": true},
  {"t": "{{ -0 }}", "value": false},
  {"t": "{{ 'False' }}", "value": false},
  {"t": "{{ '()' }}", "value": false},
  {"t": "{{ config.empty_array | length > 0 }}", "value": false},
  {"t": "false", "value": false},
  {"t": "False", "value": false},
  {"t": "0", "value": false},
  {"t": "", "value": false},
  {"t": "anything", "value": true},
  {"t": true, "value": true},
  {"t": false, "value": false},
  {"t": "{{ response.data.has_more is false }}", "value": true},
  {"t": "{{ response['metadata']['paging'] is not defined or not response['metadata']['paging'] or response['metadata']['paging']['next_page'] is not defined }}", "value": true},
  {"t": "{{ not response.result.emailClick or response.result.emailClick|length < 200 }}", "value": true},
  {"t": "{{ response.get('nextPageToken') is none or response.get('nextPageToken') == '' }}", "value": true},
];

const MAPPINGS: Array<{ m: Record<string, unknown>; value: unknown }> = [
  {"m": {"field": "value", "number": 100, "from_config": "{{ config['c'] }}", "from_kwargs": "{{ kwargs['a'] }}", "from_params": "{{ parameters['b'] }}", "{{ parameters.k }}": "VALUE"}, "value": {"field": "value", "number": 100, "from_config": "VALUE_FROM_CONFIG", "from_kwargs": "VALUE_FROM_KWARGS", "from_params": "VALUE_FROM_PARAMETERS", "key": "VALUE"}},
  {"m": {"limit": "{{ config['page_size'] }}", "flag": "{{ True }}", "list": "{{ [1, 2] }}", "none": "{{ None }}", "missing": "{{ config.missing }}", "raw": 5, "nested": {"a": "{{ 1 }}"}, "{{ 1 }}": "numkey", "lit": "'quoted'"}, "value": {"limit": 50, "flag": true, "list": [1, 2], "none": null, "missing": null, "raw": 5, "nested": {"a": "{{ 1 }}"}, "1": "numkey", "lit": "quoted"}},
];

const NESTED: Array<{ m: unknown; value: unknown }> = [
  {"m": {"nested": {"field": "value", "number": 100, "nested_array": [{"{{ parameters.k }}": "VALUE"}, {"value": "{{ config['num_value'] | int + 2 }}"}, {"value": "{{ True }}"}], "config_value": "{{ config['c'] }}", "parameters_value": "{{ parameters['b'] }}", "kwargs_value": "{{ kwargs['a'] }}"}}, "value": {"nested": {"field": "value", "number": 100, "nested_array": [{"key": "VALUE"}, {"value": 5}, {"value": true}], "config_value": "VALUE_FROM_CONFIG", "parameters_value": "VALUE_FROM_PARAMETERS", "kwargs_value": "VALUE_FROM_KWARGS"}}},
  {"m": {"drop": "{{ config.missing }}", "keep_empty": "{{ \"\" }}", "zero": "{{ 0 }}", "list": ["{{ config.missing }}", "{{ 1 }}", 2, null], "null_raw": null, "obj": {"inner": "{{ None }}"}, "{{ parameters.k }}": "{{ parameters.n * 2 }}"}, "value": {"zero": 0, "list": [null, 1, 2, null], "obj": {}, "key": 4}},
  {"m": "{{ config['c'] }}", "value": "VALUE_FROM_CONFIG"},
  {"m": ["{{ 1 }}", "x"], "value": [1, "x"]},
  {"m": 5, "value": 5},
];

describe('InterpolatedString', () => {
  STRINGS.forEach((c, i) => {
    it(`#${i} ${JSON.stringify(c.t)}${c.default ? ` default ${JSON.stringify(c.default)}` : ''}`, () => {
      const s = new InterpolatedString(c.t, PARAMETERS, c.default);
      expect(s.eval(cfg(), c.extra)).toEqual(c.value);
      // A second evaluation gives the same answer (the CDK caches "plain string" detection).
      expect(s.eval(cfg(), c.extra)).toEqual(c.value);
    });
  });
  it('defaults to the string itself', () => {
    expect(new InterpolatedString('{{ x }}', {}).default).toBe('{{ x }}');
    expect(new InterpolatedString('{{ x }}', {}, '').default).toBe('{{ x }}');
    expect(new InterpolatedString('{{ x }}', {}, 'd').default).toBe('d');
  });
});

describe('InterpolatedBoolean', () => {
  BOOLEANS.forEach((c, i) => {
    it(`#${i} ${JSON.stringify(c.t)} is ${c.value}`, () => {
      expect(new InterpolatedBoolean(c.t, PARAMETERS).eval(cfg(), RESPONSE)).toBe(c.value);
    });
  });
});

describe('interpolateMapping', () => {
  MAPPINGS.forEach((c, i) => {
    it(`#${i}`, () => {
      expect(interpolateMapping(c.m, PARAMETERS, cfg(), EXTRA)).toEqual(c.value);
    });
  });
  it('honours valid value types', () => {
    const out = interpolateMapping({ a: '{{ 1 }}', b: '{{ [1] }}' }, {}, {}, undefined, { validValueTypes: ['str'] });
    expect(out).toEqual({ a: '1', b: '[1]' });
  });
});

describe('interpolateNested', () => {
  NESTED.forEach((c, i) => {
    it(`#${i}`, () => {
      expect(interpolateNested(c.m, PARAMETERS, cfg(), EXTRA)).toEqual(c.value);
    });
  });
});
