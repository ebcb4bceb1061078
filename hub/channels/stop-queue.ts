/**
 * Queued channel stops (migration 0056), worked through by the supervisor's sweep: watches whose
 * answer was lost (opening.ts) and stops a disconnect could not finish inline. Each is retried with
 * backoff until it succeeds or its channel would have expired anyway; an error a retry cannot mend
 * (a revoked grant) ends it at once. A stop of a deleted account uses the grant envelope its row
 * carries, and the last one done revokes that grant when the disconnect deferred the revocation.
 */
import type { PushSubscription } from '../../connectors/connector.ts';
import { isHubError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { channelStops, type ChannelStop, type Store } from '../../shared/store/index.ts';
import type { Connected, EngineDeps } from '../../sync-engine/index.ts';
import { asError, message, pushOf } from './pass-steps.ts';

export interface StopDeps {
  store: Store;
  connect: EngineDeps['connect'];
  /** A deleted account's connector, from the grant envelope the stop row carries; absent: such rows cannot be stopped. */
  connectStored?(s: ChannelStop): Promise<Connected>;
  /** Revokes a deleted account's grant whose revocation waited for its stops (hub/accounts/revoke-grant.ts). */
  revokeStored?(s: ChannelStop): Promise<void>;
  log: Logger;
  now: () => Date;
}

export type StopOutcome = 'stopped' | 'retrying' | 'dropped';

const MINUTE = 60_000;
const LEASE_MS = 5 * MINUTE;
/** 1, 2, 4, … minutes, at most an hour, ±25 %: a provider outage of hours still ends in a stop. */
const backoff = (tries: number) => Math.min(60 * MINUTE, MINUTE * 2 ** tries) * (0.75 + Math.random() / 2);
const retriable = (e: unknown) => isHubError(e) && (e.retry === 'backoff' || e.retry === 'delay' || e.retry === 'refresh');

export async function runStops(d: StopDeps, limit = 100): Promise<Partial<Record<StopOutcome, number>>> {
  const now = d.now();
  const rows = await channelStops.claimDueStops(d.store.db, now, new Date(now.getTime() + LEASE_MS), limit);
  const out: Partial<Record<StopOutcome, number>> = {};
  for (const s of rows) {
    const outcome = await stopOne(d, s).catch((e: unknown): StopOutcome => {
      // A store failure leaves the row leased: retried when the lease runs out.
      d.log.error({ err: asError(e), provider: s.provider, channelId: s.channelId }, 'a queued channel stop failed');
      return 'retrying';
    });
    out[outcome] = (out[outcome] ?? 0) + 1;
  }
  return out;
}

async function stopOne(d: StopDeps, s: ChannelStop): Promise<StopOutcome> {
  const log = d.log.child({ provider: s.provider, channelId: s.channelId, accountId: s.accountId });
  if (s.expiresAt.getTime() <= d.now().getTime()) return done(d, s, 'dropped');
  try {
    const conn = await connectionFor(d, s);
    const push = conn && pushOf(conn.connector);
    if (!conn || !push) {
      log.warn('a queued channel stop has no account or grant left to stop it with; the channel expires on its own');
      return await done(d, s, 'dropped');
    }
    const sub: PushSubscription = { id: s.channelId, resourceId: s.resourceId, secret: '', expiresAt: s.expiresAt.toISOString() };
    await push.unsubscribe(conn.ctx, sub);
    log.info({ tries: s.tries + 1 }, 'stopped a queued push channel');
    return await done(d, s, 'stopped');
  } catch (e) {
    const next = new Date(d.now().getTime() + (isHubError(e) && e.retryAfterMs ? e.retryAfterMs : backoff(s.tries)));
    if (!retriable(e) || next.getTime() >= s.expiresAt.getTime()) {
      log.warn({ err: asError(e), expiresAt: s.expiresAt }, 'gave up stopping a queued push channel; it runs at the provider until it expires');
      return done(d, s, 'dropped');
    }
    await channelStops.recordStopFailure(d.store.db, s.provider, s.channelId, message(e), next);
    log.warn({ err: asError(e), retryAt: next.toISOString() }, 'a queued channel stop failed; will retry');
    return 'retrying';
  }
}

async function connectionFor(d: StopDeps, s: ChannelStop): Promise<Connected | null> {
  if (s.credentials) return d.connectStored ? d.connectStored(s) : null;
  const account = await d.store.tenant(s.tenantId).accounts.get(s.accountId);
  return account ? d.connect(account) : null;
}

/** The row goes; the last of a deleted account's stops revokes its grant if its disconnect deferred that. */
async function done(d: StopDeps, s: ChannelStop, outcome: StopOutcome): Promise<StopOutcome> {
  await channelStops.removeStop(d.store.db, s.provider, s.channelId);
  if (s.revokeGrant && d.revokeStored && (await channelStops.stopsAwaitingRevocation(d.store.db, s.tenantId, s.accountId)) === 0) {
    await d.revokeStored(s).catch((e: unknown) => d.log.warn({ err: asError(e), accountId: s.accountId }, 'revoking a disconnected account\'s grant after its channel stops failed; the grant stays valid until the user removes it'));
  }
  return outcome;
}
