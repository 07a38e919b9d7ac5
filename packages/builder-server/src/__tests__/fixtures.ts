import { randomUUID } from 'node:crypto';
import { type MockApi, startMockApi } from '@manifold/testkit';

/** Unique secret strings: none of them may ever appear in a response body. */
export const SECRETS = {
  apiKey: `apikey-SENTINEL-${randomUUID()}`,
  clientSecret: `clientsecret-SENTINEL-${randomUUID()}`,
  refreshToken: `refresh-SENTINEL-${randomUUID()}`,
  accessToken: `access-SENTINEL-${randomUUID()}`,
  rotatedRefreshToken: `rotated-SENTINEL-${randomUUID()}`,
};

/** The same manifest with a single-use refresh token (refresh_token_updater): the config changes during a read. */
export const ROTATING_MANIFEST_YAML = () =>
  MANIFEST_YAML.replace('/oauth/token"', '/oauth/rotate"').replace(
    'grant_type: refresh_token\n',
    'grant_type: refresh_token\n          refresh_token_updater: {}\n',
  );

export const MANIFEST_YAML = `
version: 6.44.0
type: DeclarativeSource
check:
  type: CheckStream
  stream_names: [users]
definitions:
  base_requester:
    type: HttpRequester
    url_base: "{{ config['base_url'] }}"
    http_method: GET
    authenticator:
      type: ApiKeyAuthenticator
      api_token: "{{ config['api_key'] }}"
      inject_into:
        type: RequestOption
        inject_into: header
        field_name: X-Api-Key
  selector:
    type: RecordSelector
    extractor:
      type: DpathExtractor
      field_path: [data]
  users_stream:
    type: DeclarativeStream
    name: users
    primary_key: id
    schema_loader:
      type: InlineSchemaLoader
      schema:
        type: object
        properties:
          id: { type: integer }
          name: { type: string }
    retriever:
      type: SimpleRetriever
      requester:
        $ref: "#/definitions/base_requester"
        path: /users
      record_selector:
        $ref: "#/definitions/selector"
      paginator:
        type: DefaultPaginator
        page_token_option:
          type: RequestOption
          inject_into: request_parameter
          field_name: page
        page_size_option:
          type: RequestOption
          inject_into: request_parameter
          field_name: per_page
        pagination_strategy:
          type: PageIncrement
          start_from_page: 1
          page_size: 2
streams:
  - $ref: "#/definitions/users_stream"
  - type: DeclarativeStream
    name: events
    primary_key: id
    schema_loader:
      type: InlineSchemaLoader
      schema:
        type: object
        properties:
          id: { type: string }
          updated_at: { type: string }
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: updated_at
      datetime_format: "%Y-%m-%dT%H:%M:%SZ"
      start_datetime:
        type: MinMaxDatetime
        datetime: "{{ config['start_date'] }}"
        datetime_format: "%Y-%m-%dT%H:%M:%SZ"
      end_datetime:
        type: MinMaxDatetime
        datetime: "2024-01-04T00:00:00Z"
        datetime_format: "%Y-%m-%dT%H:%M:%SZ"
      step: P1D
      cursor_granularity: PT1S
      start_time_option:
        type: RequestOption
        inject_into: request_parameter
        field_name: since
      end_time_option:
        type: RequestOption
        inject_into: request_parameter
        field_name: until
    retriever:
      type: SimpleRetriever
      requester:
        type: HttpRequester
        url_base: "{{ config['base_url'] }}"
        path: /events
        http_method: GET
        authenticator:
          type: OAuthAuthenticator
          token_refresh_endpoint: "{{ config['base_url'] }}/oauth/token"
          client_id: "{{ config['client_id'] }}"
          client_secret: "{{ config['client_secret'] }}"
          refresh_token: "{{ config['refresh_token'] }}"
          grant_type: refresh_token
      record_selector:
        $ref: "#/definitions/selector"
  - type: DeclarativeStream
    name: posts
    primary_key: id
    schema_loader:
      type: InlineSchemaLoader
      schema:
        type: object
        properties: {}
    retriever:
      type: SimpleRetriever
      requester:
        $ref: "#/definitions/base_requester"
        path: "/users/{{ stream_partition.user_id }}/posts"
      record_selector:
        $ref: "#/definitions/selector"
      partition_router:
        type: SubstreamPartitionRouter
        parent_stream_configs:
          - type: ParentStreamConfig
            parent_key: id
            partition_field: user_id
            stream:
              $ref: "#/definitions/users_stream"
spec:
  type: Spec
  connection_specification:
    type: object
    $schema: http://json-schema.org/draft-07/schema#
    required: [base_url, api_key]
    properties:
      base_url: { type: string }
      api_key: { type: string, airbyte_secret: true }
      client_id: { type: string }
      client_secret: { type: string, airbyte_secret: true }
      refresh_token: { type: string, airbyte_secret: true }
      start_date: { type: string }
`;

export const USERS = [
  { id: 1, name: 'Ann', created: '2024-01-01', note: `my key is ${SECRETS.apiKey}`, tags: ['a'], address: { city: 'Oslo' } },
  { id: 2, name: 'Bob', created: '2024-01-02', note: null, tags: [], address: { city: 'Rome', zip: '00100' } },
  { id: 3, name: 'Cid', created: '2024-01-03', note: 'hi', tags: ['b', 'c'], address: null },
  { id: 4, name: 'Dee', created: '2024-01-04', note: 'x', tags: [], address: { city: 'Kyiv' } },
  { id: 5, name: 'Eve', created: '2024-01-05', note: 'y', tags: [], address: { city: 'Lima' } },
];

export interface Fixture {
  api: MockApi;
  config: Record<string, unknown>;
}

export async function startFixtureApi(): Promise<Fixture> {
  const api = await startMockApi([
    {
      method: 'GET',
      path: '/users',
      handler: (req) => {
        if (req.headers['x-api-key'] !== SECRETS.apiKey) return { status: 401, body: { error: 'bad key' } };
        const page = Number(req.query.page ?? 1);
        const size = Number(req.query.per_page ?? 2);
        const data = USERS.slice((page - 1) * size, page * size);
        return { body: { data, debug: `served for ${SECRETS.apiKey}` } };
      },
    },
    {
      method: 'GET',
      path: '/users/:id/posts',
      handler: (req) => {
        if (req.headers['x-api-key'] !== SECRETS.apiKey) return { status: 401, body: { error: 'bad key' } };
        return { body: { data: [{ id: `${req.params.id}-1`, user_id: Number(req.params.id), title: 'hello' }] } };
      },
    },
    {
      method: 'POST',
      path: '/oauth/token',
      handler: (req) => {
        const form = req.form ?? (req.json as Record<string, string> | undefined) ?? {};
        if (form.refresh_token !== SECRETS.refreshToken || form.client_secret !== SECRETS.clientSecret) {
          return { status: 400, body: { error: 'invalid_grant' } };
        }
        return { body: { access_token: SECRETS.accessToken, expires_in: 3600 } };
      },
    },
    {
      method: 'POST',
      path: '/oauth/rotate',
      handler: (req) => {
        const form = req.form ?? {};
        if (form.refresh_token !== SECRETS.refreshToken) return { status: 400, body: { error: 'invalid_grant' } };
        return { body: { access_token: SECRETS.accessToken, expires_in: 3600, refresh_token: SECRETS.rotatedRefreshToken } };
      },
    },
    {
      method: 'GET',
      path: '/events',
      handler: (req) => {
        if (req.headers.authorization !== `Bearer ${SECRETS.accessToken}`) return { status: 401, body: { error: 'no token' } };
        const since = String(req.query.since ?? '');
        const day = since.slice(0, 10);
        return {
          body: {
            data: [
              { id: `${day}-a`, updated_at: `${day}T01:00:00Z`, amount: 1 },
              { id: `${day}-b`, updated_at: `${day}T02:00:00Z`, amount: 2.5 },
            ],
          },
        };
      },
    },
  ]);
  return {
    api,
    config: {
      base_url: api.url,
      api_key: SECRETS.apiKey,
      client_id: 'my-client',
      client_secret: SECRETS.clientSecret,
      refresh_token: SECRETS.refreshToken,
      start_date: '2024-01-01T00:00:00Z',
    },
  };
}
