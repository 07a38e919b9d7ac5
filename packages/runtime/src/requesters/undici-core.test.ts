import { createRequire } from 'node:module';
import { startMockApi } from '@manifold/testkit';
import { describe, expect, it } from 'vitest';
import { UndiciHttpClient } from './http-client.js';
import { loadUndiciCore } from './undici-core.js';

describe('undici core (deep imports instead of the index)', () => {
  it('finds Agent, the redirect interceptor and the request API in the installed undici', async () => {
    const core = await loadUndiciCore();
    const undici = createRequire(import.meta.url)('undici') as typeof import('undici');
    // The same objects the index exports: an upgrade that moves them fails here.
    expect(core.Agent).toBe(undici.Agent);
    expect(core.redirect).toBe(undici.interceptors.redirect);
    expect(typeof core.request).toBe('function');
  });

  it('sends method, path with query, headers and body; follows redirects; reads the whole body', async () => {
    const api = await startMockApi([
      { method: 'GET', path: '/old', response: { status: 302, headers: { location: '/new?x=1' }, body: '' } },
      { method: 'GET', path: '/new', handler: (req) => ({ body: { query: req.query } }) },
      { method: 'POST', path: '/echo', handler: (req) => ({ body: { body: req.body, header: req.headers['x-test'] } }) },
    ]);
    const client = new UndiciHttpClient();
    try {
      const redirected = await client.send({ method: 'GET', url: `${api.url}/old`, headers: {} });
      expect(redirected.status).toBe(200);
      expect(JSON.parse(redirected.text())).toEqual({ query: { x: '1' } });
      const posted = await client.send({
        method: 'POST',
        url: `${api.url}/echo?a=b%20c`,
        headers: { 'x-test': 'yes', 'content-type': 'application/json' },
        body: '{"k": 1}',
      });
      expect(posted.status).toBe(200);
      expect(JSON.parse(posted.text()).header).toBe('yes');
      expect(api.requests.at(-1)?.url).toBe('/echo?a=b%20c');
    } finally {
      await client.close();
      await api.close();
    }
  });
});
