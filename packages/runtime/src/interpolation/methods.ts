/**
 * Python attributes and methods visible to templates, per value type. Only what is listed here is
 * reachable: there is no path from a template to a JS prototype, constructor or global.
 */
import { Duration, isDateTime, isDuration, isPyDate, type DateTime } from '../datetime/index.js';
import { strFormat } from './format.js';
import {
  PyCallable,
  PyError,
  PyFloat,
  PyTuple,
  Undefined,
  dictDelete,
  dictEntries,
  dictGet,
  dictHas,
  dictKeys,
  dictSet,
  isDict,
  isInt,
  isNumber,
  mkFloat,
  pyCompare,
  pyEq,
  pyIter,
  pyRepr,
  pyStr,
  toNum,
  typeError,
  typeName,
  valueError,
  type Kwargs,
} from './values.js';

export const NOT_FOUND: unique symbol = Symbol('not found');

type Method = (self: never, args: unknown[], kwargs: Kwargs) => unknown;

function arg(args: unknown[], kwargs: Kwargs, i: number, name: string, dflt: unknown = NOT_FOUND): unknown {
  if (i < args.length) return args[i];
  if (Object.prototype.hasOwnProperty.call(kwargs, name)) return kwargs[name];
  if (dflt === NOT_FOUND) throw typeError(`missing required argument '${name}' (pos ${i + 1})`);
  return dflt;
}

function maxArgs(args: unknown[], n: number, fname: string): void {
  if (args.length > n) throw typeError(`${fname}() takes at most ${n} arguments (${args.length} given)`);
}

function str(v: unknown, fname: string): string {
  if (typeof v !== 'string') throw typeError(`${fname} arg must be str, not ${typeName(v)}`);
  return v;
}

function optInt(v: unknown, dflt: number): number {
  if (v === null || v === NOT_FOUND) return dflt;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (!isInt(v)) throw typeError(`'${typeName(v)}' object cannot be interpreted as an integer`);
  return v;
}

const WS = ' \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === null || chars === NOT_FOUND ? WS : str(chars, 'strip');
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a] as string)) a++;
  if (right) while (b > a && set.includes(s[b - 1] as string)) b--;
  return s.slice(a, b);
}

function pySplit(s: string, sep: unknown, maxsplit: number): string[] {
  if (sep === null || sep === NOT_FOUND) {
    const out: string[] = [];
    let i = 0;
    const n = s.length;
    while (i < n) {
      while (i < n && WS.includes(s[i] as string)) i++;
      if (i >= n) break;
      if (maxsplit >= 0 && out.length === maxsplit) {
        out.push(stripChars(s.slice(i), null, false, true));
        return out;
      }
      let j = i;
      while (j < n && !WS.includes(s[j] as string)) j++;
      out.push(s.slice(i, j));
      i = j;
    }
    return out;
  }
  const d = str(sep, 'split');
  if (d === '') throw valueError('empty separator');
  const parts = s.split(d);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(d)];
}

function pyRsplit(s: string, sep: unknown, maxsplit: number): string[] {
  if (maxsplit < 0) return pySplit(s, sep, -1);
  if (sep === null || sep === NOT_FOUND) {
    const rev = pySplit([...s].reverse().join(''), null, maxsplit);
    return rev.map((p) => [...p].reverse().join('')).reverse();
  }
  const d = str(sep, 'rsplit');
  if (d === '') throw valueError('empty separator');
  const parts = s.split(d);
  if (parts.length <= maxsplit + 1) return parts;
  const cut = parts.length - maxsplit;
  return [parts.slice(0, cut).join(d), ...parts.slice(cut)];
}

function isCased(ch: string): boolean {
  return ch.toLowerCase() !== ch.toUpperCase();
}

export function pyTitle(s: string): string {
  let out = '';
  let prevCased = false;
  for (const ch of s) {
    out += prevCased ? ch.toLowerCase() : ch.toUpperCase();
    prevCased = isCased(ch);
  }
  return out;
}

export function pyCapitalize(s: string): string {
  const chars = [...s];
  if (!chars.length) return s;
  return (chars[0] as string).toUpperCase() + chars.slice(1).join('').toLowerCase();
}

function sliceBounds(len: number, start: unknown, end: unknown): [number, number] {
  let a = optInt(start, 0);
  let b = optInt(end, len);
  if (a < 0) a = Math.max(a + len, 0);
  if (b < 0) b = Math.max(b + len, 0);
  return [Math.min(a, len), Math.min(b, len)];
}

function prefixTest(s: string, p: unknown, args: unknown[], kwargs: Kwargs, ends: boolean): boolean {
  const [a, b] = sliceBounds(s.length, arg(args, kwargs, 1, 'start', null), arg(args, kwargs, 2, 'end', null));
  const sub = s.slice(a, b);
  const cands = p instanceof PyTuple ? [...p] : [p];
  return cands.some((c) => {
    if (typeof c !== 'string') {
      throw typeError(`${ends ? 'endswith' : 'startswith'} first arg must be str or a tuple of str, not ${typeName(c)}`);
    }
    return ends ? sub.endsWith(c) : sub.startsWith(c);
  });
}

function countSub(s: string, sub: string): number {
  if (sub === '') return [...s].length + 1;
  let n = 0;
  let i = s.indexOf(sub);
  while (i >= 0) {
    n++;
    i = s.indexOf(sub, i + sub.length);
  }
  return n;
}

const STR_METHODS: Record<string, Method> = {
  split: (s: string, a, k) => pySplit(s, arg(a, k, 0, 'sep', null), optInt(arg(a, k, 1, 'maxsplit', -1), -1)),
  rsplit: (s: string, a, k) => pyRsplit(s, arg(a, k, 0, 'sep', null), optInt(arg(a, k, 1, 'maxsplit', -1), -1)),
  splitlines: (s: string, a, k) => {
    const keep = arg(a, k, 0, 'keepends', false);
    const parts = s.split(/(\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])/);
    const out: string[] = [];
    for (let i = 0; i < parts.length; i += 2) {
      const line = parts[i] as string;
      const sep = parts[i + 1];
      if (sep === undefined && line === '') break;
      out.push(keep ? line + (sep ?? '') : line);
    }
    return out;
  },
  strip: (s: string, a, k) => stripChars(s, arg(a, k, 0, 'chars', null), true, true),
  lstrip: (s: string, a, k) => stripChars(s, arg(a, k, 0, 'chars', null), true, false),
  rstrip: (s: string, a, k) => stripChars(s, arg(a, k, 0, 'chars', null), false, true),
  replace: (s: string, a, k) => {
    const old = str(arg(a, k, 0, 'old'), 'replace');
    const neu = str(arg(a, k, 1, 'new'), 'replace');
    const count = optInt(arg(a, k, 2, 'count', -1), -1);
    if (count < 0) return old === '' ? [...s].map((c) => neu + c).join('') + neu : s.split(old).join(neu);
    let out = '';
    let rest = s;
    for (let n = 0; n < count; n++) {
      const i = rest.indexOf(old);
      if (i < 0) break;
      out += rest.slice(0, i) + neu;
      rest = rest.slice(i + old.length);
      if (old === '') {
        out += rest.slice(0, 1);
        rest = rest.slice(1);
      }
    }
    return out + rest;
  },
  startswith: (s: string, a, k) => prefixTest(s, arg(a, k, 0, 'prefix'), a, k, false),
  endswith: (s: string, a, k) => prefixTest(s, arg(a, k, 0, 'suffix'), a, k, true),
  lower: (s: string) => s.toLowerCase(),
  upper: (s: string) => s.toUpperCase(),
  casefold: (s: string) => s.toLowerCase(),
  swapcase: (s: string) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  title: (s: string) => pyTitle(s),
  capitalize: (s: string) => pyCapitalize(s),
  format: (s: string, a, k) => strFormat(s, a, k),
  join: (s: string, a, k) => {
    const items = pyIter(arg(a, k, 0, 'iterable'));
    return items
      .map((x, i) => {
        if (typeof x !== 'string') throw typeError(`sequence item ${i}: expected str instance, ${typeName(x)} found`);
        return x;
      })
      .join(s);
  },
  find: (s: string, a, k) => {
    const [x, y] = sliceBounds(s.length, arg(a, k, 1, 'start', null), arg(a, k, 2, 'end', null));
    const i = s.slice(0, y).indexOf(str(arg(a, k, 0, 'sub'), 'find'), x);
    return i;
  },
  rfind: (s: string, a, k) => {
    const [x, y] = sliceBounds(s.length, arg(a, k, 1, 'start', null), arg(a, k, 2, 'end', null));
    const sub = str(arg(a, k, 0, 'sub'), 'rfind');
    const i = s.slice(x, y).lastIndexOf(sub);
    return i < 0 ? -1 : i + x;
  },
  index: (s: string, a, k) => {
    const i = (STR_METHODS.find as Method)(s as never, a, k) as number;
    if (i < 0) throw valueError('substring not found');
    return i;
  },
  rindex: (s: string, a, k) => {
    const i = (STR_METHODS.rfind as Method)(s as never, a, k) as number;
    if (i < 0) throw valueError('substring not found');
    return i;
  },
  count: (s: string, a, k) => {
    const [x, y] = sliceBounds(s.length, arg(a, k, 1, 'start', null), arg(a, k, 2, 'end', null));
    return countSub(s.slice(x, y), str(arg(a, k, 0, 'sub'), 'count'));
  },
  isdigit: (s: string) => s.length > 0 && /^\p{Nd}+$/u.test(s),
  isnumeric: (s: string) => s.length > 0 && /^\p{N}+$/u.test(s),
  isdecimal: (s: string) => s.length > 0 && /^\p{Nd}+$/u.test(s),
  isalpha: (s: string) => s.length > 0 && /^\p{L}+$/u.test(s),
  isalnum: (s: string) => s.length > 0 && /^[\p{L}\p{N}]+$/u.test(s),
  isspace: (s: string) => s.length > 0 && [...s].every((c) => WS.includes(c)),
  islower: (s: string) => /\p{Ll}/u.test(s) && s === s.toLowerCase(),
  isupper: (s: string) => /\p{Lu}/u.test(s) && s === s.toUpperCase(),
  zfill: (s: string, a, k) => {
    const w = optInt(arg(a, k, 0, 'width'), 0);
    const sign = s[0] === '+' || s[0] === '-' ? (s[0] as string) : '';
    const body = sign ? s.slice(1) : s;
    return s.length >= w ? s : sign + body.padStart(w - sign.length, '0');
  },
  ljust: (s: string, a, k) => s.padEnd(optInt(arg(a, k, 0, 'width'), 0), str(arg(a, k, 1, 'fillchar', ' '), 'ljust')),
  rjust: (s: string, a, k) => s.padStart(optInt(arg(a, k, 0, 'width'), 0), str(arg(a, k, 1, 'fillchar', ' '), 'rjust')),
  center: (s: string, a, k) => {
    const w = optInt(arg(a, k, 0, 'width'), 0);
    const f = str(arg(a, k, 1, 'fillchar', ' '), 'center');
    const padLen = w - s.length;
    if (padLen <= 0) return s;
    const left = Math.floor(padLen / 2) + (padLen & w & 1);
    return f.repeat(left) + s + f.repeat(padLen - left);
  },
  partition: (s: string, a, k) => {
    const sep = str(arg(a, k, 0, 'sep'), 'partition');
    const i = s.indexOf(sep);
    return i < 0 ? PyTuple.of_([s, '', '']) : PyTuple.of_([s.slice(0, i), sep, s.slice(i + sep.length)]);
  },
  rpartition: (s: string, a, k) => {
    const sep = str(arg(a, k, 0, 'sep'), 'rpartition');
    const i = s.lastIndexOf(sep);
    return i < 0 ? PyTuple.of_(['', '', s]) : PyTuple.of_([s.slice(0, i), sep, s.slice(i + sep.length)]);
  },
  removeprefix: (s: string, a, k) => {
    const p = str(arg(a, k, 0, 'prefix'), 'removeprefix');
    return p && s.startsWith(p) ? s.slice(p.length) : s;
  },
  removesuffix: (s: string, a, k) => {
    const p = str(arg(a, k, 0, 'suffix'), 'removesuffix');
    return p && s.endsWith(p) ? s.slice(0, -p.length) : s;
  },
};

type AnyDict = Record<string, unknown> | Map<unknown, unknown>;

const DICT_METHODS: Record<string, Method> = {
  get: (d: AnyDict, a, k) => {
    maxArgs(a, 2, 'get');
    const key = arg(a, k, 0, 'key');
    return dictHas(d, key) ? dictGet(d, key) : arg(a, k, 1, 'default', null);
  },
  items: (d: AnyDict) => dictEntries(d).map(([key, v]) => PyTuple.of_([key, v])),
  keys: (d: AnyDict) => dictKeys(d),
  values: (d: AnyDict) => dictEntries(d).map(([, v]) => v),
  update: (d: AnyDict, a, k) => {
    if (a.length > 1) throw typeError(`update expected at most 1 argument, got ${a.length}`);
    if (a.length === 1) {
      const other = a[0];
      if (isDict(other)) for (const [key, v] of dictEntries(other)) dictSet(d, key, v);
      else {
        for (const pair of pyIter(other)) {
          const kv = pyIter(pair);
          if (kv.length !== 2) throw valueError('dictionary update sequence element has wrong length');
          dictSet(d, kv[0], kv[1]);
        }
      }
    }
    for (const [key, v] of Object.entries(k)) dictSet(d, key, v);
    return null;
  },
  pop: (d: AnyDict, a, k) => {
    const key = arg(a, k, 0, 'key');
    if (dictHas(d, key)) {
      const v = dictGet(d, key);
      dictDelete(d, key);
      return v;
    }
    if (a.length > 1) return a[1];
    throw new PyError('KeyError', pyRepr(key));
  },
  setdefault: (d: AnyDict, a, k) => {
    const key = arg(a, k, 0, 'key');
    if (!dictHas(d, key)) dictSet(d, key, arg(a, k, 1, 'default', null));
    return dictGet(d, key);
  },
  copy: (d: AnyDict) => (d instanceof Map ? new Map(d) : { ...d }),
  clear: (d: AnyDict) => {
    for (const key of dictKeys(d)) dictDelete(d, key);
    return null;
  },
};

function listIndex(l: unknown[], v: unknown): number {
  for (let i = 0; i < l.length; i++) if (pyEq(l[i], v)) return i;
  return -1;
}

const SEQ_METHODS: Record<string, Method> = {
  index: (l: unknown[], a, k) => {
    const i = listIndex(l, arg(a, k, 0, 'value'));
    if (i < 0) throw valueError(`${pyRepr(a[0])} is not in list`);
    return i;
  },
  count: (l: unknown[], a, k) => {
    const v = arg(a, k, 0, 'value');
    return l.filter((x) => pyEq(x, v)).length;
  },
};

const LIST_METHODS: Record<string, Method> = {
  ...SEQ_METHODS,
  append: (l: unknown[], a, k) => {
    l.push(arg(a, k, 0, 'object'));
    return null;
  },
  extend: (l: unknown[], a, k) => {
    l.push(...pyIter(arg(a, k, 0, 'iterable')));
    return null;
  },
  insert: (l: unknown[], a, k) => {
    let i = optInt(arg(a, k, 0, 'index'), 0);
    if (i < 0) i = Math.max(i + l.length, 0);
    l.splice(Math.min(i, l.length), 0, arg(a, k, 1, 'object'));
    return null;
  },
  pop: (l: unknown[], a, k) => {
    if (!l.length) throw new PyError('IndexError', 'pop from empty list');
    let i = optInt(arg(a, k, 0, 'index', -1), -1);
    if (i < 0) i += l.length;
    if (i < 0 || i >= l.length) throw new PyError('IndexError', 'pop index out of range');
    return l.splice(i, 1)[0];
  },
  remove: (l: unknown[], a, k) => {
    const i = listIndex(l, arg(a, k, 0, 'value'));
    if (i < 0) throw valueError('list.remove(x): x not in list');
    l.splice(i, 1);
    return null;
  },
  reverse: (l: unknown[]) => {
    l.reverse();
    return null;
  },
  sort: (l: unknown[], a, k) => {
    if (a.length) throw typeError('sort() takes no positional arguments');
    if (k.key !== undefined && k.key !== null) throw typeError('sort(key=...) is not supported in templates');
    l.sort((x, y) => pyCompare(x, y));
    if (k.reverse !== undefined && k.reverse !== false) l.reverse();
    return null;
  },
  copy: (l: unknown[]) => [...l],
  clear: (l: unknown[]) => {
    l.length = 0;
    return null;
  },
};

const TIMESPECS = new Set(['auto', 'hours', 'minutes', 'seconds', 'milliseconds', 'microseconds']);

function dtReplaceFields(k: Kwargs, names: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(k)) {
    if (!names.includes(key)) throw typeError(`'${key}' is an invalid keyword argument for replace()`);
    if (!isInt(v)) throw typeError(`'${typeName(v)}' object cannot be interpreted as an integer`);
    out[key] = v;
  }
  return out;
}

const DATETIME_METHODS: Record<string, Method> = {
  strftime: (d: DateTime, a, k) => d.strftime(str(arg(a, k, 0, 'format'), 'strftime')),
  isoformat: (d: DateTime, a, k) => {
    const sep = str(arg(a, k, 0, 'sep', 'T'), 'isoformat');
    const ts = str(arg(a, k, 1, 'timespec', 'auto'), 'isoformat');
    if (!TIMESPECS.has(ts)) throw valueError('Unknown timespec value');
    return d.isoformat(sep, ts as 'auto');
  },
  timestamp: (d: DateTime) => mkFloat(d.timestamp()),
  date: (d: DateTime) => d.date(),
  weekday: (d: DateTime) => d.weekday(),
  isoweekday: (d: DateTime) => d.isoweekday(),
  utcoffset: (d: DateTime) => d.utcoffset(),
  tzname: (d: DateTime) => d.tzname(),
  astimezone: (d: DateTime, a) => {
    if (a.length && a[0] !== null) throw typeError('astimezone() with a tzinfo argument is not supported in templates');
    return d.astimezone(0);
  },
  replace: (d: DateTime, a, k) => {
    if (a.length) throw typeError('replace() positional arguments are not supported in templates');
    const rest = { ...k };
    let offset: { offsetMinutes?: number | null } = {};
    if ('tzinfo' in rest) {
      const tz = rest.tzinfo;
      delete rest.tzinfo;
      if (tz !== null) throw typeError('replace(tzinfo=...) only accepts None in templates');
      offset = { offsetMinutes: null };
    }
    return d.replace({ ...dtReplaceFields(rest, ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond']), ...offset });
  },
};

const DATE_METHODS: Record<string, Method> = {
  strftime: (d: DateTime, a, k) => d.strftime(str(arg(a, k, 0, 'format'), 'strftime')),
  isoformat: (d: DateTime) => d.isoformat(),
  weekday: (d: DateTime) => d.weekday(),
  isoweekday: (d: DateTime) => d.isoweekday(),
  replace: (d: DateTime, a, k) => d.replace(dtReplaceFields(k, ['year', 'month', 'day'])),
};

const DURATION_METHODS: Record<string, Method> = {
  total_seconds: (d: Duration) => mkFloat(d.total_seconds()),
};

function bind(name: string, self: unknown, m: Method): PyCallable {
  return new PyCallable(name, (args, kwargs) => m(self as never, args, kwargs));
}

function own(table: Record<string, Method>, name: string): Method | undefined {
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/** A namespace() object: the only object templates may assign attributes on. */
export class Namespace {
  readonly attrs = new Map<string, unknown>();
}

/** The loop variable inside `{% for %}`. */
export class LoopContext {
  index0 = 0;
  constructor(
    readonly items: readonly unknown[],
    readonly depth0 = 0,
  ) {}
  get length(): number {
    return this.items.length;
  }
}

function loopAttr(l: LoopContext, name: string): unknown {
  const n = l.items.length;
  switch (name) {
    case 'index':
      return l.index0 + 1;
    case 'index0':
      return l.index0;
    case 'revindex':
      return n - l.index0;
    case 'revindex0':
      return n - l.index0 - 1;
    case 'first':
      return l.index0 === 0;
    case 'last':
      return l.index0 === n - 1;
    case 'length':
      return n;
    case 'depth':
      return l.depth0 + 1;
    case 'depth0':
      return l.depth0;
    case 'previtem':
      return l.index0 > 0 ? l.items[l.index0 - 1] : new Undefined('there is no previous item');
    case 'nextitem':
      return l.index0 < n - 1 ? l.items[l.index0 + 1] : new Undefined('there is no next item');
    case 'cycle':
      return new PyCallable('cycle', (args) => {
        if (!args.length) throw typeError('no items for cycling given');
        return args[l.index0 % args.length];
      });
    default:
      return NOT_FOUND;
  }
}

/**
 * The Python attribute `name` of `obj` (method or property), or NOT_FOUND. Dict keys are not
 * attributes; the caller falls back to item lookup as Jinja does.
 */
export function pyAttribute(obj: unknown, name: string): unknown {
  if (typeof obj === 'string') {
    const m = own(STR_METHODS, name);
    return m ? bind(name, obj, m) : NOT_FOUND;
  }
  if (Array.isArray(obj)) {
    const m = own(obj instanceof PyTuple ? SEQ_METHODS : LIST_METHODS, name);
    return m ? bind(name, obj, m) : NOT_FOUND;
  }
  if (isDateTime(obj)) {
    switch (name) {
      case 'year':
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second':
      case 'microsecond':
        return obj[name];
      case 'tzinfo':
        return obj.offsetMinutes === null ? null : obj.tzname();
    }
    const m = own(DATETIME_METHODS, name);
    return m ? bind(name, obj, m) : NOT_FOUND;
  }
  if (isPyDate(obj)) {
    if (name === 'year' || name === 'month' || name === 'day') return obj[name];
    const m = own(DATE_METHODS, name);
    return m ? bind(name, obj, m) : NOT_FOUND;
  }
  if (isDuration(obj)) {
    if (name === 'days' || name === 'seconds' || name === 'microseconds') return obj[name];
    const m = own(DURATION_METHODS, name);
    return m ? bind(name, obj, m) : NOT_FOUND;
  }
  if (obj instanceof LoopContext) return loopAttr(obj, name);
  if (obj instanceof Namespace) return obj.attrs.has(name) ? obj.attrs.get(name) : NOT_FOUND;
  if (typeof obj === 'number' || typeof obj === 'boolean' || obj instanceof PyFloat) {
    if (name === 'real') return obj;
    if (name === 'imag') return 0;
    if (name === 'is_integer' && isNumber(obj)) return new PyCallable(name, () => Number.isInteger(toNum(obj)));
    return NOT_FOUND;
  }
  if (isDict(obj)) {
    const m = own(DICT_METHODS, name);
    return m ? bind(name, obj, m) : NOT_FOUND;
  }
  return NOT_FOUND;
}

export { pyStr };
