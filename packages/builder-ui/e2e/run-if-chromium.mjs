// `npm test` runs the browser tests too when Debian's chromium is installed; otherwise says why not.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.log(`[builder-ui] skipping end-to-end browser tests: ${chromium} not found (apt-get install -y chromium)`);
  process.exit(0);
}
const r = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.e2e.config.ts'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
