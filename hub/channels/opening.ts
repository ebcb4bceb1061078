/**
 * A Google watch whose answer is lost (a timeout, a cut connection) may still have opened a
 * channel: Google then notifies calhub about it for up to its whole life, and channels.stop needs
 * the resourceId only that answer carried. So the channel id is recorded before the call
 * (migration 0056); if the call fails without proof that nothing was opened, the record waits for
 * the channel's first notification (the `sync` handshake names its resourceId, A.7) and the
 * supervisor stops it (stop-queue.ts). A handshake that has not come within
 * channelStops.HANDSHAKE_WAIT_MS means no channel was opened: the record is dropped then.
 *
 * Stopped, not adopted: the failed pass is already retried by the supervisor (which makes a
 * channel of its own and would then hold two), the row's secret and expiry would have to come
 * from headers (X-Goog-Channel-Expiration is optional), and one owner of "which channel is live"
 * (push_channels) keeps the rest of the supervisor simple.
 */
import { randomUUID } from 'node:crypto';
import type { PushSubscription } from '../../connectors/connector.ts';
import { hashSecret } from '../../shared/channel-secret.ts';
import { isHubError } from '../../shared/errors.ts';
import { channelStops, type PushChannel, type Store } from '../../shared/store/index.ts';

/** What recording a watch needs of the supervisor's pass. */
export interface OpeningDeps {
  store: Store;
  now: () => Date;
}

/** Google may grant less than asked, never more (A.7); an hour of slack for clocks. */
const EXPIRY_SLACK_MS = 3_600_000;

/**
 * An answer that proves no channel was opened: Google answered the watch with an error (a 4xx
 * refusal, or a 5xx such as 503 backendError during an outage: the call failed, Google sends no
 * handshake for it). Not a gateway's 502/504, behind which the watch may still have run, nor a
 * lost answer (a timeout, a cut connection: no status at all).
 */
const answered = (e: unknown): boolean => isHubError(e) && e.httpStatus !== undefined && e.httpStatus !== 502 && e.httpStatus !== 504;

export async function openChannel(d: OpeningDeps, row: PushChannel, named: boolean, secret: string, ttlSeconds: number, call: (channelId?: string) => Promise<PushSubscription>): Promise<PushSubscription> {
  if (!named) return call();
  const channelId = randomUUID();
  const now = d.now();
  await channelStops.recordOpening(d.store.db, {
    provider: row.provider, channelId, tenantId: row.tenantId, accountId: row.accountId, secretHash: hashSecret(secret),
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000 + EXPIRY_SLACK_MS), now,
  });
  try {
    return await call(channelId);
  } catch (e) {
    if (answered(e)) await channelStops.forgetOpening(d.store.db, row.provider, channelId);
    else await channelStops.abandonOpening(d.store.db, row.provider, channelId, isHubError(e) ? `${e.code}: ${e.message}` : String(e), d.now());
    throw e;
  }
}

/** The watch answered and the channel is saved: its record is not needed any more. */
export async function forgetOpening(d: OpeningDeps, row: PushChannel, channelId: string): Promise<void> {
  await channelStops.forgetOpening(d.store.db, row.provider, channelId);
}
