import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type OpenOptions } from '../../src/store/database.ts';

export type Backend = 'pglite' | 'postgres';
export const BACKENDS: Backend[] = ['pglite', 'postgres'];

/** A new, empty PostgreSQL database on the run's server; returns its URL. */
export async function freshPostgresDatabase(): Promise<string> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

let snapshot: Promise<Blob> | undefined;

/**
 * A migrated, empty PGlite data directory, made once per test worker: starting from it takes a
 * fraction of a second instead of running initdb and the migrations for every test.
 */
export function migratedPgliteSnapshot(): Promise<Blob> {
  snapshot ??= (async () => {
    const connection = await openDatabase({});
    const dump = await connection.pglite!.dumpDataDir('none');
    await connection.close();
    return dump;
  })();
  return snapshot;
}

/** Open options for a fresh, migrated database on the backend (PGlite in memory). */
export async function freshDatabase(backend: Backend): Promise<OpenOptions> {
  return backend === 'postgres' ? { databaseUrl: await freshPostgresDatabase() } : { pgliteSnapshot: await migratedPgliteSnapshot() };
}
