/**
 * Reverting a run: every UID the run wrote goes back to what the provider held before the run's
 * first write to it, through the outbox like any local change (so preconditions still apply and a
 * later edit by someone else surfaces as a conflict instead of being overwritten blindly).
 */
import type { EngineDeps } from './deps.ts';
import { writeUid } from './writer.ts';

export async function revertRun(deps: EngineDeps, tenantId: string, runId: string): Promise<number> {
  const writes = await deps.store.tenant(tenantId).journal.ofRun(runId); // newest first
  const before = new Map<string, { calendarId: string; uid: string; remoteId: string | null; events: NonNullable<(typeof writes)[number]['before']> | null }>();
  for (const w of writes) before.set(`${w.calendarId}\u0000${w.uid}`, { calendarId: w.calendarId, uid: w.uid, remoteId: w.remoteId, events: w.before });
  for (const b of before.values()) {
    const current = await deps.store.tenant(tenantId).events.byUid(b.calendarId, b.uid);
    const remoteOf = new Map(current.map((r) => [r.event.originalStart ? JSON.stringify(r.event.originalStart) : '', r.remoteId]));
    // A deleted object comes back as a new one; an updated one is written over with its old content.
    const events = (b.events ?? []).map((e) => ({ ...e, providerEventId: remoteOf.get(e.originalStart ? JSON.stringify(e.originalStart) : '') ?? null }));
    await writeUid(deps, tenantId, b.calendarId, b.uid, events);
  }
  return before.size;
}
