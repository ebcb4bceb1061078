/**
 * One hosted connect session connects one account: a connect takes its session before asking the
 * provider (CalDAV form, OAuth callback), spends it when the account is stored, and gives it back
 * when the connect fails.
 */
import type { Hub } from './open-hub.ts';

/** A connect that holds its session longer than this died; its claim may be taken over. */
const CLAIM_STALE_MS = 3 * 60_000;
const CLAIM_POLL_MS = 200;

/**
 * Takes the session for one connect before the provider is asked: of two tabs or a double submit
 * of one session, one connects. A second connect waits while the first runs (up to `waitMs`) and
 * goes on when the first failed and gave the session back; 'used' when the first connected.
 * Then: finishConnectSession on success, releaseConnectSession on failure.
 */
export async function claimConnectSession(hub: Hub, ref: string, waitMs = 90_000): Promise<'claimed' | 'used'> {
  const until = Date.now() + waitMs;
  for (;;) {
    if (await hub.store.oauth.claimSession(ref, CLAIM_STALE_MS)) return 'claimed';
    if ((await hub.store.oauth.sessionSpent(ref)) || Date.now() >= until) return 'used';
    await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
  }
}

export function finishConnectSession(hub: Hub, ref: string): Promise<void> {
  return hub.store.oauth.spendSession(ref);
}

export function releaseConnectSession(hub: Hub, ref: string): Promise<void> {
  return hub.store.oauth.releaseSession(ref);
}
