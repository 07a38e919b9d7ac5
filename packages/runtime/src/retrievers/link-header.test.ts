import { describe, expect, it } from 'vitest';
import { parseLinkHeader } from './simple-retriever.js';

describe('parseLinkHeader (requests.Response.links)', () => {
  it('keys links by rel, with url and params', () => {
    const links = parseLinkHeader('<https://api.x.com/items?page=2>; rel="next", <https://api.x.com/items?page=9>; rel="last"');
    expect(links).toEqual({
      next: { url: 'https://api.x.com/items?page=2', rel: 'next' },
      last: { url: 'https://api.x.com/items?page=9', rel: 'last' },
    });
  });

  it('keeps commas inside URLs', () => {
    expect(parseLinkHeader('<https://a.com/x?ids=1,2,3>; rel="next"').next?.url).toBe('https://a.com/x?ids=1,2,3');
  });
});
