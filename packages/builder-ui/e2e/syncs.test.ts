/**
 * End-to-end: the Connections area of the built UI, served by @manifold/builder-server and driven
 * in Debian's chromium. A connector published through the API, then through the UI: a source
 * against a mock API, a DuckDB destination, a connection with an incremental stream, two syncs
 * (live progress, summary, history), and finally the DuckDB file holds every record once.
 * Screenshots go to /tmp/builder-shots/syncs-*.png.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startMockApi, type MockApi, type MockRequest } from '@manifold/testkit';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const serverJs = join(root, 'packages/builder-server/dist/server.js');
const workspaceDist = join(root, 'packages/workspace/dist/index.js');
const uiDist = join(here, '../dist/index.html');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = process.env.BUILDER_SHOTS ?? '/tmp/builder-shots';

const missing = [
  !existsSync(CHROMIUM) && `${CHROMIUM} (apt-get install -y chromium)`,
  !existsSync(serverJs) && `${serverJs} (npx turbo run build --filter=@manifold/builder-server)`,
  !existsSync(workspaceDist) && `${workspaceDist} (npx turbo run build --filter=@manifold/workspace)`,
  !existsSync(uiDist) && `${uiDist} (npm run build -w @manifold/builder-ui)`,
].filter(Boolean);
if (missing.length) console.log(`[builder-ui syncs e2e] skipped: missing ${missing.join(', ')}`);

const API_KEY = 'library-key-SENTINEL-e2e-93b1';

/** Our own connector: books added per day (incremental, one day per slice), authors (full refresh). */
const LIBRARY_MANIFEST = `
version: 6.44.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [authors] }
definitions:
  requester:
    type: HttpRequester
    url_base: "{{ config['base_url'] }}"
    http_method: GET
    authenticator:
      type: ApiKeyAuthenticator
      api_token: "{{ config['api_key'] }}"
      inject_into: { type: RequestOption, inject_into: header, field_name: X-Api-Key }
  selector:
    type: RecordSelector
    extractor: { type: DpathExtractor, field_path: [items] }
streams:
  - type: DeclarativeStream
    name: books
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: /books }
      record_selector: { $ref: "#/definitions/selector" }
    incremental_sync:
      type: DatetimeBasedCursor
      cursor_field: added_on
      datetime_format: "%Y-%m-%d"
      start_datetime: "{{ config['start_date'] }}"
      end_datetime: "{{ config['end_date'] }}"
      step: P1D
      cursor_granularity: P1D
      start_time_option: { type: RequestOption, inject_into: request_parameter, field_name: from }
      end_time_option: { type: RequestOption, inject_into: request_parameter, field_name: to }
    schema_loader:
      type: InlineSchemaLoader
      schema: { type: object, properties: { id: { type: integer }, title: { type: string }, added_on: { type: string } } }
  - type: DeclarativeStream
    name: authors
    primary_key: id
    retriever:
      type: SimpleRetriever
      requester: { $ref: "#/definitions/requester", path: /authors }
      record_selector: { $ref: "#/definitions/selector" }
    schema_loader:
      type: InlineSchemaLoader
      schema: { type: object, properties: { id: { type: integer }, name: { type: string } } }
spec:
  type: Spec
  connection_specification:
    type: object
    required: [api_key, base_url, start_date, end_date]
    properties:
      api_key: { type: string, title: API key, airbyte_secret: true, order: 0 }
      base_url: { type: string, title: Base URL, order: 1 }
      start_date: { type: string, title: Start date, format: date, order: 2 }
      end_date: { type: string, title: End date, format: date, order: 3 }
`;

const day = (n: number) => `2024-03-${String(n).padStart(2, '0')}`;
/** 20 books a day over the first ten days of March. */
const books = Array.from({ length: 200 }, (_, i) => ({ id: i + 1, title: `Book ${i + 1}`, added_on: day(Math.floor(i / 20) + 1) }));
const newBooks = Array.from({ length: 5 }, (_, i) => ({ id: 201 + i, title: `New book ${i + 1}`, added_on: day(11) }));
const authors = [{ id: 1, name: 'Ada' }, { id: 2, name: 'Brontë' }, { id: 3, name: 'Calvino' }];

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
async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeout = 20_000): Promise<T> {
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
    await new Promise((r) => setTimeout(r, 50));
  }
}
const numberIn = async (l: Loc) => Number(((await l.textContent()) ?? '').replace(/[^0-9]/g, ''));
const hasText = (l: Loc, v: string | RegExp) => until(`text ${v}`, async () => (await l.textContent()) ?? '', (x) => (typeof v === 'string' ? x.includes(v) : v.test(x)));

describe.skipIf(missing.length > 0)('Connections and syncs in a browser', () => {
  let mock: MockApi;
  let server: ChildProcess;
  let browser: Browser;
  let page: Page;
  let base: string;
  let work: string;
  let catalog = [...books];
  const snap = async (name: string) => {
    await page.screenshot({ path: join(SHOTS, `syncs-${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    work = mkdtempSync(join(tmpdir(), 'builder-syncs-e2e-'));
    const authorized = (req: MockRequest) => req.headers['x-api-key'] === API_KEY;
    mock = await startMockApi([
      {
        method: 'GET',
        path: '/books',
        handler: (req) => {
          if (!authorized(req)) return { status: 401, body: { error: 'bad key' } };
          const from = String(req.query.from);
          const to = String(req.query.to);
          // slow enough that the live progress is seen (and photographed) while it runs
          return { body: { items: catalog.filter((b) => b.added_on >= from && b.added_on <= to) }, delayMs: 250 };
        },
      },
      { method: 'GET', path: '/authors', handler: (req) => (authorized(req) ? { body: { items: authors } } : { status: 401, body: {} }) },
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
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => console.error('[page error]', e.message));
  });

  afterAll(async () => {
    await browser?.close();
    server?.kill();
    await mock?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('creates a source, a DuckDB destination and a connection, syncs twice, and the file holds every record once', async () => {
    // publish a connector (the Builder's own API: project, then publish)
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(201);
      return (await res.json()) as { id: string };
    };
    const project = await post('/api/projects', { name: 'Library', manifest: LIBRARY_MANIFEST });
    await post(`/api/projects/${project.id}/publish`, { description: 'books and authors' });

    // the project list leads to the Connections area
    await page.goto(base);
    await page.getByText('Library').first().waitFor();
    await snap('00-project-list');
    await page.getByRole('link', { name: /Connections/ }).click();
    await page.getByRole('heading', { name: 'Connections', exact: true }).waitFor();
    await hasText(page.locator('.ws-main'), 'No connections yet');
    await snap('01-connections-empty');

    // a source from the published connector, its config form generated from the spec
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Sources' }).click();
    await page.getByRole('button', { name: '+ New source' }).click();
    await page.getByLabel('Connector', { exact: true }).waitFor();
    expect(await page.getByLabel('Connector', { exact: true }).inputValue()).toBe('Library');
    expect(await page.getByLabel('Version').locator('option').allTextContents()).toEqual(['latest (v1, follows new versions)', 'v1 — books and authors']);
    await page.getByLabel('Source name').fill('library');
    const apiKey = page.locator('#source-config-api_key');
    expect(await apiKey.getAttribute('type')).toBe('password');
    await apiKey.fill(API_KEY);
    await page.locator('#source-config-base_url').fill(mock.url);
    await page.locator('#source-config-start_date').fill(day(1));
    await hasText(page.locator('.ws-actions'), 'Required: end_date');
    expect(await page.getByRole('button', { name: 'Create source' }).isDisabled()).toBe(true);
    await page.locator('#source-config-end_date').fill(day(12));
    await snap('02-source-form');
    await page.getByRole('button', { name: 'Create source' }).click();
    const sourceRow = page.getByRole('table', { name: 'Sources' }).locator('tbody tr');
    await hasText(sourceRow, 'library');
    await hasText(sourceRow, 'api_key: **********');
    expect(await page.content()).not.toContain(API_KEY);
    await snap('03-sources');

    // a DuckDB destination: the default type, with a file path
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Destinations' }).click();
    await page.getByRole('button', { name: '+ New destination' }).click();
    const path = page.locator('#destination-config-path');
    await until('default DuckDB path', () => path.inputValue(), (v) => v.endsWith('warehouse.duckdb'));
    expect(await page.getByRole('radio', { name: /DuckDB/ }).isChecked()).toBe(true);
    // other types bring their own forms (Postgres: a password field), and back
    await page.getByRole('radio', { name: /Postgres/ }).check();
    expect(await page.locator('#destination-config-password').getAttribute('type')).toBe('password');
    await page.getByRole('radio', { name: /DuckDB/ }).check();
    const duckdbFile = join(work, 'warehouse.duckdb');
    await path.fill(duckdbFile);
    await snap('04-destination-form');
    await page.getByRole('button', { name: 'Create destination' }).click();
    await hasText(page.getByRole('table', { name: 'Destinations' }), `path: ${duckdbFile}`);
    await snap('05-destinations');

    // a connection: discovered streams with a sync mode each, defaults as the workspace's
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('link', { name: '+ New connection' }).click();
    const booksMode = page.getByLabel('Sync mode of books');
    await booksMode.waitFor({ timeout: 30_000 });
    expect(await booksMode.inputValue()).toBe('incremental_append_dedup');
    expect(await page.getByLabel('Sync mode of authors').inputValue()).toBe('full_refresh_overwrite');
    expect(await page.getByLabel('Sync mode of authors').locator('option').allTextContents()).toEqual(['Full refresh · overwrite', 'Full refresh · append']);
    expect(await page.getByLabel('Sync books').isChecked()).toBe(true);
    await page.getByLabel('Connection name').fill('Library to warehouse');
    await snap('06-new-connection');
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('heading', { name: 'Library to warehouse' }).waitFor();
    await hasText(page.getByRole('table', { name: 'Connection streams' }), 'Incremental · append + dedup');

    // first sync: live progress, then the summary
    await page.getByRole('button', { name: 'Sync now' }).click();
    const progress = page.getByTestId('sync-progress');
    await progress.waitFor();
    await until('books records climbing', () => numberIn(page.getByTestId('progress-books')), (n) => n >= 40 && n < 200);
    await hasText(progress, 'Reading records');
    await hasText(page.getByTestId('sync-history'), 'Running');
    await snap('07-sync-progress');
    const summary = page.getByTestId('sync-summary');
    await summary.waitFor({ timeout: 60_000 });
    await hasText(summary, 'Succeeded');
    expect(await numberIn(page.getByTestId('summary-records'))).toBe(203);
    expect(await numberIn(page.getByTestId('summary-books'))).toBe(200);
    expect(await numberIn(page.getByTestId('summary-authors'))).toBe(3);
    const history = page.getByTestId('sync-history');
    const rows = history.locator('tbody tr');
    const recorded = (n: number) =>
      until(`${n} syncs in the history, the newest succeeded`, async () => [await rows.count(), (await rows.first().textContent()) ?? ''] as const, ([count, text]) => count === n && text.includes('Succeeded'), 60_000);
    await recorded(1);
    await snap('08-sync-summary');

    // second sync: only what is new since the cursor (the cursor's day is read again)
    catalog = [...books, ...newBooks];
    await page.getByRole('button', { name: 'Sync now' }).click();
    await recorded(2);
    await hasText(summary, 'Succeeded');
    const secondBooks = await numberIn(page.getByTestId('summary-books'));
    expect(secondBooks).toBe(25); // day 10 again (20) and the 5 new books of day 11
    expect(await numberIn(page.getByTestId('summary-records'))).toBe(28);
    expect(await rows.nth(0).getByTestId('history-records').textContent()).toBe('28');
    expect(await rows.nth(1).getByTestId('history-records').textContent()).toBe('203');
    await hasText(rows.nth(0), 'Succeeded');
    await hasText(rows.nth(1), 'Succeeded');
    await snap('09-history');

    // the list shows the connection's last sync
    await page.getByRole('link', { name: '← Connections' }).click();
    await hasText(page.getByRole('table', { name: 'Connections' }), '28 records');
    await snap('10-connections');
    expect(await page.content()).not.toContain(API_KEY);

    // the DuckDB file: every book and author exactly once (dedup on id; authors overwritten)
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(duckdbFile, { access_mode: 'READ_ONLY' });
    const db = await instance.connect();
    try {
      const read = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson();
      const bookIds = (await read('SELECT id, count(*) AS n FROM main.books GROUP BY id ORDER BY id')) as Array<{ id: number | string; n: number | string }>;
      expect(bookIds.map((row) => Number(row.id))).toEqual([...books, ...newBooks].map((b) => b.id));
      expect(bookIds.every((row) => Number(row.n) === 1)).toBe(true);
      const authorRows = (await read('SELECT id, name FROM main.authors ORDER BY id')) as Array<{ id: number | string; name: string }>;
      expect(authorRows.map((row) => [Number(row.id), row.name])).toEqual(authors.map((a) => [a.id, a.name]));
    } finally {
      db.closeSync();
      instance.closeSync();
    }
  });

  it('shows a failed sync with its (masked) error in the summary and the history', async () => {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(201);
      return (await res.json()) as { id: string };
    };
    const wrongKey = `${API_KEY}-revoked`;
    const source = await post('/api/workspace/sources', { name: 'revoked', connector: 'Library', config: { api_key: wrongKey, base_url: mock.url, start_date: day(1), end_date: day(2) } });
    const lake = await post('/api/workspace/destinations', { name: 'lake', config: { type: 'jsonl', directory: join(work, 'lake') } });
    const connection = await post('/api/workspace/connections', { name: 'Revoked key', source: source.id, destination: lake.id, streams: ['authors'] });

    await page.goto(`${base}/#/connections/${connection.id}`);
    await page.getByRole('heading', { name: 'Revoked key' }).waitFor();
    await page.getByRole('button', { name: 'Sync now' }).click();
    const summary = page.getByTestId('sync-summary');
    await hasText(summary, 'Failed');
    await hasText(summary.getByRole('alert'), /401/);
    await hasText(page.getByTestId('sync-history').locator('tbody tr').first(), 'Failed');
    expect(await page.content()).not.toContain(wrongKey);
    await snap('11-sync-failed');
  });

  it('cancels a running sync, and resets a connection', async () => {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(201);
      return (await res.json()) as { id: string };
    };
    const lake = await post('/api/workspace/destinations', { name: 'slow lake', config: { type: 'jsonl', directory: join(work, 'slow-lake') } });
    const connection = await post('/api/workspace/connections', { name: 'Books to files', source: 'library', destination: lake.id, streams: ['books'] });
    await page.goto(`${base}/#/connections/${connection.id}`);
    await page.getByRole('heading', { name: 'Books to files' }).waitFor();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await until('some books read', () => numberIn(page.getByTestId('progress-books')), (n) => n > 0);
    await page.getByRole('button', { name: 'Cancel sync' }).click();
    const summary = page.getByTestId('sync-summary');
    await hasText(summary, 'Cancelled');
    await hasText(page.getByTestId('sync-history').locator('tbody tr').first(), 'Cancelled');
    expect(await numberIn(page.getByTestId('summary-records'))).toBeLessThan(205);
    await snap('12-sync-cancelled');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Reset data' }).click();
    await hasText(page.getByRole('status'), 'Reset books');
  });
});
