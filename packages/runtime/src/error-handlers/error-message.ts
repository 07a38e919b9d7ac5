import type { HttpResponse } from '../requesters/http-client.js';

/** Keys tried, in order, when looking for an error message in a JSON error body (as the CDK does). */
const MESSAGE_KEYS = [
  'message',
  'messages',
  'error',
  'errors',
  'failures',
  'failure',
  'detail',
  'err',
  'error_message',
  'msg',
  'reason',
  'status_message',
] as const;

const parsedBodies = new WeakMap<HttpResponse, { ok: boolean; value: unknown }>();

function parse(response: HttpResponse): { ok: boolean; value: unknown } {
  let parsed = parsedBodies.get(response);
  if (!parsed) {
    try {
      parsed = { ok: true, value: JSON.parse(response.text()) as unknown };
    } catch {
      parsed = { ok: false, value: undefined };
    }
    parsedBodies.set(response, parsed);
  }
  return parsed;
}

/** The body as JSON, or `{}` when it is not JSON: the `response` that filter templates see. */
export function responseJson(response: HttpResponse): unknown {
  const parsed = parse(response);
  return parsed.ok ? parsed.value : {};
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function find(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    return value
      .map(find)
      .filter((text): text is string => text !== undefined)
      .join(', ');
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of MESSAGE_KEYS) {
      if (!isEmpty(record[key])) return find(record[key]);
    }
    // Every key empty: Python's `a or b or ...` ends on the last value, which is empty too.
    return find(record[MESSAGE_KEYS[MESSAGE_KEYS.length - 1]!]);
  }
  return undefined;
}

/**
 * The API's own error message from a response: for a JSON body, the first non-empty of the
 * usual keys (message, error, errors, detail...), descending into objects and joining lists with
 * ", "; for a body that is not JSON, the body text itself.
 */
export function parseErrorMessage(response: HttpResponse): string | undefined {
  const parsed = parse(response);
  return parsed.ok ? find(parsed.value) : response.text();
}

/**
 * Response headers for templates: lower-cased on our side, but looked up case-insensitively like
 * the CDK's `response.headers`, so `headers['X-RateLimit-Reset']` works.
 */
export function templateHeaders(headers: Record<string, string>): Record<string, string> {
  return new Proxy(headers, {
    get: (target, key, receiver) =>
      Reflect.get(target, typeof key === 'string' ? key.toLowerCase() : key, receiver) as unknown,
    has: (target, key) => Reflect.has(target, typeof key === 'string' ? key.toLowerCase() : key),
    getOwnPropertyDescriptor: (target, key) =>
      Reflect.getOwnPropertyDescriptor(target, typeof key === 'string' ? key.toLowerCase() : key),
  });
}

/** The extra template context of a response: `response` (JSON body or {}) and `headers`. */
export function responseContext(response: HttpResponse): Record<string, unknown> {
  return { response: responseJson(response), headers: templateHeaders(response.headers) };
}
