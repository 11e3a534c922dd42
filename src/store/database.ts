import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { migrateToLatest } from './migrations.ts';
import type { Database } from './tables.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface StoreConnection {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** The embedded database, when `kind` is pglite (for snapshots). */
  pglite?: PGlite;
  close(): Promise<void>;
}

const DATE_OID = 1082;
const INT8_OID = 20;
/** Dates stay `YYYY-MM-DD` strings (a JS Date would shift them by the host timezone). */
const keepDateText = (value: string) => value;

export interface OpenOptions {
  /** postgres:// URL; without it, PGlite stores data under `dataDir`. */
  databaseUrl?: string | undefined;
  /** Directory for PGlite's files; `undefined` with no databaseUrl keeps PGlite in memory. */
  dataDir?: string | undefined;
  poolSize?: number;
  logger?: Logger;
  /** Start PGlite from this data-directory snapshot (`PGlite#dumpDataDir`) instead of an empty one. */
  pgliteSnapshot?: Blob;
  /** Stop after this migration instead of migrating to the latest (tests of upgrades from older releases). */
  upToMigration?: string;
}

export async function openDatabase(options: OpenOptions): Promise<StoreConnection> {
  let connection: StoreConnection;
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === DATE_OID ? keepDateText : oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // A connection whose server goes away emits 'error' (on shutdown the server tells every client,
    // busy or idle). Without a listener that event kills the process; the query in flight fails on
    // its own and the pool replaces the connection.
    pool.on('error', (error) => options.logger?.warn({ err: error }, 'idle database connection failed'));
    pool.on('connect', (client) => client.on('error', (error) => options.logger?.warn({ err: error }, 'database connection failed')));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    connection = { db, kind: 'postgres', close: () => db.destroy() };
  } else {
    let dataDir: string | undefined;
    if (options.dataDir) {
      dataDir = path.join(options.dataDir, 'pglite');
      await mkdir(dataDir, { recursive: true });
    }
    const client = await PGlite.create({
      dataDir,
      parsers: { [DATE_OID]: keepDateText, [INT8_OID]: Number },
      ...(options.pgliteSnapshot ? { loadDataDir: options.pgliteSnapshot } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
    connection = { db, kind: 'pglite', pglite: client, close: () => db.destroy() };
  }
  const applied = await migrateToLatest(connection.db, options.upToMigration);
  if (applied.length) options.logger?.info({ migrations: applied, database: connection.kind }, 'database migrated');
  return connection;
}
