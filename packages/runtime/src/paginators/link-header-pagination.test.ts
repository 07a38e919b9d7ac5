/**
 * CursorPagination on the Link header: templates see `headers['link']` as requests'
 * `response.links`, which is `{}` when the response has no Link header. A manifest that chains
 * `.get()` on it must stop on such a page, not fail.
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
check: { type: CheckStream, stream_names: [events] }
streams:
  - type: DeclarativeStream
    name: events
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: /events, http_method: GET }
      record_selector: { type: RecordSelector, extractor: { type: DpathExtractor, field_path: [] } }
      paginator:
        type: DefaultPaginator
        pagination_strategy:
          type: CursorPagination
          cursor_value: '{{ headers["link"].get("next", {}).get("cursor", {}) }}'
          stop_condition: '{{ headers["link"].get("next", {}).get("results") != "true" }}'
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: cursor }
    schema_loader: { type: InlineSchemaLoader, schema: { type: object, properties: { id: { type: integer } } } }
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string } } }
`;

describe('CursorPagination reading the Link header', () => {
  it('follows the next link while it says results="true", and stops on a page without a Link header', async () => {
    api = await startMockApi([
      {
        path: '/events',
        handler: (req) =>
          req.query.cursor === 'c2'
            ? { body: [{ id: 3 }] }
            : {
                body: [{ id: 1 }, { id: 2 }],
                headers: { link: `<${api!.url}/events?cursor=c2>; rel="next"; results="true"; cursor="c2"` },
              },
      },
    ]);
    const run = await runSource('read', { manifest: MANIFEST, config: { base_url: api.url }, catalog: configuredCatalog(['events']) });
    expect(errors(run.messages)).toEqual([]);
    expect(records(run.messages).map((r) => r.id)).toEqual([1, 2, 3]);
    expect(api.requests.map((r) => r.url)).toEqual(['/events', '/events?cursor=c2']);
  });
});
