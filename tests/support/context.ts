import type { RequestContext } from '../../src/core/context.ts';

export type { RequestContext };

/** A request from `user` in the test tenant's channel at `now`. */
export function contextFor(user: string, overrides: Partial<RequestContext> = {}): RequestContext {
  return {
    platform: 'cli',
    tenantId: 'test-tenant',
    channelId: 'study',
    userId: user,
    displayName: user[0]!.toUpperCase() + user.slice(1),
    locale: 'en',
    now: new Date('2026-11-18T10:00:00Z'),
    isAdmin: false,
    ...overrides,
  };
}
