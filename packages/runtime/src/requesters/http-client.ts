import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { type UndiciCore, loadUndiciCore } from './undici-core.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Milliseconds before the whole exchange is abandoned (then retried as transient). */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** The raw body. Decoders turn it into records. */
  body: Buffer;
  url: string;
  request: HttpRequest;
  /** The body as UTF-8 text (decoded once, on first use). */
  text(): string;
}

export interface HttpClient {
  send(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse>;
  close(): Promise<void>;
}

export interface UndiciHttpClientOptions {
  connections?: number;
  timeoutMs?: number;
  /**
   * Called once undici's modules (and the built-in modules they load: net, http, tls…) are
   * loaded, before the first connection compiles undici's WebAssembly HTTP parser. The CLI sets
   * V8's --liftoff-only here rather than at start-up: a V8 flag changed earlier makes V8 reject
   * node's code cache for every built-in module loaded afterwards (~25 of them, compiled from
   * source on every read).
   */
  onLoaded?: () => void;
}

/**
 * HTTP transport on undici: one keep-alive pool per origin (undici's Agent keeps them), no
 * retries, no redirects policy of its own beyond following them, bodies read whole per page.
 * Retry semantics are ours and live in the requester.
 */
export class UndiciHttpClient implements HttpClient {
  // undici is loaded on first use: `spec` never sends a request and should not pay for it.
  private client: Promise<{ undici: UndiciCore; agent: Dispatcher }> | undefined;
  private readonly turns = new ResponseTurns();
  /** Requests sent whose responses are not all read yet. */
  private inFlight = 0;

  constructor(private readonly options: UndiciHttpClientOptions = {}) {}

  private connect(): Promise<{ undici: UndiciCore; agent: Dispatcher }> {
    this.client ??= loadUndiciCore().then((undici) => {
      this.options.onLoaded?.();
      // Python's requests follows redirects; so do we.
      const agent = new undici.Agent({
        connections: this.options.connections ?? 16,
        keepAliveTimeout: 10_000,
        headersTimeout: this.options.timeoutMs ?? 300_000,
        bodyTimeout: this.options.timeoutMs ?? 300_000,
      }).compose(undici.redirect({ maxRedirections: 10 }));
      return { undici, agent };
    });
    return this.client;
  }

  async send(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
    const { undici, agent } = await this.connect();
    const url = new URL(req.url);
    this.inFlight += 1;
    let response: Dispatcher.ResponseData;
    let body: Buffer;
    try {
      response = await undici.request.call(agent, {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body,
        signal,
      });
      const chunks: Buffer[] = [];
      for await (const chunk of response.body) chunks.push(chunk as Buffer);
      body = Buffer.concat(chunks);
    } finally {
      this.inFlight -= 1;
    }
    // Turns only matter when other requests are waiting to be written; a read of one slice at a
    // time would pay ~1 ms a page for them on a slow event loop.
    if (this.inFlight > 0 || this.turns.pending) await this.turns.next();
    return makeResponse(req, response.statusCode, flattenHeaders(response.headers), body);
  }

  async close(): Promise<void> {
    if (this.client) await (await this.client).agent.close();
  }
}

/**
 * Hands responses back one per turn of the event loop, with a turn between two of them.
 *
 * undici writes a request on a reused keep-alive connection only at the event loop's next check
 * phase (it first lets bytes already pending on the idle socket be read, GHSA-35p6-xmwp-9g52),
 * and frees a connection a turn after its response. When the responses of several slices read at
 * once arrive together, the reader would process all their pages in one turn, and every slice's
 * next request would wait for all of them. One response per turn, and a turn for the writes
 * between two, lets a slice's next request leave as soon as its own page is processed: 10 slices
 * at 50 ms latency (bench `concurrency`) finish their 100 requests ~130 ms sooner (the 90th
 * percentile of the wait between a response and its slice's next request: 97 → 43 ms). A turn
 * costs microseconds.
 */
class ResponseTurns {
  private last: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Whether responses are still queued for their turn. */
  get pending(): boolean {
    return this.waiting > 0;
  }

  next(): Promise<unknown> {
    this.waiting += 1;
    const mine = this.last.then(() => nextTurn()).finally(() => (this.waiting -= 1));
    // Chained on `mine` at once, so this turn is queued before anything the caller does with
    // the response (such as sending its next request) and the next response comes a turn later.
    this.last = mine.then(() => nextTurn());
    return mine;
  }
}

export function makeResponse(
  req: HttpRequest,
  status: number,
  headers: Record<string, string>,
  body: Buffer,
): HttpResponse {
  let text: string | undefined;
  return {
    status,
    headers,
    body,
    url: req.url,
    request: req,
    text() {
      text ??= body.toString('utf8');
      return text;
    },
  };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
