import { RuntimeError } from '../errors/runtime-error.js';
import { stringifyJson } from '../protocol/stringify-json.js';

/** What a component contributes to an outgoing request. Merged by `mergeRequestOptions`. */
export interface RequestOptions {
  params: Record<string, unknown>;
  headers: Record<string, unknown>;
  bodyJson: Record<string, unknown> | undefined;
  bodyData: Record<string, unknown> | string | undefined;
}

export function emptyOptions(): RequestOptions {
  return { params: {}, headers: {}, bodyJson: undefined, bodyData: undefined };
}

export type InjectInto = 'request_parameter' | 'header' | 'body_data' | 'body_json';

/** A RequestOption from the manifest: where a value goes (`field_name` or nested `field_path`). */
export interface RequestOptionSpec {
  inject_into: InjectInto;
  field_name?: string;
  field_path?: string[];
}

/** Places `value` where the option says, in `target` (mutated and returned). */
export function injectValue(
  option: { inject_into: InjectInto; fieldName?: string; fieldPath?: string[] },
  value: unknown,
  target: RequestOptions,
): RequestOptions {
  const name = option.fieldName ?? option.fieldPath?.[0] ?? '';
  switch (option.inject_into) {
    case 'request_parameter':
      target.params[name] = value;
      break;
    case 'header':
      target.headers[name] = value;
      break;
    case 'body_data': {
      if (typeof target.bodyData === 'string') throw conflict('body_data', name);
      target.bodyData = { ...(target.bodyData ?? {}), [name]: value };
      break;
    }
    case 'body_json': {
      const body = (target.bodyJson ??= {});
      const path = option.fieldPath ?? [name];
      let node: Record<string, unknown> = body;
      for (const key of path.slice(0, -1)) {
        const next = node[key];
        node = (typeof next === 'object' && next !== null ? next : (node[key] = {})) as Record<string, unknown>;
      }
      node[path[path.length - 1] ?? name] = value;
      break;
    }
  }
  return target;
}

/**
 * Merges options from several components (requester, authenticator, paginator, partition
 * router, cursor). As in the CDK, a key set twice is an error, except nested JSON-body keys
 * that carry the same value.
 */
export function mergeRequestOptions(parts: Array<Partial<RequestOptions> | undefined>): RequestOptions {
  const merged = emptyOptions();
  for (const part of parts) {
    if (!part) continue;
    mergeFlat(merged.params, part.params, 'request parameter');
    mergeFlat(merged.headers, part.headers, 'header');
    if (part.bodyJson && Object.keys(part.bodyJson).length > 0) {
      merged.bodyJson = mergeDeep(merged.bodyJson ?? {}, part.bodyJson, []);
    }
    if (part.bodyData !== undefined && !(typeof part.bodyData === 'object' && Object.keys(part.bodyData).length === 0)) {
      if (typeof part.bodyData === 'string' || typeof merged.bodyData === 'string') {
        if (merged.bodyData !== undefined && part.bodyData !== '') {
          throw new RuntimeError('HTTP_SYSTEM', 'cannot combine a string request body with other body options');
        }
        if (part.bodyData !== '') merged.bodyData = part.bodyData;
      } else {
        merged.bodyData ??= {};
        mergeFlat(merged.bodyData as Record<string, unknown>, part.bodyData, 'body field');
      }
    }
  }
  return merged;
}

function mergeFlat(target: Record<string, unknown>, source: Record<string, unknown> | undefined, what: string): void {
  if (!source) return;
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined || value === null) continue;
    if (key in target) throw conflict(what, key);
    target[key] = value;
  }
}

function mergeDeep(target: Record<string, unknown>, source: Record<string, unknown>, path: string[]): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined || value === null) continue;
    const existing = target[key];
    if (existing === undefined) {
      target[key] = value;
    } else if (isPlainObject(existing) && isPlainObject(value)) {
      mergeDeep(existing, value, [...path, key]);
    } else if (stringifyJson(existing) !== stringifyJson(value)) {
      throw conflict('JSON body field', [...path, key].join('.'));
    }
  }
  return target;
}

function conflict(what: string, key: string): RuntimeError {
  return new RuntimeError(
    'MANIFEST_INVALID',
    `the ${what} '${key}' is set by more than one component (requester, authenticator, paginator, partition router or cursor)`,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
