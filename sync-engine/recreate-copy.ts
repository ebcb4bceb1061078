/**
 * A mirror copy series with an occurrence deleted at a provider that cannot bring one back (Graph:
 * CannotRestoreError). The rule's rewrite of the copy was refused whole, so the copy's other
 * occurrences moved there stayed moved and the provider's free/busy stayed wrong. A copy is
 * calhub's own (its rule's provenance stamp, no attendees: nobody is told): the damaged series is
 * deleted at the provider, taking its exceptions along, and the push then creates it anew under
 * the same UID, so its link, refusals and the rule's bookkeeping stay as they are. Any other event
 * keeps the refusal (PROVIDER_CANNOT_RESTORE).
 */
import { RemoteNotFoundError, type CalendarConnector, type ConnectorContext, type RemoteCalendarRef } from '../connectors/index.ts';
import type { CanonicalEvent } from '../shared/model/index.ts';
import type { LedgerEntry, OutboxEntry, TenantStore } from '../shared/store/index.ts';
import type { Fence } from './fence.ts';

export interface RecreateScope {
  t: TenantStore;
  calendarId: string;
  connector: CalendarConnector;
  ctx: ConnectorContext;
  ref: RemoteCalendarRef;
  fence: Fence | undefined;
}

/**
 * Whether a UID is a mirror copy in this calendar, calhub's own: a rule's link names it, the hub's
 * rows carry calhub's stamp with its rule, and nothing of it has attendees (nobody is told of its
 * delete). An exception made at the provider (Outlook) carries no stamp: it is still the copy's.
 */
export async function isOwnCopy(s: Pick<RecreateScope, 't' | 'calendarId'>, uid: string, events: CanonicalEvent[], ledger: LedgerEntry[]): Promise<boolean> {
  if (events.length === 0 || !events.every((e) => e.provenance?.hub === 'calhub' && Boolean(e.provenance.ruleId))) return false;
  if ([...events, ...ledger.flatMap((l) => l.base)].some((e) => e.attendees.length > 0)) return false;
  return (await s.t.mirror.copyUidsIn(s.calendarId)).has(uid);
}

/**
 * Deletes the copy's objects at the provider (its series first: the exceptions go with it) and
 * forgets them: the ledger's versions go and the hub's rows lose their remote ids, so the push
 * that follows creates the copy as its rows hold it. The delete is unconditional: whatever was
 * changed there is the copy's, and the rule undoes it anyway. Should the hub stop between the
 * delete and this bookkeeping, the next push finds the objects gone (404) and the pull deletes
 * them; the rule then writes the copy anew.
 */
export async function deleteDamagedCopy(s: RecreateScope, entry: OutboxEntry, ledger: LedgerEntry[]): Promise<void> {
  const masterFirst = [...ledger].sort((a, b) => Number(!isMaster(a)) - Number(!isMaster(b)));
  for (const l of masterFirst) {
    try {
      await s.connector.deleteObject(s.ctx, s.ref, l.remoteId, null);
    } catch (e) {
      if (!(e instanceof RemoteNotFoundError)) throw e;
    }
    if (isMaster(l)) break; // Graph deleted its exceptions with it
  }
  await s.t.transaction(async (tx) => {
    await s.fence?.(tx);
    await tx.events.lock(s.calendarId);
    await tx.ledger.delete(s.calendarId, ledger.map((l) => l.remoteId));
    // A newer edit of the copy keeps its content; only the ids of the deleted objects go.
    const rows = await tx.events.byUid(s.calendarId, entry.uid);
    await tx.events.writeLocal(s.calendarId, entry.uid, rows.map((r) => ({ ...r.event, providerEventId: null })));
  });
}

const isMaster = (l: LedgerEntry) => l.base.some((e) => e.originalStart === null);
