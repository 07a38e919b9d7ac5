import type { HttpResponse } from '../requesters/http-client.js';
import type { Decoder } from './decoder.js';
import { charsetOf, decodeError, decodeTextLenient, setOwn, transportBody } from './text.js';

/** A malformed document; the decoder turns it into HTTP_DECODE. */
export class XmlSyntaxError extends Error {
  constructor(message: string, position: number, text: string) {
    const before = text.slice(0, position);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n');
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'XmlSyntaxError';
  }
}

type Item = Record<string, unknown> | null;

interface Frame {
  name: string;
  item: Item;
  data: string[];
}

const NAME = /[A-Za-z_:\u00C0-\uFFFF][\w.\-:\u00B7\u00C0-\uFFFF]*/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Parses XML into the shape Python's xmltodict.parse gives with its defaults (what the CDK's
 * XmlDecoder uses): `{root: ...}`; attributes as `@name`; an element's text as `#text` when it also
 * has attributes or children, or as the element's value otherwise; text is stripped and
 * whitespace-only text dropped; an empty element is null; a repeated child becomes a list; comments
 * and processing instructions are ignored; names keep their namespace prefixes.
 */
export function parseXml(source: string): Record<string, unknown> {
  const text = source.replace(/\r\n?/g, '\n');
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (message: string, at = pos): never => {
    throw new XmlSyntaxError(message, at, text);
  };
  const document: Frame = { name: '', item: null, data: [] };
  const stack: Frame[] = [];
  let current = document;
  let rootSeen = false;

  const readName = (): string => {
    NAME.lastIndex = pos;
    const match = NAME.exec(text);
    if (!match) return fail('not well-formed (invalid token)');
    pos += match[0].length;
    return match[0];
  };
  const skipSpace = (): void => {
    while (pos < text.length && /[ \t\n]/.test(text[pos]!)) pos++;
  };
  const decodeEntities = (raw: string, start: number): string =>
    raw.replace(/&([^;&\s]*);?/g, (whole, name: string, offset: number) => {
      if (!whole.endsWith(';')) return fail('not well-formed (invalid token)', start + offset);
      if (name.startsWith('#x')) return codePoint(parseInt(name.slice(2), 16), start + offset);
      if (name.startsWith('#')) return codePoint(parseInt(name.slice(1), 10), start + offset);
      const value = PREDEFINED[name];
      return value ?? fail(`undefined entity &${name};`, start + offset);
    });
  const codePoint = (value: number, at: number): string => {
    if (!Number.isFinite(value) || value < 1 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
      return fail('reference to invalid character number', at);
    }
    return String.fromCodePoint(value);
  };
  const skipUntil = (terminator: string, what: string): void => {
    const end = text.indexOf(terminator, pos);
    if (end < 0) fail(`unclosed ${what}`);
    pos = end + terminator.length;
  };
  const skipDoctype = (): void => {
    let depth = 0;
    while (pos < text.length) {
      const c = text[pos++]!;
      if (c === '[') depth++;
      else if (c === ']') depth--;
      else if ((c === '"' || c === "'") && depth === 0) {
        const end = text.indexOf(c, pos);
        if (end < 0) break;
        pos = end + 1;
      } else if (c === '>' && depth <= 0) return;
    }
    fail('unclosed DOCTYPE');
  };

  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const chunkEnd = lt < 0 ? text.length : lt;
    if (chunkEnd > pos) {
      const raw = text.slice(pos, chunkEnd);
      if (stack.length === 0) {
        if (raw.trim() !== '') fail(rootSeen ? 'junk after document element' : 'syntax error');
      } else {
        if (raw.includes(']]>')) fail('not well-formed (invalid token)', pos + raw.indexOf(']]>'));
        current.data.push(decodeEntities(raw, pos));
      }
      pos = chunkEnd;
      continue;
    }
    // At '<'.
    if (text.startsWith('<!--', pos)) {
      pos += 4;
      skipUntil('-->', 'comment');
    } else if (text.startsWith('<![CDATA[', pos)) {
      if (stack.length === 0) fail('syntax error');
      const end = text.indexOf(']]>', pos + 9);
      if (end < 0) fail('unclosed CDATA section');
      current.data.push(text.slice(pos + 9, end));
      pos = end + 3;
    } else if (text.startsWith('<?', pos)) {
      pos += 2;
      skipUntil('?>', 'processing instruction');
    } else if (text.startsWith('<!DOCTYPE', pos)) {
      if (rootSeen || stack.length > 0) fail('syntax error');
      pos += 9;
      skipDoctype();
    } else if (text.startsWith('</', pos)) {
      const at = pos;
      pos += 2;
      const name = readName();
      skipSpace();
      if (text[pos] !== '>') fail('not well-formed (invalid token)');
      pos++;
      if (stack.length === 0 || current.name !== name) fail('mismatched tag', at);
      closeElement();
    } else {
      pos++;
      if (stack.length === 0 && rootSeen) fail('junk after document element', pos - 1);
      const name = readName();
      const attributes: Record<string, unknown> = {};
      let hasAttributes = false;
      for (;;) {
        const before = pos;
        skipSpace();
        if (text.startsWith('/>', pos) || text[pos] === '>') break;
        if (pos === before) fail('not well-formed (invalid token)');
        const attrName = readName();
        skipSpace();
        if (text[pos] !== '=') fail('not well-formed (invalid token)');
        pos++;
        skipSpace();
        const quote = text[pos];
        if (quote !== '"' && quote !== "'") fail('not well-formed (invalid token)');
        const end = text.indexOf(quote!, pos + 1);
        if (end < 0) fail('unclosed token');
        const raw = text.slice(pos + 1, end);
        if (raw.includes('<')) fail('not well-formed (invalid token)', pos + 1 + raw.indexOf('<'));
        const key = `@${attrName}`;
        if (Object.hasOwn(attributes, key)) fail('duplicate attribute', before);
        setOwn(attributes, key, decodeEntities(raw.replace(/[\t\n]/g, ' '), pos + 1));
        hasAttributes = true;
        pos = end + 1;
      }
      const selfClosing = text[pos] === '/';
      pos += selfClosing ? 2 : 1;
      stack.push(current);
      current = { name, item: hasAttributes ? attributes : null, data: [] };
      rootSeen = true;
      if (selfClosing) closeElement();
    }
  }
  if (stack.length > 0) fail('unclosed token');
  if (!rootSeen || document.item === null) fail('no element found');
  return document.item!;

  function closeElement(): void {
    const done = current;
    current = stack.pop()!;
    let data: string | null = done.data.length > 0 ? done.data.join('') : null;
    if (data) data = data.trim() || null;
    if (done.item !== null) {
      if (data) done.item = pushData(done.item, '#text', data);
      current.item = pushData(current.item, done.name, done.item);
    } else {
      current.item = pushData(current.item, done.name, data);
    }
  }
}

/** The encoding named by the XML declaration, when the document starts with one. */
function declaredEncoding(body: Buffer): string | undefined {
  const head = body.subarray(0, 200).toString('latin1');
  return /^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
}

function pushData(item: Item, key: string, data: unknown): Record<string, unknown> {
  const target = item ?? {};
  if (Object.hasOwn(target, key)) {
    const existing = target[key];
    if (Array.isArray(existing)) existing.push(data);
    else setOwn(target, key, [existing, data]);
  } else {
    setOwn(target, key, data);
  }
  return target;
}

/**
 * XML bodies, one body: the document as xmltodict shapes it. The text is decoded like `requests`'
 * response.text (Content-Type charset, undecodable bytes replaced), except that without a charset
 * we follow the XML declaration's encoding, else UTF-8 (requests assumes ISO-8859-1 for text/*
 * and guesses otherwise). Stricter than the CDK: a malformed document throws HTTP_DECODE
 * where the CDK logs a warning and yields `{}`; an empty body still yields `{}`.
 */
export class XmlDecoder implements Decoder {
  decode(response: HttpResponse): unknown[] {
    const body = transportBody(response);
    const text = decodeTextLenient(body, charsetOf(response) ?? declaredEncoding(body));
    if (text.replace(/^\ufeff/, '').trim() === '') return [{}];
    try {
      return [parseXml(text)];
    } catch (error) {
      if (error instanceof XmlSyntaxError) {
        throw decodeError(`response body is not well-formed XML: ${error.message}`, error);
      }
      throw error;
    }
  }
}
