import { afterEach, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { faults } from './faults.js';
import { startMockApi, type MockApi, type MockRoute } from './mock-api.js';

let api: MockApi | undefined;

async function start(routes?: MockRoute[]): Promise<MockApi> {
  api = await startMockApi(routes);
  return api;
}

afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('startMockApi basics', () => {
  it('listens on 127.0.0.1 with a free port', async () => {
    const a = await start();
    expect(a.port).toBeGreaterThan(0);
    expect(a.url).toBe(`http://127.0.0.1:${a.port}`);
  });

  it('serves an object body as JSON with status 200', async () => {
    const a = await start([{ path: '/users', response: { body: [{ id: 1 }] } }]);
    const res = await fetch(`${a.url}/users`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual([{ id: 1 }]);
  });

  it('sends strings and Buffers raw, honours status and headers', async () => {
    const a = await start([
      { path: '/text', response: { status: 201, body: 'hello', headers: { 'X-Thing': 'yes' } } },
      { path: '/bin', response: { body: Buffer.from([1, 2, 3]) } },
      { path: '/csv', response: { body: 'a,b\n1,2\n', headers: { 'Content-Type': 'text/csv' } } },
      { path: '/empty', response: { status: 204 } },
    ]);
    const t = await fetch(`${a.url}/text`);
    expect(t.status).toBe(201);
    expect(t.headers.get('x-thing')).toBe('yes');
    expect(t.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await t.text()).toBe('hello');
    const b = await fetch(`${a.url}/bin`);
    expect(b.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await b.arrayBuffer())]).toEqual([1, 2, 3]);
    const c = await fetch(`${a.url}/csv`);
    expect(c.headers.get('content-type')).toBe('text/csv');
    expect(await c.text()).toBe('a,b\n1,2\n');
    const e = await fetch(`${a.url}/empty`);
    expect(e.status).toBe(204);
    expect(await e.text()).toBe('');
  });

  it('answers unmatched requests with 404 JSON and still logs them', async () => {
    const a = await start([{ path: '/users', response: { body: [] } }]);
    const res = await fetch(`${a.url}/x?y=1`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'no mock route for GET /x' });
    const post = await fetch(`${a.url}/users`, { method: 'DELETE' }).then((r) => r.status);
    expect(post).toBe(200); // method defaults to any
    expect(a.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /x?y=1', 'DELETE /users']);
  });

  it('returns 500 with the message when a handler throws', async () => {
    const a = await start([
      {
        path: '/boom',
        handler: () => {
          throw new Error('kaput');
        },
      },
    ]);
    const res = await fetch(`${a.url}/boom`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'mock handler threw: kaput' });
  });

  it('rejects an empty responses list', async () => {
    const a = await start();
    expect(() => a.route({ path: '/x', responses: [] })).toThrow(/responses/);
  });
});

describe('routing', () => {
  it('matches by method (case-insensitive) and exact path', async () => {
    const a = await start([
      { method: 'get', path: '/items', response: { body: 'get' } },
      { method: 'POST', path: '/items', response: { body: 'post' } },
    ]);
    expect(await fetch(`${a.url}/items`).then((r) => r.text())).toBe('get');
    expect(await fetch(`${a.url}/items`, { method: 'POST', body: '{}' }).then((r) => r.text())).toBe('post');
    expect((await fetch(`${a.url}/items`, { method: 'PUT' })).status).toBe(404);
    expect((await fetch(`${a.url}/items/`)).status).toBe(404);
    expect((await fetch(`${a.url}/items/1`)).status).toBe(404);
  });

  it('exposes :params (decoded) to handlers as req.params', async () => {
    const a = await start([
      { path: '/users/:id/repos/:repo', handler: (req) => ({ body: { params: req.params } }) },
    ]);
    const body = await fetch(`${a.url}/users/42/repos/my%20repo`).then((r) => r.json());
    expect(body).toEqual({ params: { id: '42', repo: 'my repo' } });
    expect((await fetch(`${a.url}/users/42/repos`)).status).toBe(404);
    expect(a.requests[0]?.params).toEqual({ id: '42', repo: 'my repo' });
  });

  it('matches RegExp routes against the path; named groups become params', async () => {
    const a = await start([{ path: /^\/v(?<version>\d+)\/things$/g, handler: (req) => ({ body: req.params }) }]);
    expect(await fetch(`${a.url}/v2/things?x=1`).then((r) => r.json())).toEqual({ version: '2' });
    // the g flag must not make matching stateful
    expect(await fetch(`${a.url}/v3/things`).then((r) => r.json())).toEqual({ version: '3' });
    expect((await fetch(`${a.url}/v/things`)).status).toBe(404);
  });

  it('lets routes added at runtime override earlier ones', async () => {
    const a = await start([{ path: '/status', response: { body: { ok: true } } }]);
    expect(await fetch(`${a.url}/status`).then((r) => r.json())).toEqual({ ok: true });
    a.route({ path: '/status', response: { status: 503, body: { ok: false } } });
    const res = await fetch(`${a.url}/status`);
    expect(res.status).toBe(503);
    a.route({ path: '/new', response: { body: 'new' } });
    expect(await fetch(`${a.url}/new`).then((r) => r.text())).toBe('new');
  });

  it('serves a 200 with no body for a route without response', async () => {
    const a = await start([{ path: '/ping' }]);
    const res = await fetch(`${a.url}/ping`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('request parsing', () => {
  it('parses the query, keeping repeated keys as arrays', async () => {
    const a = await start([{ path: '/q', response: { body: {} } }]);
    await fetch(`${a.url}/q?a=1&b=x%20y&a=2&a=3&empty=&plus=a+b`);
    const req = a.requests[0];
    expect(req?.path).toBe('/q');
    expect(req?.url).toBe('/q?a=1&b=x%20y&a=2&a=3&empty=&plus=a+b');
    expect(req?.query).toEqual({ a: ['1', '2', '3'], b: 'x y', empty: '', plus: 'a b' });
  });

  it('gives an empty query and body for a plain GET', async () => {
    const a = await start([{ path: '/q' }]);
    await fetch(`${a.url}/q`, { headers: { Authorization: 'Bearer t0k' } });
    const req = a.requests[0];
    expect(req?.query).toEqual({});
    expect(req?.body).toBe('');
    expect(req?.json).toBeUndefined();
    expect(req?.form).toBeUndefined();
    expect(req?.headers.authorization).toBe('Bearer t0k');
  });

  it('parses JSON bodies', async () => {
    const a = await start([{ method: 'POST', path: '/search', handler: (req) => ({ body: { got: req.json } }) }]);
    const res = await fetch(`${a.url}/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ q: 'x', n: [1, 2] }),
    });
    expect(await res.json()).toEqual({ got: { q: 'x', n: [1, 2] } });
    expect(a.requests[0]?.body).toBe('{"q":"x","n":[1,2]}');
    expect(a.requests[0]?.form).toBeUndefined();
  });

  it('leaves json undefined for invalid JSON and non-JSON content', async () => {
    const a = await start([{ path: '/p' }]);
    await fetch(`${a.url}/p`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    await fetch(`${a.url}/p`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"a":1}' });
    expect(a.requests[0]?.body).toBe('{nope');
    expect(a.requests[0]?.json).toBeUndefined();
    expect(a.requests[1]?.json).toBeUndefined();
  });

  it('parses x-www-form-urlencoded bodies into form', async () => {
    const a = await start([{ method: 'POST', path: '/oauth/token', response: { body: { access_token: 'abc', expires_in: 3600 } } }]);
    const res = await fetch(`${a.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'r 1', client_id: 'id' }),
    });
    expect(await res.json()).toEqual({ access_token: 'abc', expires_in: 3600 });
    const req = a.requests[0];
    expect(req?.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
    expect(req?.form).toEqual({ grant_type: 'refresh_token', refresh_token: 'r 1', client_id: 'id' });
    expect(req?.json).toBeUndefined();
  });
});

describe('sequences and call counts', () => {
  it('serves responses in order and repeats the last', async () => {
    const a = await start([{ path: '/s', responses: [{ status: 500 }, { status: 502 }, { body: { ok: 1 } }] }]);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${a.url}/s`)).status);
    expect(statuses).toEqual([500, 502, 200, 200, 200]);
  });

  it('passes a 1-based per-route callCount to handlers; reset() clears it and the log', async () => {
    const a = await start([
      { path: '/a', handler: (_req, ctx) => ({ body: { n: ctx.callCount } }) },
      { path: '/b', handler: (_req, ctx) => ({ body: { n: ctx.callCount } }) },
    ]);
    const get = (p: string): Promise<unknown> => fetch(`${a.url}${p}`).then((r) => r.json());
    expect(await get('/a')).toEqual({ n: 1 });
    expect(await get('/a')).toEqual({ n: 2 });
    expect(await get('/b')).toEqual({ n: 1 });
    const log = a.requests;
    expect(log).toHaveLength(3);
    a.reset();
    expect(a.requests).toHaveLength(0);
    expect(log).toBe(a.requests); // cleared in place
    expect(await get('/a')).toEqual({ n: 1 });
    expect(a.requests).toHaveLength(1);
  });

  it('supports async handlers', async () => {
    const a = await start([
      {
        path: '/async',
        handler: async (req) => {
          await new Promise((r) => setTimeout(r, 5));
          return { body: { echo: req.query.v } };
        },
      },
    ]);
    expect(await fetch(`${a.url}/async?v=1`).then((r) => r.json())).toEqual({ echo: '1' });
  });
});

describe('request log', () => {
  it('records every request in order and filters with requestsTo', async () => {
    const a = await start([
      { path: '/users/:id', response: { body: {} } },
      { path: '/orgs', response: { body: [] } },
    ]);
    await fetch(`${a.url}/users/1`);
    await fetch(`${a.url}/orgs?page=2`);
    await fetch(`${a.url}/users/2`, { method: 'PATCH', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    await fetch(`${a.url}/missing`);
    expect(a.requests.map((r) => r.path)).toEqual(['/users/1', '/orgs', '/users/2', '/missing']);
    expect(a.requestsTo('/users/:id').map((r) => r.method)).toEqual(['GET', 'PATCH']);
    expect(a.requestsTo('/users/2')[0]?.json).toEqual({ a: 1 });
    expect(a.requestsTo('/orgs')[0]?.query).toEqual({ page: '2' });
    expect(a.requestsTo(/^\/(orgs|missing)$/)).toHaveLength(2);
    expect(a.requestsTo('/nothing')).toEqual([]);
  });
});

describe('faults', () => {
  it('delays responses with delayMs and faults.slow', async () => {
    const a = await start([
      { path: '/slow', response: faults.slow(150, { body: { ok: true } }) },
      { path: '/d', response: { delayMs: 100, body: 'x' } },
    ]);
    let t = Date.now();
    expect(await fetch(`${a.url}/slow`).then((r) => r.json())).toEqual({ ok: true });
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    t = Date.now();
    await fetch(`${a.url}/d`).then((r) => r.text());
    expect(Date.now() - t).toBeGreaterThanOrEqual(90);
    expect(faults.slow(10, { delayMs: 5, status: 201 })).toEqual({ delayMs: 15, status: 201 });
  });

  it('lets a client time out on a slow response', async () => {
    const a = await start([{ path: '/slow', response: faults.slow(5_000, { body: {} }) }]);
    await expect(fetch(`${a.url}/slow`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
  });

  it('truncateAt sends the headers and N bytes, then kills the socket', async () => {
    const body = { data: Array.from({ length: 50 }, (_, i) => ({ id: i, name: `item ${i}` })) };
    const full = JSON.stringify(body);
    const a = await start([{ path: '/t', response: { body, truncateAt: 100 } }]);
    const res = await fetch(`${a.url}/t`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(full)));
    await expect(res.text()).rejects.toThrow();

    // at the raw level exactly 100 body bytes arrive before the connection ends abruptly
    const received = await new Promise<{ bytes: number; error: string | undefined }>((resolve) => {
      let bytes = 0;
      const req = httpRequest(`${a.url}/t`, (r) => {
        r.on('data', (c: Buffer) => (bytes += c.length));
        r.on('error', (e) => resolve({ bytes, error: e.message }));
        r.on('end', () => resolve({ bytes, error: undefined }));
      });
      req.on('error', (e) => resolve({ bytes, error: e.message }));
      req.end();
    });
    expect(received.bytes).toBe(100);
    expect(received.error).toBeDefined();
  });

  it('truncateAt 0 sends only headers', async () => {
    const a = await start([{ path: '/t0', response: { body: { a: 1 }, truncateAt: 0 } }]);
    const res = await fetch(`${a.url}/t0`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('reset destroys the socket without a response', async () => {
    const a = await start([{ path: '/r', responses: [{ reset: true }, { body: { ok: true } }] }]);
    const err = await fetch(`${a.url}/r`).then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    );
    expect(err).toBeInstanceOf(TypeError);
    expect(err?.cause?.code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    // the server keeps working afterwards, and the failed request was logged
    expect(await fetch(`${a.url}/r`).then((r) => r.json())).toEqual({ ok: true });
    expect(a.requestsTo('/r')).toHaveLength(2);
  });

  it('streams chunks with chunked transfer encoding', async () => {
    const a = await start([{ path: '/stream', response: { chunks: ['{"data":[', '{"id":1},', Buffer.from('{"id":2}'), ']}'], chunkDelayMs: 20 } }]);
    const t = Date.now();
    const res = await fetch(`${a.url}/stream`);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('content-type')).toBe('application/json');
    const reader = res.body!.getReader();
    const pieces: string[] = [];
    const dec = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pieces.push(dec.decode(value));
    }
    expect(pieces.length).toBeGreaterThan(1);
    expect(JSON.parse(pieces.join(''))).toEqual({ data: [{ id: 1 }, { id: 2 }] });
    expect(Date.now() - t).toBeGreaterThanOrEqual(60);
  });

  it('rateLimited with Retry-After in seconds, then the real response', async () => {
    const a = await start([{ path: '/rl', handler: faults.rateLimited(2, { body: { ok: true } }) }]);
    const first = await fetch(`${a.url}/rl`);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    await first.text();
    const second = await fetch(`${a.url}/rl`);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ ok: true });
  });

  it('rateLimited with an HTTP-date Retry-After, several times', async () => {
    const date = new Date(Date.UTC(2030, 0, 2, 3, 4, 5)).toUTCString();
    const a = await start([{ path: '/rl', handler: faults.rateLimited(date, { body: [] }, 3) }]);
    const statuses: number[] = [];
    const retryAfters: Array<string | null> = [];
    for (let i = 0; i < 4; i++) {
      const r = await fetch(`${a.url}/rl`);
      statuses.push(r.status);
      retryAfters.push(r.headers.get('retry-after'));
      await r.text();
    }
    expect(statuses).toEqual([429, 429, 429, 200]);
    expect(retryAfters.slice(0, 3)).toEqual([date, date, date]);
    expect(retryAfters[0]).toBe('Wed, 02 Jan 2030 03:04:05 GMT');
    expect(retryAfters[3]).toBeNull();
    // Date objects are formatted as HTTP dates
    const h = faults.rateLimited(new Date(Date.UTC(2030, 0, 2, 3, 4, 5)), {});
    expect(await h(a.requests[0]!, { callCount: 1 })).toMatchObject({ status: 429, headers: { 'retry-after': date } });
  });

  it('failTimes fails n times then succeeds', async () => {
    const a = await start([{ path: '/f', handler: faults.failTimes(2, { status: 503, body: { error: 'down' } }, { body: { ok: true } }) }]);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${a.url}/f`)).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
    a.reset();
    expect((await fetch(`${a.url}/f`)).status).toBe(503);
  });

  it('truncatedJson is a complete HTTP response with invalid JSON', async () => {
    const body = { data: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }] };
    const resp = faults.truncatedJson(body);
    const a = await start([{ path: '/tj', response: resp }, { path: '/tj9', response: faults.truncatedJson(body, 0.9) }]);
    const res = await fetch(`${a.url}/tj`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const text = await res.text(); // decodes fine
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    const full = JSON.stringify(body);
    expect(text).toBe(full.slice(0, Math.floor(full.length / 2)));
    expect(() => JSON.parse(text)).toThrow();
    const t9 = await fetch(`${a.url}/tj9`).then((r) => r.text());
    expect(t9.length).toBe(Math.floor(full.length * 0.9));
    expect(() => JSON.parse(t9)).toThrow();
    // extreme fractions still cut something off
    expect(faults.truncatedJson({ a: 1 }, 1).body).toBe('{"a":1');
    expect(faults.truncatedJson({ a: 1 }, 0).body).toBe('{');
  });

  it('html serves an HTML page where JSON is expected', async () => {
    const a = await start([{ path: '/h', response: faults.html() }, { path: '/h502', response: faults.html(502) }]);
    const res = await fetch(`${a.url}/h`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await res.text();
    expect(text).toMatch(/^<!DOCTYPE html>/);
    expect(() => JSON.parse(text)).toThrow();
    expect((await fetch(`${a.url}/h502`)).status).toBe(502);
  });
});

describe('close', () => {
  it('does not hang with keep-alive connections open', async () => {
    const a = await startMockApi([{ path: '/k', response: { body: { ok: true } } }]);
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${a.url}/k`);
      expect(r.headers.get('connection')).not.toBe('close');
      await r.json();
    }
    const t = Date.now();
    await a.close();
    expect(Date.now() - t).toBeLessThan(1_000);
    await a.close(); // idempotent
    await expect(fetch(`${a.url}/k`)).rejects.toThrow();
  });

  it('drops in-flight delayed requests', async () => {
    const a = await startMockApi([{ path: '/wait', response: { delayMs: 30_000, body: {} } }]);
    const pending = fetch(`${a.url}/wait`).then(
      () => 'resolved',
      () => 'rejected',
    );
    while (a.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const t = Date.now();
    await a.close();
    expect(Date.now() - t).toBeLessThan(1_000);
    expect(await pending).toBe('rejected');
  });

  it('can use a fixed port and host', async () => {
    const probe = await startMockApi();
    const port = probe.port;
    await probe.close();
    const a = await start([{ path: '/', response: { body: 'root' } }]);
    const b = await startMockApi([{ path: '/', response: { body: 'fixed' } }], { host: '127.0.0.1', port });
    try {
      expect(b.port).toBe(port);
      expect(await fetch(`${b.url}/`).then((r) => r.text())).toBe('fixed');
      expect(await fetch(`${a.url}/`).then((r) => r.text())).toBe('root');
      await expect(startMockApi([], { port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await b.close();
    }
  });
});
