/**
 * A workspace sync whose source runs as the connector's real image (`manifold sync` with a source
 * created with `--docker`), into a JSON Lines destination: the records that arrive are the ones
 * the same connector gives in-process, and a second sync resumes from the committed state.
 * Runs when a Docker engine answers (always in CI, where MANIFOLD_REQUIRE_DOCKER=1).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openWorkspace } from '@manifold/workspace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, selectedConnectors } from '../src/connectors.js';
import { startFixtureApi, withMockUrl, type FixtureMockApi } from '../src/fixture-api.js';

interface BuildImageModule {
  buildConnector(dir: string, opts?: { log?: (m: string) => void }): Promise<string>;
  dockerUnavailableReason(): string | undefined;
}
const buildImage = (await import(pathToFileURL(join(ROOT, 'scripts/build-image.mjs')).href)) as BuildImageModule;
const unavailable = buildImage.dockerUnavailableReason();
if (unavailable && process.env.MANIFOLD_REQUIRE_DOCKER === '1') throw new Error(`MANIFOLD_REQUIRE_DOCKER=1 but ${unavailable}`);

// One connector is enough to prove the path; github-issues has an incremental stream.
const connector = selectedConnectors('source-github-issues')[0];

function jsonlRecords(directory: string): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const file of readdirSync(directory).filter((f) => f.endsWith('.jsonl'))) {
    const lines = readFileSync(join(directory, file), 'utf8').split('\n').filter(Boolean);
    out.set(file.replace(/\.jsonl$/, ''), lines.map((l) => (JSON.parse(l) as { _airbyte_data: unknown })._airbyte_data));
  }
  return out;
}

describe.skipIf(Boolean(unavailable) || !connector)('workspace sync with a docker source', () => {
  let api: FixtureMockApi;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'manifold-ws-docker-'));
    api = await startFixtureApi(connector!.api);
    await buildImage.buildConnector(connector!.dir, { log: () => undefined });
  }, 300_000);
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('syncs through the image the records the in-process source gives, then resumes from state', async () => {
    const env = { MANIFOLD_SECRET_KEY: 'acceptance passphrase' };
    const workspace = await openWorkspace(join(dir, 'ws'), { env });
    const manifest = readFileSync(join(connector!.dir, 'manifest.yaml'), 'utf8');
    await workspace.publishConnector({ name: connector!.name, manifest });
    const config = withMockUrl(connector!.config, api.url);
    await workspace.createSource({ name: 'in-docker', connector: connector!.name, config, runtime: { type: 'docker', image: connector!.image } });
    await workspace.createSource({ name: 'in-process', connector: connector!.name, config });
    await workspace.createDestination({ name: 'files-docker', config: { type: 'jsonl', directory: join(dir, 'docker') } });
    await workspace.createDestination({ name: 'files-local', config: { type: 'jsonl', directory: join(dir, 'local') } });
    // JSON Lines cannot deduplicate: append modes for both.
    const streams = (await workspace.discoverStreams('in-docker')).map((s) => ({
      name: s.name,
      syncMode: s.supportsIncremental ? ('incremental_append' as const) : ('full_refresh_append' as const),
    }));
    await workspace.createConnection({ name: 'docker', source: 'in-docker', destination: 'files-docker', streams });
    await workspace.createConnection({ name: 'local', source: 'in-process', destination: 'files-local', streams });

    const viaDocker = await workspace.runSync('docker');
    expect(viaDocker.status, viaDocker.error).toBe('succeeded');
    const viaProcess = await workspace.runSync('local');
    expect(viaProcess.status, viaProcess.error).toBe('succeeded');

    const docker = jsonlRecords(join(dir, 'docker'));
    const local = jsonlRecords(join(dir, 'local'));
    expect([...docker.keys()].sort()).toEqual([...local.keys()].sort());
    for (const [stream, rows] of local) expect(docker.get(stream), stream).toEqual(rows);
    expect([...docker.values()].reduce((n, rows) => n + rows.length, 0)).toBeGreaterThan(0);

    // The state the destination committed is what the second sync starts from.
    const state = await workspace.state('docker');
    expect(state.length).toBeGreaterThan(0);
    const again = await workspace.runSync('docker');
    expect(again.status, again.error).toBe('succeeded');
  }, 300_000);
});
