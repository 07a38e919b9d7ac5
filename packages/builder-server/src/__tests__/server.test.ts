import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('server.ts', () => {
  beforeAll(() => {
    if (!existsSync(join(packageDir, 'dist/server.js'))) {
      execFileSync(process.execPath, [join(packageDir, '../../node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: packageDir });
    }
  });

  it('listens on HOST and PORT and says where when ready', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'builder-srv-'));
    const child = spawn(process.execPath, ['dist/server.js'], {
      cwd: packageDir,
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', MANIFOLD_WORKSPACE: workspace },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolvePromise, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /Builder ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match?.[1]) {
            clearTimeout(timer);
            resolvePromise(match[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const res = await fetch(`${url}/v1/health`);
      expect(await res.json()).toEqual({ status: 'ok' });
    } finally {
      child.kill('SIGTERM');
      await rm(workspace, { recursive: true, force: true });
    }
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
