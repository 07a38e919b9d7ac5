/**
 * A JSON parser that keeps integers exact. JSON.parse turns every number into a double, so an id
 * such as 12345678901234567890 silently becomes 12345678901234567000; Python's json module keeps it
 * an int. Here an integer literal (no fraction, no exponent) outside the safe range becomes a
 * BigInt; every other number is a plain number, exactly as JSON.parse gives it.
 *
 * It is the slow path: callers use JSON.parse unless `mayHoldUnsafeInteger` says the text has a
 * run of digits long enough to be an unsafe integer. Like the Python json module (and
 * parseJsonText), the bare tokens NaN, Infinity and -Infinity are accepted; they become null.
 */

/** Fewest digits an integer beyond 2^53 has (9007199254740993); shorter runs are always safe. */
const UNSAFE_DIGITS = 16;

/**
 * Cheap test on the raw text: does it hold a run of 16+ digits? False means JSON.parse loses
 * nothing. Any such run covers one of every 16th position, so only those are looked at, and the
 * run is measured around a digit found there: about 4× faster than /\d{16}/ on a page of records,
 * which matters because every page pays it.
 */
export function mayHoldUnsafeInteger(text: string): boolean {
  const length = text.length;
  for (let pos = UNSAFE_DIGITS - 1; pos < length; pos += UNSAFE_DIGITS) {
    if (!isDigit(text.charCodeAt(pos))) continue;
    let start = pos;
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start -= 1;
    let end = pos + 1;
    while (end < length && isDigit(text.charCodeAt(end))) end += 1;
    if (end - start >= UNSAFE_DIGITS) return true;
  }
  return false;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** Parses JSON text; throws a SyntaxError naming the position when it is not JSON. */
export function parseJsonLossless(text: string): unknown {
  return new LosslessParser(text).parseDocument();
}

/** JSON.parse, unless the text may hold an integer beyond 2^53: then the lossless parser (for programs reading protocol lines). */
export function parseJsonExact(text: string): unknown {
  return mayHoldUnsafeInteger(text) ? parseJsonLossless(text) : JSON.parse(text);
}

class LosslessParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    this.skipWhitespace();
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail('unexpected non-whitespace character after JSON');
    return value;
  }

  private fail(what: string): never {
    throw new SyntaxError(`${what} at position ${this.pos} (line ${this.lineAt(this.pos)})`);
  }

  private lineAt(pos: number): number {
    let line = 1;
    for (let i = 0; i < pos && i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) line += 1;
    return line;
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
      pos += 1;
    }
    this.pos = pos;
  }

  private parseValue(): unknown {
    const c = this.text.charCodeAt(this.pos);
    if (c === 123 /* { */) return this.parseObject();
    if (c === 91 /* [ */) return this.parseArray();
    if (c === 34 /* " */) return this.parseString();
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      if (this.text.startsWith('-Infinity', this.pos)) return this.literal('-Infinity', null);
      return this.parseNumber();
    }
    if (c === 116 /* t */) return this.literal('true', true);
    if (c === 102 /* f */) return this.literal('false', false);
    if (c === 110 /* n */) return this.literal('null', null);
    if (c === 78 /* N */) return this.literal('NaN', null);
    if (c === 73 /* I */) return this.literal('Infinity', null);
    return this.fail(this.pos >= this.text.length ? 'unexpected end of JSON input' : `unexpected token ${JSON.stringify(this.text[this.pos])}`);
  }

  private literal(word: string, value: unknown): unknown {
    if (!this.text.startsWith(word, this.pos)) this.fail(`unexpected token ${JSON.stringify(this.text[this.pos])}`);
    this.pos += word.length;
    return value;
  }

  private parseObject(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos += 1;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 125 /* } */) {
      this.pos += 1;
      return out;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== 34) this.fail('expected a property name in double quotes');
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 58 /* : */) this.fail("expected ':' after a property name");
      this.pos += 1;
      this.skipWhitespace();
      const value = this.parseValue();
      // `__proto__` is an ordinary key in JSON, as with JSON.parse.
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      this.pos += 1;
      if (c === 125 /* } */) return out;
      if (c !== 44 /* , */) {
        this.pos -= 1;
        this.fail("expected ',' or '}' after a property value");
      }
      this.skipWhitespace();
    }
  }

  private parseArray(): unknown[] {
    const out: unknown[] = [];
    this.pos += 1;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 93 /* ] */) {
      this.pos += 1;
      return out;
    }
    for (;;) {
      out.push(this.parseValue());
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      this.pos += 1;
      if (c === 93 /* ] */) return out;
      if (c !== 44 /* , */) {
        this.pos -= 1;
        this.fail("expected ',' or ']' after an array element");
      }
      this.skipWhitespace();
    }
  }

  /** A string literal; escapes and control characters are left to JSON.parse of that literal alone. */
  private parseString(): string {
    const text = this.text;
    const start = this.pos;
    let pos = start + 1;
    let plain = true;
    for (;;) {
      if (pos >= text.length) {
        this.pos = pos;
        this.fail('unterminated string');
      }
      const c = text.charCodeAt(pos);
      if (c === 34) break;
      if (c === 92 /* \ */) {
        plain = false;
        pos += 2;
        continue;
      }
      if (c < 32) plain = false;
      pos += 1;
    }
    this.pos = pos + 1;
    if (plain) return text.slice(start + 1, pos);
    try {
      return JSON.parse(text.slice(start, pos + 1)) as string;
    } catch (error) {
      this.pos = start;
      return this.fail(`bad string literal (${(error as Error).message})`);
    }
  }

  private parseNumber(): number | bigint {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    if (text.charCodeAt(pos) === 45) pos += 1;
    const intStart = pos;
    while (isDigit(text.charCodeAt(pos))) pos += 1;
    const intDigits = pos - intStart;
    if (intDigits === 0 || (intDigits > 1 && text.charCodeAt(intStart) === 48)) {
      this.pos = intStart;
      this.fail('bad number');
    }
    let integral = true;
    if (text.charCodeAt(pos) === 46 /* . */) {
      integral = false;
      pos += 1;
      const fracStart = pos;
      while (isDigit(text.charCodeAt(pos))) pos += 1;
      if (pos === fracStart) {
        this.pos = pos;
        this.fail('bad number: no digit after the decimal point');
      }
    }
    const e = text.charCodeAt(pos);
    if (e === 101 || e === 69 /* e E */) {
      integral = false;
      pos += 1;
      const s = text.charCodeAt(pos);
      if (s === 43 || s === 45) pos += 1;
      const expStart = pos;
      while (isDigit(text.charCodeAt(pos))) pos += 1;
      if (pos === expStart) {
        this.pos = pos;
        this.fail('bad number: no digit in the exponent');
      }
    }
    this.pos = pos;
    const literal = text.slice(start, pos);
    if (integral && intDigits >= 16) {
      const big = BigInt(literal);
      if (big > MAX_SAFE || big < MIN_SAFE) return big;
    }
    return Number(literal);
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
