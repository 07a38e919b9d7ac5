/**
 * The CLI's entry when bundled for the base image, where it also builds a V8 startup snapshot
 * (docker/bundle.mjs, docker/Dockerfile). A snapshot holds the heap after every module has been
 * loaded and evaluated, so `node --snapshot-blob <blob> spec` skips parsing and evaluating ~2.7 MB of
 * JavaScript: most of a cold start. Without a snapshot the same file runs like cli.ts.
 *
 * No top-level await (the bundle is CommonJS, which snapshots require), and nothing here touches
 * stdout, the environment or the clock before the main function runs: those belong to the run,
 * not to the image build.
 */
import { setFlagsFromString, startupSnapshot } from 'node:v8';
import { type Json, loadManifest, runEntrypoint, specOf, validateConfig } from '@manifold/runtime';

function main(args: string[]): void {
  // As in cli.ts: no background optimisation of undici's WebAssembly parser, which would hold
  // the process ~200 ms at exit.
  setFlagsFromString('--liftoff-only');
  runEntrypoint(args, { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

/**
 * A small manifest of our own run through the load → validate → spec → config path while the
 * snapshot is built, so the functions every command needs are already compiled in it.
 */
const WARM_UP_MANIFEST = `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [things] }
definitions:
  requester:
    type: HttpRequester
    url_base: "https://example.invalid/{{ config['region'] }}"
    authenticator: { type: BearerAuthenticator, api_token: "{{ config['token'] }}" }
streams:
  - type: DeclarativeStream
    name: things
    primary_key: [id]
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: /things, http_method: GET }
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: [data] }
      paginator:
        type: DefaultPaginator
        pagination_strategy: { type: CursorPagination, cursor_value: "{{ response.next }}" }
        page_token_option: { type: RequestOption, inject_into: request_parameter, field_name: cursor }
    schema_loader:
      type: InlineSchemaLoader
      schema: { type: object, properties: { id: { type: integer } } }
spec:
  type: Spec
  connection_specification:
    type: object
    required: [token]
    properties:
      token: { type: string, airbyte_secret: true }
      region: { type: string, default: eu }
`;

function warmUp(): void {
  for (let i = 0; i < 3; i++) {
    const loaded = loadManifest(WARM_UP_MANIFEST);
    const spec = specOf(loaded.manifest) as { connectionSpecification: Json };
    validateConfig({ token: 't', region: 'eu' }, spec.connectionSpecification);
  }
}

if (startupSnapshot.isBuildingSnapshot()) {
  warmUp();
  startupSnapshot.setDeserializeMainFunction(() => main(process.argv.slice(1)));
} else {
  main(process.argv.slice(2));
}
