/**
 * Starts the Builder server: HOST (default 127.0.0.1), PORT (default 8427). It runs scheduled
 * syncs too, unless MANIFOLD_SCHEDULER=0 (e.g. when `manifold scheduler` runs them elsewhere).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from './app.js';

export const DEFAULT_PORT = 8427;
export const DEFAULT_HOST = '127.0.0.1';

/** Listens where `env` says and writes `Builder ready at <url>` once it does. */
export async function startServer(
  env: Record<string, string | undefined> = process.env,
  write: (line: string) => void = (line) => void process.stdout.write(line),
  options: AppOptions = {},
): Promise<{ app: FastifyInstance; url: string }> {
  const host = env.HOST || DEFAULT_HOST;
  const rawPort = env.PORT || String(DEFAULT_PORT);
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) throw new Error(`PORT must be a port number (0-65535), got '${rawPort}'`);
  const app = await buildApp({ logger: env.BUILDER_LOG === '1', scheduler: env.MANIFOLD_SCHEDULER !== '0', ...options });
  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close();
    throw new Error(`Cannot listen on ${host}:${port}: ${(error as Error).message}`);
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  write(`Builder ready at ${url}\n`);
  return { app, url };
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  startServer().then(
    ({ app }) => {
      const close = () => void app.close().then(() => process.exit(0));
      process.once('SIGINT', close);
      process.once('SIGTERM', close);
    },
    (error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    },
  );
}
