import { describe, expect, it } from 'vitest';
import { joinUrl } from './http-requester.js';
import { pythonUrljoin } from './python-urljoin.js';

// Expected values are what CPython 3.11's urljoin(base + '/', path) returns (the CDK's join).
describe('joinUrl: url_base + path as the CDK joins them', () => {
  it.each([
    ["https://example.com/api", "endpoint", "https://example.com/api/endpoint"],
    ["https://example.com/api/", "endpoint", "https://example.com/api/endpoint"],
    ["https://example.com/api/", "/endpoint", "https://example.com/endpoint"],
    ["https://example.com/api/", "https://other.com/p?x=1", "https://other.com/p?x=1"],
    ["https://example.com/api/v1", "users?page=2", "https://example.com/api/v1/users?page=2"],
    ["https://h.com//", "api/v2/clients", "https://h.com/api/v2/clients"],
    ["https://h.com/api//", "v1//users", "https://h.com/api/v1/users"],
    ["https://h.com/a/b/", "../c", "https://h.com/a/c"],
    ["https://h.com/a/b/", "../../../c", "https://h.com/c"],
    ["https://h.com/a/b/", "./c/.", "https://h.com/a/b/c/"],
    ["https://h.com/a/b/", "c/..", "https://h.com/a/b/"],
    ["https://h.com/a?x=1", "b", "https://h.com/b"],
    ["https://h.com/a/", "?q=1", "https://h.com/a/?q=1"],
    ["https://h.com/a/", "#f", "https://h.com/a/#f"],
    ["https://h.com/a/", "//other.com/x", "https://other.com/x"],
    ["https://h.com", "x", "https://h.com/x"],
    ["https://h.com/", "x/", "https://h.com/x/"],
    ["https://h.com/a/", "x//", "https://h.com/a/x/"],
    ["https://h.com/a/", "items:search", "items:search"],
    ["https://h.com/a/", "v1/items:search", "https://h.com/a/v1/items:search"],
    ["https://h.com/a/", "x y/%20z", "https://h.com/a/x y/%20z"],
    ["https://h.com/a/", "mailto:x@y", "mailto:x@y"],
    ["HTTPS://h.com/a/", "b", "https://h.com/a/b"],
    ["https://h.com/a/", "HTTPS://z.com/b", "https://z.com/b"],
    ["https://user:pw@h.com:8080/a/", "b?c=d&e=f#g", "https://user:pw@h.com:8080/a/b?c=d&e=f#g"],
    ["https://h.com/a/", "a b", "https://h.com/a/a b"],
    ["https://h.com/a/", "...", "https://h.com/a/..."],
  ])('%s + %s = %s', (base, path, expected) => {
    expect(joinUrl(base, path)).toBe(expected);
  });

  it('drops the empty segment a trailing slash in a config value leaves', () => {
    // url_base "{{ config.domain }}/" with domain "https://tenant.example.com/"
    expect(joinUrl('https://tenant.example.com//', 'api/v2/clients')).toBe('https://tenant.example.com/api/v2/clients');
  });
});

describe('pythonUrljoin', () => {
  it('keeps the base when the path is empty, and the path when the base is', () => {
    expect(pythonUrljoin('https://h.com/a', '')).toBe('https://h.com/a');
    expect(pythonUrljoin('', 'x/y')).toBe('x/y');
  });
});
