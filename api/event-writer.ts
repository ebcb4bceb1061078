import type { CanonicalEvent } from '../shared/model/index.ts';
import { HubError } from '../shared/errors.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { StoredEvent, TenantTx } from '../shared/store/index.ts';

/**
 * How the API writes events. The sync engine's implementation stores the change with an outbox
 * entry in one transaction and pushes it to the provider; the API has already checked the tenant
 * owns the calendar/event, that the calendar is writable, and validated the event with parseEvent.
 * Implementations throw NotFoundError for ids they cannot see, and a HubError with code
 * PRECONDITION_FAILED (e.g. WritePreconditionError; sync-engine cannot import api/, any HubError
 * with that code answers 412) when `ifMatch` (the event's etag: `"<contentHash>"`) no longer matches.
 */
export interface EventWriter {
  create(tenantId: string, calendarId: string, event: CanonicalEvent): Promise<StoredEvent>;
  /** `next` is the whole event after the patch was applied and validated. */
  update(tenantId: string, eventId: string, next: CanonicalEvent, ifMatch?: string): Promise<StoredEvent>;
  delete(tenantId: string, eventId: string, ifMatch?: string): Promise<void>;
}

export class WritePreconditionError extends HubError {
  constructor(message = 'the event changed since it was read (If-Match does not match)') {
    super('PRECONDITION_FAILED', 'never', message, { httpStatus: 412 });
    this.name = 'WritePreconditionError';
  }
}

/** An event's etag: its content hash, quoted as HTTP wants it. */
export const etagOf = (e: Pick<StoredEvent, 'contentHash'>): string => `"${e.contentHash}"`;
export const sameEtag = (e: Pick<StoredEvent, 'contentHash'>, ifMatch: string | undefined): boolean =>
  ifMatch === undefined || ifMatch === '*' || ifMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etagOf(e));

/**
 * If-Match, checked in the write's transaction after it has locked the calendar: checked before
 * it, two writers holding the same etag would both pass and the later one would win. A throw
 * rolls the transaction back.
 */
export function ifMatchGuard(eventId: string, ifMatch: string | undefined) {
  return async (t: TenantTx): Promise<void> => {
    const row = await t.events.get(eventId);
    // Deleted since it was read: the same 404 as a request that arrived after the delete.
    if (!row) throw new NotFoundError(`event ${eventId}`);
    if (!sameEtag(row, ifMatch)) throw new WritePreconditionError();
  };
}
