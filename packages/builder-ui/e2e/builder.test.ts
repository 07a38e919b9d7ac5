/**
 * End-to-end: the built UI served by @manifold/builder-server, driven in Debian's chromium.
 * Builds a connector from an empty project against a mock API (bearer auth, cursor pagination),
 * test-reads it, switches to YAML and back, publishes and downloads the YAML.
 * Screenshots go to /tmp/builder-shots/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { paginate, startMockApi, type MockApi } from '@manifold/testkit';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const serverJs = join(root, 'packages/builder-server/dist/server.js');
const uiDist = join(here, '../dist/index.html');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = process.env.BUILDER_SHOTS ?? '/tmp/builder-shots';

const missing = [
  !existsSync(CHROMIUM) && `${CHROMIUM} (apt-get install -y chromium)`,
  !existsSync(serverJs) && `${serverJs} (npx turbo run build --filter=@manifold/builder-server)`,
  !existsSync(uiDist) && `${uiDist} (npm run build -w @manifold/builder-ui)`,
].filter(Boolean);
if (missing.length) console.log(`[builder-ui e2e] skipped: missing ${missing.join(', ')}`);

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}


type Loc = ReturnType<Page['locator']>;
/** Poll until the check passes (playwright-core has no `expect`). */
async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeout = 15_000): Promise<T> {
  const end = Date.now() + timeout;
  let last: T | undefined;
  for (;;) {
    try {
      last = await get();
      if (ok(last)) return last;
    } catch {
      /* not there yet */
    }
    if (Date.now() > end) throw new Error(`${what}: timed out; last value ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const hasValue = (l: Loc, v: string) => until(`value ${v}`, () => l.inputValue(), (x) => x === v);
const hasText = (l: Loc, v: string | RegExp) => until(`text ${v}`, async () => (await l.textContent()) ?? '', (x) => (typeof v === 'string' ? x.includes(v) : v.test(x)));
const visible = (l: Loc, timeout = 15_000) => l.first().waitFor({ state: 'visible', timeout });
const yamlText = (page: Page) => until('yaml editor', () => page.evaluate(() => {
  const el = document.querySelector('[data-testid=yaml-editor]') as (Element & { editorView?: { state: { doc: { toString(): string } } } }) | null;
  return el?.editorView?.state.doc.toString() ?? '';
}), (t) => t.length > 0);
const yamlHas = (page: Page, v: string) => until(`yaml contains ${v}`, () => yamlText(page), (t) => t.includes(v));
const count = (l: Loc, n: number) => until(`count ${n}`, () => l.count(), (x) => x === n);

const items = Array.from({ length: 25 }, (_, i) => ({ id: i + 1, name: `item ${i + 1}`, price: (i + 1) * 1.5, tags: ['a'] }));

describe.skipIf(missing.length > 0)('Connector Builder in a browser', () => {
  let mock: MockApi;
  let server: ChildProcess;
  let browser: Browser;
  let page: Page;
  let base: string;
  let work: string;
  let shot = 0;
  const snap = async (name: string) => {
    shot += 1;
    await page.screenshot({ path: join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`) });
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    work = mkdtempSync(join(tmpdir(), 'builder-e2e-'));
    const list = paginate(items, { style: 'cursor', pageSize: 10 });
    mock = await startMockApi([
      {
        method: 'GET',
        path: '/items',
        handler: (req, ctx) => req.headers.authorization === 'Bearer secret-token'
          ? list(req, ctx)
          : { status: 401, body: { error: 'invalid token' } },
      },
    ]);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [serverJs], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), MANIFOLD_WORKSPACE: join(work, 'ws'), MANIFOLD_REPO_DIR: join(work, 'repo') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    await new Promise<void>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`server did not start: ${out}`)), 30_000);
      const on = (b: Buffer) => {
        out += b.toString();
        if (out.includes('Builder ready')) {
          clearTimeout(t);
          res();
        }
      };
      server.stdout!.on('data', on);
      server.stderr!.on('data', on);
      server.on('exit', (code) => rej(new Error(`server exited ${code}: ${out}`)));
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1500, height: 950 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => console.error('[page error]', e.message));
  });

  afterAll(async () => {
    await browser?.close();
    server?.kill();
    await mock?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('builds, tests, publishes and downloads a connector', async () => {
    await page.goto(base);
    await page.getByLabel('Connector name').fill('Items API');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Global configuration' }).waitFor();
    await snap('empty-project');

    // global configuration: base URL + bearer auth
    await page.getByLabel('API base URL').fill(mock.url);
    await page.getByLabel('Method').selectOption('BearerAuthenticator');
    await hasValue(page.getByLabel('API token'), "{{ config['api_key'] }}");
    await snap('global-config');

    // user input api_key, secret
    await hasText(page.locator('.missing-inputs'), 'api_key');
    await page.locator('.missing-inputs').getByRole('button').click();
    await page.getByRole('button', { name: /User inputs/ }).click();
    expect(await page.getByLabel('Secret (airbyte_secret)').isChecked()).toBe(true);
    await page.getByLabel('Title').fill('API key');
    await page.getByLabel('New input key').fill('region');
    await page.getByRole('button', { name: '+ Add user input' }).click();
    await count(page.locator('.panel .section'), 2);
    await page.locator('.section', { hasText: 'region' }).getByRole('button', { name: 'Delete input' }).click();
    await count(page.locator('.panel .section'), 1);
    await snap('user-inputs');

    // a stream
    await page.getByRole('button', { name: 'New stream' }).click();
    await page.getByLabel('New stream name').fill('items');
    await page.getByLabel('New stream path').fill('/items');
    await page.getByRole('button', { name: 'Add stream', exact: true }).click();
    await page.getByRole('heading', { name: /Stream items/ }).waitFor();
    const selector = page.locator('.field', { hasText: 'Record selector (field path)' });
    await selector.getByRole('button', { name: '+ Add path part' }).click();
    await selector.getByRole('textbox').fill('data');
    const pk = page.locator('.field', { hasText: 'Primary key' });
    await pk.getByRole('button', { name: '+ Add key field' }).click();
    await pk.getByRole('textbox').fill('id');

    // pagination: cursor
    await page.locator('summary', { hasText: 'Pagination' }).click();
    await page.getByLabel('Pagination', { exact: true }).selectOption('DefaultPaginator');
    await page.getByLabel('Next page cursor').fill('{{ response.next_cursor }}');
    await page.getByLabel('Stop condition').fill('{{ not response.next_cursor }}');
    await page.getByLabel('Field name').fill('cursor');
    await snap('stream-form');

    // testing values: masked
    const secret = page.locator('input[name="tv-api_key"]');
    expect(await secret.getAttribute('type')).toBe('password');
    await secret.fill('secret-token');
    await page.getByTestId('run-test').click();
    await page.getByTestId('records-table').waitFor({ timeout: 60_000 });
    await hasText(page.getByTestId('record-summary'), /25 records/);
    await visible(page.getByRole('tab', { name: 'Page 3' }));
    await count(page.getByTestId('records-table').locator('tbody tr'), 10);
    expect(mock.requestsTo('/items').length).toBe(3);
    expect(mock.requestsTo('/items')[1]!.query.cursor).toBeTruthy();
    await snap('test-read-records');

    // limits: 2 pages per slice → a clear note
    await page.locator('summary', { hasText: 'Limits' }).click();
    await page.getByLabel('Pages/slice').fill('2');
    await page.getByTestId('run-test').click();
    await visible(page.getByTestId('limit-note'));
    await hasText(page.getByTestId('record-summary'), /20 records/);
    await snap('limit-reached');
    await page.getByLabel('Pages/slice').fill('5');
    await page.getByTestId('run-test').click();
    await hasText(page.getByTestId('record-summary'), /25 records/);
    await page.locator('summary', { hasText: 'Limits' }).click();

    // page 2's request
    await page.getByRole('tab', { name: 'Page 2' }).click();
    await page.getByRole('tab', { name: 'Request' }).click();
    await hasText(page.getByTestId('request-view'), 'cursor=');
    await snap('test-read-request');

    // inferred schema → declared
    await page.getByRole('tab', { name: /^Schema/ }).click();
    await page.getByTestId('take-schema').click();
    await visible(page.getByText('The declared schema matches the records.'));
    await snap('schema-taken');

    // YAML and back
    await page.getByRole('tab', { name: 'YAML' }).click();
    await yamlHas(page, 'next_cursor');
    await yamlHas(page, 'BearerAuthenticator');
    await yamlHas(page, 'airbyte_secret: true');
    await snap('yaml-view');
    // an edit in YAML shows up in the form
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('# edited in YAML\n');
    // change a value in the YAML (through CodeMirror's API) and go straight back to the form
    await page.evaluate(() => {
      const view = (document.querySelector('[data-testid=yaml-editor]') as unknown as { editorView: { state: { doc: { toString(): string } }; dispatch(t: unknown): void } }).editorView;
      const text = view.state.doc.toString();
      const at = text.indexOf('path: /items') + 'path: '.length;
      view.dispatch({ changes: { from: at, to: at + '/items'.length, insert: '/things' } });
    });
    await page.getByRole('tab', { name: 'Form' }).click();
    await page.getByRole('button', { name: 'items', exact: true }).click();
    await hasValue(page.getByLabel('Next page cursor'), '{{ response.next_cursor }}');
    await hasValue(page.getByLabel('URL path'), '/things');
    await page.getByLabel('URL path').fill('/items');
    await hasText(page.getByTestId('save-state'), 'Saved');
    await snap('back-to-form');

    // publish
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.locator('textarea[name="publish-description"]').fill('First version');
    await page.getByRole('button', { name: 'Publish v1' }).click();
    await hasText(page.getByTestId('published'), 'Published version 1.');
    await hasText(page.getByRole('dialog'), 'First version');
    await snap('published');
    await page.getByRole('button', { name: 'Close' }).first().click();

    // download
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download YAML' }).click()]);
    const file = await download.path();
    const yamlText = readFileSync(file!, 'utf8');
    expect(yamlText).toContain('# edited in YAML');
    expect(yamlText).toContain('next_cursor');
    expect(yamlText).toContain('name: items');
    expect(yamlText).not.toContain('secret-token');

    // contribute: writes connectors/source-items-api/
    await page.getByRole('button', { name: 'Contribute' }).click();
    await page.getByRole('button', { name: 'Write connector files' }).click();
    await hasText(page.getByRole('dialog').getByRole('status'), 'connectors/source-items-api/manifest.yaml');
    expect(existsSync(join(work, 'repo/connectors/source-items-api/manifest.yaml'))).toBe(true);
    await snap('contributed');
    await page.getByRole('button', { name: 'Close' }).first().click();

    // the project list shows it, published
    await page.getByTitle('All connectors').click();
    await visible(page.getByText('published v1'));
    await snap('project-list');
  });

  it('imports a 50-stream Airbyte export, keeps what the form cannot show, explains errors', async () => {
    const streams = Array.from({ length: 50 }, (_, i) => `  - type: DeclarativeStream
    name: stream_${i + 1}
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester:
        $ref: "#/definitions/base_requester"
        path: /items
      record_selector:
        type: RecordSelector
        extractor:
          type: DpathExtractor
          field_path: [data]
    schema_loader:
      type: InlineSchemaLoader
      schema:
        $ref: "#/schemas/item"`).join('\n');
    const manifest = `version: 6.5.0
type: DeclarativeSource
description: Exported from Airbyte
check:
  type: CheckStream
  stream_names: [stream_1]
definitions:
  base_requester:
    type: HttpRequester
    url_base: ${mock.url} # the API
    authenticator:
      type: BearerAuthenticator
      api_token: "{{ config['api_key'] }}"
streams:
${streams}
  - type: DeclarativeStream
    name: custom_events
    retriever:
      type: SimpleRetriever
      requester:
        $ref: "#/definitions/base_requester"
        path: /events
      record_selector:
        type: RecordSelector
        extractor:
          type: CustomRecordExtractor
          class_name: source_x.components.EventExtractor
schemas:
  item:
    type: object
    properties:
      id: { type: integer }
spec:
  type: Spec
  connection_specification:
    type: object
    required: [api_key]
    properties:
      api_key: { type: string, airbyte_secret: true, title: API key }
metadata:
  autoImportSchema: { stream_1: true }
`;
    await page.goto(base);
    await page.getByTestId('import-file').setInputFiles({ name: 'manifest.yaml', mimeType: 'application/yaml', buffer: Buffer.from(manifest) });
    await page.getByRole('heading', { name: /Stream stream_1/ }).waitFor();
    await count(page.locator('.stream-list li'), 51);
    await snap('imported-50-streams');

    // the custom extractor is kept and flagged
    await page.getByRole('button', { name: 'custom_events', exact: true }).click();
    await hasText(page.locator('.yaml-only'), 'CustomRecordExtractor');
    await snap('edited-in-yaml-note');

    // typing in a stream of a large manifest stays fast
    await page.getByRole('button', { name: 'stream_40', exact: true }).click();
    const path = page.getByLabel('URL path');
    await path.click();
    await page.keyboard.press('End');
    const t0 = Date.now();
    await page.keyboard.type('/more/segments', { delay: 0 });
    await hasValue(path, '/items/more/segments');
    const perKey = (Date.now() - t0) / 14;
    console.log(`[builder-ui e2e] typing in a 51-stream manifest: ${perKey.toFixed(1)} ms per key`);
    expect(perKey).toBeLessThan(150);

    // YAML keeps the comment, the custom component and metadata
    await page.getByRole('tab', { name: 'YAML' }).click();
    await yamlHas(page, '# the API');
    await yamlHas(page, 'source_x.components.EventExtractor');
    await yamlHas(page, 'autoImportSchema');
    await page.getByRole('tab', { name: 'Form' }).click();

    // the custom component stops test reads of the whole manifest: delete that stream
    await page.getByRole('button', { name: 'custom_events', exact: true }).click();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await count(page.locator('.stream-list li'), 50);

    // slices: a list partition router reads one slice per value
    await page.getByRole('button', { name: 'stream_2', exact: true }).click();
    await page.locator('input[name="tv-api_key"]').fill('secret-token');
    await page.locator('summary', { hasText: 'Partitioning' }).click();
    await page.getByLabel('Partition router').selectOption('ListPartitionRouter');
    await page.getByTestId('run-test').click();
    const sliceSelect = page.getByLabel('Slice', { exact: true });
    await until('2 slices', () => sliceSelect.locator('option').count(), (n) => n === 2);
    await sliceSelect.selectOption('1');
    await hasText(page.getByTestId('record-summary'), /20 records · 2 slices/);
    await snap('slices');

    // a failing read is explained
    await page.getByRole('button', { name: 'stream_1', exact: true }).click();
    await page.locator('input[name="tv-api_key"]').fill('wrong-token');
    await page.getByTestId('run-test').click();
    await hasText(page.locator('.test-result, .test-panel .error-box').first(), /credentials|401/);
    await snap('failed-read-explained');

    // a manifest error is shown with its line, in the YAML view
    await page.getByRole('tab', { name: 'YAML' }).click();
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('bogus_key: 1\n');
    await visible(page.getByTestId('validation-errors'), 20_000);
    await hasText(page.getByTestId('validation-errors'), 'bogus_key');
    await snap('validation-error');
  });
});
