import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A token endpoint for the auth tests: records every request and answers from a handler. */
export interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
export type Reply = { status?: number; json?: unknown; text?: string };

export async function startServer(handler: (req: Seen) => Reply) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(entry);
      const reply = handler(entry);
      res.statusCode = reply.status ?? 200;
      res.setHeader('content-type', 'application/json');
      res.end(reply.text ?? JSON.stringify(reply.json ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}
