/**
 * What a calendar has set aside (issue 18): each quarantined item by remote id, with a stable reason
 * code, the message naming what is wrong, and when it was first and last seen. The raw copy the
 * store keeps for debugging never leaves the server: item content can hold anything.
 */
import { listedMessage, reasonOf, type QuarantineReason } from '../shared/store/index.ts';
import type { Hub } from './open-hub.ts';
import { MissingError } from './errors.ts';
import { pageList, type ListFilter, type PageRequest } from './paging.ts';

export { QUARANTINE_REASONS, type QuarantineReason, listedMessage } from '../shared/store/index.ts';

export interface QuarantineEntry {
  remoteId: string;
  /** The event kept as the item's last good copy (its master, else its first instance); null when the item was never read. */
  eventId: string | null;
  reason: QuarantineReason;
  message: string;
  firstSeen: string;
  lastSeen: string;
}

export async function listQuarantine(hub: Hub, tenantId: string, calendarId: string): Promise<QuarantineEntry[]> {
  const t = hub.store.tenant(tenantId);
  if (!(await t.calendars.get(calendarId))) throw new MissingError('calendar', calendarId, tenantId);
  return (await t.events.quarantined(calendarId)).map((q) => ({
    remoteId: q.remoteId,
    eventId: q.eventId,
    reason: reasonOf(q.error),
    message: listedMessage(q.error),
    firstSeen: new Date(q.firstSeen).toISOString(),
    lastSeen: new Date(q.lastSeen).toISOString(),
  }));
}

/** A calendar's quarantined items by remote id; updated: last seen; status: the reason code; text: remote id and message. */
export async function pageQuarantine(hub: Hub, tenantId: string, calendarId: string, page: PageRequest, filter: ListFilter) {
  return pageList(await listQuarantine(hub, tenantId, calendarId), page, filter, { key: (q) => q.remoteId, updatedAt: (q) => q.lastSeen, status: (q) => q.reason, text: (q) => [q.remoteId, q.message] });
}
