import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../errors/runtime-error.js';
import { parseYaml } from './load.js';

describe('parseYaml', () => {
  it('produces plain data and locates objects, arrays and keys (1-based)', () => {
    const text = ['version: 1.0.0', 'check:', '  type: CheckStream', '  stream_names:', '    - a', '    - b', ''].join('\n');
    const { data, locations } = parseYaml(text);
    const root = data as Record<string, unknown>;
    const check = root.check as Record<string, unknown>;
    expect(check).toEqual({ type: 'CheckStream', stream_names: ['a', 'b'] });
    expect(locations.get(check)).toMatchObject({ line: 3, col: 3 });
    expect(locations.keyPosition(root, 'check')).toEqual({ line: 2, col: 1 });
    expect(locations.keyPosition(check, 'stream_names')).toEqual({ line: 4, col: 3 });
    const names = check.stream_names as unknown[];
    expect(locations.get(names)?.line).toBe(5);
    expect(locations.keyPosition(names, '1')).toEqual({ line: 6, col: 7 });
  });

  it('reads scalars as PyYAML safe_load does (YAML 1.1 booleans, but not y/n)', () => {
    const { data } = parseYaml('a: yes\nb: Off\nc: y\nd: n\ne: "yes"\nf: 010\ng: ~\nh: 2024-01-01\n');
    expect(data).toEqual({ a: true, b: false, c: 'y', d: 'n', e: 'yes', f: 8, g: null, h: '2024-01-01' });
  });

  it('reads floats as PyYAML does: a dot is required and exponents need a sign', () => {
    const { data } = parseYaml('a: 1e3\nb: 1.0e+3\nc: E164\nd: .5\ne: 1:30\nf: 1_000\ng: -.inf\nh: 0x1F\ni: 1.0e3\n');
    expect(data).toEqual({ a: '1e3', b: 1000, c: 'E164', d: 0.5, e: 90, f: 1000, g: -Infinity, h: 31, i: '1.0e3' });
  });

  it('rejects several documents in one file, as safe_load does', () => {
    expect(() => parseYaml('a: 1\n---\nb: 2\n')).toThrow(RuntimeError);
  });

  it('follows anchors, aliases and merge keys', () => {
    const { data } = parseYaml('base: &b\n  x: 1\n  y: 2\nuse:\n  <<: *b\n  y: 3\nalias: *b\n');
    expect(data).toEqual({ base: { x: 1, y: 2 }, use: { x: 1, y: 3 }, alias: { x: 1, y: 2 } });
  });

  it('keeps the last of duplicate keys, like PyYAML', () => {
    expect(parseYaml('a: 1\na: 2\n').data).toEqual({ a: 2 });
  });

  it('reports YAML syntax errors as MANIFEST_YAML with the line', () => {
    const text = 'version: 1\nstreams:\n  - name: a\n   bad: [\n';
    try {
      parseYaml(text, 'manifest.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RuntimeError);
      const err = e as RuntimeError;
      expect(err.code).toBe('MANIFEST_YAML');
      expect(err.message).toContain('manifest.yaml');
      expect(err.line).toBeGreaterThanOrEqual(3);
    }
  });
});
