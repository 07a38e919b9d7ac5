/** Starts the Builder server: HOST (default 127.0.0.1), PORT (default 8427). */
import { buildApp } from './app.js';

export const DEFAULT_PORT = 8427;

async function main(): Promise<void> {
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`PORT must be a port number, got '${process.env.PORT ?? ''}'\n`);
    process.exit(2);
  }
  const app = await buildApp({ logger: process.env.BUILDER_LOG === '1' });
  const close = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void close());
  process.once('SIGTERM', () => void close());
  try {
    await app.listen({ host, port });
  } catch (error) {
    process.stderr.write(`Cannot listen on ${host}:${port}: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  process.stdout.write(`Builder ready at http://${shownHost}:${actualPort}\n`);
}

void main();
