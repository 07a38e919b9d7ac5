import type { HttpResponse } from '../requesters/http-client.js';
import type { Decoder } from './decoder.js';
import { mayHoldUnsafeInteger, parseJsonLossless } from './lossless-json.js';
import { decodeError, decodeText, transportBody } from './text.js';

/**
 * Parses JSON text as Python's json module does: like JSON.parse, plus the bare tokens NaN, Infinity
 * and -Infinity that Python accepts. Those become null (what the CDK writes for a non-finite float).
 * An integer beyond 2^53 comes back as a BigInt with its exact digits (Python keeps it an int);
 * only text with a run of 16+ digits takes that slower path.
 * Throws a SyntaxError when the text is not JSON.
 */
export function parseJsonText(text: string): unknown {
  if (mayHoldUnsafeInteger(text)) return parseJsonLossless(text);
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
    const sanitized = replaceNonFiniteTokens(text);
    if (sanitized === text) throw error;
    return JSON.parse(sanitized);
  }
}

/** Replaces NaN / Infinity / -Infinity outside string literals with null. */
function replaceNonFiniteTokens(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const rest = text.startsWith('-Infinity', i) ? 9 : text.startsWith('Infinity', i) ? 8 : text.startsWith('NaN', i) ? 3 : 0;
    if (rest > 0) {
      out += 'null';
      i += rest;
      continue;
    }
    out += ch;
    i += 1;
  }
  return out;
}

function describeJsonError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function snippet(text: string): string {
  const flat = text.length > 120 ? `${text.slice(0, 120)}…` : text;
  return JSON.stringify(flat);
}

/**
 * Parses a whole body as one JSON document, the CDK's JsonParser: a list yields its elements, any
 * other value yields itself; `null` and empty text are errors.
 */
export function parseJsonDocument(body: Buffer, encoding = 'utf-8'): unknown[] {
  const text = stripBom(decodeText(body, encoding));
  if (text.trim() === '') throw decodeError('response body is empty where a JSON document was expected');
  let value: unknown;
  try {
    value = parseJsonText(text);
  } catch (error) {
    throw decodeError(`response body is not valid JSON (${describeJsonError(error)}): ${snippet(text)}`, error);
  }
  if (value === null) throw decodeError('response body is the JSON value null');
  return Array.isArray(value) ? value : [value];
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export interface JsonDecoderOptions {
  /**
   * The CDK's top-level JsonDecoder yields one empty object when the body decodes to nothing (empty
   * body, `[]`, `null`). As the inner decoder of a GzipDecoder / ZipfileDecoder the CDK uses its
   * plain JsonParser instead, which yields nothing for `[]` and fails on an empty body.
   */
  emptyAsObject?: boolean;
}

/**
 * JSON bodies. A top-level list yields each element as a body; an object yields itself.
 * Stricter than the CDK: a non-empty body that is not JSON (or not UTF-8) throws HTTP_DECODE where
 * the CDK yields `{}`; a UTF-8 byte order mark is skipped where the CDK's parse would fail.
 */
export class JsonDecoder implements Decoder {
  private readonly emptyAsObject: boolean;

  constructor(options: JsonDecoderOptions = {}) {
    this.emptyAsObject = options.emptyAsObject ?? true;
  }

  decode(response: HttpResponse): unknown[] {
    return this.parse(transportBody(response));
  }

  parse(body: Buffer): unknown[] {
    if (!this.emptyAsObject) return parseJsonDocument(body);
    const text = stripBom(decodeText(body, 'utf-8'));
    if (text.trim() === '') return [{}];
    let value: unknown;
    try {
      value = parseJsonText(text);
    } catch (error) {
      throw decodeError(`response body is not valid JSON (${describeJsonError(error)}): ${snippet(text)}`, error);
    }
    if (value === null) return [{}];
    if (Array.isArray(value)) return value.length === 0 ? [{}] : value;
    return [value];
  }
}

/**
 * JSON Lines: one body per line. Blank lines are skipped; a line that is not JSON throws HTTP_DECODE
 * (the CDK logs a warning and drops the line).
 */
export class JsonlDecoder implements Decoder {
  decode(response: HttpResponse): Iterable<unknown> {
    return this.parse(transportBody(response));
  }

  *parse(body: Buffer): Iterable<unknown> {
    const text = stripBom(decodeText(body, 'utf-8'));
    let start = 0;
    let lineNumber = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, end);
      lineNumber += 1;
      start = end + 1;
      if (line.trim() === '') continue;
      try {
        yield parseJsonText(line);
      } catch (error) {
        throw decodeError(`line ${lineNumber} of the JSON Lines body is not JSON (${describeJsonError(error)}): ${snippet(line)}`, error);
      }
    }
  }
}

/**
 * The CDK's JsonItemsDecoder: yields each element of the array at `items_path`, an ijson prefix
 * (dot-separated keys; a segment `item` also steps into every element of an array). The CDK streams
 * the document; we parse the page whole.
 */
export class JsonItemsDecoder implements Decoder {
  private readonly segments: string[];

  constructor(
    itemsPath: string,
    private readonly encoding = 'utf-8',
  ) {
    if (!itemsPath) throw new Error('JsonItemsDecoder needs a non-empty items_path');
    this.segments = [...itemsPath.split('.'), 'item'];
  }

  decode(response: HttpResponse): unknown[] {
    return this.parse(transportBody(response));
  }

  parse(body: Buffer): unknown[] {
    const text = stripBom(decodeText(body, this.encoding));
    if (text.trim() === '') return [];
    let document: unknown;
    try {
      document = parseJsonText(text);
    } catch (error) {
      throw decodeError(`response body is not valid JSON (${describeJsonError(error)}): ${snippet(text)}`, error);
    }
    const out: unknown[] = [];
    collectItems(document, this.segments, 0, out);
    return out;
  }
}

function collectItems(value: unknown, segments: readonly string[], index: number, out: unknown[]): void {
  if (index === segments.length) {
    out.push(value);
    return;
  }
  const segment = segments[index]!;
  if (Array.isArray(value)) {
    if (segment !== 'item') return;
    for (const element of value) collectItems(element, segments, index + 1, out);
  } else if (typeof value === 'object' && value !== null && Object.hasOwn(value, segment)) {
    collectItems((value as Record<string, unknown>)[segment], segments, index + 1, out);
  }
}

/** Each line of the body wrapped as `{"record": line}`; lines split on \n, \r\n or \r. */
export class IterableDecoder implements Decoder {
  decode(response: HttpResponse): unknown[] {
    return this.parse(transportBody(response));
  }

  parse(body: Buffer): unknown[] {
    const text = decodeText(body, 'utf-8');
    if (text === '') return [];
    const lines = text.split(/\r\n|\r|\n/);
    if (lines[lines.length - 1] === '') lines.pop();
    return lines.map((line) => ({ record: line }));
  }
}
