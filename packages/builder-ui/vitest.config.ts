import { defineConfig } from 'vitest/config';

// unit tests of the pure model code; the browser tests have their own config (vitest.e2e.config.ts)
export default defineConfig({
  test: { include: ['src/**/*.test.ts'] },
});
