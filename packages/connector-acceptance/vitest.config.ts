import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    // Connector containers share two cores with everything else: one file at a time.
    fileParallelism: false,
  },
});
