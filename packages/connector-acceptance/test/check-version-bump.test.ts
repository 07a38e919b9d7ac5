import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../src/connectors.js';

interface Mod {
  compareSemver(a: string, b: string): number;
  connectorsWithChangedManifest(files: string[]): string[];
  checkVersionBumps(files: string[], read: (rev: 'base' | 'head', path: string) => string | undefined): string[];
}
const script = join(ROOT, 'scripts/check-version-bump.mjs');
const mod = (await import(pathToFileURL(script).href)) as Mod;

const meta = (tag: string) => `metadataSpecVersion: "1.0"\ndata:\n  dockerImageTag: ${tag}\n`;

function reader(files: Record<'base' | 'head', Record<string, string>>) {
  return (rev: 'base' | 'head', path: string) => files[rev][path];
}

describe('check-version-bump rules', () => {
  it('compares semantic versions, pre-releases first', () => {
    expect(mod.compareSemver('0.1.1', '0.1.0')).toBe(1);
    expect(mod.compareSemver('0.2.0', '0.10.0')).toBe(-1);
    expect(mod.compareSemver('1.0.0-rc.1', '1.0.0')).toBe(-1);
    expect(mod.compareSemver('1.0.0', '1.0.0')).toBe(0);
    expect(() => mod.compareSemver('latest', '1.0.0')).toThrow(/not a semantic version/);
  });

  it('looks only at manifest.yaml and schemas/ of connectors', () => {
    expect(
      mod.connectorsWithChangedManifest([
        'connectors/source-a/manifest.yaml',
        'connectors/source-b/fixtures/api.json',
        'connectors/source-c/schemas/x.json',
        'connectors/source-d/metadata.yaml',
        'packages/runtime/src/index.ts',
      ]),
    ).toEqual(['source-a', 'source-c']);
  });

  it('fails a changed manifest with the same tag, naming the fix', () => {
    const problems = mod.checkVersionBumps(
      ['connectors/source-a/manifest.yaml'],
      reader({ base: { 'connectors/source-a/metadata.yaml': meta('0.1.0') }, head: { 'connectors/source-a/metadata.yaml': meta('0.1.0') } }),
    );
    expect(problems).toEqual([expect.stringMatching(/source-a: manifest.yaml changed but dockerImageTag is still 0.1.0.*0\.1\.1/)]);
  });

  it('passes a bump, fails a downgrade', () => {
    const files = ['connectors/source-a/manifest.yaml'];
    expect(mod.checkVersionBumps(files, reader({ base: { 'connectors/source-a/metadata.yaml': meta('0.1.0') }, head: { 'connectors/source-a/metadata.yaml': meta('0.2.0') } }))).toEqual([]);
    expect(mod.checkVersionBumps(files, reader({ base: { 'connectors/source-a/metadata.yaml': meta('0.2.0') }, head: { 'connectors/source-a/metadata.yaml': meta('0.1.9') } }))).toEqual([
      expect.stringMatching(/went down from 0.2.0 to 0.1.9/),
    ]);
  });

  it('passes new and deleted connectors, and fixture-only changes', () => {
    expect(mod.checkVersionBumps(['connectors/source-new/manifest.yaml'], reader({ base: {}, head: { 'connectors/source-new/metadata.yaml': meta('0.1.0') } }))).toEqual([]);
    expect(mod.checkVersionBumps(['connectors/source-old/manifest.yaml'], reader({ base: { 'connectors/source-old/metadata.yaml': meta('0.1.0') }, head: {} }))).toEqual([]);
    expect(mod.checkVersionBumps(['connectors/source-a/fixtures/api.json'], reader({ base: {}, head: {} }))).toEqual([]);
  });
});

describe('check-version-bump on a git repository', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, encoding: 'utf8' });
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const run = () => {
    try {
      return { code: 0, out: execFileSync(process.execPath, [script, '--base', 'main'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
    } catch (err) {
      const e = err as { status: number; stderr: string };
      return { code: e.status, out: e.stderr };
    }
  };

  it('exits 1 for an unbumped manifest change on a branch and 0 once bumped', () => {
    dir = mkdtempSync(join(tmpdir(), 'version-bump-'));
    git('init', '-q', '-b', 'main');
    write('connectors/source-a/manifest.yaml', 'version: 1\n');
    write('connectors/source-a/metadata.yaml', meta('0.1.0'));
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    git('checkout', '-q', '-b', 'feature');
    write('connectors/source-a/manifest.yaml', 'version: 2\n');
    git('commit', '-q', '-am', 'change manifest');
    const failed = run();
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/source-a: manifest.yaml changed but dockerImageTag is still 0.1.0/);
    write('connectors/source-a/metadata.yaml', meta('0.1.1'));
    git('commit', '-q', '-am', 'bump');
    const passed = run();
    expect(passed.code).toBe(0);
    expect(passed.out).toMatch(/passed for source-a/);
  });
});
