import { defineConfig } from 'vite';

const server = process.env.BUILDER_SERVER ?? 'http://127.0.0.1:8427';

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    port: 5173,
    proxy: { '/api': server, '/v1': server, '/health': server, '/capabilities': server },
  },
});
