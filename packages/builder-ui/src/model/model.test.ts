import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  addStream, applyForm, applyGlobal, applyInputs, applyStream, deleteStream, duplicateStream, emptyInput,
  moveStream, readForm, readGlobal, readInputs, readStream, STARTER_YAML,
} from './form.js';
import { getIn, locate, patchIn } from './refs.js';
import { parseManifest, updateText } from './yaml-sync.js';
import { componentSupport, SLOTS } from './components.js';
import { diffSchemas } from './schema-diff.js';
import { toConfig } from './testing-values.js';

// An Airbyte-Builder-style export: shared requester through $ref, schemas by reference,
// $parameters, a custom component and metadata the form does not know.
const AIRBYTE_EXPORT = `version: 6.5.0
type: DeclarativeSource
description: Exported from the Airbyte Builder
check:
  type: CheckStream
  stream_names:
    - users
definitions:
  streams:
    users:
      type: DeclarativeStream
      name: users
      primary_key:
        - id
      retriever:
        type: SimpleRetriever
        requester:
          $ref: "#/definitions/base_requester"
          path: /users
          http_method: GET
          request_parameters:
            per_page: "50"
        record_selector:
          type: RecordSelector
          extractor:
            type: DpathExtractor
            field_path:
              - data
        paginator:
          type: DefaultPaginator
          page_token_option:
            type: RequestOption
            inject_into: request_parameter
            field_name: cursor
          pagination_strategy:
            type: CursorPagination
            cursor_value: "{{ response.next }}"
            stop_condition: "{{ not response.next }}"
      schema_loader:
        type: InlineSchemaLoader
        schema:
          $ref: "#/schemas/users"
    events:
      type: DeclarativeStream
      $parameters:
        name: events
      retriever:
        type: SimpleRetriever
        requester:
          $ref: "#/definitions/base_requester"
          path: /events
        record_selector:
          type: RecordSelector
          extractor:
            type: CustomRecordExtractor
            class_name: source_x.components.Extractor
  base_requester:
    type: HttpRequester
    url_base: https://api.example.com/v1 # the API
    authenticator:
      type: BearerAuthenticator
      api_token: "{{ config['api_key'] }}"
streams:
  - $ref: "#/definitions/streams/users"
  - $ref: "#/definitions/streams/events"
spec:
  type: Spec
  connection_specification:
    type: object
    $schema: http://json-schema.org/draft-07/schema#
    required:
      - api_key
    properties:
      api_key:
        type: string
        order: 0
        title: API Key
        airbyte_secret: true
      region:
        type: object
        properties:
          name:
            type: string
    additionalProperties: true
metadata:
  autoImportSchema:
    users: true
  testedStreams: {}
schemas:
  users:
    type: object
    $schema: http://json-schema.org/schema#
    properties:
      id:
        type: number
`;

const m0 = () => parseManifest(AIRBYTE_EXPORT).value!;

describe('refs', () => {
  it('reads through $ref and writes where the value lives', () => {
    const m = m0();
    expect(getIn(m, ['streams', 0, 'retriever', 'requester', 'url_base'])).toBe('https://api.example.com/v1');
    expect(locate(m, ['streams', 0, 'retriever', 'requester', 'url_base'])).toEqual(['definitions', 'base_requester', 'url_base']);
    expect(locate(m, ['streams', 0, 'retriever', 'requester', 'path'])).toEqual(['definitions', 'streams', 'users', 'retriever', 'requester', 'path']);
    patchIn(m, ['streams', 0, 'schema_loader', 'schema', 'properties', 'name'], { type: 'string' });
    expect((m.schemas as any).users.properties.name).toEqual({ type: 'string' });
  });
});

describe('manifest ⇄ form', () => {
  it('round-trips an Airbyte Builder export unchanged', () => {
    const m = m0();
    const form = readForm(m);
    expect(applyForm(m, form)).toBe(m); // nothing changed → the very same object
    expect(applyForm(m, JSON.parse(JSON.stringify(form)))).toEqual(m);
  });

  it('reads streams, global config and inputs through references', () => {
    const form = readForm(m0());
    expect(form.global.urlBase).toBe('https://api.example.com/v1');
    expect(form.global.authenticator).toEqual({ type: 'BearerAuthenticator', api_token: "{{ config['api_key'] }}" });
    expect(form.streams.map((s) => s.name)).toEqual(['users', 'events']);
    const users = form.streams[0]!;
    expect(users.path).toBe('/users');
    expect(users.fieldPath).toEqual(['data']);
    expect(users.primaryKey).toEqual(['id']);
    expect(users.requestParameters).toEqual({ per_page: '50' });
    expect((users.paginator as any).pagination_strategy.type).toBe('CursorPagination');
    expect(users.schema).toEqual({ type: 'object', $schema: 'http://json-schema.org/schema#', properties: { id: { type: 'number' } } });
    expect(users.yamlOnly).toEqual([]);
    expect(form.streams[1]!.yamlOnly).toEqual(['record extractor CustomRecordExtractor']);
    expect(form.inputs.map((i) => [i.key, i.secret, i.required, i.yamlOnly])).toEqual([
      ['api_key', true, true, undefined],
      ['region', false, false, 'nested object or oneOf'],
    ]);
  });

  it('writes a global URL change once, into the shared definition', () => {
    const m = m0();
    const g = readGlobal(m);
    const out = applyGlobal(m, { ...g, urlBase: 'https://eu.example.com' });
    expect((out.definitions as any).base_requester.url_base).toBe('https://eu.example.com');
    expect((out.definitions as any).streams.users.retriever.requester).not.toHaveProperty('url_base');
    expect(readForm(out).streams[0]!.urlBase).toBe('');
  });

  it('a stream edit changes only that field and keeps everything else (custom parts, metadata)', () => {
    const m = m0();
    const s = readStream(m, 1);
    const out = applyStream(m, 1, { ...s, name: 'events2', path: '/v2/events' });
    const events = (out.definitions as any).streams.events;
    expect(events.$parameters.name).toBe('events2');
    expect(events.retriever.requester.path).toBe('/v2/events');
    expect(events.retriever.record_selector.extractor.class_name).toBe('source_x.components.Extractor');
    expect(out.metadata).toEqual(m.metadata);
    expect((out.definitions as any).base_requester).toEqual((m.definitions as any).base_requester);
  });

  it('renaming a stream keeps the check pointed at it', () => {
    const m = m0();
    const out = applyStream(m, 0, { ...readStream(m, 0), name: 'people' });
    expect((out.check as any).stream_names).toEqual(['people']);
  });

  it('switching pagination and back round-trips', () => {
    const m = m0();
    const s = readStream(m, 0);
    const none = applyStream(m, 0, { ...s, paginator: { type: 'NoPagination' } });
    expect(readStream(none, 0).paginator).toEqual({ type: 'NoPagination' });
    const back = applyStream(none, 0, { ...readStream(none, 0), paginator: s.paginator });
    expect(back).toEqual(m);
  });

  it('edits user inputs and keeps unknown keys and nested inputs', () => {
    const m = m0();
    const inputs = readInputs(m);
    const next = [
      { ...inputs[0]!, title: 'Key', description: 'Your key' },
      inputs[1]!,
      { ...emptyInput('start_date'), type: 'date-time' as const, required: false, examples: ['2024-01-01T00:00:00Z'] },
    ];
    const out = applyInputs(m, next);
    const props = (out.spec as any).connection_specification.properties;
    expect(props.api_key).toEqual({ type: 'string', order: 0, title: 'Key', description: 'Your key', airbyte_secret: true });
    expect(props.region).toEqual((m.spec as any).connection_specification.properties.region);
    expect(props.start_date).toEqual({ type: 'string', format: 'date-time', title: 'start_date', examples: ['2024-01-01T00:00:00Z'] });
    expect((out.spec as any).connection_specification.required).toEqual(['api_key']);
    expect(readInputs(out)).toEqual(next);
  });

  it('adds, duplicates, moves and deletes streams', () => {
    let m = parseManifest(STARTER_YAML).value!;
    m = addStream(m, 'users', '/users');
    expect((m.check as any).stream_names).toEqual(['users']);
    m = duplicateStream(m, 0);
    expect(readForm(m).streams.map((s) => s.name)).toEqual(['users', 'users_copy']);
    m = moveStream(m, 1, 0);
    expect(readForm(m).streams.map((s) => s.name)).toEqual(['users_copy', 'users']);
    m = deleteStream(m, 1);
    expect((m.check as any).stream_names).toEqual(['users_copy']);
    expect(readGlobal(m).urlBase).toBe('https://api.example.com');
    expect((m.streams as any)[0].retriever.requester.$ref).toBe('#/definitions/base_requester');
  });

  it('round-trips every stream of a form-built manifest', () => {
    let m = parseManifest(STARTER_YAML).value!;
    m = applyGlobal(m, { urlBase: 'http://x', authenticator: { type: 'ApiKeyAuthenticator', api_token: "{{ config['k'] }}", inject_into: { type: 'RequestOption', inject_into: 'header', field_name: 'X-Key' } } });
    m = addStream(m, 'a', '/a');
    const s = readStream(m, 0);
    m = applyStream(m, 0, {
      ...s, bodyKind: 'json', bodyText: '{"q": 1}', httpMethod: 'POST', primaryKey: ['id', 'ts'], filterCondition: '{{ record.ok }}',
      transformations: [{ type: 'AddFields', fields: [{ type: 'AddedFieldDefinition', path: ['x'], value: '1' }] }],
      incrementalSync: { type: 'DatetimeBasedCursor', cursor_field: 'ts', datetime_format: '%s', start_datetime: "{{ config['start'] }}" },
      partitionRouter: { type: 'ListPartitionRouter', values: ['a'], cursor_field: 'v' },
      errorHandler: { type: 'DefaultErrorHandler', max_retries: 3 },
      schema: { type: 'object', properties: { id: { type: 'integer' } } },
    });
    const r = m.streams as any;
    expect(r[0].retriever.requester.request_body_json).toEqual({ q: 1 });
    expect(r[0].retriever.record_selector.record_filter).toEqual({ type: 'RecordFilter', condition: '{{ record.ok }}' });
    expect(r[0].primary_key).toEqual(['id', 'ts']);
    expect((m.definitions as any).base_requester.authenticator.inject_into.field_name).toBe('X-Key');
    expect(applyForm(m, readForm(m))).toBe(m);
  });
});

describe('YAML text ⇄ manifest', () => {
  it('keeps comments and layout when the form changes a value', () => {
    const m = m0();
    const out = applyGlobal(m, { ...readGlobal(m), urlBase: 'https://eu.example.com' });
    const text = updateText(AIRBYTE_EXPORT, out);
    expect(text).toContain('url_base: https://eu.example.com # the API');
    expect(text.replace('https://eu.example.com', 'https://api.example.com/v1')).toBe(AIRBYTE_EXPORT);
    expect(parse(text)).toEqual(out);
  });

  it('reports YAML errors with line numbers', () => {
    const p = parseManifest('version: 1\nstreams: [\n  a: b: c\n');
    expect(p.value).toBeUndefined();
    expect(p.errors[0]!.line).toBeGreaterThan(0);
  });

  it('keeps comments of a stream that moved', () => {
    const text = 'streams:\n  # first\n  - name: a\n  # second\n  - name: b\n';
    const m = parseManifest(text).value!;
    const out = updateText(text, moveStream(m, 1, 0));
    expect(out.indexOf('name: b')).toBeLessThan(out.indexOf('name: a'));
    expect(parse(out)).toEqual({ streams: [{ name: 'b' }, { name: 'a' }] });
  });
});

describe('components, schema diff, testing values', () => {
  it('says when a component must be edited in YAML', () => {
    expect(componentSupport({ type: 'CustomAuthenticator', class_name: 'x' }, SLOTS.authenticator).editable).toBe(false);
    expect(componentSupport({ type: 'BearerAuthenticator', api_token: 'x', extra: 1 }, SLOTS.authenticator)).toEqual({ editable: true, extraKeys: ['extra'] });
    expect(componentSupport('#/definitions/auth', SLOTS.authenticator).editable).toBe(false);
  });

  it('diffs declared against inferred schema', () => {
    const d = { type: 'object', properties: { id: { type: 'integer' }, gone: { type: 'string' } } };
    const i = { type: 'object', properties: { id: { type: ['null', 'integer'] }, name: { type: ['null', 'string'] } } };
    expect(diffSchemas(d, i)).toEqual([
      { path: 'name', kind: 'missing', inferred: 'string' },
      { path: 'gone', kind: 'extra', declared: 'string' },
    ]);
  });

  it('builds a typed config from testing values', () => {
    const inputs = [{ ...emptyInput('n'), type: 'integer' as const }, { ...emptyInput('b'), type: 'boolean' as const }, { ...emptyInput('s'), default: 'd' }];
    expect(toConfig(inputs, { n: '5', b: 'true' })).toEqual({ n: 5, b: true, s: 'd' });
  });
});

describe('YAML layout', () => {
  it('an empty flow placeholder grows into block style', () => {
    const text = 'check:\n  stream_names: []\nschema:\n  properties: {}\n';
    const out = updateText(text, { check: { stream_names: ['a'] }, schema: { properties: { id: { type: 'integer' } } } });
    expect(out).toBe('check:\n  stream_names:\n    - a\nschema:\n  properties:\n    id:\n      type: integer\n');
  });
});

describe('parent streams', () => {
  it('picks a parent by reference, keeps the reference on edits and through reorders', () => {
    let m = parseManifest(STARTER_YAML).value!;
    m = addStream(m, 'users', '/users');
    m = addStream(m, 'posts', '/users/{{ stream_partition.user_id }}/posts');
    const router = {
      type: 'SubstreamPartitionRouter',
      parent_stream_configs: [{ type: 'ParentStreamConfig', stream: { $ref: '#/streams/0' }, parent_key: 'id', partition_field: 'user_id' }],
    };
    m = applyStream(m, 1, { ...readStream(m, 1), partitionRouter: router });
    const shown = readStream(m, 1).partitionRouter as any;
    expect(shown.parent_stream_configs[0].stream.name).toBe('users'); // resolved for the form
    const edited = JSON.parse(JSON.stringify(shown));
    edited.parent_stream_configs[0].parent_key = 'uid';
    m = applyStream(m, 1, { ...readStream(m, 1), partitionRouter: edited });
    const raw = (m.streams as any)[1].retriever.partition_router.parent_stream_configs[0];
    expect(raw).toEqual({ type: 'ParentStreamConfig', stream: { $ref: '#/streams/0' }, parent_key: 'uid', partition_field: 'user_id' });
    m = moveStream(m, 1, 0);
    expect((m.streams as any)[0].retriever.partition_router.parent_stream_configs[0].stream).toEqual({ $ref: '#/streams/1' });
    expect(readStream(m, 0).name).toBe('posts');
    m = duplicateStream(m, 0);
    expect((m.streams as any)[0].retriever.partition_router.parent_stream_configs[0].stream).toEqual({ $ref: '#/streams/2' });
  });
});

describe('user inputs from references', () => {
  it('finds config keys used by templates and not yet defined', async () => {
    const { missingInputs, guessInput } = await import('./form.js');
    let m = parseManifest(STARTER_YAML).value!;
    m = applyGlobal(m, { urlBase: "https://{{ config['region'] }}.{{ config.get('domain', 'x.com') }}", authenticator: { type: 'BasicHttpAuthenticator', username: '{{ config.username }}', password: '{{ config["password"] }}' } });
    expect(missingInputs(m)).toEqual(['region', 'domain', 'username', 'password']);
    m = applyInputs(m, [guessInput('password'), guessInput('start_date')]);
    expect(missingInputs(m)).toEqual(['region', 'domain', 'username']);
    expect(readInputs(m).map((i) => [i.key, i.secret, i.type])).toEqual([['password', true, 'string'], ['start_date', false, 'date-time']]);
  });
});

describe('shared stream definitions', () => {
  it('a stream edit does not leak into other streams sharing a definition', () => {
    const text = `version: 6.0.0
type: DeclarativeSource
definitions:
  base_stream:
    type: DeclarativeStream
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester:
        type: HttpRequester
        url_base: https://x
        path: "{{ parameters.path }}"
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
streams:
  - $ref: "#/definitions/base_stream"
    name: a
    $parameters: { path: /a }
  - $ref: "#/definitions/base_stream"
    name: b
    $parameters: { path: /b }
`;
    const m = parseManifest(text).value!;
    const out = applyStream(m, 0, { ...readStream(m, 0), primaryKey: ['uid'], fieldPath: ['items'] });
    expect(readStream(out, 0).primaryKey).toEqual(['uid']);
    expect(readStream(out, 0).fieldPath).toEqual(['items']);
    expect(readStream(out, 1)).toEqual(readStream(m, 1));
    expect((out.definitions as any).base_stream).toEqual((m.definitions as any).base_stream);
    // the global URL base is still shared
    const g = applyGlobal(out, { ...readGlobal(out), urlBase: 'https://y' });
    expect((g.definitions as any).base_stream.retriever.requester.url_base).toBe('https://y');
    expect(readStream(g, 1).urlBase).toBe('');
  });
});

describe('YAML anchors', () => {
  it('an edit of an aliased node still writes exactly the new value', () => {
    const text = 'a: &x\n  k: 1\nb: *x\n';
    const out = updateText(text, { a: { k: 2 }, b: { k: 1 } });
    expect(parse(out)).toEqual({ a: { k: 2 }, b: { k: 1 } });
  });
});
