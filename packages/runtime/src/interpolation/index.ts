/**
 * manifold's Jinja2 interpreter for Airbyte declarative manifests, matching the CDK's
 * JinjaInterpolation (a jinja2 SandboxedEnvironment with the CDK's filters and macros, then
 * `ast.literal_eval` of the rendered text).
 *
 * Value model (see values.ts): None is `null`, Undefined is the `Undefined` class, dicts are plain
 * objects, lists are arrays, tuples are `PyTuple`, floats with an integral value are `PyFloat`
 * (so `{{ 10 / 2 }}` renders `5.0`), datetimes are ../datetime classes. Results handed back by
 * `evalTemplate` are JSON-friendly: PyFloat → number, tuple/set → array, dict keys → strings.
 *
 * Clock: macros such as now_utc() read `Date.now` unless the context carries a clock under the
 * `CLOCK` symbol; `withClock(ctx, () => epochMillis)` returns such a context (tests use it).
 *
 * Errors are `RuntimeError`s: INTERP_SYNTAX (parse), INTERP_UNDEFINED (a variable missing from the
 * context, or an undefined value used where Jinja raises), INTERP_SANDBOX (unsafe attribute),
 * INTERP_STREAM_STATE (`stream_state` mentioned), INTERP_EVAL (anything else Python would raise).
 * The caller sets `path` on the error.
 *
 * Known differences from the CDK (deliberate or unavoidable in JS):
 * - Unsafe attributes (`__class__`, `constructor`, `_private` on non-dicts…) raise INTERP_SANDBOX at
 *   once; Jinja returns an "unsafe Undefined" that renders as '' and only fails when used.
 * - JSON numbers: an integral value is an int (a config value `1.0` prints `1`); ints beyond 2^53
 *   are BigInts (exact, as Python ints), in the context and in literal_eval results.
 * - Results are JSON-friendly: `5.0` comes back as 5, tuples and sets as arrays, dict keys as
 *   strings; bytes and complex literals stay text (as the CDK does for complex).
 * - dict.items()/keys()/values() are lists (Python prints `dict_items([...])`); generators from
 *   map/select/… render as `<generator object>` without an address.
 * - `renderString` applies the stream_state rule too (the CDK applies it in `eval`).
 * - Not supported (compile error): macro/call/filter/with/include/extends/import/block tags,
 *   recursive loops, loop.changed, filters filesizeformat/groupby/random/urlize/wordwrap/xmlattr,
 *   tojson(indent=…), list.sort(key=…), datetime.astimezone(tz).
 */
import { RuntimeError } from '../errors/runtime-error.js';
import type { ErrorCode } from '../errors/codes.js';
import { CONTEXT_ALIASES, compileBody, callValue, getattr, getitem, Scope, SecurityError, type Env } from './evaluator.js';
import { FILTERS, TESTS, UNSUPPORTED_FILTERS } from './filters.js';
import { literalEval as literalEvalImpl, literalEvalResult, type ValidType } from './literal.js';
import { GLOBAL_NAMES, makeGlobals } from './macros.js';
import { TemplateSyntaxError, parseTemplate } from './parser.js';
import { undeclaredVariables } from './symbols.js';
import { PyError, isDict, pyRepr as pyReprImpl, pyStr as pyStrImpl, setOwn } from './values.js';

export type Context = Record<string, unknown>;

const hasOwn = Object.prototype.hasOwnProperty;
export type { ValidType };
export { PyFloat, PyTuple, Undefined } from './values.js';

/** Context key holding a clock (`() => epoch milliseconds`) for now_utc(), today_utc(), day_delta()… */
export const CLOCK: unique symbol = Symbol.for('manifold.interpolation.clock');

/** A copy of `ctx` whose macros read time from `clock` (milliseconds since the epoch). */
export function withClock<T extends Context>(ctx: T, clock: () => number): T {
  return Object.assign({ ...ctx }, { [CLOCK]: clock });
}

// ---------------------------------------------------------------------------------------------
// Environment

class TemplateEnv implements Env {
  readonly globals: ReadonlyMap<string, unknown>;
  readonly filters = FILTERS;
  readonly tests = TESTS;
  constructor(readonly clock: () => number) {
    this.globals = makeGlobals(clock);
  }
  getattr(obj: unknown, name: string): unknown {
    return getattr(obj, name);
  }
  getitem(obj: unknown, key: unknown): unknown {
    return getitem(obj, key);
  }
  call(fn: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown {
    return callValue(fn, args, kwargs);
  }
}

const defaultEnv = new TemplateEnv(() => Date.now());
const clockEnvs = new WeakMap<() => number, TemplateEnv>();

function envFor(ctx: Context): TemplateEnv {
  const clock = (ctx as Record<PropertyKey, unknown>)[CLOCK];
  if (typeof clock !== 'function') return defaultEnv;
  const fn = clock as () => number;
  let env = clockEnvs.get(fn);
  if (!env) {
    env = new TemplateEnv(fn);
    clockEnvs.set(fn, env);
  }
  return env;
}

// ---------------------------------------------------------------------------------------------
// Compilation

export interface CompiledTemplate {
  readonly source: string;
  /** No `{{`, `{%` or `{#`: rendering only normalises newlines (Jinja drops one trailing newline). */
  readonly isPlain: boolean;
  /** Renders with Python str() semantics; checks undeclared variables against `ctx` first. */
  render(ctx: Context): string;
  /** Names the template reads from its context (jinja2.meta.find_undeclared_variables, globals excluded). */
  variables(): ReadonlySet<string>;
}

function shorten(source: string): string {
  const s = source.length > 120 ? source.slice(0, 117) + '...' : source;
  return JSON.stringify(s);
}

class Template implements CompiledTemplate {
  constructor(
    readonly source: string,
    readonly isPlain: boolean,
    private readonly run: (s: Scope, out: string[]) => void,
    private readonly vars: ReadonlySet<string>,
    private readonly plainText: string | null,
  ) {}

  variables(): ReadonlySet<string> {
    return this.vars;
  }

  checkDeclared(ctx: Context, aliases = false): void {
    if (this.vars.size === 0) return;
    let missing: string[] | null = null;
    for (const v of this.vars) {
      if (hasOwn.call(ctx, v)) continue;
      if (aliases && hasOwn.call(CONTEXT_ALIASES, v) && hasOwn.call(ctx, CONTEXT_ALIASES[v] as string)) continue;
      (missing ??= []).push(v);
    }
    if (missing) {
      throw new RuntimeError(
        'INTERP_UNDEFINED',
        `Template ${shorten(this.source)} uses undeclared variable${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
        { help: `Variables available here: ${Object.keys(ctx).sort().join(', ') || '(none)'}` },
      );
    }
  }

  /** Renders without converting Python errors (evalTemplate needs to see UndefinedError/TypeError). */
  renderRaw(ctx: Context, aliases = false): string {
    if (this.plainText !== null) return this.plainText;
    const out: string[] = [];
    this.run(new Scope(null, ctx, envFor(ctx), aliases), out);
    return out.length === 1 ? (out[0] as string) : out.join('');
  }

  render(ctx: Context, aliases = false): string {
    this.checkDeclared(ctx, aliases);
    try {
      return this.renderRaw(ctx, aliases);
    } catch (e) {
      throw toRuntimeError(e, this.source);
    }
  }
}

const cache = new Map<string, Template>();
const CACHE_LIMIT = 20_000;

/** Parses (once; cached by source) and compiles a template. Throws RuntimeError INTERP_SYNTAX. */
export function compileTemplate(source: string): CompiledTemplate {
  return compileInternal(source);
}

function compileInternal(source: string): Template {
  const hit = cache.get(source);
  if (hit) return hit;
  const isPlain = !/\{[{%#]/.test(source);
  let tpl: Template;
  if (isPlain) {
    let text = source.replace(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g, '\n');
    if (text.endsWith('\n')) text = text.slice(0, -1);
    tpl = new Template(source, true, () => undefined, new Set(), text);
  } else {
    try {
      const parsed = parseTemplate(source);
      const run = compileBody(parsed.body, {
        filters: FILTERS,
        tests: TESTS,
        onUnknown(kind, name) {
          const why = kind === 'filter' && UNSUPPORTED_FILTERS.has(name) ? ' (a Jinja filter this runtime does not support)' : '';
          throw new TemplateSyntaxError(`No ${kind} named '${name}'${why}.`, 1, 1);
        },
      }, false);
      const vars = new Set([...undeclaredVariables(parsed.body)].filter((n) => !GLOBAL_NAMES.has(n)));
      tpl = new Template(source, false, run, vars, null);
    } catch (e) {
      if (e instanceof TemplateSyntaxError) {
        throw new RuntimeError('INTERP_SYNTAX', `Invalid template ${shorten(source)}: ${e.message} (line ${e.line}, column ${e.column})`, {
          cause: e,
        });
      }
      throw e;
    }
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, tpl);
  return tpl;
}

function toRuntimeError(e: unknown, source: string): RuntimeError {
  if (e instanceof RuntimeError) return e;
  if (e instanceof PyError) {
    const code: ErrorCode =
      e instanceof SecurityError || e.pyType === 'SecurityError'
        ? 'INTERP_SANDBOX'
        : e.pyType === 'UndefinedError'
          ? 'INTERP_UNDEFINED'
          : 'INTERP_EVAL';
    return new RuntimeError(code, `Template ${shorten(source)} failed: ${e.pyType}: ${e.message}`, { cause: e });
  }
  const err = e as Error;
  const kind = err?.name && err.name !== 'Error' ? `${err.name}: ` : '';
  return new RuntimeError('INTERP_EVAL', `Template ${shorten(source)} failed: ${kind}${err?.message ?? String(e)}`, { cause: e });
}

// ---------------------------------------------------------------------------------------------
// jinja.py JinjaInterpolation.eval

const STREAM_STATE_MESSAGE =
  '`stream_state` is no longer supported for interpolation. We recommend using `stream_interval` instead. Please reference the CDK Migration Guide for more information.';

/** jinja.py refuses the alias names in the context; they then resolve to stream_slice (see Scope). */
function checkAliases(ctx: Context): void {
  if (hasOwn.call(ctx, 'stream_interval') || hasOwn.call(ctx, 'stream_partition')) {
    const alias = hasOwn.call(ctx, 'stream_interval') ? 'stream_interval' : 'stream_partition';
    throw new RuntimeError(
      'INTERP_EVAL',
      `Found reserved keyword ${alias} in interpolation context. This is unexpected and indicative of a bug in the runtime.`,
    );
  }
}

function checkStreamState(source: string): void {
  if (source.includes('stream_state')) {
    throw new RuntimeError('INTERP_STREAM_STATE', STREAM_STATE_MESSAGE, {
      help: `Template ${shorten(source)}: replace stream_state with stream_interval`,
    });
  }
}

/** jinja.py `_eval`: render; a Python TypeError while rendering yields the template text itself. */
function evalOnce(source: string, ctx: Context): string {
  const tpl = compileInternal(source);
  tpl.checkDeclared(ctx, true);
  try {
    return tpl.renderRaw(ctx, true);
  } catch (e) {
    if (e instanceof PyError && e.pyType === 'TypeError') return source;
    throw e;
  }
}

export interface EvalOptions {
  default?: string;
  validTypes?: ValidType[];
}

/**
 * JinjaInterpolation.eval: renders `source`, then literal-evals the text (typed numbers, booleans,
 * lists, dicts, None), filtered by `validTypes`. An empty render, or an UndefinedError, falls back
 * to rendering `default` (null when there is none). Non-string input is returned as is.
 */
export function evalTemplate(source: unknown, ctx: Context, opts: EvalOptions = {}): unknown {
  if (typeof source !== 'string') return source;
  const context = ctx;
  checkAliases(ctx);
  checkStreamState(source);
  try {
    const result = evalOnce(source, context);
    if (result) return literalEvalResult(result, opts.validTypes);
  } catch (e) {
    if (!(e instanceof PyError && e.pyType === 'UndefinedError')) throw toRuntimeError(e, source);
  }
  if (opts.default === undefined || opts.default === null) return null;
  try {
    return literalEvalResult(evalOnce(opts.default, context), opts.validTypes);
  } catch (e) {
    throw toRuntimeError(e, opts.default);
  }
}

/** Renders to text (Python str() semantics) with the CDK's context rules (aliases, stream_state, undeclared names). */
export function renderString(source: string, ctx: Context): string {
  checkAliases(ctx);
  checkStreamState(source);
  return compileInternal(source).render(ctx, true);
}

// ---------------------------------------------------------------------------------------------
// Interpolated* wrappers

function buildContext(config: Record<string, unknown>, parameters: Record<string, unknown>, extra?: Context): Context {
  const ctx: Context = { config, parameters };
  if (extra) {
    Object.assign(ctx, extra);
    const clock = (extra as Record<PropertyKey, unknown>)[CLOCK];
    if (clock !== undefined) (ctx as Record<PropertyKey, unknown>)[CLOCK] = clock;
  }
  return ctx;
}

/** interpolated_string.py: `default` defaults to the string itself. */
export class InterpolatedString {
  readonly default: string;
  constructor(
    readonly source: string,
    readonly parameters: Record<string, unknown>,
    defaultValue?: string,
  ) {
    this.default = defaultValue || source;
  }
  eval(config: Record<string, unknown>, extra?: Context): unknown {
    return evalTemplate(this.source, buildContext(config, this.parameters, extra), { default: this.default });
  }
}

/** interpolated_boolean.py: false when the result is one of FALSE_VALUES (compared with Python ==). */
export class InterpolatedBoolean {
  constructor(
    readonly condition: string | boolean,
    readonly parameters: Record<string, unknown>,
  ) {}
  eval(config: Record<string, unknown>, extra?: Context): boolean {
    if (typeof this.condition === 'boolean') return this.condition;
    const v = evalTemplate(this.condition, buildContext(config, this.parameters, extra), { default: 'False' });
    return !isFalseValue(v);
  }
}

const FALSE_STRINGS = new Set(['False', 'false', '{}', '[]', '()', '', '0', '0.0']);

function isFalseValue(v: unknown): boolean {
  if (v === false || v === 0) return true;
  if (typeof v === 'string') return FALSE_STRINGS.has(v);
  if (Array.isArray(v)) return v.length === 0;
  if (isDict(v)) return v instanceof Map ? v.size === 0 : Object.keys(v).length === 0;
  return false;
}

/** json.dumps-style key for a dict built from interpolated keys. */
function keyString(k: unknown): string {
  if (typeof k === 'string') return k;
  if (k === null) return 'null';
  if (k === true) return 'true';
  if (k === false) return 'false';
  if (typeof k === 'number') return pyStrImpl(k);
  return pyStrImpl(k);
}

export interface MappingOptions {
  /** valid_key_types (default ['str']). */
  validKeyTypes?: ValidType[];
  /** valid_value_types (default: none, i.e. any literal). */
  validValueTypes?: ValidType[];
}

/** interpolated_mapping.py: keys and string values are interpolated; other values pass through. */
export function interpolateMapping(
  mapping: Record<string, unknown>,
  parameters: Record<string, unknown>,
  config: Record<string, unknown>,
  extra?: Context,
  opts: MappingOptions = {},
): Record<string, unknown> {
  const ctx = buildContext(config, parameters, extra);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(mapping)) {
    const key = evalTemplate(name, ctx, { validTypes: opts.validKeyTypes ?? ['str'] });
    const v = typeof value === 'string' ? evalTemplate(value, ctx, opts.validValueTypes ? { validTypes: opts.validValueTypes } : {}) : value;
    setOwn(out, keyString(key), v);
  }
  return out;
}

/** interpolated_nested_mapping.py: recursive; dict entries whose value evaluates to None are dropped. */
export function interpolateNested(
  value: unknown,
  parameters: Record<string, unknown>,
  config: Record<string, unknown>,
  extra?: Context,
): unknown {
  const ctx = buildContext(config, parameters, extra);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return evalTemplate(v, ctx);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object' && isDict(v) && !(v instanceof Map)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const key = keyString(walk(k));
        const val = walk(x);
        if (val !== null && val !== undefined) setOwn(out, key, val);
        else delete out[key];
      }
      return out;
    }
    return v;
  };
  return walk(value);
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** ast.literal_eval with JSON-friendly results (complex and bytes fail; ints beyond 2^53 are BigInts). */
export function literalEval(text: string): { ok: true; value: unknown } | { ok: false } {
  return literalEvalImpl(text);
}

/** Python str(). */
export function pyStr(value: unknown): string {
  return pyStrImpl(value);
}

/** Python repr(). */
export function pyRepr(value: unknown): string {
  return pyReprImpl(value);
}

const TEMPLATE_MARK = /\{\{|\{%/;

/** Every string (keys included) holding `{{` or `{%` in a JSON tree, in document order. */
export function templateStrings(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (TEMPLATE_MARK.test(v)) out.push(v);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        walk(k);
        walk(x);
      }
    }
  };
  walk(value);
  return out;
}
