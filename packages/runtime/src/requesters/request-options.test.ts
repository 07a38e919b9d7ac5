import { describe, expect, it } from 'vitest';
import { injectValue, mergeRequestOptions } from './request-options.js';
import { emptyOptions } from './request-options.js';
import { joinUrl, pyString } from './http-requester.js';

describe('mergeRequestOptions', () => {
  it('merges disjoint options of every kind', () => {
    const merged = mergeRequestOptions([
      { params: { a: 1 }, headers: { X: 'y' } },
      { params: { b: 2 }, bodyJson: { q: { r: 1 } } },
      { bodyJson: { q: { s: 2 } } },
    ]);
    expect(merged).toEqual({ params: { a: 1, b: 2 }, headers: { X: 'y' }, bodyJson: { q: { r: 1, s: 2 } }, bodyData: undefined });
  });

  it('refuses a query parameter set by two components', () => {
    expect(() => mergeRequestOptions([{ params: { page: 1 } }, { params: { page: 2 } }])).toThrow(/request parameter 'page'/);
  });

  it('allows the same JSON body value twice but not two different ones', () => {
    expect(mergeRequestOptions([{ bodyJson: { a: 1 } }, { bodyJson: { a: 1 } }]).bodyJson).toEqual({ a: 1 });
    expect(() => mergeRequestOptions([{ bodyJson: { a: 1 } }, { bodyJson: { a: 2 } }])).toThrow(/JSON body field 'a'/);
  });

  it('skips null values and empty parts', () => {
    expect(mergeRequestOptions([{ params: { a: null, b: undefined } }, undefined, {}]).params).toEqual({});
  });

  it('keeps a string body only when nothing else sets body data', () => {
    expect(mergeRequestOptions([{ bodyData: 'raw=1' }]).bodyData).toBe('raw=1');
    expect(() => mergeRequestOptions([{ bodyData: 'raw=1' }, { bodyData: { a: 1 } }])).toThrow(/string request body/);
  });
});

describe('injectValue', () => {
  it.each([
    ['request_parameter', { params: { page: 3 } }],
    ['header', { headers: { page: 3 } }],
    ['body_data', { bodyData: { page: 3 } }],
    ['body_json', { bodyJson: { page: 3 } }],
  ] as const)('puts the value into %s', (injectInto, expected) => {
    const target = injectValue({ inject_into: injectInto, fieldName: 'page' }, 3, emptyOptions());
    expect(target).toMatchObject(expected);
  });

  it('nests body_json values along field_path', () => {
    const target = injectValue({ inject_into: 'body_json', fieldPath: ['data', 'paging', 'cursor'] }, 'abc', emptyOptions());
    expect(target.bodyJson).toEqual({ data: { paging: { cursor: 'abc' } } });
  });
});

describe('joinUrl (Python urljoin of base + "/" and path)', () => {
  it.each([
    ['https://example.com/api', 'endpoint', 'https://example.com/api/endpoint'],
    ['https://example.com/api/', 'endpoint', 'https://example.com/api/endpoint'],
    ['https://example.com/api/', '/endpoint', 'https://example.com/endpoint'],
    ['https://example.com/api/', 'https://other.com/p?x=1', 'https://other.com/p?x=1'],
    ['https://example.com/api/v1', 'users?page=2', 'https://example.com/api/v1/users?page=2'],
  ])('%s + %s', (base, path, expected) => {
    expect(joinUrl(base, path)).toBe(expected);
  });
});

describe('pyString', () => {
  it.each([
    [true, 'True'],
    [false, 'False'],
    [null, 'None'],
    [12, '12'],
    ['x', 'x'],
  ])('%s → %s', (value, expected) => {
    expect(pyString(value)).toBe(expected);
  });
});
