import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../errors/runtime-error.js';
import { parseYaml } from './load.js';
import { resolveReferences } from './refs.js';

const resolve = (m: Record<string, unknown>) => resolveReferences(m).manifest;

function refError(m: Record<string, unknown>): RuntimeError {
  try {
    resolve(m);
  } catch (e) {
    expect(e).toBeInstanceOf(RuntimeError);
    return e as RuntimeError;
  }
  throw new Error('expected a reference error');
}

describe('resolveReferences', () => {
  it('replaces "#/..." strings anywhere by the value they point at', () => {
    const out = resolve({ definitions: { limit: 50, obj: { a: 1 } }, x: '#/definitions/limit', y: ['#/definitions/obj'] });
    expect(out.x).toBe(50);
    expect(out.y).toEqual([{ a: 1 }]);
  });

  it('splats $ref mappings, with sibling keys overriding the target', () => {
    const out = resolve({
      definitions: { req: { type: 'HttpRequester', url_base: 'https://a', path: '/x' } },
      r: { $ref: '#/definitions/req', path: '/y', extra: true },
    });
    expect(out.r).toEqual({ type: 'HttpRequester', url_base: 'https://a', path: '/y', extra: true });
  });

  it('resolves nested references and references to references', () => {
    const out = resolve({
      definitions: {
        auth: { type: 'BearerAuthenticator', api_token: '#/definitions/token' },
        token: '#/definitions/real_token',
        real_token: 'secret',
        requester: { $ref: '#/definitions/base', authenticator: '#/definitions/auth' },
        base: { $ref: '#/definitions/root_base', url_base: 'https://b' },
        root_base: { type: 'HttpRequester', http_method: 'GET' },
      },
      r: '#/definitions/requester',
    });
    expect(out.r).toEqual({
      type: 'HttpRequester',
      http_method: 'GET',
      url_base: 'https://b',
      authenticator: { type: 'BearerAuthenticator', api_token: 'secret' },
    });
  });

  it('copies: resolving the same definition twice gives independent objects', () => {
    const out = resolve({ definitions: { d: { a: [1] } }, x: '#/definitions/d', y: '#/definitions/d' });
    expect(out.x).toEqual(out.y);
    expect(out.x).not.toBe(out.y);
  });

  it('drops sibling keys when the target is not a mapping', () => {
    expect(resolve({ definitions: { n: 5 }, x: { $ref: '#/definitions/n', other: 1 } }).x).toBe(5);
  });

  it('reads pointers the CDK way: whole keys with "/" first, list indices, negative indices', () => {
    const out = resolve({
      nested: { path: 'first one' },
      'nested/path': 'uh oh',
      list: [{ v: 'zero' }, { v: 'one' }],
      a: '#/nested/path',
      b: '#/list/1/v',
      c: '#/list/-1/v',
    });
    expect(out.a).toBe('uh oh');
    expect(out.b).toBe('one');
    expect(out.c).toBe('one');
  });

  it('leaves config_overrides values alone', () => {
    const out = resolve({ check: { config_overrides: { start: '#/not/a/ref' } } });
    expect(out.check).toEqual({ config_overrides: { start: '#/not/a/ref' } });
  });

  it('accepts the legacy *ref(dotted.path) form, with a warning', () => {
    const { manifest, warnings } = resolveReferences({ definitions: { foo: { bar: { k: 1 } } }, x: '*ref(definitions.foo.bar)' });
    expect(manifest.x).toEqual({ k: 1 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain('#/definitions/foo/bar');
  });

  it('detects circular references and names the chain', () => {
    const err = refError({ definitions: { a: { $ref: '#/definitions/b' }, b: { x: '#/definitions/a' } }, s: '#/definitions/a' });
    expect(err.code).toBe('MANIFEST_REF');
    expect(err.message).toContain('Circular reference');
    // Definitions are resolved first (as in the CDK), so the chain starts from b.
    expect(err.message).toContain('Circular reference found: #/definitions/b -> #/definitions/a -> #/definitions/b');
    expect(err.path).toBe('definitions.a.x');
  });

  it('detects self references', () => {
    expect(refError({ a: { $ref: '#/a' } }).message).toContain('Circular reference found: #/a -> #/a');
  });

  it('reports undefined references with the reference, where it was used, and the line', () => {
    const { data, locations } = parseYaml(['definitions:', '  a: 1', 'streams:', '  - retriever:', '      $ref: "#/definitions/missing"', ''].join('\n'));
    try {
      resolveReferences(data as Record<string, unknown>, locations);
      expect.unreachable();
    } catch (e) {
      const err = e as RuntimeError;
      expect(err.code).toBe('MANIFEST_REF');
      expect(err.message).toContain('#/definitions/missing');
      expect(err.message).toContain('streams[0].retriever');
      expect(err.path).toBe('streams[0].retriever');
      expect(err.line).toBe(5);
    }
  });

  it('treats a pointer through a non-container as undefined', () => {
    expect(refError({ a: 1, b: '#/a/x' }).code).toBe('MANIFEST_REF');
    expect(refError({ a: [1], b: '#/a/5' }).code).toBe('MANIFEST_REF');
  });

  it('locates a $ref+siblings result at the ref site, inherited keys at the definition', () => {
    const text = [
      'definitions:', //            1
      '  req:', //                  2
      '    type: HttpRequester', // 3
      '    url_base: https://a', // 4
      'streams:', //                5
      '  - requester:', //          6
      '      $ref: "#/definitions/req"', // 7
      '      path: /users', //      8
      '    other: "#/definitions/req"', // 9
      '',
    ].join('\n');
    const { data, locations } = parseYaml(text);
    const out = resolveReferences(data as Record<string, unknown>, locations).manifest;
    const stream = (out.streams as Record<string, unknown>[])[0] as Record<string, unknown>;
    const requester = stream.requester as object;
    expect(locations.get(requester)?.line).toBe(7);
    expect(locations.keyPosition(requester, 'path')?.line).toBe(8);
    expect(locations.keyPosition(requester, 'url_base')?.line).toBe(4);
    // A plain string reference copies the definition, located there.
    expect(locations.get(stream.other as object)?.line).toBe(3);
  });
});
