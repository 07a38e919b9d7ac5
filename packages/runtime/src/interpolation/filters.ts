/**
 * Filters and tests: Jinja's built-ins (jinja2/filters.py, jinja2/tests.py) with the CDK's filters
 * (filters.py: hash, base64encode, base64decode, base64binascii_decode, string, regex_search,
 * regex_replace, hmac) layered on top, as the CDK's environment does.
 */
import { createHash, createHmac } from 'node:crypto';
import { isDateTime, isDuration, isPyDate } from '../datetime/index.js';
import { binop, type Env, type FilterFn, type TestFn } from './evaluator.js';
import { pyCapitalize } from './methods.js';
import { percentFormat } from './format.js';
import { compilePyRegex, pyRegexSub } from './pyregex.js';
import {
  PyCallable,
  PyError,
  PyFloat,
  PyIterator,
  PyTuple,
  Undefined,
  dictEntries,
  dictGet,
  dictHas,
  isDict,
  isFloat,
  isInt,
  isNumber,
  isUndef,
  mkFloat,
  pyCompare,
  pyEq,
  pyIter,
  pyJsonDumps,
  pyLen,
  pyRepr,
  pyToFixed,
  pyStr,
  toNum,
  truthy,
  typeError,
  typeName,
  valueError,
  type Kwargs,
} from './values.js';
import { parsePyFloat, parsePyInt } from './numbers.js';

function arg(args: unknown[], kwargs: Kwargs, i: number, name: string, dflt: unknown): unknown {
  if (i < args.length) return args[i];
  if (Object.prototype.hasOwnProperty.call(kwargs, name)) return kwargs[name];
  return dflt;
}

/** Jinja's soft_str: str() that leaves strings alone. */
const softStr = (v: unknown): string => pyStr(v);

/** Jinja's make_attrgetter: dotted path, integer parts index lists. */
function attrGetter(env: Env, attribute: unknown, dflt?: unknown, postprocess?: (v: unknown) => unknown): (item: unknown) => unknown {
  const parts =
    typeof attribute === 'string'
      ? attribute.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))
      : [attribute];
  return (item) => {
    let v = item;
    for (const p of parts) {
      v = env.getitem(v, p);
      if (dflt !== undefined && isUndef(v)) {
        v = dflt;
        break;
      }
    }
    return postprocess ? postprocess(v) : v;
  };
}

function ignoreCase(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function sortKeyCmp(a: unknown, b: unknown): number {
  return pyCompare(a, b);
}

function stableSort<T>(items: T[], key: (x: T) => unknown, reverse: boolean): T[] {
  const keyed = items.map((x, i) => ({ x, k: key(x), i }));
  keyed.sort((p, q) => {
    const c = sortKeyCmp(p.k, q.k);
    return c !== 0 ? (reverse ? -c : c) : p.i - q.i;
  });
  return keyed.map((p) => p.x);
}

function pyInt(value: unknown, dflt: unknown, base: number): unknown {
  if (isUndef(value)) throw new PyError('UndefinedError', value instanceof Undefined ? value.hint : 'undefined value');
  if (typeof value === 'string') {
    const n = parsePyInt(value, base);
    if (n !== null) return n;
    const f = parsePyFloat(value);
    if (f !== null) {
      if (!Number.isFinite(f)) {
        if (Number.isNaN(f)) return dflt;
        throw new PyError('OverflowError', 'cannot convert float infinity to integer');
      }
      return Math.trunc(f);
    }
    return dflt;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return value;
  if (isNumber(value)) {
    const x = toNum(value);
    if (Number.isNaN(x)) return dflt;
    if (!Number.isFinite(x)) throw new PyError('OverflowError', 'cannot convert float infinity to integer');
    return Math.trunc(x) === 0 ? 0 : Math.trunc(x);
  }
  return dflt;
}

function pyFloat(value: unknown, dflt: unknown): unknown {
  if (isUndef(value)) throw new PyError('UndefinedError', value instanceof Undefined ? value.hint : 'undefined value');
  if (typeof value === 'string') {
    const f = parsePyFloat(value);
    return f === null ? dflt : mkFloat(f);
  }
  if (isNumber(value)) return mkFloat(toNum(value));
  return dflt;
}

/** Python's round(x, n) for floats: the exact value rounded, exact ties to even. */
function pyRound(x: number, n: number): number {
  if (!Number.isFinite(x)) return x;
  if (n < 0) {
    const m = 10 ** -n;
    return Number(pyToFixed(x / m, 0)) * m;
  }
  return Number(pyToFixed(x, Math.min(n, 40)));
}

function urlQuote(v: unknown, forQs: boolean): string {
  const s = typeof v === 'string' ? v : pyStr(v);
  const bytes = new TextEncoder().encode(s);
  let out = '';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (/[A-Za-z0-9_.\-~]/.test(ch) || (!forQs && ch === '/')) out += ch;
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return forQs ? out.replace(/%20/g, '+') : out;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

function selectOrReject(env: Env, value: unknown, args: unknown[], kwargs: Kwargs, lookupAttr: boolean, modfunc: (b: boolean) => boolean): PyIterator {
  // Jinja: `if value:` guards the loop, so any falsy value selects nothing.
  if (!truthy(value)) return new PyIterator([]);
  const items = pyIter(value);
  let rest = args;
  let transfunc = (x: unknown): unknown => x;
  if (lookupAttr) {
    if (!rest.length) throw new PyError('TemplateRuntimeError', 'Missing parameter for attribute name');
    transfunc = attrGetter(env, rest[0]);
    rest = rest.slice(1);
  }
  let func: (x: unknown) => boolean;
  if (rest.length) {
    const name = rest[0];
    const testArgs = rest.slice(1);
    const test = typeof name === 'string' ? env.tests.get(name) : undefined;
    if (!test) throw new PyError('TemplateRuntimeError', `No test named ${pyRepr(name)}.`);
    func = (x) => test(env, x, testArgs, kwargs);
  } else func = (x) => truthy(x);
  return new PyIterator(items.filter((item) => modfunc(func(transfunc(item)))));
}

function hashFilter(value: unknown, hashType: unknown, salt: unknown): string {
  const algos: Record<string, string> = {
    md5: 'md5',
    sha1: 'sha1',
    sha224: 'sha224',
    sha256: 'sha256',
    sha384: 'sha384',
    sha512: 'sha512',
    sha3_224: 'sha3-224',
    sha3_256: 'sha3-256',
    sha3_384: 'sha3-384',
    sha3_512: 'sha3-512',
    blake2b: 'blake2b512',
    blake2s: 'blake2s256',
  };
  const name = typeof hashType === 'string' ? hashType : '';
  const algo = Object.prototype.hasOwnProperty.call(algos, name) ? algos[name] : undefined;
  if (!algo) throw new PyError('AttributeError', `No hashing function named ${pyStr(hashType)}`);
  const h = createHash(algo);
  h.update(Buffer.from(pyStr(value), 'utf8'));
  if (truthy(salt)) h.update(Buffer.from(pyStr(salt), 'utf8'));
  return h.digest('hex');
}

function b64decodeStrict(s: string): Buffer {
  // Python's b64decode (validate=False) discards characters outside the alphabet, then requires
  // correct padding.
  const clean = s.replace(/[^A-Za-z0-9+/=]/g, '');
  const body = clean.replace(/=+$/, '');
  if (clean.slice(body.length).length > 2 || body.includes('=') || (body.length % 4 === 1)) {
    throw new PyError('ValueError', 'Incorrect padding');
  }
  if ((body.length + clean.slice(body.length).length) % 4 !== 0) throw new PyError('ValueError', 'Incorrect padding');
  return Buffer.from(body, 'base64');
}

function decodeUtf8(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new PyError('ValueError', "'utf-8' codec can't decode bytes");
  }
}

/** `value.encode(...)` in the CDK's filters: Undefined raises UndefinedError, other non-strings AttributeError. */
function requireStr(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  if (isUndef(v)) throw new PyError('UndefinedError', v instanceof Undefined ? v.hint : 'undefined value');
  throw new PyError('AttributeError', `'${typeName(v)}' object has no attribute '${what}'`);
}

/** An argument handed to Python's `re` module: anything but str is a TypeError. */
function reStr(v: unknown): string {
  if (typeof v === 'string') return v;
  throw typeError(`expected string or bytes-like object, got '${typeName(v)}'`);
}

function jinjaTitle(s: string): string {
  return s
    .split(/([-\s({[<]+)/)
    .filter((x) => x)
    .map((item) => (item[0] as string).toUpperCase() + item.slice(1).toLowerCase())
    .join('');
}

function truncate(s: string, length: number, killwords: boolean, end: string, leeway: number): string {
  if (length < end.length) throw new PyError('AssertionError' as never, `expected length >= ${end.length}, got ${length}`);
  if (leeway < 0) throw new PyError('AssertionError' as never, `expected leeway >= 0, got ${leeway}`);
  if (s.length <= length + leeway) return s;
  if (killwords) return s.slice(0, length - end.length) + end;
  const cut = s.slice(0, length - end.length);
  const i = cut.lastIndexOf(' ');
  return (i >= 0 ? cut.slice(0, i) : cut) + end;
}

function minMax(env: Env, value: unknown, args: unknown[], kwargs: Kwargs, wantMax: boolean): unknown {
  const items = pyIter(value);
  if (!items.length) return new Undefined('No aggregated item, sequence was empty.');
  const cs = truthy(arg(args, kwargs, 0, 'case_sensitive', false));
  const attribute = arg(args, kwargs, 1, 'attribute', null);
  const key = (x: unknown): unknown => {
    const v = attribute !== null ? attrGetter(env, attribute)(x) : x;
    return cs ? v : ignoreCase(v);
  };
  let best = items[0];
  let bk = key(best);
  for (const x of items.slice(1)) {
    const k = key(x);
    const c = pyCompare(k, bk);
    if (wantMax ? c > 0 : c < 0) {
      best = x;
      bk = k;
    }
  }
  return best;
}

export const FILTERS = new Map<string, FilterFn>();
const f = (name: string, fn: FilterFn): void => {
  FILTERS.set(name, fn);
};

f('abs', (_e, v) => {
  if (!isNumber(v)) throw typeError(`bad operand type for abs(): '${typeName(v)}'`);
  if (typeof v === 'bigint') return v < 0n ? -v : v;
  const x = Math.abs(toNum(v));
  return isFloat(v) ? mkFloat(x) : x;
});
f('attr', (e, v, a) => e.getattr(v, pyStr(a[0])));
f('batch', (_e, v, a, k) => {
  const n = Math.trunc(toNum(arg(a, k, 0, 'linecount', 1)));
  const fill = arg(a, k, 1, 'fill_with', null);
  const items = pyIter(v);
  const out: unknown[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  const last = out[out.length - 1];
  if (fill !== null && last) while (last.length < n) last.push(fill);
  return new PyIterator(out);
});
f('capitalize', (_e, v) => pyCapitalize(softStr(v)));
f('center', (_e, v, a, k) => {
  const s = softStr(v);
  const w = Math.trunc(toNum(arg(a, k, 0, 'width', 80)));
  const padLen = w - s.length;
  if (padLen <= 0) return s;
  const left = Math.floor(padLen / 2) + (padLen & w & 1);
  return ' '.repeat(left) + s + ' '.repeat(padLen - left);
});
const dflt: FilterFn = (_e, v, a, k) => {
  const d = arg(a, k, 0, 'default_value', '');
  const boolean = truthy(arg(a, k, 1, 'boolean', false));
  if (isUndef(v) || (boolean && !truthy(v))) return d;
  return v;
};
f('default', dflt);
f('d', dflt);
f('dictsort', (_e, v, a, k) => {
  if (!isDict(v)) throw typeError('dictsort only accepts dicts');
  const cs = truthy(arg(a, k, 0, 'case_sensitive', false));
  const by = arg(a, k, 1, 'by', 'key');
  const reverse = truthy(arg(a, k, 2, 'reverse', false));
  const pos = by === 'key' ? 0 : by === 'value' ? 1 : -1;
  if (pos < 0) throw new PyError('TemplateRuntimeError' as never, 'You can only sort by either "key" or "value"');
  const items = dictEntries(v).map(([key, val]) => PyTuple.of_([key, val]));
  return stableSort(items, (t) => (cs ? t[pos] : ignoreCase(t[pos])), reverse);
});
const escape: FilterFn = (_e, v) => escapeHtml(softStr(v));
f('escape', escape);
f('e', escape);
f('forceescape', escape);
f('first', (_e, v) => {
  if (isUndef(v)) return new Undefined('No first item, sequence was empty.');
  const items = pyIter(v);
  return items.length ? items[0] : new Undefined('No first item, sequence was empty.');
});
f('float', (_e, v, a, k) => pyFloat(v, arg(a, k, 0, 'default', new PyFloat(0))));
f('format', (_e, v, a, k) => {
  if (a.length && Object.keys(k).length) throw typeError("can't handle positional and keyword arguments at the same time");
  return percentFormat(softStr(v), Object.keys(k).length ? k : PyTuple.of_(a));
});
f('indent', (_e, v, a, k) => {
  const width = arg(a, k, 0, 'width', 4);
  const first = truthy(arg(a, k, 1, 'first', false));
  const blank = truthy(arg(a, k, 2, 'blank', false));
  const ind = typeof width === 'string' ? width : ' '.repeat(Math.trunc(toNum(width)));
  const s = softStr(v) + '\n';
  let rv: string;
  if (blank) rv = s.split('\n').join('\n' + ind);
  else {
    const lines = s.split('\n');
    const head = lines.shift() ?? '';
    rv = head + (lines.length ? '\n' + lines.map((l) => (l ? ind + l : l)).join('\n') : '');
  }
  rv = rv.slice(0, rv.endsWith('\n' + ind) && blank ? -(ind.length + 1) : -1);
  return first ? ind + rv : rv;
});
f('int', (_e, v, a, k) => pyInt(v, arg(a, k, 0, 'default', 0), Math.trunc(toNum(arg(a, k, 1, 'base', 10)))));
f('items', (_e, v) => {
  if (isUndef(v)) return new PyIterator([]);
  if (!isDict(v)) throw typeError(`Can only get item pairs from a mapping.`);
  return new PyIterator(dictEntries(v).map(([key, val]) => PyTuple.of_([key, val])));
});
f('join', (e, v, a, k) => {
  const d = softStr(arg(a, k, 0, 'd', ''));
  const attribute = arg(a, k, 1, 'attribute', null);
  let items = pyIter(v);
  if (attribute !== null) items = items.map(attrGetter(e, attribute));
  return items.map(softStr).join(d);
});
f('last', (_e, v) => {
  if (isUndef(v)) return new Undefined('No last item, sequence was empty.');
  if (v instanceof PyIterator) throw typeError("'generator' object is not reversible");
  const items = pyIter(v);
  return items.length ? items[items.length - 1] : new Undefined('No last item, sequence was empty.');
});
const length: FilterFn = (_e, v) => pyLen(v);
f('length', length);
f('count', length);
f('list', (_e, v) => [...pyIter(v)]);
f('lower', (_e, v) => softStr(v).toLowerCase());
f('upper', (_e, v) => softStr(v).toUpperCase());
f('map', (e, v, a, k) => {
  if (!truthy(v)) return new PyIterator([]);
  const items = pyIter(v);
  if (!a.length && Object.prototype.hasOwnProperty.call(k, 'attribute')) {
    const getter = attrGetter(e, k.attribute, k.default);
    return new PyIterator(items.map(getter));
  }
  const name = a[0];
  const fn = typeof name === 'string' ? e.filters.get(name) : undefined;
  if (!fn) throw new PyError('TemplateRuntimeError', `No filter named ${pyRepr(name)}.`);
  const rest = a.slice(1);
  return new PyIterator(items.map((x) => fn(e, x, rest, k)));
});
f('max', (e, v, a, k) => minMax(e, v, a, k, true));
f('min', (e, v, a, k) => minMax(e, v, a, k, false));
f('pprint', (_e, v) => pyRepr(v));
f('reject', (e, v, a, k) => selectOrReject(e, v, a, k, false, (b) => !b));
f('rejectattr', (e, v, a, k) => selectOrReject(e, v, a, k, true, (b) => !b));
f('select', (e, v, a, k) => selectOrReject(e, v, a, k, false, (b) => b));
f('selectattr', (e, v, a, k) => selectOrReject(e, v, a, k, true, (b) => b));
f('replace', (_e, v, a, k) => {
  const s = softStr(v);
  const old = softStr(arg(a, k, 0, 'old', ''));
  const neu = softStr(arg(a, k, 1, 'new', ''));
  const count = arg(a, k, 2, 'count', null);
  if (count === null) return old === '' ? [...s].map((c) => neu + c).join('') + neu : s.split(old).join(neu);
  let out = '';
  let rest = s;
  for (let n = 0; n < toNum(count); n++) {
    const i = rest.indexOf(old);
    if (i < 0 || old === '') break;
    out += rest.slice(0, i) + neu;
    rest = rest.slice(i + old.length);
  }
  return out + rest;
});
f('reverse', (_e, v) => {
  if (typeof v === 'string') return [...v].reverse().join('');
  if (isUndef(v)) return new PyIterator([]);
  const items = pyIter(v);
  return new PyIterator([...items].reverse(), 'list_reverseiterator');
});
f('round', (_e, v, a, k) => {
  const precision = Math.trunc(toNum(arg(a, k, 0, 'precision', 0)));
  const method = arg(a, k, 1, 'method', 'common');
  if (!['common', 'ceil', 'floor'].includes(method as string)) {
    throw new PyError('TemplateRuntimeError' as never, 'method must be common, ceil or floor');
  }
  const x = toNum(v);
  if (method === 'common') {
    const r = pyRound(x, precision);
    return isFloat(v) ? mkFloat(r) : r;
  }
  const m = 10 ** precision;
  const r = (method === 'ceil' ? Math.ceil(x * m) : Math.floor(x * m)) / m;
  return mkFloat(r);
});
f('safe', (_e, v) => softStr(v));
f('slice', (_e, v, a, k) => {
  const seq = pyIter(v);
  const slices = Math.trunc(toNum(arg(a, k, 0, 'slices', 1)));
  const fill = arg(a, k, 1, 'fill_with', null);
  const per = Math.floor(seq.length / slices);
  const extra = seq.length % slices;
  const out: unknown[][] = [];
  let offset = 0;
  for (let i = 0; i < slices; i++) {
    const start = offset + i * per;
    if (i < extra) offset++;
    const end = offset + (i + 1) * per;
    const tmp = seq.slice(start, end);
    if (fill !== null && i >= extra) tmp.push(fill);
    out.push(tmp);
  }
  return new PyIterator(out);
});
f('sort', (e, v, a, k) => {
  const reverse = truthy(arg(a, k, 0, 'reverse', false));
  const cs = truthy(arg(a, k, 1, 'case_sensitive', false));
  const attribute = arg(a, k, 2, 'attribute', null);
  const getter = attribute !== null ? attrGetter(e, attribute) : (x: unknown) => x;
  return stableSort([...pyIter(v)], (x) => (cs ? getter(x) : ignoreCase(getter(x))), reverse);
});
f('striptags', (_e, v) => softStr(v).replace(/<!--.*?-->|<[^>]*>/gs, '').split(/\s+/).filter(Boolean).join(' '));
f('sum', (e, v, a, k) => {
  const attribute = arg(a, k, 0, 'attribute', null);
  let total: unknown = arg(a, k, 1, 'start', 0);
  let items = pyIter(v);
  if (attribute !== null) items = items.map(attrGetter(e, attribute));
  for (const x of items) total = binop('+', total, x);
  return total;
});
f('title', (_e, v) => jinjaTitle(softStr(v)));
f('tojson', (_e, v, a, k) => {
  const indent = arg(a, k, 0, 'indent', null);
  if (indent !== null) throw typeError('tojson(indent=...) is not supported by this runtime');
  return pyJsonDumps(v, true)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/'/g, '\\u0027');
});
f('trim', (_e, v, a, k) => {
  const chars = arg(a, k, 0, 'chars', null);
  const s = softStr(v);
  if (chars === null) return s.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g, '');
  const set = softStr(chars);
  let i = 0;
  let j = s.length;
  while (i < j && set.includes(s[i] as string)) i++;
  while (j > i && set.includes(s[j - 1] as string)) j--;
  return s.slice(i, j);
});
f('truncate', (_e, v, a, k) =>
  truncate(
    softStr(v),
    Math.trunc(toNum(arg(a, k, 0, 'length', 255))),
    truthy(arg(a, k, 1, 'killwords', false)),
    softStr(arg(a, k, 2, 'end', '...')),
    Math.trunc(toNum(arg(a, k, 3, 'leeway', 5) ?? 5)),
  ),
);
f('unique', (e, v, a, k) => {
  const cs = truthy(arg(a, k, 0, 'case_sensitive', false));
  const attribute = arg(a, k, 1, 'attribute', null);
  const getter = attribute !== null ? attrGetter(e, attribute) : (x: unknown) => x;
  const seen: unknown[] = [];
  const out: unknown[] = [];
  for (const x of pyIter(v)) {
    const key = cs ? getter(x) : ignoreCase(getter(x));
    if (!seen.some((s) => pyEq(s, key))) {
      seen.push(key);
      out.push(x);
    }
  }
  return new PyIterator(out);
});
f('urlencode', (_e, v) => {
  if (typeof v === 'string') return urlQuote(v, false);
  const pairs: Array<[unknown, unknown]> = isDict(v) ? dictEntries(v) : pyIter(v).map((p) => pyIter(p) as [unknown, unknown]);
  return pairs.map(([key, val]) => `${urlQuote(key, true)}=${urlQuote(val, true)}`).join('&');
});
f('wordcount', (_e, v) => (softStr(v).match(/[\p{L}\p{N}_]+/gu) ?? []).length);

/** Jinja built-ins this runtime leaves out (no manifest uses them); templates using them fail to compile. */
export const UNSUPPORTED_FILTERS: ReadonlySet<string> = new Set(['filesizeformat', 'groupby', 'random', 'urlize', 'wordwrap', 'xmlattr']);

// CDK filters (they replace Jinja's `string`).
f('hash', (_e, v, a, k) => hashFilter(v, arg(a, k, 0, 'hash_type', 'md5'), arg(a, k, 1, 'salt', null)));
f('base64encode', (_e, v) => Buffer.from(requireStr(v, 'encode'), 'utf8').toString('base64'));
f('base64decode', (_e, v) => decodeUtf8(b64decodeStrict(requireStr(v, 'encode'))));
f('base64binascii_decode', (_e, v) => {
  const s = requireStr(v, 'encode');
  if (/[^\x00-\x7f]/.test(s)) throw new PyError('ValueError', "'ascii' codec can't encode characters");
  // The CDK's implementation actually encodes (standard_b64encode), whatever the name says.
  return Buffer.from(s, 'latin1').toString('base64');
});
f('string', (_e, v) => (typeof v === 'string' ? v : `"""${pyJsonDumps(v)}"""`));
f('regex_search', (_e, v, a, k) => {
  const re = compilePyRegex(reStr(arg(a, k, 0, 'regex', '')), '');
  const m = re.exec(reStr(v));
  if (m && m.length > 1) return m[1] ?? null;
  return '';
});
f('regex_replace', (_e, v, a, k) =>
  pyRegexSub(reStr(arg(a, k, 0, 'regex', '')), reStr(arg(a, k, 1, 'replacement', '')), reStr(v)),
);
f('hmac', (_e, v, a, k) => {
  const key = arg(a, k, 0, 'key', null);
  const hashType = arg(a, k, 1, 'hash_type', 'sha256');
  if (hashType !== 'sha256') {
    throw valueError(`Hash type '${pyStr(hashType)}' is not allowed. Allowed types: sha256`);
  }
  return createHmac('sha256', Buffer.from(pyStr(key), 'utf8')).update(Buffer.from(pyStr(v), 'utf8')).digest('hex');
});

// ---------------------------------------------------------------------------------------------
// Tests

export const TESTS = new Map<string, TestFn>();
const t = (names: string[], fn: TestFn): void => {
  for (const n of names) TESTS.set(n, fn);
};

const isIterable = (v: unknown): boolean =>
  typeof v === 'string' || Array.isArray(v) || isDict(v) || v instanceof PyIterator || isUndef(v);

t(['defined'], (_e, v) => !isUndef(v));
t(['undefined'], (_e, v) => isUndef(v));
t(['none'], (_e, v) => v === null);
t(['boolean'], (_e, v) => typeof v === 'boolean');
t(['false'], (_e, v) => v === false);
t(['true'], (_e, v) => v === true);
t(['integer'], (_e, v) => isInt(v) || typeof v === 'bigint');
t(['float'], (_e, v) => isFloat(v));
t(['number'], (_e, v) => isNumber(v));
t(['string'], (_e, v) => typeof v === 'string');
t(['mapping'], (_e, v) => isDict(v));
t(['iterable'], (_e, v) => isIterable(v));
t(['sequence'], (_e, v) => typeof v === 'string' || Array.isArray(v) || isDict(v));
t(['callable'], (_e, v) => v instanceof PyCallable);
t(['sameas'], (_e, v, a) => v === a[0] || (v === null && a[0] === null));
t(['escaped'], () => false);
t(['odd'], (_e, v) => Math.abs(toNum(v) % 2) === 1);
t(['even'], (_e, v) => toNum(v) % 2 === 0);
t(['divisibleby'], (_e, v, a) => toNum(v) % toNum(a[0]) === 0);
t(['lower'], (_e, v) => softStr(v) === softStr(v).toLowerCase());
t(['upper'], (_e, v) => softStr(v) === softStr(v).toUpperCase());
t(['in'], (_e, v, a) => {
  const seq = a[0];
  if (typeof seq === 'string') return typeof v === 'string' && seq.includes(v);
  if (isDict(seq)) return dictHas(seq, v);
  return pyIter(seq).some((x) => pyEq(x, v));
});
t(['filter'], (e, v) => typeof v === 'string' && e.filters.has(v));
t(['test'], (e, v) => typeof v === 'string' && e.tests.has(v));
t(['eq', 'equalto', '=='], (_e, v, a) => pyEq(v, a[0]));
t(['ne', '!='], (_e, v, a) => !pyEq(v, a[0]));
t(['lt', 'lessthan', '<'], (_e, v, a) => pyCompare(v, a[0], '<') < 0);
t(['le', '<='], (_e, v, a) => pyCompare(v, a[0], '<=') <= 0);
t(['gt', 'greaterthan', '>'], (_e, v, a) => pyCompare(v, a[0], '>') > 0);
t(['ge', '>='], (_e, v, a) => pyCompare(v, a[0], '>=') >= 0);

export { isDateTime, isPyDate, isDuration, dictGet };
