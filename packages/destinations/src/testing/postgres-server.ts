import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  stop(): Promise<void>;
}

/** Where initdb/pg_ctl live on this machine, or undefined. */
export function findPostgresBin(): string | undefined {
  const candidates = ['/usr/local/bin', '/usr/lib/postgresql'].flatMap((base) => {
    if (base.endsWith('postgresql') && existsSync(base)) return readdirSync(base).sort().reverse().map((version) => join(base, version, 'bin'));
    return [base];
  });
  return candidates.find((directory) => existsSync(join(directory, 'initdb')) && existsSync(join(directory, 'pg_ctl')));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A throwaway cluster in a temp folder, on 127.0.0.1 and a free port, with password auth over TCP.
 * Postgres refuses to run as root, so as root the server runs as the `postgres` system user.
 */
export async function startPostgres(bin: string): Promise<PostgresServer> {
  const root = mkdtempSync(join(tmpdir(), 'manifold-pg-'));
  const asRoot = userInfo().uid === 0;
  const password = 'pg-test-secret-4711';
  writeFileSync(join(root, 'pw'), `${password}\n`);
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    chownSync(root, Number(stdout.trim()), Number(group.trim()));
    chownSync(join(root, 'pw'), Number(stdout.trim()), Number(group.trim()));
  }
  const exec = (program: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, program), ...args]) : run(join(bin, program), args);
  const data = join(root, 'data');
  await exec('initdb', ['-D', data, '-U', 'manifold', `--pwfile=${join(root, 'pw')}`, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  await exec('pg_ctl', ['-D', data, '-o', options, '-l', join(root, 'log'), '-w', '-t', '60', 'start']);
  return {
    host: '127.0.0.1',
    port,
    user: 'manifold',
    password,
    database: 'postgres',
    async stop() {
      await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
