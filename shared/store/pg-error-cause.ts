/**
 * Why PostgreSQL could not be used, in words safe for a terminal or a log: the address, the
 * database or role named, never the password or the connection URL. Every connection problem
 * used to read `database query failed`, so a typo in DATABASE_URL looked like a down server.
 */
import { scrubSecrets } from '../logger.ts';

type NodeNetError = Error & { code?: string; address?: string; port?: number; hostname?: string; path?: string; errors?: NodeNetError[] };

/**
 * SQLSTATE classes whose server message names only a database, a role, a user or the server's state:
 * 08 connection exception, 28 authorization (role missing, password refused), 3D database missing,
 * 53 insufficient resources (too many connections), 57P operator intervention (shutting down, starting up).
 */
const CONNECTION_SQLSTATE = /^(08|28|3D|53|57P)/;

/** The reason for a connection problem, or null for any other failure (a query's own error stays out). */
export function pgConnectionCause(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  const err = e as NodeNetError;
  const first = err.errors?.[0] ?? err;
  const at = first.address !== undefined ? `${first.address}${first.port !== undefined ? `:${first.port}` : ''}` : null;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `connection refused${at ? ` at ${at}` : ''}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host ${first.hostname ?? '(unknown)'} not found`;
    case 'ETIMEDOUT':
      return `connection timed out${at ? ` at ${at}` : ''}`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `connection reset${at ? ` at ${at}` : ''}`;
    case 'ENOENT':
      return `no server socket${first.address ? ` at ${first.address}` : ''}`;
    case 'EACCES':
      return `permission denied${first.address ? ` at ${first.address}` : ''}`;
  }
  if (err.code && CONNECTION_SQLSTATE.test(err.code)) return scrubSecrets(err.message);
  // node-postgres's own, without a code: the server went away mid-connection or mid-query.
  if (/^Connection terminated/.test(err.message) || /^timeout expired/.test(err.message)) return scrubSecrets(err.message);
  return null;
}
