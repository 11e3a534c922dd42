/** PostgreSQL error classes and socket errors that mean "the database is not reachable right now". */
const UNAVAILABLE_CODES = /^(08|57P0[1-3]|53300)/;
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);
/** node-postgres reports a connection dropped mid-query with a message and no code. */
const DROPPED = /^Connection terminated|connection.*(closed|ended)|Client has encountered a connection error/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return UNAVAILABLE_CODES.test(code) || SOCKET_CODES.has(code);
  return typeof message === 'string' && DROPPED.test(message);
}

export const DATABASE_UNAVAILABLE = 'The database is not reachable right now, so nothing was recorded. Please try again in a moment.';
