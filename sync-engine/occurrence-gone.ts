/**
 * Why the provider has no occurrence left for an override the hub still has to write (Graph, where
 * a cancelled occurrence cannot be brought back): the recorded conflict must say which it was.
 * Cancelled there, the master lists it as an EXDATE: `provider-cannot-restore`, `<key>:deleted`.
 * Otherwise the series' times or pattern changed there — Outlook moves a whole series and drops its
 * exceptions (MS-OXOCAL 3.1.4.7.3.5) — and the hub's change of that occurrence had nothing left to
 * apply to: nobody deleted it, and the series as the provider holds it stands (`remote`).
 */
import type { CalendarConnector, ConnectorContext, RemoteCalendarRef } from '../connectors/index.ts';
import { isHubError } from '../shared/errors.ts';
import { scrubSecrets } from '../shared/logger.ts';
import { eventTimeKey, type CanonicalEvent } from '../shared/model/index.ts';
import type { ConflictOutcome } from '../shared/store/index.ts';

export interface GoneConflict {
  policy: string;
  fields: string[];
  outcome: ConflictOutcome;
}

export const CANNOT_RESTORE = 'provider-cannot-restore';
export const EXCEPTIONS_RESET = 'provider-reset-exceptions';

/**
 * Reads the series at the provider: the hub's own master may not have heard of the change yet (a
 * push before the pull). Unreadable, the older answer (a cancellation) stands, and the failed read
 * is logged (its code, its message scrubbed of secrets).
 */
export async function goneConflict(
  connector: Pick<CalendarConnector, 'getObject' | 'capabilities'>, ctx: ConnectorContext, ref: RemoteCalendarRef, master: CanonicalEvent | undefined, key: string,
): Promise<GoneConflict> {
  const cancelled: GoneConflict = { policy: CANNOT_RESTORE, fields: [`${key}:deleted`], outcome: 'deleted' };
  // Only where a cancellation always shows as the master's EXDATE (Graph) does its absence say the
  // series changed; elsewhere (Google) a cancelled instance is an object of its own.
  if (!connector.capabilities.cancelledInstancesAsExdates || !master?.providerEventId || !master.recurrence) return cancelled;
  let there: CanonicalEvent | undefined;
  try {
    there = (await connector.getObject(ctx, ref, master.providerEventId)).events.find((e) => e.originalStart === null);
  } catch (e) {
    // The answer may be the wrong one (the series may have changed there): say why it was given.
    ctx.log.warn(
      { remoteId: master.providerEventId, occurrence: key, code: isHubError(e) ? e.code : 'INTERNAL', error: scrubSecrets(e instanceof Error ? e.message : String(e)) },
      'could not read the series at the provider to tell why an occurrence is gone; recorded as cancelled there (provider-cannot-restore)',
    );
    return cancelled;
  }
  if (!there?.recurrence || there.recurrence.exdates.some((x) => eventTimeKey(x) === key)) return cancelled;
  return { policy: EXCEPTIONS_RESET, fields: [`${key}:series-changed`], outcome: 'remote' };
}
