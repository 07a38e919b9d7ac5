import { defineConfig } from 'vitest/config';

// Tests of the harness's own helpers only; the benchmarks themselves run with `npm run bench`.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 20_000 },
});
