/**
 * The Python value model templates compute with.
 *
 * - None is `null`; Jinja's Undefined is the `Undefined` class (JS `undefined` is read as Undefined too).
 * - int is an integral JS number (or a boolean, which Python treats as an int), or a BigInt when it
 *   is beyond 2^53 (an API's 64-bit id; arithmetic on ints moves to BigInt when a result leaves the
 *   safe range); float is a non-integral JS number or a `PyFloat` (an integral value that Python
 *   would print as `5.0`).
 * - str is a JS string; list is an array; tuple is a `PyTuple` (an Array subclass).
 * - dict is a plain object (insertion-ordered string keys) or a `PyDict` (a Map, for non-string keys).
 * - datetime / date / timedelta are the classes of ../datetime.
 */
import { isDateTime, isDuration, isPyDate } from '../datetime/index.js';

/** A float whose value happens to be integral (`1.0`, `10 / 2`); other floats are plain numbers. */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
}

/** A Python tuple. Derived arrays (map, slice…) are plain lists. */
export class PyTuple<T = unknown> extends Array<T> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  static of_<T>(items: readonly T[]): PyTuple<T> {
    const t = new PyTuple<T>();
    for (const x of items) t.push(x);
    return t;
  }
}

/** A dict with non-string keys (only template literals such as `{1: 2}` make one). */
export class PyDict extends Map<unknown, unknown> {}

/** Jinja's Undefined: renders as '', is falsy, iterates as empty; most other uses raise UndefinedError. */
export class Undefined {
  constructor(readonly hint: string) {}
}

/** Jinja's `self` (a TemplateReference): it has no blocks here, so every attribute is undefined. */
export class TemplateReference {}

/** A one-shot iterator (Jinja's generators: map, select, unique…). */
export class PyIterator {
  private consumed = false;
  constructor(
    private readonly items: readonly unknown[],
    readonly kind = 'generator',
  ) {}
  take(): unknown[] {
    if (this.consumed) return [];
    this.consumed = true;
    return [...this.items];
  }
}

export type Kwargs = Record<string, unknown>;

/** Something a template may call: macros, bound methods, `loop.cycle`… */
export class PyCallable {
  constructor(
    readonly name: string,
    readonly fn: (args: unknown[], kwargs: Kwargs) => unknown,
  ) {}
}

/** Errors raised while rendering, named after the Python exception the CDK would see. */
export type PyErrorType =
  | 'TypeError'
  | 'ValueError'
  | 'UndefinedError'
  | 'ZeroDivisionError'
  | 'KeyError'
  | 'IndexError'
  | 'AttributeError'
  | 'SecurityError'
  | 'OverflowError'
  | 'TemplateRuntimeError';

export class PyError extends Error {
  constructor(
    readonly pyType: PyErrorType,
    message: string,
  ) {
    super(message);
    this.name = pyType;
  }
}

export const typeError = (msg: string): PyError => new PyError('TypeError', msg);
export const valueError = (msg: string): PyError => new PyError('ValueError', msg);

// ---------------------------------------------------------------------------------------------
// Type tests

export function isUndef(v: unknown): v is Undefined | undefined {
  return v === undefined || v instanceof Undefined;
}

export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

/** int in Python's sense, bools excluded. */
export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** int, float or bool. */
export function isNumber(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat || typeof v === 'bigint';
}

/** An int beyond 2^53 (always a BigInt; ints within the safe range are numbers). */
export function isBigInt(v: unknown): v is bigint {
  return typeof v === 'bigint';
}

/** A BigInt int result as the value model holds it: a number when it is within the safe range. */
export function normInt(n: bigint): number | bigint {
  return n >= MIN_SAFE_BIG && n <= MAX_SAFE_BIG ? Number(n) : n;
}

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE_BIG = -MAX_SAFE_BIG;

/** The number as a float would see it (a BigInt rounds to the nearest double). */
export function toNum(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  throw typeError(`expected a number, got ${typeName(v)}`);
}

/** A float result: keeps `5.0` a float. */
export function mkFloat(x: number): number | PyFloat {
  return Number.isInteger(x) ? new PyFloat(x) : x;
}

export function isList(v: unknown): v is unknown[] {
  return Array.isArray(v) && !(v instanceof PyTuple);
}

export function isSeq(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

const KNOWN_CLASSES: Array<abstract new (...args: never[]) => unknown> = [
  PyFloat,
  TemplateReference,
  Undefined,
  PyIterator,
  PyCallable,
  Date,
  RegExp,
];

/** dict: a plain object, a PyDict/Map, or any other data object that is none of our value classes. */
export function isDict(v: unknown): v is Record<string, unknown> | Map<unknown, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto === Object.prototype || proto === null) return true;
  if (Array.isArray(v)) return false;
  if (v instanceof Map) return true;
  if (isDateTime(v) || isPyDate(v) || isDuration(v)) return false;
  for (const k of KNOWN_CLASSES) if (v instanceof k) return false;
  return true;
}

export function dictKeys(d: Record<string, unknown> | Map<unknown, unknown>): unknown[] {
  return d instanceof Map ? [...d.keys()] : Object.keys(d);
}

export function dictEntries(d: Record<string, unknown> | Map<unknown, unknown>): Array<[unknown, unknown]> {
  return d instanceof Map ? [...d.entries()] : Object.entries(d);
}

/** Key membership: own enumerable properties (non-enumerable own properties are attributes, see dictAttr). */
export function dictHas(d: Record<string, unknown> | Map<unknown, unknown>, key: unknown): boolean {
  if (d instanceof Map) return d.has(normKey(key));
  return typeof key === 'string' && Object.prototype.propertyIsEnumerable.call(d, key);
}

/**
 * A non-enumerable own property of a dict-like object: an attribute, not a key (the runtime's
 * stream slice view exposes `partition`, `cursor_slice` and `extra_fields` this way, like the
 * CDK's StreamSlice mapping).
 */
export function dictAttr(d: Record<string, unknown> | Map<unknown, unknown>, name: string): unknown {
  if (d instanceof Map || !Object.prototype.hasOwnProperty.call(d, name)) return undefined;
  const desc = Object.getOwnPropertyDescriptor(d, name);
  return desc && 'value' in desc ? desc.value : undefined;
}

export function dictGet(d: Record<string, unknown> | Map<unknown, unknown>, key: unknown): unknown {
  if (d instanceof Map) return d.get(normKey(key));
  return (d as Record<string, unknown>)[key as string];
}

export function dictSet(d: Record<string, unknown> | Map<unknown, unknown>, key: unknown, value: unknown): void {
  if (d instanceof Map) {
    d.set(normKey(key), value);
    return;
  }
  setOwn(d, String(key), value);
}

export function dictDelete(d: Record<string, unknown> | Map<unknown, unknown>, key: unknown): void {
  if (d instanceof Map) d.delete(normKey(key));
  else delete d[key as string];
}

/** Map keys: floats equal to ints hash alike in Python. */
function normKey(k: unknown): unknown {
  if (k instanceof PyFloat) return k.value;
  if (typeof k === 'bigint') return normInt(k);
  if (typeof k === 'boolean') return k ? 1 : 0;
  return k;
}

/** Assigns an own data property, even for `__proto__`. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** Builds a dict from pairs: a plain object when every key is a str, a PyDict otherwise. */
export function makeDict(pairs: Array<[unknown, unknown]>): Record<string, unknown> | PyDict {
  if (pairs.every(([k]) => typeof k === 'string')) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of pairs) setOwn(o, k as string, v);
    return o;
  }
  const m = new PyDict();
  for (const [k, v] of pairs) m.set(normKey(k), v);
  return m;
}

export function typeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (isUndef(v)) return 'Undefined';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'bigint') return 'int';
  if (isFloat(v)) return 'float';
  if (typeof v === 'number') return 'int';
  if (v instanceof PyTuple) return 'tuple';
  if (Array.isArray(v)) return 'list';
  if (isDateTime(v)) return 'datetime.datetime';
  if (isPyDate(v)) return 'datetime.date';
  if (isDuration(v)) return 'datetime.timedelta';
  if (v instanceof PyIterator) return v.kind;
  if (v instanceof PyCallable || typeof v === 'function') return 'function';
  if (isDict(v)) return 'dict';
  return 'object';
}

// ---------------------------------------------------------------------------------------------
// Truthiness, equality, ordering

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v instanceof Undefined) return false;
  if (v === true) return true;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof PyFloat) return v.value !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  if (isDuration(v)) return v.days !== 0 || v.seconds !== 0 || v.microseconds !== 0 || v.months !== 0 || v.years !== 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return true;
}

/** Python `==`. */
export function pyEq(a: unknown, b: unknown): boolean {
  if (a === b) return !(typeof a === 'number' && Number.isNaN(a));
  if (isUndef(a) || isUndef(b)) return isUndef(a) && isUndef(b);
  if (isNumber(a) && isNumber(b)) {
    if (typeof a === 'bigint' || typeof b === 'bigint') return exactCompare(a, b) === 0;
    return toNum(a) === toNum(b);
  }
  if (a === null || b === null) return false;
  if (typeof a === 'string' || typeof b === 'string') return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a instanceof PyTuple !== b instanceof PyTuple) return false;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!pyEq(a[i], b[i])) return false;
    return true;
  }
  if (isDateTime(a) && isDateTime(b)) {
    if ((a.offsetMinutes === null) !== (b.offsetMinutes === null)) return false;
    return a.compare(b) === 0;
  }
  if (isPyDate(a) && isPyDate(b)) return a.compare(b) === 0;
  if (isDuration(a) && isDuration(b)) {
    return a.totalMicros === b.totalMicros && a.months === b.months && a.years === b.years;
  }
  if (isDict(a) && isDict(b)) {
    const ka = dictKeys(a);
    if (ka.length !== dictKeys(b).length) return false;
    for (const k of ka) {
      if (!dictHas(b, k) || !pyEq(dictGet(a, k), dictGet(b, k))) return false;
    }
    return true;
  }
  return false;
}

/** Python ordering (`<` etc.): returns <0, 0, >0, or throws TypeError for unorderable types. */
export function pyCompare(a: unknown, b: unknown, op = '<'): number {
  if (isNumber(a) && isNumber(b)) {
    if (typeof a === 'bigint' || typeof b === 'bigint') return exactCompare(a, b);
    const x = toNum(a);
    const y = toNum(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b) && a instanceof PyTuple === b instanceof PyTuple) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (!pyEq(a[i], b[i])) return pyCompare(a[i], b[i], op);
    }
    return a.length - b.length;
  }
  if (isDateTime(a) && isDateTime(b)) {
    if ((a.offsetMinutes === null) !== (b.offsetMinutes === null)) {
      throw typeError("can't compare offset-naive and offset-aware datetimes");
    }
    return a.compare(b);
  }
  if (isPyDate(a) && isPyDate(b)) return a.compare(b);
  if (isDuration(a) && isDuration(b) && a.months === 0 && b.months === 0 && a.years === 0 && b.years === 0) {
    return a.totalMicros - b.totalMicros;
  }
  if (isUndef(a) || isUndef(b)) {
    throw new PyError('UndefinedError', (isUndef(a) ? undefHint(a) : undefHint(b)) || 'undefined value');
  }
  throw typeError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** Orders two numbers of which one is a BigInt, exactly (JS compares a BigInt with a double exactly). */
function exactCompare(a: unknown, b: unknown): number {
  const x = typeof a === 'bigint' ? a : toNum(a);
  const y = typeof b === 'bigint' ? b : toNum(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function undefHint(v: unknown): string {
  return v instanceof Undefined ? v.hint : 'undefined value';
}

// ---------------------------------------------------------------------------------------------
// str() and repr()

export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mant = '', expText = '0'] = Math.abs(x).toExponential().split('e');
  const exp = Number(expText);
  const digits = mant.replace('.', '');
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length) + '.0';
      return sign + digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
    }
    return sign + '0.' + '0'.repeat(-exp - 1) + digits;
  }
  const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
  const e = Math.abs(exp);
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
}

export function intStr(n: number): string {
  if (Math.abs(n) <= Number.MAX_SAFE_INTEGER) return String(n === 0 ? 0 : n);
  return BigInt(n).toString();
}

/**
 * Python's fixed-point formatting ('%.2f', round()): the exact binary value rounded to `digits`
 * decimals, exact ties to even (JS toFixed rounds ties away from zero).
 */
export function pyToFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return floatRepr(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const ax = Math.abs(x);
  if (ax >= 1e21) return sign + BigInt(Math.round(ax)).toString() + (digits > 0 ? '.' + '0'.repeat(digits) : '');
  const exact = ax.toFixed(Math.min(100, digits + 60));
  const dot = exact.indexOf('.');
  const frac = exact.slice(dot + 1);
  if (frac[digits] === '5' && /^0*$/.test(frac.slice(digits + 1))) {
    const intPart = exact.slice(0, dot);
    const kept = frac.slice(0, digits);
    const last = digits > 0 ? kept.charCodeAt(digits - 1) : intPart.charCodeAt(intPart.length - 1);
    if ((last - 48) % 2 === 0) return sign + intPart + (digits > 0 ? '.' + kept : '');
  }
  return sign + ax.toFixed(digits);
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp <= 0xff) out += '\\x' + cp.toString(16).padStart(2, '0');
      else if (cp <= 0xffff) out += '\\u' + cp.toString(16).padStart(4, '0');
      else out += '\\U' + cp.toString(16).padStart(8, '0');
    } else out += ch;
  }
  return out + quote;
}

/** Python str(). */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null) return 'None';
  if (v === undefined || v instanceof Undefined) return '';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? intStr(v) : floatRepr(v);
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (typeof v === 'bigint') return v.toString();
  if (isDateTime(v) || isPyDate(v) || isDuration(v)) return v.toString();
  return pyRepr(v);
}

/** Python repr(). */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return strRepr(v);
  if (v === undefined || v instanceof Undefined) return 'Undefined';
  if (v instanceof PyTuple) {
    if (v.length === 1) return `(${pyRepr(v[0])},)`;
    return `(${v.map(pyRepr).join(', ')})`;
  }
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (isDateTime(v)) {
    const parts = [v.year, v.month, v.day, v.hour, v.minute];
    if (v.second || v.microsecond) parts.push(v.second);
    if (v.microsecond) parts.push(v.microsecond);
    let tz = '';
    if (v.offsetMinutes === 0) tz = ', tzinfo=datetime.timezone.utc';
    else if (v.offsetMinutes !== null) tz = `, tzinfo=datetime.timezone(${durationRepr(v.offsetMinutes * 60_000_000)})`;
    return `datetime.datetime(${parts.join(', ')}${tz})`;
  }
  if (isPyDate(v)) return `datetime.date(${v.year}, ${v.month}, ${v.day})`;
  if (isDuration(v)) return durationRepr(v.totalMicros);
  if (v instanceof PyIterator) return `<${v.kind} object>`;
  if (v instanceof PyCallable) return `<function ${v.name}>`;
  if (v instanceof TemplateReference) return '<TemplateReference None>';
  if (typeof v === 'function') return '<function>';
  if (isDict(v)) return `{${dictEntries(v).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return pyStr(v);
}

function durationRepr(micros: number): string {
  const days = Math.floor(micros / 86_400_000_000);
  const rest = micros - days * 86_400_000_000;
  const seconds = Math.floor(rest / 1_000_000);
  const us = rest - seconds * 1_000_000;
  const parts: string[] = [];
  if (days) parts.push(`days=${days}`);
  if (seconds) parts.push(`seconds=${seconds}`);
  if (us) parts.push(`microseconds=${us}`);
  return `datetime.timedelta(${parts.join(', ') || '0'})`;
}

// ---------------------------------------------------------------------------------------------
// json.dumps (Python defaults: ', ' and ': ' separators, ensure_ascii)

export function pyJsonDumps(v: unknown, sortKeys = false): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'string') return jsonStr(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' || v instanceof PyFloat) {
    const n = toNum(v);
    if (Number.isNaN(n)) return 'NaN';
    if (n === Infinity) return 'Infinity';
    if (n === -Infinity) return '-Infinity';
    return pyStr(v);
  }
  if (Array.isArray(v)) return `[${v.map((x) => pyJsonDumps(x, sortKeys)).join(', ')}]`;
  if (isDict(v)) {
    let entries = dictEntries(v).map(([k, x]): [string, unknown] => [jsonKey(k), x]);
    if (sortKeys) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${jsonStr(k)}: ${pyJsonDumps(x, sortKeys)}`).join(', ')}}`;
  }
  throw typeError(`Object of type ${typeName(v).replace('datetime.', '')} is not JSON serializable`);
}

function jsonKey(k: unknown): string {
  if (typeof k === 'string') return k;
  if (k === null) return 'null';
  if (typeof k === 'boolean') return k ? 'true' : 'false';
  if (isNumber(k)) return pyStr(k);
  throw typeError(`keys must be str, int, float, bool or None, not ${typeName(k)}`);
}

function jsonStr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i] as string;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/** Python len(). */
export function pyLen(v: unknown): number {
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (v instanceof Map) return v.size;
  if (isUndef(v)) return 0;
  if (isDict(v)) return Object.keys(v).length;
  throw typeError(`object of type '${typeName(v)}' has no len()`);
}

/** Python iter() materialised. */
export function pyIter(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isUndef(v)) return [];
  if (v instanceof PyIterator) return v.take();
  if (isDict(v)) return dictKeys(v);
  throw typeError(`'${typeName(v)}' object is not iterable`);
}
