import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockApi, type MockApi } from './mock-api.js';
import { paginate } from './paginate.js';

const items = Array.from({ length: 7 }, (_, i) => ({ id: i + 1 }));
const ids = (xs: unknown): number[] => (xs as Array<{ id: number }>).map((x) => x.id);

let api: MockApi;

beforeAll(async () => {
  api = await startMockApi([
    { path: '/page', handler: paginate(items, { style: 'page', pageSize: 3 }) },
    { path: '/page-custom', handler: paginate(items, { style: 'page', pageSize: 3, pageParam: 'p', sizeParam: 'per', recordsKey: 'results', nextKey: 'next' }) },
    { path: '/offset', handler: paginate(items, { style: 'offset', pageSize: 3 }) },
    { path: '/offset-custom', handler: paginate(items, { style: 'offset', pageSize: 2, offsetParam: 'skip', sizeParam: 'take' }) },
    { path: '/cursor', handler: paginate(items, { style: 'cursor', pageSize: 3 }) },
    { path: '/cursor-custom', handler: paginate(items, { style: 'cursor', pageSize: 4, cursorParam: 'after', nextKey: 'meta_next' }) },
    { path: '/link', handler: paginate(items, { style: 'link', pageSize: 3 }) },
    { path: '/link-bare', handler: paginate(items, { style: 'link', pageSize: 5, recordsKey: '', sizeParam: 'per_page' }) },
    { path: '/empty', handler: paginate([], { style: 'page', pageSize: 3 }) },
  ]);
});

afterAll(async () => {
  await api.close();
});

const get = async (pathAndQuery: string): Promise<{ status: number; link: string | null; body: Record<string, unknown> }> => {
  const res = await fetch(`${api.url}${pathAndQuery}`);
  return { status: res.status, link: res.headers.get('link'), body: (await res.json()) as Record<string, unknown> };
};

describe('paginate', () => {
  it('page style: 1-based page numbers and next_page', async () => {
    const p1 = await get('/page');
    expect(ids(p1.body.data)).toEqual([1, 2, 3]);
    expect(p1.body.next_page).toBe(2);
    const p3 = await get('/page?page=3');
    expect(ids(p3.body.data)).toEqual([7]);
    expect(p3.body.next_page).toBeNull();
    const p9 = await get('/page?page=9');
    expect(p9.body).toEqual({ data: [], next_page: null });
    expect((await get('/page?page=0')).status).toBe(400);
    expect((await get('/page?page=abc')).status).toBe(400);
  });

  it('page style with custom params, records key, next key and client page size', async () => {
    const p = await get('/page-custom?p=2&per=2');
    expect(ids(p.body.results)).toEqual([3, 4]);
    expect(p.body.next).toBe(3);
    const last = await get('/page-custom?p=4&per=2');
    expect(ids(last.body.results)).toEqual([7]);
    expect(last.body.next).toBeNull();
  });

  it('offset style: offset/limit and next_offset', async () => {
    const o = await get('/offset');
    expect(ids(o.body.data)).toEqual([1, 2, 3]);
    expect(o.body.next_offset).toBe(3);
    const o2 = await get('/offset?offset=3&limit=4');
    expect(ids(o2.body.data)).toEqual([4, 5, 6, 7]);
    expect(o2.body.next_offset).toBeNull();
    const c = await get('/offset-custom?skip=5');
    expect(ids(c.body.data)).toEqual([6, 7]);
    expect(c.body.next_offset).toBeNull();
    expect((await get('/offset?offset=-1')).status).toBe(400);
    expect((await get('/offset?limit=0')).status).toBe(400);
  });

  it('cursor style: opaque cursors until null', async () => {
    const seen: number[] = [];
    let cursor: unknown = undefined;
    let calls = 0;
    do {
      const q: string = cursor === undefined ? '' : `?cursor=${encodeURIComponent(String(cursor))}`;
      const r = await get(`/cursor${q}`);
      seen.push(...ids(r.body.data));
      cursor = r.body.next_cursor;
      if (cursor !== null) expect(typeof cursor).toBe('string');
      calls++;
    } while (cursor !== null && calls < 10);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(calls).toBe(3);
    expect((await get('/cursor?cursor=garbage')).status).toBe(400);
    const custom = await get('/cursor-custom');
    expect(ids(custom.body.data)).toEqual([1, 2, 3, 4]);
    const next = await get(`/cursor-custom?after=${String(custom.body.meta_next)}`);
    expect(ids(next.body.data)).toEqual([5, 6, 7]);
    expect(next.body.meta_next).toBeNull();
  });

  it('link style: follows absolute rel="next" links and keeps other params', async () => {
    const seen: number[] = [];
    let url: string | undefined = `${api.url}/link?filter=x&filter=y`;
    const followed: string[] = [];
    while (url) {
      followed.push(url);
      const res = await fetch(url);
      const body = (await res.json()) as { data: unknown };
      expect(Object.keys(body)).toEqual(['data']);
      seen.push(...ids(body.data));
      const link = res.headers.get('link');
      url = link ? /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] : undefined;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(followed).toHaveLength(3);
    expect(followed[1]).toBe(`${api.url}/link?filter=x&filter=y&page=2`);
    const q = api.requestsTo('/link').map((r) => r.query);
    expect(q[2]).toEqual({ filter: ['x', 'y'], page: '3' });
  });

  it('link style with a bare array body', async () => {
    const res = await fetch(`${api.url}/link-bare?per_page=4`);
    expect(ids(await res.json())).toEqual([1, 2, 3, 4]);
    expect(res.headers.get('link')).toBe(`<${api.url}/link-bare?per_page=4&page=2>; rel="next"`);
    const last = await fetch(`${api.url}/link-bare?per_page=4&page=2`);
    expect(ids(await last.json())).toEqual([5, 6, 7]);
    expect(last.headers.get('link')).toBeNull();
  });

  it('an empty list is one empty page', async () => {
    expect((await get('/empty')).body).toEqual({ data: [], next_page: null });
  });

  it('rejects a bad pageSize', () => {
    expect(() => paginate(items, { style: 'page', pageSize: 0 })).toThrow(/pageSize/);
  });
});
