/**
 * What a calendar still owes its provider: each local change (an API write, a mirror copy) not yet
 * written, by UID, and why when the provider said no. A change refused for its content
 * REFUSALS_BEFORE_PARKING times is parked until it is edited again (a parked delete, whose event is
 * never edited again, until its wait is over: parkedDeleteRetryAt); other failures are retried on
 * the next push. A client that wrote an event sees here why it has not reached Google or Outlook.
 */
import { codeOfError } from '../shared/error-codes.ts';
import type { SendUpdates } from '../shared/model/index.ts';
import { outboxOf, parkedDeleteRetryAt, pushWaitOf, REFUSALS_BEFORE_PARKING } from '../shared/store/index.ts';
import type { Hub } from './open-hub.ts';
import { MissingError } from './errors.ts';
import { pageList, type ListFilter, type PageRequest } from './paging.ts';
import { listedMessage } from './quarantine.ts';

export const WRITE_STATES = ['pending', 'failing', 'parked'] as const;
export type WriteState = (typeof WRITE_STATES)[number];

export interface PendingWrite {
  uid: string;
  op: 'put' | 'delete';
  state: WriteState;
  /** Times the provider refused this content. */
  refusals: number;
  /** The provider's last answer, when it failed; for a pending one that waits on a quarantined item, that. */
  message: string | null;
  /** Who the write will tell the attendees; null: the provider's default (a change calhub made on its own). */
  sendUpdates: SendUpdates | null;
  /**
   * Who each changed occurrence's write will tell, by the occurrence it replaces (null: the series
   * itself or a single event), where the changes said: Google and Graph write each occurrence
   * apart, so a quiet change of one is not sent loudly because another asked for all. Empty for a
   * change calhub made on its own or one queued before calhub kept them apart.
   */
  sendUpdatesByOccurrence: Array<{ occurrence: string | null; sendUpdates: SendUpdates }>;
  /** The write asks the provider for a video conference (conference=auto). */
  conference: boolean;
  queuedAt: string;
  updatedAt: string;
  /**
   * Why the calendar's last push did not get its writes out (rate limited, over its budget, failed),
   * and when it is next tried (null: the queue's backoff decides). A push throttled by the provider
   * waits delayed with no failure anywhere, and these writes looked plainly pending. Null for a
   * write made after that push: it was not tried (a delete that replaced a waiting create).
   */
  lastAttempt: string | null;
  /** lastAttempt's stable code (`CODE: message`); null with it, or for a failure that is not one of calhub's coded errors. */
  lastAttemptCode: string | null;
  /** For a parked delete, when it is offered to the provider again; else when the held-back push is tried next. */
  nextTryAt: string | null;
}

/** What a pending write waiting on a quarantined item says (push.ts holds it: nothing is written over an item calhub could not read). */
const WAITS = (remoteId: string) => `waits: its item at the provider (${remoteId}) is quarantined; merged and written once it is readable again`;

export async function listPendingWrites(hub: Hub, tenantId: string, calendarId: string): Promise<PendingWrite[]> {
  const t = hub.store.tenant(tenantId);
  if (!(await t.calendars.get(calendarId))) throw new MissingError('calendar', calendarId, tenantId);
  const rows = await outboxOf(hub.store.db, tenantId, calendarId);
  const held = new Map<string, string>();
  // Only where the calendar has an unreadable item at all (usually none: one small query).
  if ((await t.events.unreadable(calendarId)).size) {
    for (const r of rows) {
      const [q] = await t.events.unreadableOfUid(calendarId, r.uid);
      if (q) held.set(r.uid, q.remoteId);
    }
  }
  const wait = rows.length ? await pushWaitOf(hub.store.db, tenantId, calendarId) : null;
  // The noted push failed before a write made after it (a delete that replaced a create waiting out
  // an outage): that push never tried it, so its answer is not the write's. It still waits for the
  // calendar's next push (nextTryAt).
  const triedBy = (r: { updatedAt: Date }) => wait !== null && r.updatedAt.getTime() <= wait.notedAt.getTime();
  return rows.map((r) => ({
    uid: r.uid,
    op: r.op,
    state: r.lastError === null ? 'pending' : r.attempts >= REFUSALS_BEFORE_PARKING ? 'parked' : 'failing',
    refusals: r.attempts,
    message: r.lastError !== null ? listedMessage(r.lastError) : held.has(r.uid) ? WAITS(held.get(r.uid)!) : null,
    sendUpdates: r.sendUpdates,
    sendUpdatesByOccurrence: Object.entries(r.sendUpdatesByKey)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => ({ occurrence: k === '' ? null : k, sendUpdates: v })),
    conference: r.conference,
    queuedAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    lastAttempt: triedBy(r) ? wait!.reason : null,
    lastAttemptCode: triedBy(r) ? codeOfError(wait!.reason) : null,
    nextTryAt: (parkedDeleteRetryAt(r.op, r.attempts, r.refusedAt) ?? wait?.nextTryAt)?.toISOString() ?? null,
  }));
}

/** A calendar's pending writes by UID; status: the state; text: the UID and message. */
export async function pagePendingWrites(hub: Hub, tenantId: string, calendarId: string, page: PageRequest, filter: ListFilter) {
  return pageList(await listPendingWrites(hub, tenantId, calendarId), page, filter, { key: (w) => w.uid, updatedAt: (w) => w.updatedAt, status: (w) => w.state, text: (w) => [w.uid, w.message ?? ''] });
}
