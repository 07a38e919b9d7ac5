/** The connectors under connectors/, with their metadata, manifest and test fixtures. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { FixtureApi } from './fixture-api.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CONNECTORS_DIR = join(ROOT, 'connectors');

export interface Connector {
  name: string;
  dir: string;
  metadata: {
    name: string;
    dockerRepository: string;
    dockerImageTag: string;
    connectorBuildOptions: { baseImage: string };
  };
  manifest: Record<string, unknown>;
  image: string;
  api: FixtureApi;
  config: Record<string, unknown>;
  invalidConfig: Record<string, unknown>;
}

function json(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

export function loadConnector(dir: string): Connector {
  const name = dir.split(/[\\/]/).pop() as string;
  const metadata = (parseYaml(readFileSync(join(dir, 'metadata.yaml'), 'utf8')) as { data: Connector['metadata'] }).data;
  return {
    name,
    dir,
    metadata,
    manifest: parseYaml(readFileSync(join(dir, 'manifest.yaml'), 'utf8')) as Record<string, unknown>,
    image: `${metadata.dockerRepository}:${metadata.dockerImageTag}`,
    api: json(join(dir, 'fixtures/api.json')) as unknown as FixtureApi,
    config: json(join(dir, 'fixtures/config.json')),
    invalidConfig: json(join(dir, 'fixtures/invalid_config.json')),
  };
}

/** Every connectors/source-* folder, narrowed by $CONNECTORS (comma- or space-separated names) when set. */
export function selectedConnectors(filter = process.env.CONNECTORS): Connector[] {
  const wanted = (filter ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((n) => (n.startsWith('source-') ? n : `source-${n}`));
  const all = readdirSync(CONNECTORS_DIR)
    .filter((n) => n.startsWith('source-') && existsSync(join(CONNECTORS_DIR, n, 'metadata.yaml')))
    .sort();
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length) throw new Error(`CONNECTORS names unknown connectors: ${unknown.join(', ')}`);
  return (wanted.length ? all.filter((n) => wanted.includes(n)) : all).map((n) => loadConnector(join(CONNECTORS_DIR, n)));
}
