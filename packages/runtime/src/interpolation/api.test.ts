import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../errors/runtime-error.js';
import {
  CLOCK,
  PyFloat,
  PyTuple,
  compileTemplate,
  evalTemplate,
  literalEval,
  pyRepr,
  pyStr,
  renderString,
  templateStrings,
  withClock,
} from './index.js';
import { DateTime, Duration, PyDate } from '../datetime/index.js';

function errorOf(fn: () => unknown): RuntimeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuntimeError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('compileTemplate', () => {
  it('caches by source', () => {
    expect(compileTemplate("{{ config['x'] }}")).toBe(compileTemplate("{{ config['x'] }}"));
  });

  it('marks plain strings', () => {
    expect(compileTemplate('just text').isPlain).toBe(true);
    expect(compileTemplate('a {# comment #}').isPlain).toBe(false);
    expect(compileTemplate('{{ 1 }}').isPlain).toBe(false);
    expect(compileTemplate('braces { } alone').isPlain).toBe(true);
  });

  it('lists the variables a template reads', () => {
    expect([...compileTemplate("{{ config['a'] ~ record.b }}{% set x = 1 %}{{ x }}").variables()].sort()).toEqual(['config', 'record']);
    expect([...compileTemplate('{{ now_utc() }}{{ max(1, 2) }}{{ dict(a=1) }}').variables()]).toEqual([]);
    expect([...compileTemplate('{% for i in items %}{{ loop.index }}{{ i }}{% endfor %}').variables()]).toEqual(['items']);
    expect([...compileTemplate('{% if c %}{% set b = 1 %}{% endif %}').variables()].sort()).toEqual(['b', 'c']);
  });

  // Expected sets from jinja2.meta.find_undeclared_variables (the names the CDK checks against the context).
  it.each([
    ["{% for i in l %}{% set z=1 %}{{ z }}{% endfor %}{{ z }}", ["l", "z"]],
    ["{% if a %}{% elif b %}{% set c = 1 %}{% else %}{{ c }}{% endif %}", ["a", "b", "c"]],
    ["{% for i in l if i > q %}{{ loop.index }}{% else %}{{ i }}{% endfor %}", ["i", "l", "q"]],
    ["{% set x %}{{ y }}{% set w = 1 %}{{ w }}{% endset %}{{ x }}", ["y"]],
    ["{% set ns = namespace(a=1) %}{% set ns.a = b %}", ["b"]],
    ["{% for a, b in c %}{{ a }}{{ d }}{% endfor %}", ["c", "d"]],
    ["{{ loop.index }}", ["loop"]],
    ["{% for i in l %}{% for j in i %}{{ loop.index }}{{ k }}{% endfor %}{% endfor %}", ["k", "l"]],
    ["{{ b }}{% set b = 2 %}", ["b"]],
    ["{% set b = b %}", ["b"]],
    ["{% if x %}{% set b = 1 %}{{ b }}{% endif %}", ["b", "x"]],
    ["{% for i in l %}{{ y }}{% endfor %}{% set y = 2 %}", ["l"]],
    ["{{ self.name }}{{ now_utc() }}{{ range }}", ["range"]]
,
  ] as Array<[string, string[]]>)('finds the undeclared variables of %j', (source, names) => {
    expect([...compileTemplate(source).variables()].sort()).toEqual(names);
  });

  it.each([
    ['{{ 1 +', 'INTERP_SYNTAX'],
    ['{{ }}', 'INTERP_SYNTAX'],
    ['{% if x %}no end', 'INTERP_SYNTAX'],
    ['{% for x in y %}', 'INTERP_SYNTAX'],
    ['{% endif %}', 'INTERP_SYNTAX'],
    ['{{ import os) }}', 'INTERP_SYNTAX'],
    ['{{ [a for a in range(10)] }}', 'INTERP_SYNTAX'],
    ['{% macro m() %}{% endmacro %}', 'INTERP_SYNTAX'],
    ['{% include "x" %}', 'INTERP_SYNTAX'],
    ['{% for x in y %}{% break %}{% endfor %}', 'INTERP_SYNTAX'],
    ['{{ x | no_such_filter }}', 'INTERP_SYNTAX'],
    ['{{ x is no_such_test }}', 'INTERP_SYNTAX'],
    ["{{ 'unterminated }}", 'INTERP_SYNTAX'],
    ['{{ (1, 2 }}', 'INTERP_SYNTAX'],
    ['{{ 1 is defined is defined }}', 'INTERP_SYNTAX'],
    ['{% set true = 1 %}', 'INTERP_SYNTAX'],
    ['{# unclosed comment', 'INTERP_SYNTAX'],
    ['{% raw %} unclosed', 'INTERP_SYNTAX'],
  ])('refuses %j', (source, code) => {
    expect(errorOf(() => compileTemplate(source)).code).toBe(code);
  });

  it('names the template and the position of a syntax error', () => {
    const e = errorOf(() => compileTemplate('line one\n{{ config[ }}'));
    expect(e.code).toBe('INTERP_SYNTAX');
    expect(e.message).toContain('"line one\\n{{ config[ }}"');
    expect(e.message).toMatch(/line 2, column \d+/);
  });

  it.each([
    ['{{ 1 | nope if false }}', 'ok'],
    ['{% if x | nope %}{% endif %}', 'ok'],
    ['{% if 1 %}{% for i in l %}{{ i | nope }}{% endfor %}{% endif %}', 'INTERP_SYNTAX'],
    ['{{ (1 | nope) if false else 2 }}', 'ok'],
    ['{% set x %}{{ 1 | nope }}{% endset %}', 'INTERP_SYNTAX'],
  ])('checks unknown filters at compile time only outside soft frames: %j', (source, outcome) => {
    if (outcome === 'ok') expect(() => compileTemplate(source)).not.toThrow();
    else expect(errorOf(() => compileTemplate(source)).code).toBe(outcome);
  });

  it('keeps unknown filters inside if blocks for run time, as Jinja does', () => {
    expect(renderString('{% if false %}{{ 1 | nope }}{% endif %}ok', {})).toBe('ok');
    expect(errorOf(() => renderString('{% if true %}{{ 1 | nope }}{% endif %}', {})).code).toBe('INTERP_EVAL');
  });

  it('accepts a colon after block statements (Python habit)', () => {
    expect(renderString('{% for p in ps: %}{{ p }}{% endfor %}', { ps: [1, 2] })).toBe('12');
    expect(renderString('{% if 1: %}a{% else: %}b{% endif %}', {})).toBe('a');
  });
});

describe('render', () => {
  it('renders with Python str()', () => {
    const ctx = { v: { a: [1, 2.5, null, true, 'x'], t: PyTuple.of_([1]) }, f: new PyFloat(2) };
    expect(renderString('{{ v }}|{{ f }}|{{ none }}', ctx)).toBe("{'a': [1, 2.5, None, True, 'x'], 't': (1,)}|2.0|None");
  });

  it('binds self to the template reference, as Jinja does', () => {
    expect(renderString('Skipping {{ self.name }} stream', { self: { name: 'x' } })).toBe('Skipping  stream');
    expect(renderString('{{ self }}', {})).toBe('<TemplateReference None>');
  });

  it('reports undeclared variables with the names available', () => {
    const e = errorOf(() => renderString('{{ foo }} {{ bar }}', { config: {} }));
    expect(e.code).toBe('INTERP_UNDEFINED');
    expect(e.message).toContain('foo, bar');
    expect(e.help).toContain('config');
  });

  it('raises UndefinedError as INTERP_UNDEFINED when rendering text', () => {
    const e = errorOf(() => renderString("{{ config['a']['b'] }}", { config: {} }));
    expect(e.code).toBe('INTERP_UNDEFINED');
    expect(e.message).toContain("'dict object' has no attribute 'a'");
  });

  it('lets the caller set the component path', () => {
    const e = errorOf(() => renderString('{{ nope }}', {}));
    e.path = 'streams[0].retriever';
    expect(e.describe()).toContain('streams[0].retriever');
  });

  it('refuses stream_state anywhere in the template', () => {
    const e = errorOf(() => evalTemplate("{{ stream_state.get('cursor') }}", { stream_state: {} }));
    expect(e.code).toBe('INTERP_STREAM_STATE');
    expect(e.message).toContain('stream_interval');
    expect(errorOf(() => evalTemplate("{{ 'stream_state' }}", {})).code).toBe('INTERP_STREAM_STATE');
  });

  it('aliases stream_interval and stream_partition to stream_slice, and refuses them in the context', () => {
    const ctx = { stream_slice: { a: 1 } };
    expect(evalTemplate('{{ stream_interval.a + stream_partition.a + stream_slice.a }}', ctx)).toBe(3);
    expect(errorOf(() => evalTemplate('x', { stream_interval: {} })).code).toBe('INTERP_EVAL');
    expect(errorOf(() => evalTemplate('x', { stream_partition: {} })).code).toBe('INTERP_EVAL');
  });

  it('lets templates mutate lists and dicts they are given (as Python does)', () => {
    const record = { ids: [] as number[] };
    evalTemplate('{% set _ = record.ids.append(1) %}', { record });
    expect(record.ids).toEqual([1]);
  });
});

describe('evalTemplate', () => {
  it('returns non-strings as they are', () => {
    const obj = { a: 1 };
    expect(evalTemplate(obj, {})).toBe(obj);
    expect(evalTemplate(5, {})).toBe(5);
    expect(evalTemplate(null, {})).toBe(null);
  });

  it('literal-evals plain strings too', () => {
    expect(evalTemplate('hello', {})).toBe('hello');
    expect(evalTemplate('123', {})).toBe(123);
    expect(evalTemplate('[1, 2]', {})).toEqual([1, 2]);
  });

  it('uses the default when the render is empty, and null without one', () => {
    expect(evalTemplate('{{ x }}', { x: '' }, { default: '7' })).toBe(7);
    expect(evalTemplate('{{ x }}', { x: '' })).toBe(null);
  });

  it('returns the template text when Python would raise TypeError (jinja.py _eval)', () => {
    expect(evalTemplate("{{ 1 + 'a' }}", {})).toBe("{{ 1 + 'a' }}");
    expect(errorOf(() => renderString("{{ 1 + 'a' }}", {})).code).toBe('INTERP_EVAL');
  });

  it('raises other Python errors', () => {
    expect(errorOf(() => evalTemplate('{{ 1 / 0 }}', {})).message).toContain('ZeroDivisionError');
    expect(errorOf(() => evalTemplate("{{ duration('bogus') }}", {})).code).toBe('INTERP_EVAL');
    expect(errorOf(() => evalTemplate("{{ str_to_datetime('invalid-date') }}", {})).code).toBe('INTERP_EVAL');
    expect(errorOf(() => evalTemplate("{{ today_with_timezone('Not/AZone') }}", {})).code).toBe('INTERP_EVAL');
  });

  it('returns JSON-friendly values', () => {
    expect(evalTemplate('{{ (1, (2, 3)) }}', {})).toEqual([1, [2, 3]]);
    expect(evalTemplate('{{ 10 / 2 }}', {})).toBe(5);
    expect(evalTemplate('{{ {1: "a", None: "b"} }}', {})).toEqual({ 1: 'a', null: 'b' });
  });

  it('keeps JS objects out of results: dict keys such as __proto__ stay data', () => {
    const v = evalTemplate("{{ {'__proto__': {'polluted': 1}} }}", {}) as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(v, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('sandbox', () => {
  const ctx = { config: { a: 1 }, s: 'str', l: [1], fn: () => 'called', dt: DateTime.of(2021, 1, 1) };
  it.each([
    "{{ ''.constructor }}",
    '{{ s.constructor }}',
    '{{ l.constructor }}',
    '{{ l.__proto__ }}',
    "{{ s['constructor'] }}",
    '{{ config.__proto__ }}',
    "{{ config['__proto__'] }}",
    '{{ config.__class__ }}',
    '{{ s.__class__.__mro__ }}',
    '{{ dt.__class__ }}',
    '{{ dt._secret }}',
    '{{ s._x }}',
    '{{ l.prototype }}',
    '{{ (1).constructor }}',
    '{{ now_utc.constructor }}',
    '{{ fn() }}',
    "{{ '{0.__class__}'.format(s) }}",
  ])('refuses %s', (t) => {
    expect(errorOf(() => renderString(t, ctx)).code).toBe('INTERP_SANDBOX');
  });

  it.each([
    ['{{ config.constructor }}', ''],
    ['{{ config.toString }}', ''],
    ['{{ config.hasOwnProperty }}', ''],
    ['{{ l.map }}', ''],
    ['{{ s.length }}', ''],
    ['{{ s.charAt }}', ''],
    ['{{ dt.toJSON }}', ''],
    ['{{ dt.epochMicros }}', ''],
    ['{{ config.valueOf }}', ''],
  ])('hides JS members: %s renders %j', (t, out) => {
    expect(renderString(t, ctx)).toBe(out);
  });

  it('reads own data keys of dicts, even odd ones, and _partition', () => {
    expect(renderString('{{ d.constructor }}{{ d._partition.x }}{{ d._id }}', { d: { constructor: 'c', _partition: { x: 'p' }, _id: 'i' } })).toBe('cpi');
  });

  it('does not call host functions and does not leak globals', () => {
    expect(errorOf(() => renderString('{{ toString }}', {})).code).toBe('INTERP_UNDEFINED');
    expect(errorOf(() => renderString('{{ constructor }}', {})).code).toBe('INTERP_UNDEFINED');
    expect(errorOf(() => renderString('{{ process }}', {})).code).toBe('INTERP_UNDEFINED');
    expect(errorOf(() => renderString('{{ globalThis }}', {})).code).toBe('INTERP_UNDEFINED');
    expect(errorOf(() => renderString('{{ range(3) }}', {})).code).toBe('INTERP_UNDEFINED');
    expect(errorOf(() => renderString('{{ eval("1") }}', {})).code).toBe('INTERP_UNDEFINED');
    expect(errorOf(() => renderString('{{ lipsum() }}', {})).code).toBe('INTERP_EVAL');
  });
});

describe('stream slice views', () => {
  // The runtime's slice view: partition + cursor keys, with partition / cursor_slice / extra_fields
  // as non-enumerable attributes (the CDK's StreamSlice is a Mapping with those attributes).
  const view = { parent_id: 5, start_time: '2024-01-01' };
  Object.defineProperty(view, 'partition', { value: { parent_id: 5 }, enumerable: false });
  Object.defineProperty(view, 'extra_fields', { value: { 'schema.type': 'option' }, enumerable: false });
  const ctx = { stream_slice: view };

  it('reads keys and attributes', () => {
    expect(evalTemplate('{{ stream_partition.parent_id }}', ctx)).toBe(5);
    expect(evalTemplate("{{ stream_slice.extra_fields['schema.type'] == 'option' }}", ctx)).toBe(true);
    expect(evalTemplate("{{ stream_slice['partition'].parent_id }}", ctx)).toBe(5);
  });

  it('does not list attributes as keys', () => {
    expect(renderString('{{ stream_slice }}', ctx)).toBe("{'parent_id': 5, 'start_time': '2024-01-01'}");
    expect(evalTemplate("{{ 'partition' in stream_slice }}", ctx)).toBe(false);
    expect(evalTemplate("{{ stream_slice.get('partition') }}", ctx)).toBe(null);
    expect(evalTemplate('{{ stream_slice | length }}', ctx)).toBe(2);
  });
});

describe('clock', () => {
  it('reads the clock from the context', () => {
    const ctx = withClock({}, () => Date.UTC(2030, 0, 2, 3, 4, 5));
    expect(evalTemplate('{{ now_utc() }}', ctx)).toBe('2030-01-02 03:04:05+00:00');
    expect((ctx as Record<PropertyKey, unknown>)[CLOCK]).toBeTypeOf('function');
  });

  it('uses the real time by default', () => {
    const year = Number(evalTemplate("{{ now_utc().strftime('%Y') }}", {}));
    expect(year).toBe(new Date().getUTCFullYear());
  });
});

describe('pyStr / pyRepr', () => {
  it.each([
    [null, 'None', 'None'],
    [true, 'True', 'True'],
    [1, '1', '1'],
    [1.5, '1.5', '1.5'],
    [new PyFloat(3), '3.0', '3.0'],
    [1e16, '10000000000000000', '10000000000000000'],
    [new PyFloat(1e16), '1e+16', '1e+16'],
    [1.5e-7, '1.5e-07', '1.5e-07'],
    [0.0001, '0.0001', '0.0001'],
    [Number.NaN, 'nan', 'nan'],
    [-Infinity, '-inf', '-inf'],
    ['a', 'a', "'a'"],
    ["it's", "it's", '"it\'s"'],
    ['a\nb', 'a\nb', "'a\\nb'"],
    [[1, 'a'], "[1, 'a']", "[1, 'a']"],
    [PyTuple.of_([]), '()', '()'],
    [{ k: [null] }, "{'k': [None]}", "{'k': [None]}"],
    [DateTime.of(2021, 9, 1, 0, 0, 0, 0, 0), '2021-09-01 00:00:00+00:00', 'datetime.datetime(2021, 9, 1, 0, 0, tzinfo=datetime.timezone.utc)'],
    [PyDate.of(2021, 9, 1), '2021-09-01', 'datetime.date(2021, 9, 1)'],
    [Duration.of({ days: 1, hours: 2 }), '1 day, 2:00:00', 'datetime.timedelta(days=1, seconds=7200)'],
  ])('%j', (v, s, r) => {
    expect(pyStr(v)).toBe(s);
    expect(pyRepr(v)).toBe(r);
  });
});

describe('literalEval', () => {
  it.each([
    ['1', 1],
    ['-2.5', -2.5],
    ["{'a': (1, 2)}", { a: [1, 2] }],
    ['[True, None]', [true, null]],
    ['"a" \'b\'', 'ab'],
  ])('%j', (text, value) => {
    expect(literalEval(text)).toEqual({ ok: true, value });
  });
  it.each([
    ['\n5', 5],
    ['5\n\n', 5],
    [' \n5', 5],
    ['\t5', 5],
    ['  # c\n5', 5],
    ['\r\n5', 5],
    ['(\n1\n)', 1],
    ['[1] # x', [1]],
    ['\\\n5', 5],
  ])('handles whitespace like Python: %j', (text, value) => {
    expect(literalEval(text)).toEqual({ ok: true, value });
  });
  it.each(['abc', '1 +', '1j', "b'x'", '2021-01-01', 'f(1)', '[1, 2', '\n  5\n', '\n\n  [1,\n2]\n', '\u000b5', '1;'])('fails on %j', (text) => {
    expect(literalEval(text)).toEqual({ ok: false });
  });
  it.each([
    ['99999999999999999999', 99999999999999999999n],
    ['-9007199254740993', -9007199254740993n],
    ['9007199254740991', 9007199254740991],
    ['[0x10000000000000000, 1]', [0x10000000000000000n, 1]],
  ])('gives an exact BigInt for an int beyond 2^53: %j', (text, value) => {
    expect(literalEval(text)).toEqual({ ok: true, value });
  });
});

describe('templateStrings', () => {
  it('collects templates from values and keys', () => {
    const tree = { a: '{{ x }}', b: ['plain', '{% if y %}{% endif %}'], '{{ k }}': 1, c: { d: 2, e: 'x {{ z }}' } };
    expect(templateStrings(tree)).toEqual(['{{ x }}', '{% if y %}{% endif %}', '{{ k }}', 'x {{ z }}']);
  });
});

describe('parse once', () => {
  // Speed itself is measured by the benchmarks (npm run bench), not by a timed test.
  it('compiles each template source once and reuses it', () => {
    const source = "{{ config['x'] ~ 'parse-once' }}";
    expect(compileTemplate(source)).toBe(compileTemplate(source));
    expect(evalTemplate(source, { config: { x: 'a' } })).toBe('aparse-once');
  });
});
