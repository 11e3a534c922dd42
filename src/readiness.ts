import { sql } from 'kysely';
import type { Adapter } from './adapters/adapter.ts';
import type { Core } from './app.ts';
import type { ReadinessCheck } from './http-server.ts';

/** What /readyz checks: the database answers, the tutor index is loaded, every platform is connected. */
export function readinessChecks(core: Core, adapters: Adapter[]): ReadinessCheck[] {
  return [
    {
      name: 'database',
      check: async () => {
        await sql`SELECT 1`.execute(core.store.connection.db);
        return undefined;
      },
    },
    { name: 'tutor_index', check: async () => (core.tutor.isLoaded ? undefined : 'the tutor index is still loading') },
    ...adapters.map((adapter) => ({
      name: adapter.name,
      check: async () => (adapter.connected() ? undefined : `${adapter.name} is not connected`),
    })),
  ];
}
