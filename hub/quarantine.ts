/**
 * What a calendar has set aside (issue 18): each quarantined item by remote id, with a stable reason
 * code, the message naming what is wrong, and when it was first and last seen. The raw copy the
 * store keeps for debugging never leaves the server: item content can hold anything.
 */
import { UNEXPANDABLE } from '../shared/store/index.ts';
import type { Hub } from './open-hub.ts';
import { MissingError } from './errors.ts';
import { pageList, type ListFilter, type PageRequest } from './paging.ts';

export const QUARANTINE_REASONS = ['UNSTORABLE_TEXT', 'UID_CLASH', 'RECURRENCE_UNEXPANDABLE', 'INVALID_DATA'] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

export interface QuarantineEntry {
  remoteId: string;
  reason: QuarantineReason;
  message: string;
  firstSeen: string;
  lastSeen: string;
}

/** The store keeps one message per item; its wording is fixed where it is made (sync-engine/screen.ts, shared/store/events.ts). */
export function reasonOf(message: string): QuarantineReason {
  if (message.startsWith('unstorable text')) return 'UNSTORABLE_TEXT';
  if (/^UID .* (is also used by|holds the same instance twice)/.test(message)) return 'UID_CLASH';
  if (message.startsWith(UNEXPANDABLE)) return 'RECURRENCE_UNEXPANDABLE';
  return 'INVALID_DATA';
}

/** Long enough for any reason the hub writes; a provider's parse error of a huge item is cut. */
const MAX_MESSAGE = 500;

/** A stored error message as lists show it: cut at MAX_MESSAGE characters. */
export const listedMessage = (m: string): string => (m.length > MAX_MESSAGE ? `${m.slice(0, MAX_MESSAGE - 1)}…` : m);

export async function listQuarantine(hub: Hub, tenantId: string, calendarId: string): Promise<QuarantineEntry[]> {
  const t = hub.store.tenant(tenantId);
  if (!(await t.calendars.get(calendarId))) throw new MissingError('calendar', calendarId, tenantId);
  return (await t.events.quarantined(calendarId)).map((q) => ({
    remoteId: q.remoteId,
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
