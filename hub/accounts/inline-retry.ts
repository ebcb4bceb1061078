/**
 * Retries for what `accounts disconnect` does at the provider while it waits (channel stops, the
 * deletes of its own mirror copies): the grant is revoked right after, so these cannot go to the
 * queue as a sync's writes do. A few quick tries, Retry-After honoured up to 2 s.
 */
import { isHubError } from '../../shared/errors.ts';
import { scrubSecrets } from '../../shared/logger.ts';
import { describeError } from '../sync-here.ts';

/** A failure a later try could mend: 5xx, 429, an expired access token. */
export const retriable = (e: unknown): boolean => isHubError(e) && (e.retry === 'backoff' || e.retry === 'delay' || e.retry === 'refresh');

/** The failure as one scrubbed line with its code. */
export const failureText = (e: unknown): string => scrubSecrets(isHubError(e) ? `${e.code}: ${e.message}` : describeError(e));

/** fn's value, or the error of its last try (after `tries`, or at once when not retriable). */
export async function withRetries<T>(fn: () => Promise<T>, tries: number, backoffMs: number): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  for (let i = 1; ; i++) {
    try {
      return { ok: true, value: await fn() };
    } catch (e) {
      if (i >= tries || !retriable(e)) return { ok: false, error: e };
      const after = isHubError(e) && e.retryAfterMs ? Math.min(e.retryAfterMs, 2_000) : backoffMs * 2 ** (i - 1);
      await new Promise((r) => setTimeout(r, after));
    }
  }
}
