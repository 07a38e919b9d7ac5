import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UndiciHttpClient } from './http-client.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function listen(onRequest: () => void): Promise<string> {
  server = createServer((_req, res) => {
    onRequest();
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
}

describe('UndiciHttpClient onLoaded', () => {
  it('is called once, after undici is loaded and before the first request leaves', async () => {
    const events: string[] = [];
    const url = await listen(() => events.push('request'));
    const client = new UndiciHttpClient({ onLoaded: () => events.push('loaded') });
    try {
      const first = await client.send({ method: 'GET', url: `${url}/a`, headers: {} });
      await client.send({ method: 'GET', url: `${url}/b`, headers: {} });
      expect(first.status).toBe(200);
      expect(first.text()).toBe('{"ok":true}');
      expect(events).toEqual(['loaded', 'request', 'request']);
    } finally {
      await client.close();
    }
  });

  it('is not called by a client that never sends', async () => {
    let calls = 0;
    const client = new UndiciHttpClient({ onLoaded: () => (calls += 1) });
    await client.close();
    expect(calls).toBe(0);
  });
});

describe('UndiciHttpClient response turns', () => {
  it('hands back responses that arrive together at least two event-loop turns apart', async () => {
    // The server answers both requests at once, once both have arrived.
    const waiting: Array<() => void> = [];
    server = createServer((_req, res) => {
      waiting.push(() => res.end('{}'));
      if (waiting.length === 2) for (const answer of waiting.splice(0)) answer();
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const client = new UndiciHttpClient();
    try {
      const turnsAtResponse: number[] = [];
      await Promise.all(
        ['a', 'b'].map((path) => client.send({ method: 'GET', url: `${url}/${path}`, headers: {} }).then(() => turnsAtResponse.push(turn))),
      );
      const [first, second] = turnsAtResponse as [number, number];
      expect(second - first).toBeGreaterThanOrEqual(2);
    } finally {
      ticking = false;
      await client.close();
    }
  });
});
