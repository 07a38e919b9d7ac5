import anyAsciiModule from 'any-ascii';
import type { Json } from '../context.js';
import { pyStr } from '../interpolation/index.js';
import type { Template } from './templates.js';
import type { RecordContext, RecordTransformation } from './transformation.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else target[key] = value;
}

/** Replaces the record's content with `next`, keeping the same object. */
function replaceContent(record: Json, next: Record<string, unknown>): void {
  for (const key of Object.keys(record)) delete record[key];
  for (const [key, value] of Object.entries(next)) setKey(record, key, value);
}

/**
 * KeysToLower: lower-cases the record's top-level keys (not nested ones, as in the CDK), moving each
 * key as the CDK does (`record[key.lower()] = record.pop(key)`), in key order. When two keys
 * collide, the outcome follows that order (the CDK's follows Python's set order, which varies).
 */
export class KeysToLower implements RecordTransformation {
  transform(record: Json, _context?: RecordContext): void {
    for (const key of Object.keys(record)) {
      const value = record[key];
      delete record[key];
      setKey(record, key.toLowerCase(), value);
    }
  }
}

type Transliterate = (text: string) => string;

// The CDK transliterates keys with the `anyascii` package; any-ascii is its JavaScript port.
const anyAscii: Transliterate | undefined = anyAsciiModule;

// Letters that do not decompose under NFKD, spelled as any-ascii spells them.
const LATIN_EXTRAS: Record<string, string> = {
  ß: 'ss',
  ẞ: 'Ss',
  Æ: 'Ae',
  æ: 'ae',
  Ø: 'O',
  ø: 'o',
  Œ: 'Oe',
  œ: 'oe',
  Đ: 'D',
  đ: 'd',
  Ð: 'D',
  ð: 'd',
  Ł: 'L',
  ł: 'l',
  Þ: 'Th',
  þ: 'th',
  ı: 'i',
  Ħ: 'H',
  ħ: 'h',
  Ŋ: 'Ng',
  ŋ: 'ng',
  ĸ: 'q',
  ŉ: "'n",
  ſ: 's',
  ƒ: 'f',
  ǝ: 'e',
  ə: 'e',
  Ə: 'E',
  Ŧ: 'T',
  ŧ: 't',
};

export function toAscii(text: string): string {
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  if (anyAscii) return anyAscii(text);
  let out = '';
  for (const ch of text) {
    const extra = LATIN_EXTRAS[ch];
    if (extra !== undefined) out += extra;
    else if (ch.charCodeAt(0) < 0x80) out += ch;
    else out += ch.normalize('NFKD').replace(/[^\x00-\x7f]/g, '');
  }
  return out;
}

const TOKEN = /[A-Z]+[a-z]*|[a-z]+|\d+|([^a-zA-Z\d]+)/g;

/** The CDK's snake-case key: transliterate, tokenise, drop inner separators, join with `_`. */
export function snakeCaseKey(key: string): string {
  const ascii = toAscii(key);
  let tokens: string[] = [];
  for (const match of ascii.matchAll(TOKEN)) tokens.push(match[1] === undefined ? match[0] : '');
  if (tokens.length >= 3) {
    tokens = [tokens[0]!, ...tokens.slice(1, -1).filter((token) => token !== ''), tokens[tokens.length - 1]!];
  }
  if (tokens.length > 0 && /^\d+$/.test(tokens[0]!)) tokens.unshift('');
  return tokens.map((token) => token.toLowerCase()).join('_');
}

function snakeObject(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    setKey(out, snakeCaseKey(key), isObject(item) ? snakeObject(item) : item);
  }
  return out;
}

/** KeysToSnakeCase: every key of the record and of nested objects (not objects inside lists). */
export class KeysToSnakeCase implements RecordTransformation {
  transform(record: Json, _context?: RecordContext): void {
    replaceContent(record, snakeObject(record));
  }
}

/**
 * KeysReplace: replaces every occurrence of `old` by `new` in the keys of the record and of nested
 * objects (not objects inside lists). Both are templates evaluated per record (`record`,
 * `stream_slice`) and then turned into text as Python's str() would.
 */
export class KeysReplace implements RecordTransformation {
  constructor(
    private readonly oldText: Template,
    private readonly newText: Template,
    private readonly config: Json,
  ) {}

  transform(record: Json, context: RecordContext): void {
    const extra = { record, stream_slice: context.stream_slice };
    const from = pyStr(this.oldText.eval(this.config, extra));
    const to = pyStr(this.newText.eval(this.config, extra));
    const rename = (value: Record<string, unknown>): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        setKey(out, key.replaceAll(from, () => to), isObject(item) ? rename(item) : item);
      }
      return out;
    };
    replaceContent(record, rename(record));
  }
}
