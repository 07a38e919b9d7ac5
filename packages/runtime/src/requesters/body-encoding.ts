import { RuntimeError } from '../errors/runtime-error.js';

/**
 * Request bodies byte for byte as the python CDK sends them through `requests`: JSON is
 * `json.dumps` with its defaults (", " and ": " separators, non-ASCII escaped), a mapping of
 * form data is `urlencode(..., doseq=True)` (quote_plus), and a string is sent as it is.
 */

/** Methods `requests` is given a body for by the CDK's HttpClient (DELETE is not among them). */
export const BODY_METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH']);

export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return pythonJsonString(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    return `{${entries.map(([key, item]) => `${pythonJsonString(key)}: ${pythonJsonDumps(item)}`).join(', ')}}`;
  }
  return pythonJsonString(String(value));
}

function pythonNumber(value: number): string {
  if (!Number.isFinite(value)) {
    // requests calls json.dumps with allow_nan=False.
    throw new RuntimeError('MANIFEST_INVALID', `the JSON request body contains ${String(value)}, which JSON cannot carry`);
  }
  // A whole number is taken as a Python int (YAML and JSON do not tell 1 from 1.0 here).
  if (Number.isInteger(value)) return Object.is(value, -0) ? '0' : String(value);
  // Python's float repr: shortest round-trip digits, scientific below 1e-4 and from 1e16.
  const [mantissa = '', exp = '0'] = value.toExponential().split('e');
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}

function pythonJsonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const char = text[i] as string;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char === '\b') out += '\\b';
    else if (char === '\f') out += '\\f';
    // ensure_ascii: everything outside space..~ as \uXXXX (UTF-16 units, so astral chars become a pair).
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** Python's urllib quote_plus: unreserved characters kept, space as '+', the rest %XX of UTF-8. */
export function quotePlus(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.~-]/.test(char)) out += char;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * `requests` form encoding of a mapping: a None value is left out, a list gives the key once per
 * item, other values are Python's str() of them.
 */
export function pythonFormEncode(data: Record<string, unknown>, str: (value: unknown) => string): string {
  const pairs: string[] = [];
  for (const [key, raw] of Object.entries(data)) {
    const items = Array.isArray(raw) ? raw : [raw];
    for (const item of items) {
      if (item === null || item === undefined) continue;
      pairs.push(`${quotePlus(key)}=${quotePlus(str(item))}`);
    }
  }
  return pairs.join('&');
}
