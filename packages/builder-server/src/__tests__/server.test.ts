import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { startServer } from '../server.js';

describe('server.ts', () => {
  it('listens on HOST and PORT and says where when ready', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'builder-srv-'));
    const lines: string[] = [];
    const { app, url } = await startServer({ HOST: '127.0.0.1', PORT: '0' }, (line) => lines.push(line), { workspaceDir: workspace });
    try {
      expect(lines).toEqual([`Builder ready at ${url}\n`]);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${url}/v1/health`);
      expect(await res.json()).toEqual({ status: 'ok' });
    } finally {
      await app.close();
      await rm(workspace, { recursive: true, force: true });
    }
  });

  it('refuses a PORT that is not a port', async () => {
    await expect(startServer({ PORT: 'eighty' }, () => undefined)).rejects.toThrow(/PORT must be a port number/);
  });
});

describe('the UI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'builder-ui-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Builder UI</title>');
    await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('serves the built UI at /, its assets, and index.html for client routes', async () => {
    const app = await buildApp({ uiDir: dir, workspaceDir: join(dir, 'ws') });
    try {
      const index = await app.inject({ method: 'GET', url: '/' });
      expect(index.statusCode).toBe(200);
      expect(index.body).toContain('Builder UI');
      const asset = await app.inject({ method: 'GET', url: '/assets/app.js' });
      expect(asset.body).toBe('console.log(1)');
      const clientRoute = await app.inject({ method: 'GET', url: '/projects/123' });
      expect(clientRoute.body).toContain('Builder UI');
      const api = await app.inject({ method: 'GET', url: '/api/nothing' });
      expect(api.statusCode).toBe(404);
      expect(api.json().detail).toMatch(/No route/);
      expect((await app.inject({ method: 'GET', url: '/v1/health' })).json()).toEqual({ status: 'ok' });
    } finally {
      await app.close();
    }
  });
});
