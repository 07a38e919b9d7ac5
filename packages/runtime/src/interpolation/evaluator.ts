/**
 * Compiles the AST into closures and runs them with Python/Jinja semantics (SandboxedEnvironment
 * attribute rules, Undefined, Python operators).
 */
import { Duration, isDateTime, isDuration, isPyDate } from '../datetime/index.js';
import { percentFormat } from './format.js';
import { LoopContext, NOT_FOUND, Namespace, pyAttribute } from './methods.js';
import type { Expr, Stmt, Target } from './parser.js';
import {
  PyCallable,
  PyError,
  PyFloat,
  PyIterator,
  PyTuple,
  TemplateReference,
  Undefined,
  dictAttr,
  dictGet,
  dictHas,
  isDict,
  isFloat,
  isNumber,
  isUndef,
  makeDict,
  mkFloat,
  normInt,
  pyCompare,
  pyEq,
  pyIter,
  pyRepr,
  pyStr,
  toNum,
  truthy,
  typeError,
  typeName,
  undefHint,
  type Kwargs,
} from './values.js';

export interface FilterFn {
  (env: Env, value: unknown, args: unknown[], kwargs: Kwargs): unknown;
}
export interface TestFn {
  (env: Env, value: unknown, args: unknown[], kwargs: Kwargs): boolean;
}

/** What a render needs besides the context: globals, filters, tests, the clock. */
export interface Env {
  readonly globals: ReadonlyMap<string, unknown>;
  readonly filters: ReadonlyMap<string, FilterFn>;
  readonly tests: ReadonlyMap<string, TestFn>;
  readonly clock: () => number;
  getattr(obj: unknown, name: string): unknown;
  getitem(obj: unknown, key: unknown): unknown;
  call(fn: unknown, args: unknown[], kwargs: Kwargs): unknown;
}

/** The CDK's context aliases: stream_interval and stream_partition read stream_slice. */
export const CONTEXT_ALIASES: Readonly<Record<string, string>> = { stream_interval: 'stream_slice', stream_partition: 'stream_slice' };

const hasOwn = Object.prototype.hasOwnProperty;
const SELF = new TemplateReference();

export class Scope {
  readonly vars = new Map<string, unknown>();
  constructor(
    readonly parent: Scope | null,
    readonly ctx: Record<string, unknown>,
    readonly env: Env,
    /** Whether stream_interval/stream_partition resolve to stream_slice. */
    readonly aliases = false,
  ) {}
  child(): Scope {
    return new Scope(this, this.ctx, this.env, this.aliases);
  }
  lookup(name: string): unknown {
    for (let s: Scope | null = this; s; s = s.parent) {
      if (s.vars.size && s.vars.has(name)) return s.vars.get(name);
    }
    // Jinja binds `self` to the template reference, whatever the context holds.
    if (name === 'self') return SELF;
    let key = name;
    if (this.aliases && !hasOwn.call(this.ctx, name) && hasOwn.call(CONTEXT_ALIASES, name)) key = CONTEXT_ALIASES[name] as string;
    if (hasOwn.call(this.ctx, key)) {
      const v = this.ctx[key];
      return v === undefined ? new Undefined(`'${name}' is undefined`) : v;
    }
    if (this.env.globals.has(name)) return this.env.globals.get(name);
    return new Undefined(`'${name}' is undefined`);
  }
}

type Ev = (s: Scope) => unknown;
type Exec = (s: Scope, out: string[]) => void;

export class SecurityError extends PyError {
  constructor(message: string) {
    super('SecurityError', message);
  }
}

// ---------------------------------------------------------------------------------------------
// Attribute and item access (SandboxedEnvironment.getattr / getitem)

const JS_UNSAFE = new Set(['constructor', 'prototype', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

export function objectTypeRepr(obj: unknown): string {
  if (obj === null) return 'None';
  return `${typeName(obj)} object`;
}

function unsafe(obj: unknown, name: string): never {
  throw new SecurityError(`access to attribute '${name}' of '${typeName(obj)}' object is unsafe.`);
}

function isDunder(name: string): boolean {
  return name.startsWith('__') && name.endsWith('__') && name.length > 4;
}

export function getattr(obj: unknown, name: string): unknown {
  if (isUndef(obj)) throw new PyError('UndefinedError', undefHint(obj));
  if (isDunder(name) || name === '__proto__') unsafe(obj, name);
  const attr = pyAttribute(obj, name);
  if (attr !== NOT_FOUND) {
    if (name.startsWith('_')) unsafe(obj, name);
    return attr;
  }
  if (isDict(obj)) {
    if (dictHas(obj, name)) return dictGet(obj, name);
    const a = dictAttr(obj, name);
    if (a !== undefined) return a;
  } else if (JS_UNSAFE.has(name) || (name.startsWith('_') && name !== '_partition')) {
    unsafe(obj, name);
  }
  return new Undefined(`'${objectTypeRepr(obj)}' has no attribute '${name}'`);
}

function normIndex(key: unknown): number | null {
  if (typeof key === 'boolean') return key ? 1 : 0;
  if (typeof key === 'number' && Number.isInteger(key)) return key;
  return null;
}

function hasAstral(s: string): boolean {
  return /[\uD800-\uDFFF]/.test(s);
}

function sliceIndices(len: number, start: unknown, stop: unknown, step: unknown): [number, number, number] {
  const conv = (v: unknown): number | null => {
    if (v === null || v === undefined) return null;
    const n = normIndex(v);
    if (n === null) throw typeError('slice indices must be integers or None or have an __index__ method');
    return n;
  };
  const st = conv(step) ?? 1;
  if (st === 0) throw new PyError('ValueError', 'slice step cannot be zero');
  let a = conv(start);
  let b = conv(stop);
  if (st > 0) {
    a = a === null ? 0 : a < 0 ? Math.max(a + len, 0) : Math.min(a, len);
    b = b === null ? len : b < 0 ? Math.max(b + len, 0) : Math.min(b, len);
  } else {
    a = a === null ? len - 1 : a < 0 ? Math.max(a + len, -1) : Math.min(a, len - 1);
    b = b === null ? -1 : b < 0 ? Math.max(b + len, -1) : Math.min(b, len - 1);
  }
  return [a, b, st];
}

export class PySlice {
  constructor(
    readonly start: unknown,
    readonly stop: unknown,
    readonly step: unknown,
  ) {}
}

function doSlice(obj: unknown, sl: PySlice): unknown {
  if (typeof obj === 'string' || Array.isArray(obj)) {
    const seq: readonly unknown[] = typeof obj === 'string' ? (hasAstral(obj) ? [...obj] : obj.split('')) : obj;
    const [a, b, st] = sliceIndices(seq.length, sl.start, sl.stop, sl.step);
    const out: unknown[] = [];
    if (st > 0) for (let i = a; i < b; i += st) out.push(seq[i]);
    else for (let i = a; i > b; i += st) out.push(seq[i]);
    if (typeof obj === 'string') return out.join('');
    return obj instanceof PyTuple ? PyTuple.of_(out) : out;
  }
  return NOT_FOUND;
}

export function getitem(obj: unknown, key: unknown): unknown {
  if (isUndef(obj)) throw new PyError('UndefinedError', undefHint(obj));
  if (key instanceof PySlice) {
    // Jinja compiles slices to plain Python subscription: no Undefined fallback.
    const r = doSlice(obj, key);
    if (r !== NOT_FOUND) return r;
    if (isDict(obj)) throw typeError("unhashable type: 'slice'");
    throw typeError(`'${typeName(obj)}' object is not subscriptable`);
  }
  if (isDict(obj)) {
    if (dictHas(obj, key)) return dictGet(obj, key);
  } else if (Array.isArray(obj)) {
    const i = normIndex(key);
    if (i !== null) {
      const j = i < 0 ? i + obj.length : i;
      if (j >= 0 && j < obj.length) return obj[j];
      return new Undefined(`${objectTypeRepr(obj)} has no element ${pyRepr(key)}`);
    }
  } else if (typeof obj === 'string') {
    const i = normIndex(key);
    if (i !== null) {
      const chars = hasAstral(obj) ? [...obj] : obj;
      const j = i < 0 ? i + chars.length : i;
      if (j >= 0 && j < chars.length) return chars[j];
      return new Undefined(`${objectTypeRepr(obj)} has no element ${pyRepr(key)}`);
    }
  }
  if (typeof key === 'string') {
    if (isDunder(key) || key === '__proto__' || (!isDict(obj) && JS_UNSAFE.has(key))) unsafe(obj, key);
    const attr = pyAttribute(obj, key);
    if (attr !== NOT_FOUND) {
      if (key.startsWith('_')) unsafe(obj, key);
      return attr;
    }
    if (isDict(obj)) {
      const a = dictAttr(obj, key);
      if (a !== undefined) return a;
    }
    return new Undefined(`'${objectTypeRepr(obj)}' has no attribute '${key}'`);
  }
  return new Undefined(`${objectTypeRepr(obj)} has no element ${pyRepr(key)}`);
}

export function callValue(fn: unknown, args: unknown[], kwargs: Kwargs): unknown {
  if (fn instanceof PyCallable) return fn.fn(args, kwargs);
  if (isUndef(fn)) throw new PyError('UndefinedError', undefHint(fn));
  if (typeof fn === 'function') throw new SecurityError('calling host functions from a template is not allowed');
  throw typeError(`'${typeName(fn)}' object is not callable`);
}

// ---------------------------------------------------------------------------------------------
// Operators

function undefCheck(a: unknown, b: unknown = null): void {
  if (isUndef(a)) throw new PyError('UndefinedError', undefHint(a));
  if (isUndef(b)) throw new PyError('UndefinedError', undefHint(b));
}

function unsupported(op: string, a: unknown, b: unknown): never {
  throw typeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

function numResult(x: number, float: boolean): unknown {
  return float ? mkFloat(x) : x;
}

function repeat(seq: unknown, n: unknown): unknown {
  const k = Math.max(toNum(n), 0);
  if (typeof seq === 'string') return seq.repeat(k);
  const arr = seq as unknown[];
  const out: unknown[] = [];
  for (let i = 0; i < k; i++) out.push(...arr);
  return arr instanceof PyTuple ? PyTuple.of_(out) : out;
}

function isIntLike(v: unknown): boolean {
  return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'boolean';
}

/** Python int arithmetic done exactly, for BigInt operands or a result beyond 2^53. */
function bigIntArith(op: string, a: unknown, b: unknown): unknown {
  const x = typeof a === 'bigint' ? a : BigInt(toNum(a));
  const y = typeof b === 'bigint' ? b : BigInt(toNum(b));
  switch (op) {
    case '+':
      return normInt(x + y);
    case '-':
      return normInt(x - y);
    case '*':
      return normInt(x * y);
    case '//': {
      if (y === 0n) throw new PyError('ZeroDivisionError', 'integer division or modulo by zero');
      const q = x / y;
      return normInt(x % y !== 0n && x < 0n !== y < 0n ? q - 1n : q);
    }
    case '%': {
      if (y === 0n) throw new PyError('ZeroDivisionError', 'integer division or modulo by zero');
      const r = x % y;
      return normInt(r !== 0n && r < 0n !== y < 0n ? r + y : r);
    }
    case '**':
      return normInt(x ** y);
  }
  return undefined;
}

/** Ops whose int result Python keeps exact at any size. */
const EXACT_INT_OPS = new Set(['+', '-', '*', '//', '%', '**']);

export function binop(op: string, a: unknown, b: unknown): unknown {
  undefCheck(a, b);
  const nums = isNumber(a) && isNumber(b);
  const float = nums && (isFloat(a) || isFloat(b));
  if (nums && !float && EXACT_INT_OPS.has(op)) {
    if (typeof a === 'bigint' || typeof b === 'bigint') {
      if (!(op === '**' && toNum(b) < 0)) return bigIntArith(op, a, b);
    } else {
      const exact = intResultIfUnsafe(op, a, b);
      if (exact !== undefined) return exact;
    }
  }
  switch (op) {
    case '+':
      if (nums) return numResult(toNum(a) + toNum(b), float);
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      if (Array.isArray(a) && Array.isArray(b) && a instanceof PyTuple === b instanceof PyTuple) {
        return a instanceof PyTuple ? PyTuple.of_([...a, ...b]) : [...a, ...b];
      }
      if (isDateTime(a) && isDuration(b)) return a.plus(b);
      if (isDuration(a) && isDateTime(b)) return b.plus(a);
      if (isPyDate(a) && isDuration(b)) return a.plus(b);
      if (isDuration(a) && isPyDate(b)) return b.plus(a);
      if (isDuration(a) && isDuration(b)) return a.plus(b);
      return unsupported('+', a, b);
    case '-':
      if (nums) return numResult(toNum(a) - toNum(b), float);
      if (isDateTime(a) && isDuration(b)) return a.minus(b);
      if (isDateTime(a) && isDateTime(b)) {
        if ((a.offsetMinutes === null) !== (b.offsetMinutes === null)) {
          throw typeError("can't subtract offset-naive and offset-aware datetimes");
        }
        return a.diff(b);
      }
      if (isPyDate(a) && isDuration(b)) return a.minus(b);
      if (isPyDate(a) && isPyDate(b)) return a.diff(b);
      if (isDuration(a) && isDuration(b)) return a.minus(b);
      return unsupported('-', a, b);
    case '*':
      if (nums) return numResult(toNum(a) * toNum(b), float);
      if ((typeof a === 'string' || Array.isArray(a)) && isIntLike(b)) return repeat(a, b);
      if ((typeof b === 'string' || Array.isArray(b)) && isIntLike(a)) return repeat(b, a);
      if (isDuration(a) && isNumber(b)) return a.times(toNum(b));
      if (isNumber(a) && isDuration(b)) return b.times(toNum(a));
      return unsupported('*', a, b);
    case '/':
      if (nums) {
        if (toNum(b) === 0) throw new PyError('ZeroDivisionError', 'division by zero');
        return mkFloat(toNum(a) / toNum(b));
      }
      if (isDuration(a) && isDuration(b)) return mkFloat(a.dividedBy(b));
      if (isDuration(a) && isNumber(b)) {
        if (toNum(b) === 0) throw new PyError('ZeroDivisionError', 'division by zero');
        return a.times(1 / toNum(b));
      }
      return unsupported('/', a, b);
    case '//':
      if (nums) {
        if (toNum(b) === 0) {
          throw new PyError('ZeroDivisionError', float ? 'float floor division by zero' : 'integer division or modulo by zero');
        }
        return numResult(Math.floor(toNum(a) / toNum(b)), float);
      }
      return unsupported('//', a, b);
    case '%':
      if (typeof a === 'string') return percentFormat(a, b);
      if (nums) {
        const y = toNum(b);
        if (y === 0) throw new PyError('ZeroDivisionError', float ? 'float modulo' : 'integer division or modulo by zero');
        const x = toNum(a);
        let r = x % y;
        if (r !== 0 && (r < 0) !== (y < 0)) r += y;
        return numResult(r, float);
      }
      return unsupported('%', a, b);
    case '**': {
      if (!nums) return unsupported('** or pow()', a, b);
      const x = toNum(a);
      const y = toNum(b);
      if (x === 0 && y < 0) throw new PyError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
      return numResult(x ** y, float || y < 0);
    }
  }
  throw typeError(`unknown operator ${op}`);
}

/** The exact result when an int op on two safe ints leaves the safe range (undefined otherwise). */
function intResultIfUnsafe(op: string, a: unknown, b: unknown): unknown {
  const x = toNum(a);
  const y = toNum(b);
  const r = op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '**' && y >= 0 ? x ** y : 0;
  return Number.isSafeInteger(r) ? undefined : bigIntArith(op, a, b);
}

function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw typeError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (isDict(container)) return dictHas(container, item) || (isNumber(item) && dictHas(container, toNum(item)));
  if (isUndef(container)) return false;
  if (Array.isArray(container)) return container.some((x) => pyEq(x, item));
  if (container instanceof PyIterator) return container.take().some((x) => pyEq(x, item));
  throw typeError(`argument of type '${typeName(container)}' is not iterable`);
}

export function compareOp(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return pyEq(a, b);
    case '!=':
      return !pyEq(a, b);
    case 'in':
      return contains(b, a);
    case 'notin':
      return !contains(b, a);
    case '<':
      return pyCompare(a, b, op) < 0;
    case '<=':
      return pyCompare(a, b, op) <= 0;
    case '>':
      return pyCompare(a, b, op) > 0;
    case '>=':
      return pyCompare(a, b, op) >= 0;
  }
  throw typeError(`unknown comparison ${op}`);
}

function unary(op: string, v: unknown): unknown {
  if (op === 'not') return !truthy(v);
  undefCheck(v);
  if (typeof v === 'bigint') return op === '-' ? normInt(-v) : v;
  if (isNumber(v)) {
    const x = toNum(v);
    const r = op === '-' ? -x : x;
    return isFloat(v) ? mkFloat(r) : r === 0 ? 0 : r;
  }
  if (isDuration(v)) return op === '-' ? v.negate() : v;
  throw typeError(`bad operand type for unary ${op}: '${typeName(v)}'`);
}

// ---------------------------------------------------------------------------------------------
// Compilation

export interface CompileOptions {
  filters: ReadonlyMap<string, FilterFn>;
  tests: ReadonlyMap<string, TestFn>;
  /** Reports an unknown filter/test at compile time (Jinja does, outside `{% if %}` blocks). */
  onUnknown(kind: 'filter' | 'test', name: string): void;
}

function runtimeUnknown(kind: string, name: string): never {
  throw new PyError('TemplateRuntimeError', `No ${kind} named '${name}' found.`);
}

export function compileExpr(e: Expr, o: CompileOptions, soft: boolean): Ev {
  const c = (x: Expr): Ev => compileExpr(x, o, soft);
  switch (e.t) {
    case 'const': {
      const v = e.v;
      return () => v;
    }
    case 'name': {
      const n = e.name;
      return (s) => s.lookup(n);
    }
    case 'list': {
      const items = e.items.map(c);
      return (s) => items.map((f) => f(s));
    }
    case 'tuple': {
      const items = e.items.map(c);
      return (s) => PyTuple.of_(items.map((f) => f(s)));
    }
    case 'dict': {
      const pairs = e.pairs.map(([k, v]) => [c(k), c(v)] as const);
      return (s) => makeDict(pairs.map(([k, v]) => [k(s), v(s)]));
    }
    case 'getattr': {
      const obj = c(e.obj);
      const attr = e.attr;
      return (s) => s.env.getattr(obj(s), attr);
    }
    case 'getitem': {
      const obj = c(e.obj);
      const idx = c(e.index);
      return (s) => s.env.getitem(obj(s), idx(s));
    }
    case 'slice': {
      const a = e.start ? c(e.start) : () => null;
      const b = e.stop ? c(e.stop) : () => null;
      const st = e.step ? c(e.step) : () => null;
      return (s) => new PySlice(a(s), b(s), st(s));
    }
    case 'call': {
      const fn = c(e.fn);
      const args = compileArgs(e.args, e.kwargs, e.star, e.dstar, o, soft);
      return (s) => {
        const f = fn(s);
        const [a, k] = args(s);
        return s.env.call(f, a, k);
      };
    }
    case 'filter': {
      const node = c(e.node);
      const name = e.name;
      if (!o.filters.has(name)) {
        if (!soft) o.onUnknown('filter', name);
        return () => runtimeUnknown('filter', name);
      }
      const args = compileArgs(e.args, e.kwargs, null, null, o, soft);
      return (s) => {
        const f = s.env.filters.get(name);
        if (!f) return runtimeUnknown('filter', name);
        const v = node(s);
        const [a, k] = args(s);
        return f(s.env, v, a, k);
      };
    }
    case 'test': {
      const node = c(e.node);
      const name = e.name;
      if (!o.tests.has(name)) {
        if (!soft) o.onUnknown('test', name);
        return () => runtimeUnknown('test', name);
      }
      const args = compileArgs(e.args, e.kwargs, null, null, o, soft);
      return (s) => {
        const t = s.env.tests.get(name) as TestFn;
        const v = node(s);
        const [a, k] = args(s);
        return t(s.env, v, a, k);
      };
    }
    case 'unary': {
      const node = c(e.node);
      const op = e.op;
      return (s) => unary(op, node(s));
    }
    case 'bin': {
      const l = c(e.left);
      const r = c(e.right);
      const op = e.op;
      return (s) => binop(op, l(s), r(s));
    }
    case 'and': {
      const l = c(e.left);
      const r = c(e.right);
      return (s) => {
        const v = l(s);
        return truthy(v) ? r(s) : v;
      };
    }
    case 'or': {
      const l = c(e.left);
      const r = c(e.right);
      return (s) => {
        const v = l(s);
        return truthy(v) ? v : r(s);
      };
    }
    case 'compare': {
      const first = c(e.first);
      const ops = e.ops.map(([op, x]) => [op, c(x)] as const);
      return (s) => {
        let left = first(s);
        for (const [op, f] of ops) {
          const right = f(s);
          if (!compareOp(op, left, right)) return false;
          left = right;
        }
        return true;
      };
    }
    case 'cond': {
      // Jinja compiles conditional expressions in a "soft" frame: unknown filters fail at run time.
      const test = compileExpr(e.test, o, true);
      const then = compileExpr(e.then, o, true);
      const els = e.else_ ? compileExpr(e.else_, o, true) : null;
      return (s) => {
        if (truthy(test(s))) return then(s);
        return els ? els(s) : new Undefined('the inline if-expression evaluated to false and no else section was defined.');
      };
    }
    case 'concat': {
      const items = e.items.map(c);
      return (s) => items.map((f) => pyStr(f(s))).join('');
    }
  }
}

function compileArgs(
  args: Expr[],
  kwargs: Array<[string, Expr]>,
  star: Expr | null,
  dstar: Expr | null,
  o: CompileOptions,
  soft: boolean,
): (s: Scope) => [unknown[], Kwargs] {
  const a = args.map((x) => compileExpr(x, o, soft));
  const k = kwargs.map(([n, x]) => [n, compileExpr(x, o, soft)] as const);
  const st = star ? compileExpr(star, o, soft) : null;
  const ds = dstar ? compileExpr(dstar, o, soft) : null;
  if (!st && !ds && k.length === 0) {
    return (s) => [a.map((f) => f(s)), {}];
  }
  return (s) => {
    const av = a.map((f) => f(s));
    if (st) av.push(...pyIter(st(s)));
    const kv: Kwargs = {};
    for (const [n, f] of k) kv[n] = f(s);
    if (ds) {
      const d = ds(s);
      if (!isDict(d)) throw typeError(`argument after ** must be a mapping, not ${typeName(d)}`);
      for (const key of d instanceof Map ? [...d.keys()] : Object.keys(d)) {
        if (typeof key !== 'string') throw typeError('keywords must be strings');
        kv[key] = dictGet(d, key);
      }
    }
    return [av, kv];
  };
}

function assign(target: Target, value: unknown, s: Scope): void {
  if (target.t === 'name') {
    s.vars.set(target.name, value);
  } else if (target.t === 'tuple') {
    const items = pyIter(value);
    if (items.length !== target.items.length) {
      throw new PyError(
        'ValueError',
        items.length > target.items.length
          ? `too many values to unpack (expected ${target.items.length})`
          : `not enough values to unpack (expected ${target.items.length}, got ${items.length})`,
      );
    }
    target.items.forEach((t, i) => assign(t, items[i], s));
  } else {
    const ns = s.lookup(target.name);
    if (!(ns instanceof Namespace)) throw new PyError('TemplateRuntimeError', 'cannot assign attribute on non-namespace object');
    ns.attrs.set(target.attr, value);
  }
}

export function compileBody(body: Stmt[], o: CompileOptions, soft: boolean): Exec {
  const parts = body.map((st) => compileStmt(st, o, soft));
  if (parts.length === 1) return parts[0] as Exec;
  return (s, out) => {
    for (const p of parts) p(s, out);
  };
}

function compileStmt(st: Stmt, o: CompileOptions, soft: boolean): Exec {
  switch (st.t) {
    case 'data': {
      const text = st.text;
      return (_s, out) => {
        out.push(text);
      };
    }
    case 'output': {
      const ev = compileExpr(st.expr, o, soft);
      return (s, out) => {
        out.push(pyStr(ev(s)));
      };
    }
    case 'if': {
      const branches: Array<[Ev, Exec]> = [[compileExpr(st.test, o, true), compileBody(st.body, o, true)]];
      for (const [t, b] of st.elifs) branches.push([compileExpr(t, o, true), compileBody(b, o, true)]);
      const els = compileBody(st.else_, o, true);
      return (s, out) => {
        for (const [t, b] of branches) {
          if (truthy(t(s))) {
            b(s, out);
            return;
          }
        }
        els(s, out);
      };
    }
    case 'for': {
      const iter = compileExpr(st.iter, o, soft);
      // Loop bodies are new (non-soft) frames in Jinja, even inside an if block.
      const test = st.test ? compileExpr(st.test, o, false) : null;
      const body = compileBody(st.body, o, false);
      const els = compileBody(st.else_, o, false);
      const target = st.target;
      return (s, out) => {
        const iterable = iter(s);
        if (iterable === null) throw typeError("'NoneType' object is not iterable");
        let items = pyIter(iterable);
        if (test) {
          items = items.filter((item) => {
            const ts = s.child();
            assign(target, item, ts);
            return truthy(test(ts));
          });
        }
        if (!items.length) {
          els(s.child(), out);
          return;
        }
        const loop = new LoopContext(items);
        for (let i = 0; i < items.length; i++) {
          loop.index0 = i;
          const ls = s.child();
          ls.vars.set('loop', loop);
          assign(target, items[i], ls);
          body(ls, out);
        }
      };
    }
    case 'set': {
      const ev = compileExpr(st.expr, o, soft);
      const target = st.target;
      return (s) => {
        assign(target, ev(s), s);
      };
    }
    case 'setblock': {
      const body = compileBody(st.body, o, false);
      const filters = st.filters.map((f) => {
        const args = compileArgs(f.args, f.kwargs, null, null, o, soft);
        if (!o.filters.has(f.name) && !soft) o.onUnknown('filter', f.name);
        return [f.name, args] as const;
      });
      const target = st.target;
      return (s) => {
        const inner: string[] = [];
        body(s.child(), inner);
        let v: unknown = inner.join('');
        for (const [name, args] of filters) {
          const fn = s.env.filters.get(name);
          if (!fn) runtimeUnknown('filter', name);
          const [a, k] = args(s);
          v = fn!(s.env, v, a, k);
        }
        assign(target, v, s);
      };
    }
  }
}

export { PyFloat, Duration };
