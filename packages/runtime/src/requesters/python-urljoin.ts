/**
 * Python's `urllib.parse.urljoin`, which the CDK uses to put `url_base` and `path` together.
 * It is not RFC 3986 resolution (what `new URL(path, base)` does): for a relative path it drops
 * empty segments, so `https://h.com/api//` + `v1//users` is `https://h.com/api/v1/users`. A
 * config value with a trailing slash (`https://h.com/`) feeding `{{ config.url }}/api` must give
 * the URL Airbyte requests, not one with `//` that some servers answer with 404.
 */
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
/** Schemes urljoin resolves relative references for (the http family here). */
const RELATIVE = new Set(['', 'http', 'https', 'ws', 'wss', 'ftp', 'file']);

interface SplitUrl {
  scheme: string;
  netloc: string | undefined;
  path: string;
  query: string | undefined;
  fragment: string | undefined;
}

function split(url: string, defaultScheme: string): SplitUrl {
  let rest = url;
  let scheme = defaultScheme;
  const match = SCHEME.exec(rest);
  if (match) {
    scheme = match[1]!.toLowerCase();
    rest = rest.slice(match[0].length);
  }
  let netloc: string | undefined;
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end === -1 ? rest.slice(2) : rest.slice(2, end + 2);
    rest = end === -1 ? '' : rest.slice(end + 2);
  }
  let fragment: string | undefined;
  const hash = rest.indexOf('#');
  if (hash !== -1) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let query: string | undefined;
  const question = rest.indexOf('?');
  if (question !== -1) {
    query = rest.slice(question + 1);
    rest = rest.slice(0, question);
  }
  return { scheme, netloc, path: rest, query, fragment };
}

function unsplit(u: SplitUrl): string {
  let out = u.scheme ? `${u.scheme}:` : '';
  if (u.netloc !== undefined && (u.netloc !== '' || u.scheme)) out += `//${u.netloc}`;
  // As urlunsplit: a path under a host starts with '/' (when `..` climbed above the root).
  out += u.netloc !== undefined && u.path && !u.path.startsWith('/') ? `/${u.path}` : u.path;
  if (u.query) out += `?${u.query}`;
  if (u.fragment) out += `#${u.fragment}`;
  return out;
}

export function pythonUrljoin(base: string, url: string): string {
  if (!base) return url;
  if (!url) return base;
  const b = split(base, '');
  const u = split(url, b.scheme);
  if (u.scheme !== b.scheme || !RELATIVE.has(u.scheme)) return url;
  if (u.netloc) return unsplit(u);
  const netloc = b.netloc;
  if (!u.path) {
    return unsplit({ scheme: u.scheme, netloc, path: b.path, query: u.query || b.query, fragment: u.fragment });
  }
  const baseParts = b.path.split('/');
  if (baseParts[baseParts.length - 1] !== '') baseParts.pop();
  let segments: string[];
  if (u.path.startsWith('/')) {
    segments = u.path.split('/');
  } else {
    segments = [...baseParts, ...u.path.split('/')];
    segments = [segments[0]!, ...segments.slice(1, -1).filter((s) => s !== ''), ...(segments.length > 1 ? [segments[segments.length - 1]!] : [])];
  }
  const resolved: string[] = [];
  for (const segment of segments) {
    if (segment === '..') resolved.pop();
    else if (segment !== '.') resolved.push(segment);
  }
  const last = segments[segments.length - 1];
  if (last === '.' || last === '..') resolved.push('');
  return unsplit({ scheme: u.scheme, netloc, path: resolved.join('/') || '/', query: u.query, fragment: u.fragment });
}
