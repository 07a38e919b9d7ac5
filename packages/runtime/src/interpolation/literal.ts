/**
 * Python's ast.literal_eval over the rendered text: numbers, strings (with prefixes and implicit
 * concatenation), tuples, lists, dicts, sets, True/False/None, unary +/- on numbers. Anything else
 * fails as literal_eval would (ValueError/SyntaxError/TypeError), and the caller keeps the text.
 *
 * Values come back typed: PyTuple for tuples, PySet for sets, PyFloat for integral floats,
 * PyComplex for complex numbers, PyBytes for bytes; `toPlain` turns them into JSON-friendly data.
 */
import { PyFloat, PyTuple, isFloat, normInt, setOwn } from './values.js';
import { stringifyJson } from '../protocol/stringify-json.js';

export class PySet extends Array<unknown> {}
export class PyComplex {
  constructor(readonly real: number, readonly imag: number) {}
}
export class PyBytes {
  constructor(readonly text: string) {}
}

/** Thrown (without a stack, which is costly) when the text is not a literal. */
const FAIL = Object.freeze({ literalEvalFailure: true });
const fail = (): never => {
  throw FAIL;
};

type Tok =
  | { k: 'num'; v: number | bigint | PyFloat | PyComplex }
  | { k: 'str'; v: string; bytes: boolean }
  | { k: 'name'; v: string }
  | { k: 'op'; v: string }
  | { k: 'end' };

const NUM_RE =
  /(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?[jJ]?)/y;
const NAME_RE = /[\p{L}_][\p{L}\p{N}_]*/uy;

function decodeEscapes(body: string, raw: boolean, bytes: boolean): string {
  if (raw) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const n = body[++i];
    if (n === undefined) fail();
    switch (n) {
      case '\n':
        break;
      case '\\':
      case "'":
      case '"':
        out += n;
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x': {
        const h = body.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) fail();
        out += String.fromCharCode(parseInt(h, 16));
        i += 2;
        break;
      }
      case 'u':
      case 'U': {
        if (bytes) {
          out += '\\' + n;
          break;
        }
        const len = n === 'u' ? 4 : 8;
        const h = body.slice(i + 1, i + 1 + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) fail();
        const cp = parseInt(h, 16);
        if (cp > 0x10ffff) fail();
        out += String.fromCodePoint(cp);
        i += len;
        break;
      }
      case 'N':
        fail();
        break;
      default:
        if (/[0-7]/.test(n as string)) {
          let o = n as string;
          while (o.length < 3 && /[0-7]/.test(body[i + 1] ?? '')) o += body[++i];
          out += String.fromCodePoint(parseInt(o, 8));
        } else out += '\\' + n;
    }
  }
  return out;
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let depth = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\f') {
      i++;
      continue;
    }
    if (ch === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      // Newlines only separate tokens inside brackets; at top level they end the expression.
      if (depth === 0) {
        const rest = src.slice(i).replace(/#[^\n]*/g, '');
        if (rest.trim() !== '') fail();
        break;
      }
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    // string literal with optional prefix
    const pm = /^([rRbBuU]|[rR][bB]|[bB][rR])?('''|"""|'|")/.exec(src.slice(i, i + 5));
    if (pm) {
      const prefix = (pm[1] ?? '').toLowerCase();
      const q = pm[2] as string;
      let j = i + pm[0].length;
      let body = '';
      for (;;) {
        if (j >= src.length) fail();
        const c = src[j] as string;
        if (c === '\\') {
          body += c + (src[j + 1] ?? '');
          j += 2;
          continue;
        }
        if (src.startsWith(q, j)) {
          j += q.length;
          break;
        }
        if (q.length === 1 && c === '\n') fail();
        body += c;
        j++;
      }
      const isBytes = prefix.includes('b');
      if (isBytes && /[^\x00-\x7f]/.test(body)) fail();
      toks.push({ k: 'str', v: decodeEscapes(body, prefix.includes('r'), isBytes), bytes: isBytes });
      i = j;
      continue;
    }
    if (/[0-9.]/.test(ch) && (ch !== '.' || /[0-9]/.test(src[i + 1] ?? ''))) {
      NUM_RE.lastIndex = i;
      const m = NUM_RE.exec(src);
      if (!m) fail();
      const text = (m as RegExpExecArray)[0];
      i += text.length;
      // A number running straight into a name char is a syntax error (e.g. `1abc`, `09`).
      if (/[\p{L}\p{N}_]/u.test(src[i] ?? '')) fail();
      toks.push(parseNumber(text));
      continue;
    }
    NAME_RE.lastIndex = i;
    const nm = NAME_RE.exec(src);
    if (nm) {
      toks.push({ k: 'name', v: nm[0] });
      i += nm[0].length;
      continue;
    }
    const op = ['**', '//', '==', '!=', '<=', '>=', '->', ':='].find((o) => src.startsWith(o, i)) ?? ch;
    if ('([{'.includes(op)) depth++;
    if (')]}'.includes(op)) depth = Math.max(depth - 1, 0);
    if (!'()[]{},:+-*/%@<>=!~^&|.;'.includes(op[0] as string)) fail();
    toks.push({ k: 'op', v: op });
    i += op.length;
  }
  toks.push({ k: 'end' });
  return toks;
}

const DIGITS = /^\d+$/;
const LEADING_ZERO = /^0+[1-9]/;
const PREFIXED = /^0[xXoObB]/;

function parseNumber(text: string): Tok {
  const t = text.includes('_') ? text.replace(/_/g, '') : text;
  if (DIGITS.test(t)) {
    if (t.length > 1 && t.charCodeAt(0) === 48 && LEADING_ZERO.test(t)) fail(); // leading zeros in a decimal literal
    return intTok(t);
  }
  const last = t.charCodeAt(t.length - 1);
  if (last === 106 || last === 74) return { k: 'num', v: new PyComplex(0, Number(t.slice(0, -1))) };
  if (PREFIXED.test(t)) return intTok(`0${(t[1] as string).toLowerCase()}${t.slice(2)}`);
  const x = Number(t);
  return { k: 'num', v: Number.isInteger(x) ? new PyFloat(x) : x };
}

/** A Python int literal (decimal, or 0x/0o/0b): a number, or a BigInt beyond 2^53. */
function intTok(text: string): Tok {
  const n = Number(text);
  if (Number.isSafeInteger(n)) return { k: 'num', v: n };
  try {
    return { k: 'num', v: normInt(BigInt(text)) };
  } catch {
    return fail();
  }
}

class LitParser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}
  private get cur(): Tok {
    return this.toks[this.i] as Tok;
  }
  private isOp(v: string): boolean {
    const c = this.cur;
    return c.k === 'op' && c.v === v;
  }
  private expect(v: string): void {
    if (!this.isOp(v)) fail();
    this.i++;
  }

  parseTop(): unknown {
    if (this.cur.k === 'end') fail();
    const v = this.tupleOrExpr(true);
    if (this.cur.k !== 'end') fail();
    return v;
  }

  /** expr [, expr]* [,] — a bare tuple when there is a comma. */
  private tupleOrExpr(top: boolean): unknown {
    const first = this.expr();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.isOp(',')) {
      this.i++;
      if (this.cur.k === 'end' || this.isOp(')') || (!top && this.isOp(']'))) break;
      items.push(this.expr());
    }
    return PyTuple.of_(items);
  }

  private expr(): unknown {
    const left = this.unary();
    // complex addition: num +/- imaginary
    if ((this.isOp('+') || this.isOp('-')) && isRealNum(left)) {
      const op = (this.cur as { v: string }).v;
      this.i++;
      const right = this.unary();
      if (!(right instanceof PyComplex)) fail();
      const r = right as PyComplex;
      return new PyComplex(numVal(left) + (op === '+' ? r.real : -r.real), op === '+' ? r.imag : -r.imag);
    }
    if (this.cur.k === 'op' && !',:)]}'.includes(this.cur.v)) fail();
    if (this.cur.k === 'name' || this.cur.k === 'num' || this.cur.k === 'str') fail();
    return left;
  }

  private unary(): unknown {
    if (this.isOp('-') || this.isOp('+')) {
      const neg = this.isOp('-');
      this.i++;
      const c = this.cur;
      if (c.k !== 'num') fail();
      this.i++;
      const v = (c as { v: number | bigint | PyFloat | PyComplex }).v;
      if (!neg) return v;
      if (v instanceof PyComplex) return new PyComplex(-v.real, -v.imag);
      if (v instanceof PyFloat) return new PyFloat(-v.value);
      if (typeof v === 'bigint') return normInt(-v);
      return v === 0 ? 0 : -v;
    }
    return this.atom();
  }

  private atom(): unknown {
    const c = this.cur;
    if (c.k === 'num') {
      this.i++;
      return c.v;
    }
    if (c.k === 'str') {
      let s = c.v;
      const bytes = c.bytes;
      this.i++;
      while (this.cur.k === 'str') {
        if ((this.cur as { bytes: boolean }).bytes !== bytes) fail();
        s += (this.cur as { v: string }).v;
        this.i++;
      }
      return bytes ? new PyBytes(s) : s;
    }
    if (c.k === 'name') {
      this.i++;
      if (c.v === 'True') return true;
      if (c.v === 'False') return false;
      if (c.v === 'None') return null;
      // literal_eval special-cases the empty set call.
      if (c.v === 'set' && this.isOp('(') && (this.toks[this.i + 1] as Tok).k === 'op' && (this.toks[this.i + 1] as { v: string }).v === ')') {
        this.i += 2;
        return new PySet();
      }
      return fail();
    }
    if (c.k === 'op') {
      if (c.v === '(') {
        this.i++;
        if (this.isOp(')')) {
          this.i++;
          return PyTuple.of_([]);
        }
        const v = this.tupleOrExpr(false);
        this.expect(')');
        return v;
      }
      if (c.v === '[') {
        this.i++;
        const items: unknown[] = [];
        while (!this.isOp(']')) {
          items.push(this.expr());
          if (!this.isOp(',')) break;
          this.i++;
        }
        this.expect(']');
        return items;
      }
      if (c.v === '{') {
        this.i++;
        if (this.isOp('}')) {
          this.i++;
          return new Map();
        }
        const first = this.expr();
        if (this.isOp(':')) {
          const pairs: Array<[unknown, unknown]> = [];
          this.i++;
          pairs.push([first, this.expr()]);
          while (this.isOp(',')) {
            this.i++;
            if (this.isOp('}')) break;
            const k = this.expr();
            this.expect(':');
            pairs.push([k, this.expr()]);
          }
          this.expect('}');
          const m = new Map<unknown, unknown>();
          for (const [k, v] of pairs) {
            checkHashable(k);
            m.set(hashKey(k), [k, v]);
          }
          return m;
        }
        const items = [first];
        while (this.isOp(',')) {
          this.i++;
          if (this.isOp('}')) break;
          items.push(this.expr());
        }
        this.expect('}');
        const set = new PySet();
        const seen = new Set<unknown>();
        for (const x of items) {
          checkHashable(x);
          const h = hashKey(x);
          if (!seen.has(h)) {
            seen.add(h);
            set.push(x);
          }
        }
        return set;
      }
    }
    return fail();
  }
}

function isRealNum(v: unknown): boolean {
  return typeof v === 'number' || v instanceof PyFloat || typeof v === 'bigint';
}
function numVal(v: unknown): number {
  return v instanceof PyFloat ? v.value : Number(v as number | bigint);
}

function checkHashable(v: unknown): void {
  if (Array.isArray(v) && !(v instanceof PyTuple)) fail();
  if (v instanceof Map || v instanceof PySet) fail();
  if (v instanceof PyTuple) v.forEach(checkHashable);
}

/** A key that makes equal Python values collide (1 == 1.0 == True). */
function hashKey(v: unknown): unknown {
  if (v === true) return 1;
  if (v === false) return 0;
  if (v instanceof PyFloat) return v.value;
  if (v instanceof PyTuple) return 'tuple:' + stringifyJson(v.map(hashKey));
  if (typeof v === 'string') return 's:' + v;
  if (v instanceof PyComplex) return v.imag === 0 ? v.real : `c:${v.real},${v.imag}`;
  return v;
}

/** Text whose first significant character cannot begin a literal fails fast (most rendered URLs, words…). */
const MAY_START_LITERAL = /^[\s]*(?:[-+0-9.'"([{#\\]|[rRbBuU]{1,2}['"]|True\b|False\b|None\b|set\b)/;

const SIMPLE_INT = /^[-+]?\d+$/;
/** 2024-01-15…: digits, a dash, then a zero-padded number, which Python refuses as a literal. */
const DATE_LIKE = /^\d+-0\d/;

/** ast.literal_eval: the typed value, or a failure. Dicts come back as Map<hash, [key, value]>. */
function literalEvalRaw(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    // literal_eval strips leading spaces/tabs; eval-mode parsing accepts surrounding blank lines.
    if (!MAY_START_LITERAL.test(text)) return { ok: false };
    if (SIMPLE_INT.test(text)) {
      // Fast path for the most common result: a plain decimal integer.
      if (/^[-+]?0+[1-9]/.test(text)) return { ok: false };
      const n = Number(text);
      return { ok: true, value: Number.isSafeInteger(n) ? (n === 0 ? 0 : n) : normInt(BigInt(text)) };
    }
    if (DATE_LIKE.test(text)) return { ok: false };
    const stripped = text.replace(/^[ \t]+/, '');
    const src = stripped.replace(/^(?:[ \t\f]*(?:#[^\n]*)?\r?\n)+/, '');
    // After skipped blank lines, an indented first line is an IndentationError.
    if (src.length !== stripped.length && /^[ \t]/.test(src)) return { ok: false };
    if (src.includes('\0')) return { ok: false };
    const value = new LitParser(tokenize(src)).parseTop();
    return { ok: true, value };
  } catch (e) {
    if (e === FAIL) return { ok: false };
    throw e;
  }
}

export type ValidType = 'int' | 'float' | 'str' | 'bool' | 'list' | 'dict';

function isinstance(v: unknown, t: ValidType): boolean {
  switch (t) {
    case 'int':
      return typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
    case 'float':
      return isFloat(v);
    case 'str':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    case 'list':
      return Array.isArray(v) && !(v instanceof PyTuple) && !(v instanceof PySet);
    case 'dict':
      return v instanceof Map;
  }
}

function containsUnrepresentable(v: unknown): boolean {
  if (v instanceof PyComplex || v instanceof PyBytes) return true;
  if (Array.isArray(v)) return v.some(containsUnrepresentable);
  if (v instanceof Map) return [...v.values()].some(([k, x]: [unknown, unknown]) => containsUnrepresentable(k) || containsUnrepresentable(x));
  return false;
}

/** JSON-friendly form: tuples and sets become arrays, PyFloat a number, dict keys strings (json.dumps style). */
export function toPlain(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return Array.from(v, toPlain);
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v.values() as Iterable<[unknown, unknown]>) setOwn(o, plainKey(k), toPlain(x));
    return o;
  }
  return v;
}

function plainKey(k: unknown): string {
  if (typeof k === 'string') return k;
  if (k === null) return 'null';
  if (k === true) return 'true';
  if (k === false) return 'false';
  if (k instanceof PyFloat) return k.value.toFixed(1);
  if (Array.isArray(k)) return stringifyJson(toPlain(k));
  return String(k);
}

/**
 * jinja.py `_literal_eval`: the evaluated value when it parses (and is one of `validTypes`, if
 * given), otherwise the text itself. Complex numbers and bytes keep the text; ints beyond 2^53 are
 * exact BigInts.
 */
export function literalEvalResult(text: string, validTypes?: readonly ValidType[]): unknown {
  const r = literalEvalRaw(text);
  if (!r.ok) return text;
  const v = r.value;
  if (containsUnrepresentable(v)) return text;
  if (validTypes && validTypes.length) {
    return validTypes.some((t) => isinstance(v, t)) ? toPlain(v) : text;
  }
  return toPlain(v);
}

/** ast.literal_eval, returning JSON-friendly values. */
export function literalEval(text: string): { ok: true; value: unknown } | { ok: false } {
  const r = literalEvalRaw(text);
  if (!r.ok || containsUnrepresentable(r.value)) return { ok: false };
  return { ok: true, value: toPlain(r.value) };
}
