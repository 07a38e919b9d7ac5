import { compilePythonRegex } from '../error-handlers/python-compat.js';
import { stringifyJson } from '../protocol/stringify-json.js';

/** The request as the budget sees it. */
export interface BudgetRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

export interface RegexMatcherOptions {
  method?: string;
  urlBase?: string;
  urlPathPattern?: string;
  params?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  weight?: number;
}

/** A Python `str()` of a manifest scalar, so `params: {limit: 100}` matches `?limit=100`. */
function pyStr(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : stringifyJson(value);
}

/** Query parameters as Python's `dict(parse_qsl(query))`: blank values dropped, last one wins. */
function queryParams(search: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(search)) {
    if (value !== '') params.set(key, value);
  }
  return params;
}

/**
 * HttpRequestRegexMatcher. Every criterion given must hold:
 *  - method: equal, case-insensitively;
 *  - url_base: equal to the request's `scheme://host[:port]` (trailing slash ignored). Like the
 *    CDK, a url_base with a path never matches, and it is not interpolated;
 *  - url_path_pattern: a regex found anywhere in the path (trailing slash removed);
 *  - params: each present in the query string with that value;
 *  - headers: each present with that value (names case-insensitive).
 */
export class HttpRequestRegexMatcher {
  readonly weight: number | undefined;
  private readonly method: string | undefined;
  private readonly urlBase: string | undefined;
  private readonly pathPattern: RegExp | undefined;
  private readonly params: [string, string][];
  private readonly headers: [string, string][];

  constructor(options: RegexMatcherOptions = {}) {
    if (options.weight !== undefined && !(Number.isInteger(options.weight) && options.weight >= 1)) {
      throw new Error(`weight must be an integer >= 1, got ${options.weight}`);
    }
    this.weight = options.weight;
    this.method = options.method ? options.method.toUpperCase() : undefined;
    this.urlBase = options.urlBase ? options.urlBase.replace(/\/+$/, '') : undefined;
    this.pathPattern = options.urlPathPattern ? compilePythonRegex(options.urlPathPattern) : undefined;
    this.params = Object.entries(options.params ?? {}).map(([key, value]) => [key, pyStr(value)]);
    this.headers = Object.entries(options.headers ?? {}).map(([key, value]) => [key.toLowerCase(), pyStr(value)]);
  }

  matches(request: BudgetRequest): boolean {
    if (this.method !== undefined && request.method.toUpperCase() !== this.method) return false;
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return false;
    }
    if (this.urlBase !== undefined && `${url.protocol}//${url.host}` !== this.urlBase) return false;
    if (this.pathPattern !== undefined) {
      this.pathPattern.lastIndex = 0;
      if (!this.pathPattern.test(url.pathname.replace(/\/+$/, ''))) return false;
    }
    if (this.params.length > 0) {
      const query = queryParams(url.search);
      if (!this.params.every(([key, value]) => query.get(key) === value)) return false;
    }
    if (this.headers.length > 0) {
      const lower = new Map(Object.entries(request.headers).map(([key, value]) => [key.toLowerCase(), value]));
      if (!this.headers.every(([key, value]) => lower.get(key) === value)) return false;
    }
    return true;
  }
}
