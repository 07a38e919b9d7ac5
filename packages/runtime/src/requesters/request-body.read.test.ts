/**
 * Each `request_body` type through the real entrypoint: the exact bytes and content type the
 * mock API receives, as the python CDK sends them through `requests`.
 */
import { type MockApi, configuredCatalog, errors, startMockApi } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../source/__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const manifest = (requester: string) => `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
streams:
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: items
${requester}
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string } } }
`;

async function bodyOf(requester: string, config: Record<string, unknown> = {}) {
  api = await startMockApi([{ path: '/items', response: { body: { data: [{ id: 1 }] } } }]);
  const run = await runSource('read', {
    manifest: manifest(requester),
    config: { base_url: api.url, ...config },
    catalog: configuredCatalog(['items']),
  });
  expect(errors(run.messages)).toEqual([]);
  const request = api.requests[0];
  return { method: request?.method, body: request?.body, contentType: request?.headers['content-type'] };
}

describe('request_body', () => {
  it('RequestBodyJsonObject: json.dumps bytes, application/json, templates evaluated', async () => {
    const sent = await bodyOf(
      `
        http_method: POST
        request_body:
          type: RequestBodyJsonObject
          value:
            account: "{{ config['account'] }}"
            limit: 10
            filter: { name: "café", tags: [a, b] }`,
      { account: 'acme' },
    );
    expect(sent).toEqual({
      method: 'POST',
      body: '{"account": "acme", "limit": 10, "filter": {"name": "caf\\u00e9", "tags": ["a", "b"]}}',
      contentType: 'application/json',
    });
  });

  it('RequestBodyGraphQL: the query object (extra fields kept; nulls dropped at every level, as the nested interpolation does) as JSON', async () => {
    const sent = await bodyOf(`
        http_method: POST
        request_body:
          type: RequestBodyGraphQL
          value:
            query: "query { items(first: {{ 5 }}) { id } }"
            variables: { after: "x", before: null }
            operationName: null`);
    expect(sent).toEqual({
      method: 'POST',
      body: '{"query": "query { items(first: 5) { id } }", "variables": {"after": "x"}}',
      contentType: 'application/json',
    });
  });

  it('RequestBodyUrlEncodedForm: quote_plus form, application/x-www-form-urlencoded', async () => {
    const sent = await bodyOf(
      `
        http_method: POST
        request_body:
          type: RequestBodyUrlEncodedForm
          value:
            q: "{{ config['q'] }}"
            scope: "read:all*"`,
      { q: 'a b~c' },
    );
    expect(sent).toEqual({
      method: 'POST',
      body: 'q=a+b~c&scope=read%3Aall%2A',
      contentType: 'application/x-www-form-urlencoded',
    });
  });

  it('RequestBodyPlainText: sent as it is, with no content type of its own', async () => {
    const sent = await bodyOf(`
        http_method: POST
        request_headers: { Content-Type: text/csv }
        request_body:
          type: RequestBodyPlainText
          value: "id,name\\n{{ 1 + 1 }},x"`);
    expect(sent).toEqual({ method: 'POST', body: 'id,name\n2,x', contentType: 'text/csv' });
  });

  it('a body on GET is sent, as the CDK does', async () => {
    const sent = await bodyOf(`
        request_body:
          type: RequestBodyJsonObject
          value: { q: 1 }`);
    expect(sent).toEqual({ method: 'GET', body: '{"q": 1}', contentType: 'application/json' });
  });

  it('a content type the manifest sets (in any case) is kept', async () => {
    const sent = await bodyOf(`
        http_method: POST
        request_headers: { content-type: application/vnd.api+json }
        request_body:
          type: RequestBodyJsonObject
          value: { q: 1 }`);
    expect(sent).toEqual({ method: 'POST', body: '{"q": 1}', contentType: 'application/vnd.api+json' });
  });

  it('a JSON body and a data body together is a manifest error', async () => {
    const run = await runSource('read', {
      manifest: manifest(`
        http_method: POST
        request_body_data: { a: "1" }
        request_body:
          type: RequestBodyJsonObject
          value: { q: 1 }`),
      config: { base_url: 'http://127.0.0.1:9' },
      catalog: configuredCatalog(['items']),
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain('a JSON body or a data body, not both');
  });
});
