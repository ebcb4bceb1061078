/**
 * A pooled keep-alive connection the server closed just as it was reused fails the request before
 * any answer byte (ECONNRESET, EPIPE, "socket hang up"; undici: "other side closed"). A provider
 * closing idle connections does this at random; the request never reached it. An idempotent read
 * is sent again once, at once, on a new connection: the one inline retry this allows, since a
 * failed pull would otherwise fail the whole run. A write never is: it may have been received.
 */
const STALE_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const STALE_MESSAGES = ['socket hang up', 'other side closed'];

export const IDEMPOTENT_READS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PROPFIND', 'REPORT']);

export const isIdempotentRead = (method: string | undefined): boolean => IDEMPOTENT_READS.has((method ?? 'GET').toUpperCase());

/** True when the error (or one it wraps: fetch wraps its socket error in `cause`) is a closed connection. */
export function isStaleConnection(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && STALE_CODES.has(code)) return true;
    if (typeof message === 'string' && STALE_MESSAGES.includes(message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
