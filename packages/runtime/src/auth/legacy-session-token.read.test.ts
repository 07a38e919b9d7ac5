/**
 * LegacySessionTokenAuthenticator through the real entrypoint: its login and validation URLs are
 * relative (`session`, `user/current`) and go after the requester's `url_base`, which the CDK's
 * factory hands to it. A Metabase-shaped manifest of our own.
 */
import { type MockApi, configuredCatalog, errors, records, startMockApi } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../source/__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const MANIFEST = `
version: 6.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [cards] }
streams:
  - type: DeclarativeStream
    name: cards
    primary_key: [id]
    retriever:
      type: SimpleRetriever
      requester:
        type: HttpRequester
        url_base: "{{ config['instance_api_url'] }}"
        path: card
        http_method: GET
        authenticator:
          type: LegacySessionTokenAuthenticator
          username: "{{ config['username'] }}"
          password: "{{ config['password'] }}"
          header: X-Session
          session_token: "{{ config.get('session_token', '') }}"
          session_token_response_key: id
          login_url: session
          validate_session_url: user/current
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [] }
    schema_loader:
      type: InlineSchemaLoader
      schema: { type: object, properties: { id: { type: integer } } }
spec:
  type: Spec
  connection_specification:
    type: object
    properties:
      instance_api_url: { type: string }
      username: { type: string }
      password: { type: string, airbyte_secret: true }
      session_token: { type: string, airbyte_secret: true }
`;

describe('LegacySessionTokenAuthenticator under a requester', () => {
  it('validates the configured token at url_base + validate_session_url, then reads with it', async () => {
    api = await startMockApi([
      { path: '/api/user/current', handler: (req) => (req.headers['x-session'] === 'tok-1' ? { body: { id: 7 } } : { status: 401, body: {} }) },
      { path: '/api/card', handler: (req) => ({ body: req.headers['x-session'] === 'tok-1' ? [{ id: 1 }, { id: 2 }] : [] }) },
    ]);
    const run = await runSource('read', {
      manifest: MANIFEST,
      config: { instance_api_url: `${api.url}/api/`, username: 'u', password: 'p', session_token: 'tok-1' },
      catalog: configuredCatalog(['cards']),
    });
    expect(errors(run.messages)).toEqual([]);
    expect(records(run.messages).map((r) => r.id)).toEqual([1, 2]);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toContain('GET /api/user/current');
  });

  it('logs in at url_base + login_url when there is no valid token', async () => {
    api = await startMockApi([
      { path: '/api/user/current', handler: () => ({ status: 401, body: {} }) },
      { method: 'POST', path: '/api/session', handler: (req) => ({ body: (req.json as { username?: string; password?: string })?.username === 'u' && (req.json as { password?: string }).password === 'p' ? { id: 'fresh' } : {} }) },
      { path: '/api/card', handler: (req) => ({ body: req.headers['x-session'] === 'fresh' ? [{ id: 3 }] : [] }) },
    ]);
    const run = await runSource('read', {
      manifest: MANIFEST,
      config: { instance_api_url: `${api.url}/api/`, username: 'u', password: 'p' },
      catalog: configuredCatalog(['cards']),
    });
    expect(errors(run.messages)).toEqual([]);
    expect(records(run.messages).map((r) => r.id)).toEqual([3]);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toContain('POST /api/session');
  });
});
