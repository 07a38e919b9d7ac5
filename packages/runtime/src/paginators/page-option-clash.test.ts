/**
 * A DefaultPaginator whose page size goes where its page token goes would send the size as the
 * token (every page asks for the same offset: the first records are skipped, the rest repeat).
 * The CDK refuses such a manifest; so do we, with the key named, before any request.
 */
import { type MockApi, configuredCatalog, errors, records, startMockApi } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../source/__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function manifest(tokenOption: string, sizeOption: string): string {
  return `
version: 6.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
streams:
  - type: DeclarativeStream
    name: items
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: /items, http_method: POST }
      record_selector: { type: RecordSelector, extractor: { type: DpathExtractor, field_path: [data] } }
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: OffsetIncrement, page_size: 2 }
        page_token_option: ${tokenOption}
        page_size_option: ${sizeOption}
    schema_loader: { type: InlineSchemaLoader, schema: { type: object, properties: { id: { type: integer } } } }
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string } } }
`;
}

async function read(tokenOption: string, sizeOption: string) {
  api = await startMockApi([{ method: 'POST', path: '/items', handler: () => ({ body: { data: [{ id: 1 }] } }) }]);
  return runSource('read', { manifest: manifest(tokenOption, sizeOption), config: { base_url: api.url }, catalog: configuredCatalog(['items']) });
}

describe('page_token_option and page_size_option writing the same key', () => {
  it('the same request parameter: a config_error naming it, and no request', async () => {
    const run = await read(
      '{ type: RequestOption, inject_into: request_parameter, field_name: offset }',
      '{ type: RequestOption, inject_into: request_parameter, field_name: offset }',
    );
    expect(run.code).not.toBe(0);
    const [error] = errors(run.messages);
    expect(error?.failure_type).toBe('config_error');
    expect(error?.message).toContain("page_token_option and page_size_option both write 'offset'");
    expect(error?.message).toContain('streams[0].retriever.paginator');
    expect(api!.requests).toHaveLength(0);
  });

  it('nested body_json paths, one inside the other', async () => {
    const run = await read(
      '{ type: RequestOption, inject_into: body_json, field_path: [page] }',
      '{ type: RequestOption, inject_into: body_json, field_path: [page, size] }',
    );
    expect(errors(run.messages)[0]?.message).toContain("both write 'page'");
  });

  it('the same name in different places is fine', async () => {
    const run = await read(
      '{ type: RequestOption, inject_into: request_parameter, field_name: page }',
      '{ type: RequestOption, inject_into: header, field_name: page }',
    );
    expect(errors(run.messages)).toEqual([]);
    expect(records(run.messages).map((r) => r.id)).toEqual([1]);
  });
});
