/**
 * Which key ring each running hub process of a store holds, kept in the store itself: `calhub
 * serve` and `calhub worker` usually run on PostgreSQL on other hosts, where no socket in a data
 * dir reaches them, and "the same store" is the database. A process renews its row every
 * RENEW_MS; `keys rotate` counts one heard from within LIVE_MS as running.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { HubError } from '../shared/errors.ts';
import { keyRingHolders } from '../shared/store/index.ts';
import type { Hub } from './open-hub.ts';

const RENEW_MS = 15_000;
/** Three renewals missed: killed (a clean stop removes its row at once). */
export const LIVE_MS = 3 * RENEW_MS;

/** Says while the process runs which ring it holds; the returned function stops saying so. */
export async function announceKeyRing(hub: Hub, role: string): Promise<() => Promise<void>> {
  const holder = { id: `${role}-${randomBytes(6).toString('hex')}`, role, host: hostname(), pid: process.pid, ring: hub.keyring.fingerprints() };
  await keyRingHolders.renewHolder(hub.store.db, holder);
  const timer = setInterval(() => {
    keyRingHolders.renewHolder(hub.store.db, holder).catch((e: unknown) => hub.log.warn({ err: e }, 'could not renew this process\'s key ring row (calhub keys rotate may not see it)'));
  }, RENEW_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await keyRingHolders.removeHolder(hub.store.db, holder.id);
  };
}

/**
 * Refuses (KEY_RING_IN_USE) while a process of this store runs whose first key is not this
 * ring's: re-encrypted under a key it lacks, its secrets became unreadable to it; encrypting
 * under another key, it keeps writing secrets the rotation was to move off the old one.
 */
export async function refuseUnderOtherRings(hub: Hub): Promise<void> {
  const first = hub.keyring.fingerprints()[0]!;
  const others = (await keyRingHolders.liveHolders(hub.store.db, LIVE_MS)).filter((h) => h.ring[0] !== first);
  if (others.length === 0) return;
  const kid = first.split(':')[0];
  const who = others.map((h) => `${h.role} (pid ${h.pid} on ${h.host}, encrypting with key "${h.ring[0]!.split(':')[0]}"${h.ring.includes(first) ? '' : `, without "${kid}"`})`).join(', ');
  throw new HubError(
    'KEY_RING_IN_USE',
    'never',
    `calhub processes of this store hold another key ring: ${who}; they could not read secrets re-encrypted under key "${kid}", or keep encrypting under their own: restart each with this CALHUB_ENCRYPTION_KEYS (key "${kid}" first), then run calhub keys rotate`,
  );
}
