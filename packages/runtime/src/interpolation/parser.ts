/**
 * Lexer and parser for the subset of Jinja2 that Airbyte manifests use, following Jinja's grammar
 * and precedence (jinja2/lexer.py, jinja2/parser.py) closely. Produces a small AST.
 */
import { PyFloat, normInt } from './values.js';

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

// ---------------------------------------------------------------------------------------------
// AST

export type Expr =
  | { t: 'const'; v: unknown }
  | { t: 'name'; name: string }
  | { t: 'list'; items: Expr[] }
  | { t: 'tuple'; items: Expr[] }
  | { t: 'dict'; pairs: Array<[Expr, Expr]> }
  | { t: 'getattr'; obj: Expr; attr: string }
  | { t: 'getitem'; obj: Expr; index: Expr }
  | { t: 'slice'; start: Expr | null; stop: Expr | null; step: Expr | null }
  | { t: 'call'; fn: Expr; args: Expr[]; kwargs: Array<[string, Expr]>; star: Expr | null; dstar: Expr | null }
  | { t: 'filter'; node: Expr; name: string; args: Expr[]; kwargs: Array<[string, Expr]> }
  | { t: 'test'; node: Expr; name: string; args: Expr[]; kwargs: Array<[string, Expr]> }
  | { t: 'unary'; op: '-' | '+' | 'not'; node: Expr }
  | { t: 'bin'; op: string; left: Expr; right: Expr }
  | { t: 'and' | 'or'; left: Expr; right: Expr }
  | { t: 'compare'; first: Expr; ops: Array<[string, Expr]> }
  | { t: 'cond'; test: Expr; then: Expr; else_: Expr | null }
  | { t: 'concat'; items: Expr[] };

export type Target =
  | { t: 'name'; name: string }
  | { t: 'tuple'; items: Target[] }
  | { t: 'nsref'; name: string; attr: string };

export type Stmt =
  | { t: 'data'; text: string }
  | { t: 'output'; expr: Expr }
  | { t: 'if'; test: Expr; body: Stmt[]; elifs: Array<[Expr, Stmt[]]>; else_: Stmt[] }
  | { t: 'for'; target: Target; iter: Expr; test: Expr | null; body: Stmt[]; else_: Stmt[] }
  | { t: 'set'; target: Target; expr: Expr }
  | { t: 'setblock'; target: Target; body: Stmt[]; filters: Array<Extract<Expr, { t: 'filter' }>> };

// ---------------------------------------------------------------------------------------------
// Lexer

type TokType =
  | 'data'
  | 'var_begin'
  | 'var_end'
  | 'block_begin'
  | 'block_end'
  | 'name'
  | 'string'
  | 'integer'
  | 'float'
  | 'op'
  | 'eof';

interface Token {
  type: TokType;
  value: string;
  num?: number;
  line: number;
  col: number;
}

const OPERATORS = [
  '**', '//', '==', '!=', '>=', '<=',
  '+', '-', '/', '*', '%', '~', '[', ']', '(', ')', '{', '}', '>', '<', '=', '.', ':', '|', ',', ';',
];
const FLOAT_RE = /(?<!\.)(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?e[+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/iy;
const INT_RE = /(?:0b(?:_?[01])+|0o(?:_?[0-7])+|0x(?:_?[\da-f])+|[1-9](?:_?\d)*|0(?:_?0)*)/iy;
const NAME_RE = /[\p{L}_][\p{L}\p{N}_]*/uy;
const STRING_RE = /'([^'\\]*(?:\\.[^'\\]*)*)'|"([^"\\]*(?:\\.[^"\\]*)*)"/sy;
const WS_RE = /\s+/y;

/** Python's "unicode-escape" decoding as Jinja applies it to string literals. */
export function unescapePy(s: string, line: number, col: number): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch !== '\\' || i === s.length - 1) {
      out += ch;
      continue;
    }
    const n = s[++i] as string;
    const simple: Record<string, string> = {
      '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '',
    };
    if (n in simple) {
      out += simple[n];
    } else if (/[0-7]/.test(n)) {
      let oct = n;
      while (oct.length < 3 && /[0-7]/.test(s[i + 1] ?? '')) oct += s[++i];
      out += String.fromCodePoint(parseInt(oct, 8));
    } else if (n === 'x' || n === 'u' || n === 'U') {
      const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      const hex = s.slice(i + 1, i + 1 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) {
        throw new TemplateSyntaxError(`invalid \\${n} escape in string literal`, line, col);
      }
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) throw new TemplateSyntaxError('illegal Unicode character in string literal', line, col);
      out += String.fromCodePoint(cp);
      i += len;
    } else {
      out += '\\' + n;
    }
  }
  return out;
}

function tokenize(source: string): Token[] {
  // Jinja normalises newlines and drops one trailing newline (keep_trailing_newline=False).
  let src = source.replace(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g, '\n');
  if (src.endsWith('\n')) src = src.slice(0, -1);
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  const advanceLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      if (src.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
  };
  const fail = (msg: string, at = pos): never => {
    throw new TemplateSyntaxError(msg, line, at - lineStart + 1);
  };
  let stripNext = false; // a `-%}` asked to strip the whitespace that follows
  const pushData = (text: string, at: number): void => {
    if (stripNext) text = text.replace(/^\s+/, '');
    stripNext = false;
    if (text) tokens.push({ type: 'data', value: text, line, col: at - lineStart + 1 });
  };
  while (pos < src.length) {
    const open = /\{[{%#]/g;
    open.lastIndex = pos;
    const m = open.exec(src);
    if (!m) {
      pushData(src.slice(pos), pos);
      advanceLines(pos, src.length);
      pos = src.length;
      break;
    }
    const tagStart = m.index;
    const kind = m[0];
    const lstrip = src[tagStart + 2] === '-';
    let text = src.slice(pos, tagStart);
    if (lstrip) text = text.replace(/\s+$/, '');
    // {% raw %} … {% endraw %}
    if (kind === '{%') {
      const raw = /\{%[-+]?\s*raw\s*[-+]?%\}/y;
      raw.lastIndex = tagStart;
      const rm = raw.exec(src);
      if (rm) {
        pushData(text, pos);
        advanceLines(pos, tagStart);
        const end = /\{%[-+]?\s*endraw\s*(-?)%\}/g;
        end.lastIndex = tagStart + rm[0].length;
        const em = end.exec(src);
        if (!em) fail('Missing end of raw directive', tagStart);
        let body = src.slice(tagStart + rm[0].length, em!.index);
        if (rm[0].endsWith('-%}')) body = body.replace(/^\s+/, '');
        if (src[em!.index + 2] === '-') body = body.replace(/\s+$/, '');
        if (body) tokens.push({ type: 'data', value: body, line, col: 1 });
        advanceLines(tagStart, em!.index + em![0].length);
        pos = em!.index + em![0].length;
        stripNext = em![1] === '-';
        continue;
      }
    }
    pushData(text, pos);
    advanceLines(pos, tagStart);
    pos = tagStart + 2 + (lstrip || src[tagStart + 2] === '+' ? 1 : 0);
    if (kind === '{#') {
      const end = src.indexOf('#}', pos);
      if (end < 0) fail('Missing end of comment tag', tagStart);
      stripNext = src[end - 1] === '-';
      advanceLines(pos, end + 2);
      pos = end + 2;
      continue;
    }
    const isVar = kind === '{{';
    const endTok = isVar ? '}}' : '%}';
    tokens.push({ type: isVar ? 'var_begin' : 'block_begin', value: kind, line, col: tagStart - lineStart + 1 });
    const balance: string[] = [];
    let closed = false;
    while (pos < src.length) {
      WS_RE.lastIndex = pos;
      const ws = WS_RE.exec(src);
      if (ws) {
        advanceLines(pos, pos + ws[0].length);
        pos += ws[0].length;
        if (pos >= src.length) break;
      }
      const col = pos - lineStart + 1;
      if (balance.length === 0) {
        if (src.startsWith('-' + endTok, pos)) {
          tokens.push({ type: isVar ? 'var_end' : 'block_end', value: endTok, line, col });
          pos += 3;
          stripNext = true;
          closed = true;
          break;
        }
        if (src.startsWith(endTok, pos)) {
          tokens.push({ type: isVar ? 'var_end' : 'block_end', value: endTok, line, col });
          pos += 2;
          closed = true;
          break;
        }
      }
      FLOAT_RE.lastIndex = pos;
      let mm = FLOAT_RE.exec(src);
      if (mm) {
        tokens.push({ type: 'float', value: mm[0], num: Number(mm[0].replace(/_/g, '')), line, col });
        pos += mm[0].length;
        continue;
      }
      INT_RE.lastIndex = pos;
      mm = INT_RE.exec(src);
      if (mm) {
        const v = mm[0].replace(/_/g, '').toLowerCase();
        const num = v.startsWith('0b') ? parseInt(v.slice(2), 2) : v.startsWith('0o') ? parseInt(v.slice(2), 8) : Number(v);
        tokens.push({ type: 'integer', value: mm[0], num, line, col });
        pos += mm[0].length;
        continue;
      }
      NAME_RE.lastIndex = pos;
      mm = NAME_RE.exec(src);
      if (mm) {
        tokens.push({ type: 'name', value: mm[0], line, col });
        pos += mm[0].length;
        continue;
      }
      STRING_RE.lastIndex = pos;
      mm = STRING_RE.exec(src);
      if (mm) {
        const body = mm[1] ?? mm[2] ?? '';
        tokens.push({ type: 'string', value: unescapePy(body, line, col), line, col });
        advanceLines(pos, pos + mm[0].length);
        pos += mm[0].length;
        continue;
      }
      const op = OPERATORS.find((o) => src.startsWith(o, pos));
      if (!op) {
        if (src[pos] === '"' || src[pos] === "'") fail('unexpected end of string');
        fail(`unexpected char ${JSON.stringify(src[pos])} at ${pos}`);
      }
      if (op === '{' || op === '[' || op === '(') balance.push(op === '{' ? '}' : op === '[' ? ']' : ')');
      else if (op === '}' || op === ']' || op === ')') {
        const expected = balance.pop();
        if (expected === undefined) fail(`unexpected '${op}'`);
        if (expected !== op) fail(`unexpected '${op}', expected '${expected}'`);
      }
      tokens.push({ type: 'op', value: op!, line, col });
      pos += op!.length;
    }
    if (!closed) {
      fail(
        balance.length ? `unexpected end of template, expected '${balance[balance.length - 1]}'` : `unexpected end of template, expected end of ${isVar ? 'print statement' : 'statement block'}`,
      );
    }
  }
  tokens.push({ type: 'eof', value: '', line, col: pos - lineStart + 1 });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Parser

const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);

export interface ParsedTemplate {
  body: Stmt[];
  filters: Set<string>;
  tests: Set<string>;
}

class Parser {
  private i = 0;
  readonly filters = new Set<string>();
  readonly tests = new Set<string>();
  constructor(private readonly toks: Token[]) {}

  private get cur(): Token {
    return this.toks[this.i] as Token;
  }
  private peek(n = 1): Token {
    return this.toks[Math.min(this.i + n, this.toks.length - 1)] as Token;
  }
  private next(): Token {
    const t = this.cur;
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  private fail(msg: string, tok: Token = this.cur): never {
    throw new TemplateSyntaxError(msg, tok.line, tok.col);
  }
  private isOp(v: string): boolean {
    return this.cur.type === 'op' && this.cur.value === v;
  }
  private isName(v: string): boolean {
    return this.cur.type === 'name' && this.cur.value === v;
  }
  private skipOp(v: string): boolean {
    if (this.isOp(v)) {
      this.next();
      return true;
    }
    return false;
  }
  private skipName(v: string): boolean {
    if (this.isName(v)) {
      this.next();
      return true;
    }
    return false;
  }
  private describe(t: Token): string {
    if (t.type === 'eof') return 'end of template';
    if (t.type === 'var_end') return "end of print statement";
    if (t.type === 'block_end') return 'end of statement block';
    if (t.type === 'op') return `'${t.value}'`;
    if (t.type === 'string') return 'string';
    return `'${t.value}'`;
  }
  private expectOp(v: string): Token {
    if (!this.isOp(v)) this.fail(`expected token '${v}', got ${this.describe(this.cur)}`);
    return this.next();
  }
  private expectType(type: TokType, what: string): Token {
    if (this.cur.type !== type) this.fail(`expected ${what}, got ${this.describe(this.cur)}`);
    return this.next();
  }
  private expectName(): string {
    return this.expectType('name', 'a name').value;
  }

  parseTemplate(): Stmt[] {
    const body = this.subparse(null);
    if (this.cur.type !== 'eof') this.fail(`unexpected ${this.describe(this.cur)}`);
    return body;
  }

  /** Parses until one of `endNames` opens a block (the cursor is then on that name). */
  private subparse(endNames: string[] | null): Stmt[] {
    const body: Stmt[] = [];
    for (;;) {
      const t = this.cur;
      if (t.type === 'eof') {
        if (endNames) this.fail(`Unexpected end of template. Jinja was looking for the following tags: ${endNames.map((n) => `'${n}'`).join(' or ')}.`);
        return body;
      }
      if (t.type === 'data') {
        body.push({ t: 'data', text: t.value });
        this.next();
      } else if (t.type === 'var_begin') {
        this.next();
        const expr = this.parseTuple(true);
        this.expectType('var_end', 'end of print statement');
        body.push({ t: 'output', expr });
      } else if (t.type === 'block_begin') {
        this.next();
        if (endNames && this.cur.type === 'name' && endNames.includes(this.cur.value)) return body;
        body.push(this.parseStatement());
      } else {
        this.fail(`unexpected ${this.describe(t)}`);
      }
    }
  }

  private parseStatements(endNames: string[], dropNeedle = false): Stmt[] {
    this.skipOp(':');
    this.expectType('block_end', 'end of statement block');
    const body = this.subparse(endNames);
    if (dropNeedle) this.next();
    return body;
  }

  private parseStatement(): Stmt {
    const tok = this.cur;
    if (tok.type !== 'name') this.fail('tag name expected');
    switch (tok.value) {
      case 'if':
        return this.parseIf();
      case 'for':
        return this.parseFor();
      case 'set':
        return this.parseSet();
      default:
        if (['endif', 'endfor', 'else', 'elif', 'endset', 'endraw'].includes(tok.value)) {
          this.fail(`Encountered unknown tag '${tok.value}'.`);
        }
        this.fail(`Encountered unknown tag '${tok.value}' (not supported by this runtime).`);
    }
  }

  private parseIf(): Stmt {
    this.next();
    const test = this.parseTuple(false);
    const body = this.parseStatements(['elif', 'else', 'endif']);
    const elifs: Array<[Expr, Stmt[]]> = [];
    let else_: Stmt[] = [];
    for (;;) {
      const t = this.next();
      if (t.value === 'elif') {
        const cond = this.parseTuple(false);
        elifs.push([cond, this.parseStatements(['elif', 'else', 'endif'])]);
      } else if (t.value === 'else') {
        else_ = this.parseStatements(['endif'], true);
        break;
      } else break;
    }
    this.expectType('block_end', 'end of statement block');
    return { t: 'if', test, body, elifs, else_ };
  }

  private parseFor(): Stmt {
    this.next();
    const target = this.parseAssignTarget(['in'], false);
    if (!this.skipName('in')) this.fail(`expected token 'in', got ${this.describe(this.cur)}`);
    const iter = this.parseTuple(false, ['recursive']);
    let test: Expr | null = null;
    if (this.skipName('if')) test = this.parseExpression(true);
    if (this.isName('recursive')) this.fail('recursive for loops are not supported by this runtime');
    const body = this.parseStatements(['endfor', 'else']);
    let else_: Stmt[] = [];
    if (this.next().value === 'else') else_ = this.parseStatements(['endfor'], true);
    this.expectType('block_end', 'end of statement block');
    return { t: 'for', target, iter, test, body, else_ };
  }

  private parseSet(): Stmt {
    this.next();
    const target = this.parseAssignTarget([], true);
    if (this.skipOp('=')) {
      const expr = this.parseTuple(true);
      this.expectType('block_end', 'end of statement block');
      return { t: 'set', target, expr };
    }
    const filters: Array<Extract<Expr, { t: 'filter' }>> = [];
    let node: Expr = { t: 'const', v: null };
    while (this.skipOp('|')) {
      node = this.parseFilter(node);
      filters.push(node as Extract<Expr, { t: 'filter' }>);
    }
    const body = this.parseStatements(['endset'], true);
    this.expectType('block_end', 'end of statement block');
    return { t: 'setblock', target, body, filters };
  }

  private parseAssignTarget(extraEnd: string[], withNamespace: boolean): Target {
    const one = (): Target => {
      if (withNamespace && this.peek().type === 'op' && this.peek().value === '.') {
        const name = this.expectName();
        this.next();
        return { t: 'nsref', name, attr: this.expectName() };
      }
      const tok = this.cur;
      const name = this.expectName();
      if (['true', 'false', 'none', 'True', 'False', 'None'].includes(name)) this.fail(`can't assign to '${name}'`, tok);
      return { t: 'name', name };
    };
    const first = one();
    if (!this.isOp(',')) return first;
    const items: Target[] = [first];
    while (this.skipOp(',')) {
      if (this.isTupleEnd(extraEnd)) break;
      items.push(one());
    }
    return { t: 'tuple', items };
  }

  private isTupleEnd(extraEnd: string[] = []): boolean {
    const c = this.cur;
    if (c.type === 'var_end' || c.type === 'block_end' || c.type === 'eof') return true;
    if (c.type === 'op' && (c.value === ')' || c.value === '=')) return true;
    return c.type === 'name' && extraEnd.includes(c.value);
  }

  /** Jinja's parse_tuple: a comma-separated expression list (a tuple if there is a comma). */
  private parseTuple(withCondexpr: boolean, extraEnd: string[] = [], explicitParens = false): Expr {
    const items: Expr[] = [];
    let isTuple = false;
    for (;;) {
      if (items.length) this.expectOp(',');
      if (this.isTupleEnd(extraEnd)) break;
      items.push(this.parseExpression(withCondexpr));
      if (this.isOp(',')) isTuple = true;
      else break;
    }
    if (!isTuple) {
      if (items.length) return items[0] as Expr;
      if (!explicitParens) this.fail(`Expected an expression, got ${this.describe(this.cur)}`);
    }
    return { t: 'tuple', items };
  }

  parseExpression(withCondexpr = true): Expr {
    return withCondexpr ? this.parseCondexpr() : this.parseOr();
  }

  private parseCondexpr(): Expr {
    let expr1 = this.parseOr();
    while (this.skipName('if')) {
      const test = this.parseOr();
      const else_ = this.skipName('else') ? this.parseCondexpr() : null;
      expr1 = { t: 'cond', test, then: expr1, else_ };
    }
    return expr1;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.skipName('or')) left = { t: 'or', left, right: this.parseAnd() };
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.skipName('and')) left = { t: 'and', left, right: this.parseNot() };
    return left;
  }

  private parseNot(): Expr {
    if (this.skipName('not')) return { t: 'unary', op: 'not', node: this.parseNot() };
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const first = this.parseMath1();
    const ops: Array<[string, Expr]> = [];
    for (;;) {
      if (this.cur.type === 'op' && COMPARE_OPS.has(this.cur.value)) {
        const op = this.next().value;
        ops.push([op, this.parseMath1()]);
      } else if (this.skipName('in')) {
        ops.push(['in', this.parseMath1()]);
      } else if (this.isName('not') && this.peek().type === 'name' && this.peek().value === 'in') {
        this.next();
        this.next();
        ops.push(['notin', this.parseMath1()]);
      } else break;
    }
    return ops.length ? { t: 'compare', first, ops } : first;
  }

  private parseMath1(): Expr {
    let left = this.parseConcat();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().value;
      left = { t: 'bin', op, left, right: this.parseConcat() };
    }
    return left;
  }

  private parseConcat(): Expr {
    const items = [this.parseMath2()];
    while (this.skipOp('~')) items.push(this.parseMath2());
    return items.length === 1 ? (items[0] as Expr) : { t: 'concat', items };
  }

  private parseMath2(): Expr {
    let left = this.parsePow();
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%')) {
      const op = this.next().value;
      left = { t: 'bin', op, left, right: this.parsePow() };
    }
    return left;
  }

  private parsePow(): Expr {
    let left = this.parseUnary(true);
    while (this.skipOp('**')) left = { t: 'bin', op: '**', left, right: this.parseUnary(true) };
    return left;
  }

  private parseUnary(withFilter: boolean): Expr {
    let node: Expr;
    if (this.skipOp('-')) node = { t: 'unary', op: '-', node: this.parseUnary(false) };
    else if (this.skipOp('+')) node = { t: 'unary', op: '+', node: this.parseUnary(false) };
    else node = this.parsePrimary();
    node = this.parsePostfix(node);
    if (withFilter) node = this.parseFilterExpr(node);
    return node;
  }

  private parsePrimary(): Expr {
    const tok = this.cur;
    if (tok.type === 'name') {
      this.next();
      if (tok.value === 'true' || tok.value === 'True') return { t: 'const', v: true };
      if (tok.value === 'false' || tok.value === 'False') return { t: 'const', v: false };
      if (tok.value === 'none' || tok.value === 'None') return { t: 'const', v: null };
      return { t: 'name', name: tok.value };
    }
    if (tok.type === 'string') {
      let v = this.next().value;
      while (this.cur.type === 'string') v += this.next().value;
      return { t: 'const', v };
    }
    if (tok.type === 'integer') {
      this.next();
      // An int literal beyond 2^53 stays exact, as a BigInt (Python ints have no size limit).
      const exact = Number.isSafeInteger(tok.num) ? tok.num : normInt(BigInt(tok.value.replace(/_/g, '').toLowerCase()));
      return { t: 'const', v: exact };
    }
    if (tok.type === 'float') {
      this.next();
      return { t: 'const', v: Number.isInteger(tok.num) ? new PyFloat(tok.num as number) : tok.num };
    }
    if (this.skipOp('(')) {
      const e = this.parseTuple(true, [], true);
      this.expectOp(')');
      return e;
    }
    if (this.skipOp('[')) {
      const items: Expr[] = [];
      while (!this.isOp(']')) {
        if (items.length) this.expectOp(',');
        if (this.isOp(']')) break;
        items.push(this.parseExpression());
      }
      this.expectOp(']');
      return { t: 'list', items };
    }
    if (this.skipOp('{')) {
      const pairs: Array<[Expr, Expr]> = [];
      while (!this.isOp('}')) {
        if (pairs.length) this.expectOp(',');
        if (this.isOp('}')) break;
        const k = this.parseExpression();
        this.expectOp(':');
        pairs.push([k, this.parseExpression()]);
      }
      this.expectOp('}');
      return { t: 'dict', pairs };
    }
    this.fail(`unexpected ${this.describe(tok)}`);
  }

  private parsePostfix(node: Expr): Expr {
    for (;;) {
      if (this.isOp('.') || this.isOp('[')) node = this.parseSubscript(node);
      else if (this.isOp('(')) node = this.parseCall(node);
      else return node;
    }
  }

  private parseFilterExpr(node: Expr): Expr {
    for (;;) {
      if (this.isOp('|')) {
        this.next();
        node = this.parseFilter(node);
      } else if (this.isName('is')) node = this.parseTest(node);
      else if (this.isOp('(')) node = this.parseCall(node);
      else return node;
    }
  }

  private parseSubscript(node: Expr): Expr {
    const tok = this.next();
    if (tok.value === '.') {
      const attr = this.cur;
      this.next();
      if (attr.type === 'name') return { t: 'getattr', obj: node, attr: attr.value };
      if (attr.type === 'integer') return { t: 'getitem', obj: node, index: { t: 'const', v: attr.num } };
      this.fail('expected name or number', attr);
    }
    const args: Expr[] = [];
    while (!this.isOp(']')) {
      if (args.length) {
        this.expectOp(',');
        if (this.isOp(']')) break;
      }
      args.push(this.parseSubscribed());
    }
    this.expectOp(']');
    const index: Expr = args.length === 1 ? (args[0] as Expr) : { t: 'tuple', items: args };
    return { t: 'getitem', obj: node, index };
  }

  private parseSubscribed(): Expr {
    let start: Expr | null = null;
    if (this.isOp(':')) {
      this.next();
    } else {
      const e = this.parseExpression();
      if (!this.isOp(':')) return e;
      this.next();
      start = e;
    }
    let stop: Expr | null = null;
    let step: Expr | null = null;
    if (!this.isOp(']') && !this.isOp(',') && !this.isOp(':')) stop = this.parseExpression();
    if (this.skipOp(':')) {
      if (!this.isOp(']') && !this.isOp(',')) step = this.parseExpression();
    }
    return { t: 'slice', start, stop, step };
  }

  private parseCallArgs(): { args: Expr[]; kwargs: Array<[string, Expr]>; star: Expr | null; dstar: Expr | null } {
    const tok = this.expectOp('(');
    const args: Expr[] = [];
    const kwargs: Array<[string, Expr]> = [];
    let star: Expr | null = null;
    let dstar: Expr | null = null;
    let first = true;
    while (!this.isOp(')')) {
      if (!first) {
        this.expectOp(',');
        if (this.isOp(')')) break;
      }
      first = false;
      if (this.skipOp('**')) {
        if (dstar) this.fail('Invalid argument syntax', tok);
        dstar = this.parseExpression();
      } else if (this.skipOp('*')) {
        if (star || dstar) this.fail('Invalid argument syntax', tok);
        star = this.parseExpression();
      } else if (this.cur.type === 'name' && this.peek().type === 'op' && this.peek().value === '=') {
        if (dstar) this.fail('Invalid argument syntax', tok);
        const key = this.next().value;
        this.next();
        kwargs.push([key, this.parseExpression()]);
      } else {
        if (star || dstar || kwargs.length) this.fail('Invalid argument syntax', tok);
        args.push(this.parseExpression());
      }
    }
    this.expectOp(')');
    return { args, kwargs, star, dstar };
  }

  private parseCall(node: Expr): Expr {
    const { args, kwargs, star, dstar } = this.parseCallArgs();
    return { t: 'call', fn: node, args, kwargs, star, dstar };
  }

  private parseFilter(node: Expr): Expr {
    let name = this.expectName();
    while (this.isOp('.')) {
      this.next();
      name += '.' + this.expectName();
    }
    let args: Expr[] = [];
    let kwargs: Array<[string, Expr]> = [];
    if (this.isOp('(')) {
      const a = this.parseCallArgs();
      if (a.star || a.dstar) this.fail('*args / **kwargs in filter calls are not supported by this runtime');
      args = a.args;
      kwargs = a.kwargs;
    }
    this.filters.add(name);
    return { t: 'filter', node, name, args, kwargs };
  }

  private parseTest(node: Expr): Expr {
    this.next(); // is
    const negated = this.skipName('not');
    let name = this.expectName();
    while (this.isOp('.')) {
      this.next();
      name += '.' + this.expectName();
    }
    let args: Expr[] = [];
    let kwargs: Array<[string, Expr]> = [];
    const c = this.cur;
    if (this.isOp('(')) {
      const a = this.parseCallArgs();
      args = a.args;
      kwargs = a.kwargs;
    } else if (
      (['name', 'string', 'integer', 'float'].includes(c.type) || (c.type === 'op' && ['(', '[', '{'].includes(c.value))) &&
      !(c.type === 'name' && ['else', 'or', 'and'].includes(c.value))
    ) {
      if (c.type === 'name' && c.value === 'is') this.fail('You cannot chain multiple tests with is');
      args = [this.parsePostfix(this.parsePrimary())];
    }
    this.tests.add(name);
    const test: Expr = { t: 'test', node, name, args, kwargs };
    return negated ? { t: 'unary', op: 'not', node: test } : test;
  }
}

export function parseTemplate(source: string): ParsedTemplate {
  const p = new Parser(tokenize(source));
  const body = p.parseTemplate();
  return { body, filters: p.filters, tests: p.tests };
}

/** Parses a standalone expression (used by tests and tools). */
export function parseExpressionSource(source: string): Expr {
  const p = new Parser(tokenize(`{{ ${source} }}`));
  const body = p.parseTemplate();
  const first = body[0];
  if (body.length !== 1 || first?.t !== 'output') throw new TemplateSyntaxError('not a single expression', 1, 1);
  return first.expr;
}
