/**
 * The acceptance suite, run for every connector under connectors/ (or those named in $CONNECTORS)
 * against its Docker image, with the connector's fixtures served by a local mock API.
 *
 * Runner: the image through testcontainers when a Docker engine answers; the bundled CLI when
 * MANIFOLD_ACCEPTANCE_RUNNER=local; otherwise the suite is skipped with the reason printed —
 * unless MANIFOLD_REQUIRE_DOCKER=1 (CI), where a missing engine fails it.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errors, lastState, records, states } from '@manifold/testkit';
import type { AirbyteMessage, AirbyteStateMessage } from '@manifold/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalRecords, compareCursor, compileSchema, newAjv, unmarkedSecrets, valueAt } from '../src/checks.js';
import { ROOT, selectedConnectors, type Connector } from '../src/connectors.js';
import { requestMatches, startFixtureApi, withMockUrl, type FixtureMockApi } from '../src/fixture-api.js';
import { dockerRunner, localRunner, type ConnectorRunner, type RunResult } from '../src/runner.js';

process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';

interface BuildImageModule {
  buildConnector(dir: string, opts?: { log?: (m: string) => void }): Promise<string>;
  dockerUnavailableReason(): string | undefined;
}
interface BundleModule {
  bundle(): Promise<{ outfile: string; snapshotBlob: string }>;
}
const buildImage = (await import(pathToFileURL(join(ROOT, 'scripts/build-image.mjs')).href)) as BuildImageModule;

function decideMode(): { kind: 'docker' | 'local' } | { skip: string } {
  if (process.env.MANIFOLD_ACCEPTANCE_RUNNER === 'local') return { kind: 'local' };
  const why = buildImage.dockerUnavailableReason();
  if (!why) return { kind: 'docker' };
  const reason = `connector acceptance suite skipped: ${why} (run scripts/ci-docker.sh to start one, or MANIFOLD_ACCEPTANCE_RUNNER=local to test the bundled CLI)`;
  if (process.env.MANIFOLD_REQUIRE_DOCKER === '1') throw new Error(`MANIFOLD_REQUIRE_DOCKER=1 but ${why}`);
  return { skip: reason };
}

const mode = decideMode();
const connectors = selectedConnectors();
if ('skip' in mode) console.warn(`\n${mode.skip}\n`);

interface DiscoveredStream {
  name: string;
  json_schema: Record<string, unknown>;
  supported_sync_modes: string[];
  source_defined_cursor?: boolean;
  default_cursor_field?: string[];
  source_defined_primary_key?: string[][];
}

function catalogOf(streams: DiscoveredStream[], mode: 'full_refresh' | 'incremental') {
  return {
    streams: streams.map((s) => ({
      stream: s,
      sync_mode: mode,
      destination_sync_mode: mode === 'incremental' ? 'append_dedup' : 'overwrite',
      cursor_field: mode === 'incremental' ? (s.default_cursor_field ?? []) : [],
      primary_key: s.source_defined_primary_key ?? [],
    })),
  };
}

function explain(r: RunResult): string {
  const errs = errors(r.messages).map((e) => e.message);
  return `exit ${r.code}; errors: ${JSON.stringify(errs)}; stderr: ${r.stderr.slice(-1500)}`;
}

function declaredStreamNames(manifest: Record<string, unknown>): string[] {
  const deref = (node: Record<string, unknown>): Record<string, unknown> => {
    const ref = node.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
    let target: unknown = manifest;
    for (const k of ref.slice(2).split('/')) target = (target as Record<string, unknown> | undefined)?.[k];
    return { ...deref((target ?? {}) as Record<string, unknown>), ...Object.fromEntries(Object.entries(node).filter(([k]) => k !== '$ref')) };
  };
  const streams = (manifest.streams ?? []) as Array<Record<string, unknown>>;
  return streams.map((s) => deref(s).name as string).sort();
}

describe.skipIf('skip' in mode)('connector acceptance', () => {
  let snapshotBlob = '';
  beforeAll(async () => {
    if ('kind' in mode && mode.kind === 'local') {
      const { bundle } = (await import(pathToFileURL(join(ROOT, 'docker/bundle.mjs')).href)) as BundleModule;
      snapshotBlob = (await bundle()).snapshotBlob;
    }
  });

  it.runIf('kind' in mode && mode.kind === 'docker')('base image: labels, non-root, and a clear error when no manifest is baked in', async () => {
    const base = connectors[0]?.metadata.connectorBuildOptions.baseImage ?? 'manifold/source-declarative-manifest:0.1.0';
    if (connectors[0]) await buildImage.buildConnector(connectors[0].dir, { log: () => undefined });
    const inspect = JSON.parse(execFileSync('docker', ['image', 'inspect', base], { encoding: 'utf8' })) as Array<{
      Config: { Labels: Record<string, string>; Env: string[]; User: string; Entrypoint: string[] };
    }>;
    const cfg = inspect[0]!.Config;
    expect(cfg.Labels['io.airbyte.name']).toBe('manifold/source-declarative-manifest');
    expect(cfg.Labels['io.airbyte.version']).toBe(base.split(':')[1]);
    expect(cfg.Env).toContain('AIRBYTE_ENTRYPOINT=node --snapshot-blob /app/source-declarative-manifest.blob');
    expect(cfg.Entrypoint).toEqual(['node', '--snapshot-blob', '/app/source-declarative-manifest.blob']);
    expect(cfg.User).toBe('1000:1000');
    const r = await dockerRunner(base).run(['spec']);
    expect(r.code).not.toBe(0);
    expect(errors(r.messages)[0]).toMatchObject({ failure_type: 'config_error', internal_message: 'MANIFEST_NOT_FOUND' });
  });

  for (const c of connectors) {
    describe(c.name, () => {
      let api: FixtureMockApi;
      let runner: ConnectorRunner;
      let config: Record<string, unknown>;
      let invalidConfig: Record<string, unknown>;
      let discovered: DiscoveredStream[] = [];
      let firstRead: AirbyteMessage[] = [];

      beforeAll(async () => {
        api = await startFixtureApi(c.api);
        config = withMockUrl(c.config, api.url);
        invalidConfig = withMockUrl(c.invalidConfig, api.url);
        if ('kind' in mode && mode.kind === 'docker') {
          await buildImage.buildConnector(c.dir, { log: () => undefined });
          runner = dockerRunner(c.image);
        } else {
          runner = localRunner(snapshotBlob, join(c.dir, 'manifest.yaml'));
        }
      });
      afterAll(async () => {
        await api?.close();
      });

      it.runIf('kind' in mode && mode.kind === 'docker')('image carries the Airbyte labels and entrypoint env', () => {
        const inspect = JSON.parse(execFileSync('docker', ['image', 'inspect', c.image], { encoding: 'utf8' })) as Array<{
          Config: { Labels: Record<string, string>; Env: string[]; User: string };
        }>;
        const cfg = inspect[0]!.Config;
        expect(cfg.Labels['io.airbyte.name']).toBe(c.metadata.dockerRepository);
        expect(cfg.Labels['io.airbyte.version']).toBe(c.metadata.dockerImageTag);
        expect(cfg.Env.some((e) => e.startsWith('AIRBYTE_ENTRYPOINT='))).toBe(true);
        expect(cfg.User).not.toMatch(/^(|root|0)(:|$)/);
      });

      it('spec: a valid JSON Schema with secrets marked airbyte_secret, accepting the test config', async () => {
        const r = await runner.run(['spec']);
        expect(r.code, explain(r)).toBe(0);
        const spec = r.messages.find((m) => m.type === 'SPEC') as { spec: { connectionSpecification: Record<string, unknown> } } | undefined;
        expect(spec, 'a SPEC message').toBeDefined();
        const cs = spec!.spec.connectionSpecification;
        const validate = compileSchema(newAjv(), cs, 'connectionSpecification');
        expect(unmarkedSecrets(cs), 'secret-looking fields without airbyte_secret: true').toEqual([]);
        expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
        // The base URL must be configurable so tests (and proxies) can point it elsewhere.
        expect(JSON.stringify(c.config)).toContain('{{mock_url}}');
      });

      it('check: succeeds with the good config', async () => {
        const r = await runner.run(['check', '--config', '/data/config.json'], { 'config.json': config });
        expect(r.code, explain(r)).toBe(0);
        const status = r.messages.find((m) => m.type === 'CONNECTION_STATUS') as { connectionStatus: { status: string; message?: string } };
        expect(status?.connectionStatus, explain(r)).toMatchObject({ status: 'SUCCEEDED' });
      });

      it('check: fails cleanly with a bad config (FAILED status, exit 0, protocol-only stdout)', async () => {
        const r = await runner.run(['check', '--config', '/data/config.json'], { 'config.json': invalidConfig });
        expect(r.code, explain(r)).toBe(0);
        const status = r.messages.find((m) => m.type === 'CONNECTION_STATUS') as { connectionStatus: { status: string; message?: string } };
        expect(status?.connectionStatus.status).toBe('FAILED');
        expect(status?.connectionStatus.message ?? '').not.toBe('');
      });

      it('discover: the catalog matches the declared streams and schemas', async () => {
        const r = await runner.run(['discover', '--config', '/data/config.json'], { 'config.json': config });
        expect(r.code, explain(r)).toBe(0);
        const msg = r.messages.find((m) => m.type === 'CATALOG') as { catalog: { streams: DiscoveredStream[] } } | undefined;
        expect(msg, explain(r)).toBeDefined();
        discovered = msg!.catalog.streams;
        expect(discovered.map((s) => s.name).sort()).toEqual(declaredStreamNames(c.manifest));
        const schemas = (c.manifest.schemas ?? {}) as Record<string, { properties?: Record<string, unknown> }>;
        const ajv = newAjv();
        for (const s of discovered) {
          compileSchema(ajv, s.json_schema, `${s.name} json_schema`);
          expect(s.supported_sync_modes).toContain('full_refresh');
          const declared = schemas[s.name]?.properties;
          if (declared) expect(Object.keys((s.json_schema.properties ?? {}) as object).sort(), s.name).toEqual(Object.keys(declared).sort());
          if (s.supported_sync_modes.includes('incremental')) expect(s.default_cursor_field?.length, `${s.name} cursor`).toBeGreaterThan(0);
        }
      });

      it('read: every stream has records that conform to its schema and carry their primary key', async () => {
        expect(discovered.length, 'discover ran').toBeGreaterThan(0);
        const r = await runner.run(['read', '--config', '/data/config.json', '--catalog', '/data/catalog.json'], {
          'config.json': config,
          'catalog.json': catalogOf(discovered, 'full_refresh'),
        });
        expect(r.code, explain(r)).toBe(0);
        expect(errors(r.messages), explain(r)).toEqual([]);
        firstRead = r.messages;
        const ajv = newAjv();
        for (const s of discovered) {
          const recs = records(r.messages, s.name);
          expect(recs.length, `${s.name}: records`).toBeGreaterThan(0);
          const validate = compileSchema(ajv, s.json_schema, `${s.name} json_schema`);
          for (const rec of recs) {
            expect(validate(rec), `${s.name} record ${JSON.stringify(rec).slice(0, 300)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
            for (const pk of s.source_defined_primary_key ?? []) {
              const v = valueAt(rec, pk);
              expect(v === undefined || v === null, `${s.name}: primary key ${pk.join('.')} missing in ${JSON.stringify(rec).slice(0, 200)}`).toBe(false);
            }
          }
        }
      });

      it('read: a full refresh twice gives the same records', async () => {
        expect(firstRead.length, 'the first read ran').toBeGreaterThan(0);
        const r = await runner.run(['read', '--config', '/data/config.json', '--catalog', '/data/catalog.json'], {
          'config.json': config,
          'catalog.json': catalogOf(discovered, 'full_refresh'),
        });
        expect(r.code, explain(r)).toBe(0);
        for (const s of discovered) {
          expect(canonicalRecords(records(r.messages, s.name)), s.name).toEqual(canonicalRecords(records(firstRead, s.name)));
        }
      });

      it('read: incremental from the first read\'s state gives no records older than the state', async (ctx) => {
        const incremental = discovered.filter((s) => s.supported_sync_modes.includes('incremental'));
        if (incremental.length === 0) return ctx.skip();
        const files = { 'config.json': config, 'catalog.json': catalogOf(incremental, 'incremental') };
        const first = await runner.run(['read', '--config', '/data/config.json', '--catalog', '/data/catalog.json'], files);
        expect(first.code, explain(first)).toBe(0);
        expect(errors(first.messages), explain(first)).toEqual([]);
        const perStream = new Map<string, AirbyteStateMessage>();
        for (const st of states(first.messages)) {
          const name = st.stream?.stream_descriptor.name;
          if (name) perStream.set(name, st);
        }
        expect(lastState(first.messages), 'a STATE message').toBeDefined();
        const stateFile = [...perStream.values()].map(({ sourceStats: _s, destinationStats: _d, ...rest }) => rest);
        const second = await runner.run(['read', '--config', '/data/config.json', '--catalog', '/data/catalog.json', '--state', '/data/state.json'], {
          ...files,
          'state.json': stateFile,
        });
        expect(second.code, explain(second)).toBe(0);
        expect(errors(second.messages), explain(second)).toEqual([]);
        for (const s of incremental) {
          const cursor = s.default_cursor_field ?? [];
          const firstRecords = records(first.messages, s.name);
          expect(firstRecords.length, `${s.name}: records in the first incremental read`).toBeGreaterThan(0);
          const streamState = (perStream.get(s.name)?.stream?.stream_state ?? {}) as Record<string, unknown>;
          const stateValue = valueAt(streamState, cursor);
          expect(stateValue, `${s.name}: the state holds ${cursor.join('.')} (${JSON.stringify(streamState)})`).toBeDefined();
          const older = records(second.messages, s.name).filter((rec) => compareCursor(valueAt(rec, cursor), stateValue) < 0);
          expect(older, `${s.name}: records older than the state ${JSON.stringify(stateValue)}`).toEqual([]);
          expect(records(second.messages, s.name).length, `${s.name}: the second read does not re-read everything`).toBeLessThan(firstRecords.length);
        }
      });

      it('the connector made the requests its fixtures expect (pagination, incremental parameters)', (ctx) => {
        const expected = c.api.expectRequests ?? [];
        if (expected.length === 0) return ctx.skip();
        const missing = expected.filter((e) => !api.requests.some((r) => requestMatches(r, e)));
        const seen = api.requests.map((r) => r.url);
        expect(missing, `requests seen:\n${seen.join('\n')}`).toEqual([]);
      });

      it('rate limits: a request answered 429 is retried after its Retry-After', (ctx) => {
        const limitedRoutes = c.api.routes.filter((r) => r.rateLimit);
        if (limitedRoutes.length === 0) return ctx.skip();
        for (const route of limitedRoutes) {
          const hits = api.rateLimited.filter((h) => h.route === route.path);
          expect(hits.length, `${route.path}: the fixture's 429 was served`).toBeGreaterThan(0);
          for (const hit of hits) {
            // Only routed requests are timed (arrivals); find a later identical request.
            const retried = api.requests.some((r) => r.url === hit.url && r !== undefined) && api.arrivals.some((t) => t >= hit.at + route.rateLimit!.retryAfter * 1000 - 50);
            expect(retried, `${hit.url}: retried no sooner than Retry-After (${route.rateLimit!.retryAfter} s)`).toBe(true);
            expect(api.requests.filter((r) => r.url === hit.url).length, `${hit.url}: requested again`).toBeGreaterThan(1);
          }
        }
      });
    });
  }
});

export type { Connector };
