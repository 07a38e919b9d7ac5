/**
 * A small mock HTTP API for end-to-end tests of connectors and the runtime.
 *
 * It listens on 127.0.0.1 (port 0 = a free port) and serves routes declared as
 * plain data or handlers, logs every request, and can inject the faults a real
 * API produces: slow responses, rate limits, truncated bodies, reset sockets,
 * HTML error pages and chunked streams.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface MockRequest {
  method: string;
  /** The path as received, without the query string (still percent-encoded). */
  path: string;
  /** Path + query exactly as received. */
  url: string;
  /** Query parameters; a key repeated in the query becomes an array. */
  query: Record<string, string | string[]>;
  /** Request headers, lower-cased names (as node:http gives them). */
  headers: Record<string, string | string[] | undefined>;
  /** The raw request body as UTF-8 text ('' when none). */
  body: string;
  /** The parsed body if it is JSON, else undefined. */
  json: unknown;
  /** The parsed body if it is application/x-www-form-urlencoded (a repeated key keeps its last value). */
  form: Record<string, string> | undefined;
  /** Route parameters (`/users/:id` → `{ id }`, named groups of a RegExp route); `{}` when unmatched. */
  params: Record<string, string>;
}

export interface MockResponse {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /**
   * Objects, arrays, numbers, booleans and null are sent as JSON with content-type
   * application/json; a string or Buffer is sent raw (text/plain or
   * application/octet-stream unless a content-type header is given); undefined sends no body.
   */
  body?: unknown;
  /** Wait this long before responding. */
  delayMs?: number;
  /** Fault: send the headers (with the full content-length) and only the first N bytes of the body, then destroy the socket. */
  truncateAt?: number;
  /** Fault: destroy the socket (TCP reset) without any response. */
  reset?: boolean;
  /** Stream these pieces (chunked transfer encoding) with small delays between them; `body` is then ignored. */
  chunks?: Array<string | Buffer>;
  /** Delay between chunks, default 10 ms. */
  chunkDelayMs?: number;
}

export interface MockContext {
  /** 1-based count of calls to this route since it was added or since reset(). */
  callCount: number;
}

export type MockHandler = (req: MockRequest, ctx: MockContext) => MockResponse | Promise<MockResponse>;

export interface MockRoute {
  /** Default: any method. Case-insensitive. */
  method?: string;
  /** An exact path, a path with `:params` like `/users/:id`, or a RegExp tested against the path (named groups become params). */
  path: string | RegExp;
  handler?: MockHandler;
  response?: MockResponse;
  /** Served in order; the last one repeats. */
  responses?: MockResponse[];
}

export interface MockApi {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Every request in arrival order (including unmatched ones). Cleared in place by reset(). */
  requests: MockRequest[];
  /** Logged requests whose path matches (same matching rules as routes). */
  requestsTo(path: string | RegExp): MockRequest[];
  /** Add a route at runtime. Routes added later take precedence over earlier ones. */
  route(r: MockRoute): void;
  /** Clear the request log and every route's call count. */
  reset(): void;
  /** Stop the server, dropping open (keep-alive or in-flight) connections. */
  close(): Promise<void>;
}

export interface MockApiOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
}

type PathMatcher = (path: string) => Record<string, string> | undefined;

interface RouteEntry {
  method: string | undefined;
  match: PathMatcher;
  route: MockRoute;
  calls: number;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Compile a route path (exact, `:param` or RegExp) into a matcher returning params or undefined. */
export function compilePath(path: string | RegExp): PathMatcher {
  if (path instanceof RegExp) {
    // Strip the g/y flags: they make test() stateful.
    const re = new RegExp(path.source, path.flags.replace(/[gy]/g, ''));
    return (p) => {
      const m = re.exec(p);
      if (!m) return undefined;
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) params[k] = safeDecode(v);
      return params;
    };
  }
  if (!path.includes(':')) return (p) => (p === path ? {} : undefined);
  const names: string[] = [];
  const source = path
    .split('/')
    .map((seg) => {
      const m = /^:([A-Za-z_$][\w$]*)$/.exec(seg);
      if (m) {
        names.push(m[1] as string);
        return '([^/]+)';
      }
      return escapeRegExp(seg);
    })
    .join('/');
  const re = new RegExp(`^${source}$`);
  return (p) => {
    const m = re.exec(p);
    if (!m) return undefined;
    const params: Record<string, string> = {};
    names.forEach((n, i) => {
      params[n] = safeDecode(m[i + 1] as string);
    });
    return params;
  };
}

function parseQuery(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev, v];
  }
  return out;
}

function contentTypeOf(headers: Record<string, string | string[] | undefined>): string {
  const ct = headers['content-type'];
  return (Array.isArray(ct) ? ct[0] : ct)?.toLowerCase() ?? '';
}

function buildRequest(req: IncomingMessage, body: string): MockRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const search = q === -1 ? '' : url.slice(q + 1);
  const headers: Record<string, string | string[] | undefined> = { ...req.headers };
  const ct = contentTypeOf(headers);
  let json: unknown;
  let form: Record<string, string> | undefined;
  if (ct.includes('application/x-www-form-urlencoded')) {
    form = Object.fromEntries(new URLSearchParams(body));
  } else if (body.trim() !== '' && (ct === '' || ct.includes('json'))) {
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
  }
  return { method: (req.method ?? 'GET').toUpperCase(), path, url, query: parseQuery(search), headers, body, json, form, params: {} };
}

function encodeBody(body: unknown): { buf: Buffer; contentType: string | undefined } {
  if (body === undefined) return { buf: Buffer.alloc(0), contentType: undefined };
  if (Buffer.isBuffer(body)) return { buf: body, contentType: 'application/octet-stream' };
  if (body instanceof Uint8Array) return { buf: Buffer.from(body), contentType: 'application/octet-stream' };
  if (typeof body === 'string') return { buf: Buffer.from(body, 'utf8'), contentType: 'text/plain; charset=utf-8' };
  return { buf: Buffer.from(JSON.stringify(body), 'utf8'), contentType: 'application/json' };
}

function lowerHeaders(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = String(v);
  return out;
}

function resetSocket(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

/** Start a mock API on 127.0.0.1 (a free port unless given). */
export async function startMockApi(routes: MockRoute[] = [], opts: MockApiOptions = {}): Promise<MockApi> {
  const host = opts.host ?? '127.0.0.1';
  const entries: RouteEntry[] = [];
  const requests: MockRequest[] = [];
  const timers = new Map<NodeJS.Timeout, () => void>();
  let closed = false;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (ms <= 0) return resolve();
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.set(t, resolve);
    });

  const addRoute = (r: MockRoute): void => {
    if (r.responses !== undefined && r.responses.length === 0) throw new Error('mock route: responses must not be empty');
    entries.push({ method: r.method?.toUpperCase(), match: compilePath(r.path), route: r, calls: 0 });
  };
  routes.forEach(addRoute);

  const find = (method: string, path: string): { entry: RouteEntry; params: Record<string, string> } | undefined => {
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i] as RouteEntry;
      if (entry.method !== undefined && entry.method !== method) continue;
      const params = entry.match(path);
      if (params) return { entry, params };
    }
    return undefined;
  };

  const respondFor = async (entry: RouteEntry, mreq: MockRequest): Promise<MockResponse> => {
    entry.calls += 1;
    const { route } = entry;
    if (route.handler) return route.handler(mreq, { callCount: entry.calls });
    if (route.responses) return route.responses[Math.min(entry.calls, route.responses.length) - 1] as MockResponse;
    return route.response ?? { status: 200 };
  };

  const send = async (req: IncomingMessage, res: ServerResponse, r: MockResponse): Promise<void> => {
    if (r.delayMs) await sleep(r.delayMs);
    const socket = req.socket;
    if (closed || res.destroyed || socket.destroyed) return;
    if (r.reset) {
      resetSocket(socket);
      return;
    }
    const status = r.status ?? 200;
    const headers = lowerHeaders(r.headers);

    if (r.chunks) {
      const pieces = r.chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c));
      if (!('content-type' in headers)) {
        try {
          JSON.parse(Buffer.concat(pieces).toString('utf8'));
          headers['content-type'] = 'application/json';
        } catch {
          // not JSON: leave the content-type unset
        }
      }
      delete headers['content-length'];
      res.writeHead(status, headers);
      res.flushHeaders();
      for (const piece of pieces) {
        await sleep(r.chunkDelayMs ?? 10);
        if (closed || res.destroyed) return;
        res.write(piece);
      }
      res.end();
      return;
    }

    const { buf, contentType } = encodeBody(r.body);
    if (!('content-type' in headers) && contentType) headers['content-type'] = contentType;

    if (r.truncateAt !== undefined) {
      // Write raw HTTP bytes so we fully control what reaches the wire, then kill the socket.
      headers['content-length'] = String(buf.length);
      headers['connection'] = 'close';
      const head =
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n` +
        Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('') +
        '\r\n';
      const n = Math.max(0, Math.min(Math.floor(r.truncateAt), buf.length));
      socket.write(Buffer.concat([Buffer.from(head, 'latin1'), buf.subarray(0, n)]), () => socket.destroy());
      return;
    }

    headers['content-length'] = String(buf.length);
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : buf);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => undefined);
    req.on('end', () => {
      const mreq = buildRequest(req, Buffer.concat(chunks).toString('utf8'));
      requests.push(mreq);
      const found = find(mreq.method, mreq.path);
      const work = async (): Promise<void> => {
        if (!found) {
          await send(req, res, { status: 404, body: { error: `no mock route for ${mreq.method} ${mreq.path}` } });
          return;
        }
        mreq.params = found.params;
        let response: MockResponse;
        try {
          response = await respondFor(found.entry, mreq);
        } catch (err) {
          response = { status: 500, body: { error: `mock handler threw: ${err instanceof Error ? err.message : String(err)}` } };
        }
        await send(req, res, response);
      };
      work().catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: `mock server error: ${err instanceof Error ? err.message : String(err)}` }));
        } else {
          res.destroy();
        }
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('mock api: unexpected server address');
  const port = addr.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    requests,
    requestsTo(path) {
      const match = compilePath(path);
      return requests.filter((r) => match(r.path) !== undefined);
    },
    route: addRoute,
    reset() {
      requests.length = 0;
      for (const e of entries) e.calls = 0;
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      // Wake pending delays so their handlers see `closed` and give up.
      for (const [t, wake] of timers) {
        clearTimeout(t);
        wake();
      }
      timers.clear();
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
