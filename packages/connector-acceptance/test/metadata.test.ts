import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CONNECTORS_DIR, ROOT, selectedConnectors } from '../src/connectors.js';

interface BuildImage {
  validateConnector(dir: string): { dockerImageTag: string; dockerRepository: string };
  listConnectors(): string[];
}
const buildImage = (await import(pathToFileURL(join(ROOT, 'scripts/build-image.mjs')).href)) as BuildImage;

function runNode(args: string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, out: `${e.stdout}${e.stderr}` };
  }
}

let tmp = '';
afterEach(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = '';
});

describe('connector folders', () => {
  const all = buildImage.listConnectors();

  it('there are at least six connectors', () => {
    expect(all.length).toBeGreaterThanOrEqual(6);
  });

  it.each(all.map((d) => [d.split('/').pop() as string, d]))('%s: metadata.yaml is valid and names the folder', (name, dir) => {
    const data = buildImage.validateConnector(dir);
    expect(data.dockerRepository.endsWith(`/${name}`)).toBe(true);
  });

  it.each(all.map((d) => [d.split('/').pop() as string, d]))('%s: holds only the manifest, metadata, package.json and fixtures', (_name, dir) => {
    const entries = execFileSync('git', ['ls-files', '--others', '--cached', '--exclude-standard', '.'], { cwd: dir, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => f.split('/')[0]);
    for (const e of new Set(entries)) expect(['manifest.yaml', 'metadata.yaml', 'package.json', 'fixtures', 'schemas']).toContain(e);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toBe('node ../../scripts/build-image.mjs');
  });

  it('definitionIds and repositories are unique', () => {
    const metas = all.map((d) => (parseYaml(readFileSync(join(d, 'metadata.yaml'), 'utf8')) as { data: { definitionId: string; dockerRepository: string } }).data);
    expect(new Set(metas.map((m) => m.definitionId)).size).toBe(metas.length);
    expect(new Set(metas.map((m) => m.dockerRepository)).size).toBe(metas.length);
  });

  it('CONNECTORS narrows the selection and rejects unknown names', () => {
    expect(selectedConnectors('pokeapi, source-jsonplaceholder').map((c) => c.name)).toEqual(['source-jsonplaceholder', 'source-pokeapi']);
    expect(() => selectedConnectors('nope')).toThrow(/unknown connectors: source-nope/);
  });
});

describe('a bad metadata.yaml fails the build with a clear error', () => {
  it('lists every problem with its field', () => {
    tmp = mkdtempSync(join(tmpdir(), 'bad-meta-'));
    const dir = join(tmp, 'source-pokeapi');
    cpSync(join(CONNECTORS_DIR, 'source-pokeapi'), dir, { recursive: true });
    const text = readFileSync(join(dir, 'metadata.yaml'), 'utf8')
      .replace(/definitionId: .*/, 'definitionId: not-a-uuid')
      .replace(/dockerImageTag: .*/, 'dockerImageTag: latest')
      .replace(/connectorType: source/, 'connectorType: destination')
      .replace(/dockerRepository: manifold\/source-pokeapi/, 'dockerRepository: manifold/source-pokemon')
      .replace(/  license: MIT\n/, '  licence: MIT\n');
    writeFileSync(join(dir, 'metadata.yaml'), text);
    expect(() => buildImage.validateConnector(dir)).toThrow(/not valid/);
    const r = runNode(['scripts/build-image.mjs', '--validate-only', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^error: .*metadata\.yaml is not valid/m);
    expect(r.out).toMatch(/data\.definitionId: must match pattern/);
    expect(r.out).toMatch(/data\.dockerImageTag: must match pattern/);
    expect(r.out).toMatch(/data\.connectorType: must be "source"/);
    expect(r.out).toMatch(/data: must have required property 'license'/);
    expect(r.out).toMatch(/data: unknown field "licence"/);
    expect(r.out).toMatch(/dockerRepository: must end with the folder name "\/source-pokeapi"/);
  });

  it('reports YAML that does not parse', () => {
    tmp = mkdtempSync(join(tmpdir(), 'bad-meta-'));
    const dir = join(tmp, 'source-pokeapi');
    cpSync(join(CONNECTORS_DIR, 'source-pokeapi'), dir, { recursive: true });
    writeFileSync(join(dir, 'metadata.yaml'), 'data: [unclosed\n');
    const r = runNode(['scripts/build-image.mjs', '--validate-only', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/metadata\.yaml: cannot read/);
  });
});

describe('npm run new-connector', () => {
  it('scaffolds a folder that validates, with fixtures for the suite', () => {
    tmp = mkdtempSync(join(tmpdir(), 'scaffold-'));
    const r = runNode(['scripts/new-connector.mjs', 'acme-widgets', '--into', tmp]);
    expect(r.code, r.out).toBe(0);
    const dir = join(tmp, 'source-acme-widgets');
    const data = buildImage.validateConnector(dir);
    expect(data).toMatchObject({ dockerRepository: 'manifold/source-acme-widgets', dockerImageTag: '0.1.0' });
    for (const f of ['fixtures/api.json', 'fixtures/config.json', 'fixtures/invalid_config.json', 'package.json']) {
      expect(() => readFileSync(join(dir, f))).not.toThrow();
    }
    expect(readFileSync(join(dir, 'fixtures/config.json'), 'utf8')).toContain('{{mock_url}}');
  });

  it('refuses bad names and existing folders', () => {
    tmp = mkdtempSync(join(tmpdir(), 'scaffold-'));
    expect(runNode(['scripts/new-connector.mjs', 'Bad_Name', '--into', tmp]).code).toBe(2);
    expect(runNode(['scripts/new-connector.mjs', 'pokeapi']).out).toMatch(/already exists/);
  });
});
