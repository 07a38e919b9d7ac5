/**
 * End-to-end: the built UI served by @manifold/builder-server, driven in Debian's chromium.
 * Builds a connector from an empty project against a mock API (bearer auth, cursor pagination),
 * test-reads it, switches to YAML and back, publishes and downloads the YAML.
 * Screenshots go to /tmp/builder-shots/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { configuredCatalog, paginate, parseMessages, records, startMockApi, states, type MockApi } from '@manifold/testkit';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const serverJs = join(root, 'packages/builder-server/dist/server.js');
const uiDist = join(here, '../dist/index.html');
const cliJs = join(root, 'packages/cli/bin/source-declarative-manifest.js');
const cliDist = join(root, 'packages/cli/dist');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = process.env.BUILDER_SHOTS ?? '/tmp/builder-shots';

const missing = [
  !existsSync(CHROMIUM) && `${CHROMIUM} (apt-get install -y chromium)`,
  !existsSync(serverJs) && `${serverJs} (npx turbo run build --filter=@manifold/builder-server)`,
  !existsSync(uiDist) && `${uiDist} (npm run build -w @manifold/builder-ui)`,
  !existsSync(cliDist) && `${cliDist} (npx turbo run build --filter=@manifold/cli)`,
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
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

/** Every record the last test read shows, slice by slice and page by page (through the Raw JSON view). */
async function shownRecords(page: Page): Promise<{ all: unknown[]; perSlice: number[] }> {
  await page.getByRole('tab', { name: /^Records/ }).click();
  const raw = page.getByLabel('Raw JSON');
  await raw.check();
  const sliceSelect = page.getByLabel('Slice', { exact: true });
  const sliceCount = (await sliceSelect.count()) ? await sliceSelect.locator('option').count() : 1;
  const all: unknown[] = [];
  const perSlice: number[] = [];
  for (let i = 0; i < sliceCount; i++) {
    if (sliceCount > 1) {
      await sliceSelect.selectOption(String(i));
      await hasValue(sliceSelect, String(i));
    }
    const pages = page.getByRole('tablist', { name: 'Pages' }).getByRole('tab');
    let n = 0;
    for (let p = 0; p < (await pages.count()); p++) {
      await pages.nth(p).click();
      await until('page selected', () => pages.nth(p).getAttribute('aria-selected'), (v) => v === 'true');
      const shown = JSON.parse((await page.locator('.tab-body pre.json').textContent()) ?? '[]') as unknown[];
      all.push(...shown);
      n += shown.length;
    }
    perSlice.push(n);
  }
  await raw.uncheck();
  if (sliceCount > 1) await sliceSelect.selectOption('0');
  return { all, perSlice };
}

const items = Array.from({ length: 25 }, (_, i) => ({ id: i + 1, name: `item ${i + 1}`, price: (i + 1) * 1.5, tags: ['a'] }));
// two orders a day over three days: a P1D step gives three slices of two records
const orders = Array.from({ length: 6 }, (_, i) => ({
  id: 100 + i,
  total: 10 * (i + 1),
  updated_at: `2024-01-0${Math.floor(i / 2) + 1}T${i % 2 ? '17:30' : '05:00'}:00Z`,
}));
const customers = [{ id: 1, name: 'Ada' }, { id: 2, name: 'Brian' }, { id: 3, name: 'Chen' }];
const notesOf: Record<string, Array<{ note_id: string; text: string }>> = {
  1: [{ note_id: 'n1', text: 'first call' }, { note_id: 'n2', text: 'sent quote' }],
  2: [{ note_id: 'n3', text: 'asked for refund' }],
  3: [{ note_id: 'n4', text: 'new address' }, { note_id: 'n5', text: 'vip' }],
};
const authorized = (req: { headers: Record<string, string | string[] | undefined> }) => req.headers.authorization === 'Bearer secret-token';
const DENIED = { status: 401, body: { error: 'invalid token' } };
/** What the API's `since`/`until` filter keeps (inclusive, as the slice bounds are). */
const ordersBetween = (since: string | undefined, until: string | undefined) =>
  orders.filter((o) => (!since || o.updated_at >= since) && (!until || o.updated_at <= until));

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
          : DENIED,
      },
      {
        method: 'GET',
        path: '/orders',
        handler: (req) => (authorized(req) ? { body: { orders: ordersBetween(first(req.query.since), first(req.query.until)) } } : DENIED),
      },
      { method: 'GET', path: '/customers', handler: (req) => (authorized(req) ? { body: customers } : DENIED) },
      {
        method: 'GET',
        path: '/customers/:id/notes',
        handler: (req) => (authorized(req) ? { body: { data: notesOf[req.params.id!] ?? [] } } : { status: 401, body: {} }),
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

  it('builds incremental and parent/child streams with the keyboard and forms; the CLI reads the downloaded YAML alike', async () => {
    // keyboard: the name field has focus, Enter creates the project (a fresh load: a hash change would not remount)
    await page.goto(`${base}/?fresh`);
    await until('name focused', () => page.evaluate(() => document.activeElement?.getAttribute('aria-label')), (v) => v === 'Connector name');
    await page.keyboard.type('Shop API');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Global configuration' }).waitFor();
    // a bare host: the problem is named under the field
    const urlBase = page.getByLabel('API base URL');
    await urlBase.fill(mock.url.replace(/^http:\/\//, ''));
    await hasText(page.locator('.field', { has: urlBase }).getByTestId('field-error'), 'start it with https://');
    await urlBase.fill(mock.url);
    await count(page.locator('.field', { has: urlBase }).getByTestId('field-error'), 0);
    await page.getByLabel('Method').selectOption('BearerAuthenticator');
    await page.locator('.missing-inputs').getByRole('button').click();

    // keyboard: add a stream (Enter on "+ Add", type, Tab, type, Enter)
    const addByKeyboard = async (name: string, path: string) => {
      await page.getByRole('button', { name: 'New stream' }).focus();
      await page.keyboard.press('Enter');
      await page.keyboard.type(name);
      await page.keyboard.press('Tab');
      await page.keyboard.type(path);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: `Stream ${name}` }).waitFor();
      // focus moved to the new stream's form: Tab continues there
      await until('focus on the stream', () => page.evaluate(() => document.activeElement?.textContent), (t) => t === `Stream ${name}`);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('.form-pane'))).toBe(true);
    };
    const recordPath = async (part: string) => {
      const selector = page.locator('.field', { hasText: 'Record selector (field path)' });
      await selector.getByRole('button', { name: '+ Add path part' }).click();
      await selector.getByRole('textbox').fill(part);
    };
    const primaryKey = async (key: string) => {
      const pk = page.locator('.field', { hasText: 'Primary key' });
      await pk.getByRole('button', { name: '+ Add key field' }).click();
      await pk.getByRole('textbox').fill(key);
    };

    // ── orders: incremental, datetime cursor, one-day slices ──
    await addByKeyboard('orders', '/orders');
    await recordPath('orders');
    await primaryKey('id');
    await page.locator('summary', { hasText: 'Incremental sync' }).click();
    await page.getByLabel('Cursor', { exact: true }).selectOption('DatetimeBasedCursor');
    await hasValue(page.getByLabel('Cursor field'), 'updated_at');
    await hasValue(page.getByLabel('Start datetime'), "{{ config['start_date'] }}");
    await page.getByLabel('End datetime').fill("{{ config['end_date'] }}");
    // an invalid value: the message is beside the field, the input is marked
    const step = page.getByLabel(/^Step/);
    await step.fill('1 day');
    const stepField = page.locator('.field', { has: step });
    await hasText(stepField.getByTestId('field-error'), 'not an ISO 8601 duration');
    expect(await step.getAttribute('aria-invalid')).toBe('true');
    await stepField.scrollIntoViewIfNeeded();
    await snap('field-error-beside-step');
    await step.fill('P1D');
    await count(stepField.getByTestId('field-error'), 0);
    await page.getByLabel(/^Cursor granularity/).fill('PT1S');
    // a required field left empty: the server's complaint is shown beside that field, not in a box atop the section
    const cursorField = page.getByLabel('Cursor field');
    await cursorField.fill('');
    const cursorFieldBox = page.locator('.field', { has: cursorField });
    await hasText(cursorFieldBox.getByTestId('field-error'), "missing required field 'cursor_field'");
    await visible(page.getByTestId('validation-errors'));
    await count(page.locator('.section', { hasText: 'Incremental sync' }).locator('.section-body > .error-box'), 0);
    await cursorFieldBox.scrollIntoViewIfNeeded();
    await snap('server-error-beside-field');
    await cursorField.fill('updated_at');
    await count(page.getByTestId('validation-errors'), 0);
    await hasValue(page.locator('.nested', { hasText: 'Inject start time into' }).getByLabel('Field name'), 'since');
    await page.getByLabel('Inject end time into').selectOption('RequestOption');
    await page.locator('.nested', { hasText: 'Inject end time into' }).getByLabel('Field name').fill('until');
    // the cursor refers to two user inputs not defined yet: offered right on the stream
    await hasText(page.locator('.missing-inputs'), 'start_date');
    await page.locator('.missing-inputs').getByRole('button').click();
    await count(page.locator('.missing-inputs'), 0);
    await page.locator('summary', { hasText: 'Incremental sync' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await snap('incremental-form');

    await page.locator('input[name="tv-api_key"]').fill('secret-token');
    await page.locator('input[name="tv-start_date"]').fill('2024-01-01T00:00:00Z');
    await page.locator('input[name="tv-end_date"]').fill('2024-01-03T23:59:59Z');
    // testing values: the secret is masked on screen, the others are not
    expect(await page.locator('input[name="tv-api_key"]').getAttribute('type')).toBe('password');
    expect(await page.locator('input[name="tv-start_date"]').getAttribute('type')).toBe('text');
    // keyboard: Ctrl+Enter runs the test
    await page.locator('input[name="tv-end_date"]').focus();
    await page.keyboard.press('Control+Enter');
    await hasText(page.getByTestId('record-summary'), '6 records · 3 slices');
    const sliceSelect = page.getByLabel('Slice', { exact: true });
    await hasText(page.getByTestId('slice-info'), '2024-01-01T00:00:00Z');
    await hasText(page.getByTestId('slice-info'), '2024-01-01T23:59:59Z');
    await hasText(page.getByTestId('slice-state'), /updated_at.*2024-01-01T17:30:00Z/);
    await snap('incremental-slice-1');
    // keyboard: the next slice
    await page.getByRole('button', { name: 'Next slice' }).focus();
    await page.keyboard.press('Enter');
    await hasValue(sliceSelect, '1');
    await hasText(page.getByTestId('slice-info'), '2024-01-02T00:00:00Z');
    await hasText(page.getByTestId('slice-state'), /2024-01-02T17:30:00Z/);
    await snap('incremental-slice-2');
    const since = mock.requestsTo('/orders').map((r) => first(r.query.since));
    expect(since.slice(-3)).toEqual(['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z']);
    const shownOrders = await shownRecords(page);
    expect(shownOrders.perSlice).toEqual([2, 2, 2]);
    // the token is masked wherever the read shows it
    await page.getByRole('tab', { name: 'Request' }).click();
    await hasText(page.getByTestId('request-view'), 'Bearer ****');
    expect(await page.evaluate(() => document.body.innerText)).not.toContain('secret-token');
    await page.getByRole('tab', { name: /^Records/ }).click();

    // keyboard: Tab walks the screen in reading order (top bar → sidebar → form → test panel) and reaches "Test stream"
    await page.getByLabel('Connector name').focus();
    const regions: string[] = [];
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Tab');
      const where = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el) return 'none';
        if (el.getAttribute('data-testid') === 'run-test') return 'run-test';
        return el.closest('.topbar') ? 'topbar' : el.closest('.sidebar') ? 'sidebar' : el.closest('.main') ? 'main' : el.closest('.test-panel') ? 'test' : 'other';
      });
      if (regions.at(-1) !== where) regions.push(where);
      if (where === 'run-test') break;
    }
    expect(regions).toEqual(['topbar', 'sidebar', 'main', 'run-test']);

    // ── customers, then customer_notes: a child stream, one slice per customer ──
    await addByKeyboard('customers', '/customers');
    await primaryKey('id');
    // keyboard: Enter in a testing value runs the test
    await page.locator('input[name="tv-start_date"]').focus();
    await page.keyboard.press('Enter');
    await hasText(page.getByTestId('record-summary'), '3 records · 1 slice');
    const shownCustomers = await shownRecords(page);

    await addByKeyboard('customer_notes', "/customers/{{ stream_partition['customer_id'] }}/notes");
    // a new stream shows no test read yet (not the previous stream's records)
    await count(page.getByTestId('record-summary'), 0);
    await recordPath('data');
    await primaryKey('note_id');
    await page.locator('summary', { hasText: 'Partitioning' }).click();
    await page.getByLabel('Partition router').selectOption('SubstreamPartitionRouter');
    await page.getByRole('button', { name: '+ Add parent stream' }).click();
    await page.getByLabel(/^Parent stream\*?$/).selectOption('customers');
    await hasValue(page.getByLabel('Parent key (field of the parent record)'), 'id');
    await page.getByLabel('Current parent key value identifier').fill('customer_id');
    await snap('child-stream-form');
    await page.getByTestId('run-test').click();
    await hasText(page.getByTestId('record-summary'), '5 records · 3 slices');
    await until('3 slices', () => sliceSelect.locator('option').count(), (n) => n === 3);
    await hasText(page.getByTestId('slice-info'), /customer_id\s*1/);
    // a full-refresh child has no state to show
    await count(page.getByTestId('slice-state'), 0);
    await sliceSelect.selectOption('2');
    await hasText(page.getByTestId('slice-info'), /customer_id\s*3/);
    await hasText(page.getByTestId('records-table'), 'new address');
    await snap('child-slice-3');
    await page.getByRole('button', { name: 'Previous slice' }).click();
    await hasText(page.getByTestId('slice-info'), /customer_id\s*2/);
    await count(page.getByTestId('records-table').locator('tbody tr'), 1);
    expect(mock.requestsTo('/customers/:id/notes').map((r) => r.path).slice(-3)).toEqual(['/customers/1/notes', '/customers/2/notes', '/customers/3/notes']);
    const shownNotes = await shownRecords(page);
    expect(shownNotes.perSlice).toEqual([2, 1, 2]);
    // each stream keeps its own last test read
    await page.getByRole('button', { name: 'orders', exact: true }).click();
    await hasText(page.getByTestId('record-summary'), '6 records · 3 slices');

    // ── streams: duplicate, reorder, delete (the child keeps pointing at its parent) ──
    const streamList = () => page.locator('.stream-list li').allTextContents();
    await page.getByRole('button', { name: 'customers', exact: true }).click();
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await page.getByRole('heading', { name: 'Stream customers_copy' }).waitFor();
    await until('duplicated', streamList, (l) => l.join() === 'orders,customers,customers_copy,customer_notes');
    await page.getByRole('button', { name: 'Move stream up' }).click();
    await until('moved up', streamList, (l) => l.join() === 'orders,customers_copy,customers,customer_notes');
    await page.getByRole('button', { name: 'Move stream down' }).click();
    await page.getByRole('button', { name: 'Move stream down' }).click();
    await until('moved down', streamList, (l) => l.join() === 'orders,customers,customer_notes,customers_copy');
    expect(await page.getByRole('button', { name: 'Move stream down' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Move stream up' }).click();
    await until('moved back', streamList, (l) => l.join() === 'orders,customers,customers_copy,customer_notes');
    await snap('stream-duplicated-and-moved');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await until('deleted', streamList, (l) => l.join() === 'orders,customers,customer_notes');
    // keyboard: open the child stream from the sidebar; its parent is still "customers"
    await page.getByRole('button', { name: 'customer_notes', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Stream customer_notes' }).waitFor();
    await hasValue(page.getByLabel(/^Parent stream\*?$/), 'customers');

    // a YAML error is marked on its line, and goes away when fixed
    await page.getByRole('tab', { name: 'YAML' }).click();
    await yamlHas(page, 'SubstreamPartitionRouter');
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('broken: a: b\n');
    await visible(page.locator('.cm-gutter-lint .cm-lint-marker-error'));
    await visible(page.locator('.cm-lintRange-error'));
    await hasText(page.locator('.yaml-pane .error-box'), /YAML error on line \d+/);
    const lines = (await yamlText(page)).split('\n');
    const badLine = lines.findIndex((l) => l.startsWith('broken:')) + 1;
    await hasText(page.locator('.yaml-pane .error-box'), new RegExp(`line (${badLine}|${badLine + 1})`));
    await page.locator('.cm-gutter-lint .cm-lint-marker-error').scrollIntoViewIfNeeded();
    await snap('yaml-error-marker');
    // fix it: delete the line
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await until('line removed', () => yamlText(page), (t) => !t.includes('broken:'));
    await count(page.locator('.cm-gutter-lint .cm-lint-marker-error'), 0);
    await page.getByRole('tab', { name: 'Form' }).click();
    await page.getByRole('heading', { name: 'Stream customer_notes' }).waitFor();
    await hasText(page.getByTestId('save-state'), 'Saved');

    // ── the downloaded YAML, read by the CLI against the same API, gives the same records ──
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download YAML' }).click()]);
    const manifestPath = join(work, 'shop.yaml');
    writeFileSync(manifestPath, readFileSync((await download.path())!, 'utf8'));
    expect(readFileSync(manifestPath, 'utf8')).not.toContain('secret-token');
    const configPath = join(work, 'shop-config.json');
    writeFileSync(configPath, JSON.stringify({ api_key: 'secret-token', start_date: '2024-01-01T00:00:00Z', end_date: '2024-01-03T23:59:59Z' }));
    const catalogPath = join(work, 'shop-catalog.json');
    writeFileSync(catalogPath, JSON.stringify(configuredCatalog([
      { name: 'orders', syncMode: 'incremental', cursorField: ['updated_at'] },
      'customers',
      'customer_notes',
    ])));
    const cli = await new Promise<{ code: number | null; out: string; err: string }>((res) => {
      const child = spawn(process.execPath, [cliJs, 'read', '--manifest-path', manifestPath, '--config', configPath, '--catalog', catalogPath], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      child.on('close', (code) => res({ code, out, err }));
    });
    expect(cli.code, cli.err).toBe(0);
    const messages = parseMessages(cli.out);
    expect(records(messages, 'orders').sort(byJson)).toEqual([...shownOrders.all].sort(byJson));
    expect(records(messages, 'customers').sort(byJson)).toEqual([...shownCustomers.all].sort(byJson));
    expect(records(messages, 'customer_notes').sort(byJson)).toEqual([...shownNotes.all].sort(byJson));
    expect(records(messages, 'orders')).toHaveLength(6);
    expect(records(messages, 'customer_notes')).toHaveLength(5);
    const ordersState = states(messages).filter((st) => st.stream?.stream_descriptor.name === 'orders').at(-1);
    expect(JSON.stringify(ordersState?.stream?.stream_state)).toContain('"updated_at":"2024-01-03T17:30:00Z"');
    expect(cli.out).not.toContain('secret-token');

    // keyboard: publish with Ctrl+Enter in the notes (the dialog has focus), contribute with Enter
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await until('notes focused', () => page.evaluate(() => document.activeElement?.getAttribute('name')), (v) => v === 'publish-description');
    await page.keyboard.type('Orders, customers and their notes');
    await page.keyboard.press('Control+Enter');
    await hasText(page.getByTestId('published'), 'Published version 1.');
    await page.keyboard.press('Escape');
    await count(page.getByRole('dialog'), 0);
    await page.getByRole('button', { name: 'Contribute' }).click();
    await page.keyboard.press('Enter');
    await hasText(page.getByRole('dialog').getByRole('status'), 'connectors/source-shop-api/manifest.yaml');
    expect(readFileSync(join(work, 'repo/connectors/source-shop-api/manifest.yaml'), 'utf8')).toContain('SubstreamPartitionRouter');
    await page.keyboard.press('Escape');
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
