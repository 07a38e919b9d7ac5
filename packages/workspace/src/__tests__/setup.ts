/** A fresh workspace in a temp dir with the shop connector published and a source + destination. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Workspace, WorkspaceOptions } from '../workspace.js';
import { openWorkspace } from '../workspace.js';
import { SHOP_MANIFEST, type ShopApi, shopConfig } from './shop-api.js';

export const TEST_KEY = Buffer.alloc(32, 7).toString('base64');

export function tempDir(prefix = 'manifold-ws-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function testWorkspace(options: WorkspaceOptions = {}): Workspace {
  return openWorkspace(tempDir(), { env: { MANIFOLD_SECRET_KEY: TEST_KEY }, ...options });
}

export async function shopSetup(workspace: Workspace, shop: ShopApi): Promise<void> {
  await workspace.publishConnector({ name: 'Shop', manifest: readFileSync(SHOP_MANIFEST, 'utf8') });
  await workspace.createSource({ name: 'shop', connector: 'Shop', config: shopConfig(shop.api) });
  await workspace.createDestination({ name: 'warehouse', config: { type: 'jsonl', directory: '/unused' } });
}
