/**
 * Syncs calendars in this process when no worker is listening. The calendars' sync slots are
 * taken exactly as a worker takes them, so a failure is recorded on the calendar (stage failed,
 * last error) where `accounts list`, the API and the next resync see it, and a worker that
 * starts meanwhile cannot sync the same calendar twice.
 */
import { randomBytes } from 'node:crypto';
import { isHubError } from '../shared/errors.ts';
import { scrubSecrets } from '../shared/logger.ts';
import { settle } from '../sync-engine/index.ts';
import { calendarHealth } from './calendar-health.ts';
import type { Hub } from './open-hub.ts';

export interface Problem {
  calendarId: string;
  error: string;
}

export interface InProcessOutcome {
  /** calendar id -> why its sync failed (absent: it succeeded). */
  errors: Map<string, string>;
  fullListings: string[];
}

/** One line, with the error's stable code, and never a credential. */
export function describeError(e: unknown): string {
  const text = isHubError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
  return scrubSecrets(text);
}

export async function syncInProcess(hub: Hub, tenantId: string, calendarIds: string[], opts: { full?: boolean } = {}): Promise<InProcessOutcome> {
  const t = hub.store.tenant(tenantId);
  const owner = `cli-${process.pid}-${randomBytes(4).toString('hex')}`;
  const errors = new Map<string, string>();
  const held: string[] = [];
  for (const id of calendarIds) {
    if (await t.calendars.claimSync(id, owner, hub.config.syncStaleRunMs)) held.push(id);
    else errors.set(id, 'another sync of this calendar is running; try again when it has finished');
  }
  let fullListings: string[] = [];
  try {
    const r = await settle(hub.deps, tenantId, held, { full: opts.full, isolate: true });
    for (const [id, e] of r.failures) errors.set(id, describeError(e));
    fullListings = r.fullListings;
  } catch (e) {
    for (const id of held) errors.set(id, describeError(e)); // the store itself failed: nothing is known to have worked
  } finally {
    for (const id of held) {
      const error = errors.get(id);
      await t.calendars.releaseSync(id, owner, error === undefined ? { ok: true } : { ok: false, error });
    }
  }
  return { errors, fullListings };
}

/**
 * After a change is stored (rules, conflict resolutions): when no worker takes the work
 * (hub.syncHere), sync here and name every calendar left with a problem, refused writes included.
 * With a queue the change's push and mirror jobs are already enqueued: nothing to report yet.
 */
export async function syncFollowUp(hub: Hub, tenantId: string, calendarIds: string[]): Promise<Problem[]> {
  if (!hub.syncHere) return [];
  const { errors } = await syncInProcess(hub, tenantId, calendarIds);
  const health = await calendarHealth(hub, tenantId, calendarIds);
  return health.flatMap((h) => {
    const error = errors.get(h.id) ?? h.error;
    return error ? [{ calendarId: h.id, error }] : [];
  });
}
