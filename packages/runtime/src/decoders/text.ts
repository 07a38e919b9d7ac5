import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { RuntimeError } from '../errors/runtime-error.js';
import { type HttpResponse, makeResponse } from '../requesters/http-client.js';

/** A decode failure: the requester retries it as a transient error. */
export function decodeError(message: string, cause?: unknown): RuntimeError {
  return new RuntimeError('HTTP_DECODE', message, cause === undefined ? {} : { cause });
}

/**
 * The same response with another body (what a decompressing decoder hands to its inner decoder).
 * The body is no longer transport-encoded, so Content-Encoding goes.
 */
export function withBody(response: HttpResponse, body: Buffer): HttpResponse {
  const { 'content-encoding': _dropped, ...headers } = response.headers;
  return makeResponse(response.request, response.status, headers, body);
}

/**
 * The body without its transport encoding (Content-Encoding gzip / deflate / br), as `requests`
 * hands it to the CDK's decoders. gzip is undone only when the body starts with the gzip magic
 * bytes; deflate and br only when they inflate (a body the HTTP client already decoded passes).
 */
export function transportBody(response: HttpResponse): Buffer {
  const header = response.headers['content-encoding'];
  if (!header) return response.body;
  let body = response.body;
  const codings = header
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter(Boolean)
    .reverse();
  for (const coding of codings) {
    if (coding === 'gzip' || coding === 'x-gzip') {
      if (body.length < 2 || body[0] !== 0x1f || body[1] !== 0x8b) break;
      try {
        body = gunzipSync(body);
      } catch (error) {
        throw decodeError(`response body is not a valid gzip stream: ${(error as Error).message}`, error);
      }
    } else if (coding === 'deflate') {
      const inflated = attempt(() => inflateSync(body)) ?? attempt(() => inflateRawSync(body));
      if (!inflated) break;
      body = inflated;
    } else if (coding === 'br') {
      const inflated = attempt(() => brotliDecompressSync(body));
      if (!inflated) break;
      body = inflated;
    } else if (coding !== 'identity') break;
  }
  return body;
}

function attempt(run: () => Buffer): Buffer | undefined {
  try {
    return run();
  } catch {
    return undefined;
  }
}

/** Python codec names as manifests spell them, mapped to how we decode them. */
type Codec =
  | { kind: 'node'; encoding: 'utf8' | 'latin1' | 'utf16le'; stripBom: boolean; ascii?: boolean }
  | { kind: 'cp1252' }
  | { kind: 'web'; label: string };

// Bytes 0x80-0x9f of Windows-1252 (Node 20's TextDecoder drops them); '' marks the five undefined ones.
const CP1252_HIGH = [
  '€', '', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '', 'Ž', '',
  '', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '', 'ž', 'Ÿ',
];

function decodeCp1252(body: Buffer, lenient: boolean): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (byte < 0x80 || byte > 0x9f) out += String.fromCharCode(byte);
    else {
      const ch = CP1252_HIGH[byte - 0x80]!;
      if (ch === '' && !lenient) throw new Error(`byte 0x${byte.toString(16)} at position ${i} is undefined in cp1252`);
      out += ch === '' ? '\ufffd' : ch;
    }
  }
  return out;
}

const PYTHON_ALIASES: Record<string, Codec> = {
  'utf-8': { kind: 'node', encoding: 'utf8', stripBom: false },
  utf8: { kind: 'node', encoding: 'utf8', stripBom: false },
  utf: { kind: 'node', encoding: 'utf8', stripBom: false },
  u8: { kind: 'node', encoding: 'utf8', stripBom: false },
  cp65001: { kind: 'node', encoding: 'utf8', stripBom: false },
  'utf-8-sig': { kind: 'node', encoding: 'utf8', stripBom: true },
  'utf8-sig': { kind: 'node', encoding: 'utf8', stripBom: true },
  'latin-1': { kind: 'node', encoding: 'latin1', stripBom: false },
  latin1: { kind: 'node', encoding: 'latin1', stripBom: false },
  'iso-8859-1': { kind: 'node', encoding: 'latin1', stripBom: false },
  'iso8859-1': { kind: 'node', encoding: 'latin1', stripBom: false },
  l1: { kind: 'node', encoding: 'latin1', stripBom: false },
  ascii: { kind: 'node', encoding: 'latin1', stripBom: false, ascii: true },
  'us-ascii': { kind: 'node', encoding: 'latin1', stripBom: false, ascii: true },
  'utf-16-le': { kind: 'node', encoding: 'utf16le', stripBom: false },
  'utf-16le': { kind: 'node', encoding: 'utf16le', stripBom: false },
  cp1252: { kind: 'cp1252' },
  'windows-1252': { kind: 'cp1252' },
};

/**
 * Checks an encoding name at build time; throws a plain Error for an unknown one (the builder turns
 * it into MANIFEST_INVALID).
 */
export function resolveCodec(encoding: string): Codec {
  const name = encoding.trim().toLowerCase().replace(/_/g, '-');
  const known = PYTHON_ALIASES[name];
  if (known) return known;
  for (const label of [encoding.trim().toLowerCase(), name]) {
    try {
      new TextDecoder(label);
      return { kind: 'web', label };
    } catch {
      // try the next spelling
    }
  }
  throw new Error(`unknown text encoding '${encoding}'`);
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Bytes to text, strictly: bytes that are not valid in the encoding are an HTTP_DECODE error (the CDK
 * would raise UnicodeDecodeError too). A UTF-8 byte order mark is kept for `utf-8`, as Python does,
 * and dropped for `utf-8-sig`.
 */
export function decodeText(body: Buffer, encoding = 'utf-8'): string {
  let codec: Codec;
  try {
    codec = resolveCodec(encoding);
  } catch (error) {
    throw decodeError((error as Error).message);
  }
  try {
    if (codec.kind === 'web') return new TextDecoder(codec.label, { fatal: true }).decode(body);
    if (codec.kind === 'cp1252') return decodeCp1252(body, false);
    if (codec.encoding === 'utf8') {
      const text = fatalUtf8.decode(body);
      return codec.stripBom && text.startsWith('\ufeff') ? text.slice(1) : text;
    }
    if (codec.ascii) {
      const bad = body.findIndex((byte) => byte > 0x7f);
      if (bad >= 0) throw new Error(`byte 0x${body[bad]!.toString(16)} at position ${bad} is not ASCII`);
    }
    return body.toString(codec.encoding);
  } catch (error) {
    throw decodeError(`response body is not valid ${encoding} text: ${(error as Error).message}`, error);
  }
}

/** The charset parameter of a Content-Type header, if any. */
export function charsetOf(response: HttpResponse): string | undefined {
  const contentType = response.headers['content-type'];
  const match = contentType ? /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType) : null;
  return match?.[1];
}

/** Sets an own property, safe for keys such as `__proto__` that plain assignment would misread. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * Bytes to text the way `requests`' `response.text` does: the charset's codec (UTF-8 when it is
 * unknown), with undecodable bytes replaced by U+FFFD rather than failing.
 */
export function decodeTextLenient(body: Buffer, charset: string | undefined): string {
  let codec: Codec;
  try {
    codec = resolveCodec(charset ?? 'utf-8');
  } catch {
    codec = { kind: 'node', encoding: 'utf8', stripBom: false };
  }
  if (codec.kind === 'web') return new TextDecoder(codec.label).decode(body);
  if (codec.kind === 'cp1252') return decodeCp1252(body, true);
  if (codec.encoding === 'utf8') return new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
  return body.toString(codec.encoding);
}
