/**
 * Messages composed by an older release and still owed after an upgrade (a receiver that was down)
 * are sent in the current shape: the payload in webhook_messages is what that release composed.
 * Releases up to schema 0029 stored an event as the store held it (`{ id, ...CanonicalEvent }`:
 * providerVersion, the whole provenance, no etag, no calendarId, raw originalStart); that is the
 * canonical event in full, so the current view (event-view.ts) is made from it, with the etag of
 * that version (contentHash of the same data, as the composer hashes outbox rows).
 * Releases from 0030 until provenance was shown (schema 0092) stored the view without
 * `provenance`, and releases before 0094 account messages without `email`: those are not in the
 * message, so the sender reads them from the store with it (StoredFacts). Sync messages composed
 * before errorCode, and account messages before reasonCode, get them from what they carry. Pure.
 */
import { contentHash, type CanonicalEvent, type EventTime } from '../model/index.ts';
import { accountReasonCode, codeOfError } from '../error-codes.ts';
import { presentTime } from '../time/index.ts';
import { showEvent } from './event-view.ts';

type Data = Record<string, unknown>;
type Payload = { id: string; type: string; timestamp: string; data: Data };
type ShownProvenance = { ruleId: string | null; sourceEventId: string } | null;

/**
 * Read from the store for an old message (webhook-deliveries.ts): the account's email now (absent:
 * the account is gone), and the provenance of the message's events that are still stored, by id.
 */
export interface StoredFacts {
  account?: { email: string | null } | null;
  provenance?: Record<string, { ruleId?: string | null; sourceEventId: string } | null> | null;
}

/** A view from 0030 until schema 0092: it has an etag and no provenance. */
const lacksProvenance = (e: unknown): e is Data & { id: string } => typeof e === 'object' && e !== null && 'etag' in e && !('provenance' in e);

/**
 * The provenance of an event shown without one. A message its release marked writtenByCalhub:
 * false was composed from rows without provenance: null. Otherwise the stored event's (a copy keeps
 * its provenance while it exists); an event deleted since cannot be asked: null.
 */
function withProvenance(e: unknown, writtenByCalhub: unknown, facts: StoredFacts): unknown {
  if (!lacksProvenance(e)) return e;
  const p = writtenByCalhub === false ? null : (facts.provenance?.[e.id] ?? null);
  return { ...e, provenance: p && { ruleId: p.ruleId ?? null, sourceEventId: p.sourceEventId } } satisfies Data & { provenance: ShownProvenance };
}

/** Whether the sender has to read StoredFacts for this message (only old shapes need them). */
export const needsFacts = (type: string, payload: unknown): boolean => {
  const d = (payload as Payload | null)?.data;
  if (!d || typeof d !== 'object') return false;
  if (type.startsWith('account.')) return !('email' in d);
  return type.startsWith('event.') && lacksProvenance(d.event);
};

/** An event as an old release stored it: every canonical field and no etag (the view has one since). */
const isStoredShape = (e: unknown): e is Data & { id: string } => typeof e === 'object' && e !== null && !('etag' in e) && 'providerVersion' in e && 'id' in e;

function view(e: unknown, calendarId: string): unknown {
  if (!isStoredShape(e)) return e;
  const { id, ...event } = e as unknown as { id: string } & CanonicalEvent;
  return showEvent({ id, calendarId, contentHash: contentHash(event), event });
}

function eventData(d: Data, facts: StoredFacts): Data {
  const calendarId = String(d.calendarId);
  const series = d.series as { masterId: unknown; instances: Array<Data> } | null | undefined;
  const current = (e: unknown) => withProvenance(view(e, calendarId), d.writtenByCalhub, facts);
  return {
    ...d,
    event: current(d.event),
    series: series
      ? {
          ...series,
          instances: series.instances.map((i) =>
            isStoredShape(i.event) ? { ...i, originalStart: i.originalStart ? presentTime(i.originalStart as EventTime) : null, event: current(i.event) } : { ...i, event: current(i.event) },
          ),
        }
      : (series ?? null),
  };
}

/** The payload to send for a stored message: as stored, unless an older release composed it. */
export function currentPayload(type: string, payload: unknown, facts: StoredFacts = {}): unknown {
  const p = payload as Payload;
  if (!p || typeof p !== 'object' || !p.data) return payload;
  // Quarantine messages (migration 0057) never had the stored shape, but lacked provenance too.
  if ((type === 'event.quarantined' || type === 'event.restored') && p.data.event !== undefined) return { ...p, data: { ...p.data, event: withProvenance(p.data.event, undefined, facts) } };
  if (type.startsWith('event.') && p.data.event !== undefined) return { ...p, data: eventData(p.data, facts) };
  if (type.startsWith('account.')) return { ...p, data: accountData(type, p.data, facts) };
  // Composed before errorCode was added, a sync message carried its code only as the prefix of error.
  if (type.startsWith('sync.') && !('errorCode' in p.data)) return { ...p, data: { ...p.data, errorCode: codeOfError(p.data.error as string | null) } };
  // Before migration 0092 a conflict.parked named only the UID (webhook-payloads.ts: null for those).
  if (type === 'conflict.parked' && !('eventId' in p.data)) return { ...p, data: { ...p.data, eventId: null, occurrence: null, remoteId: null } };
  return payload;
}

// Before reasonCode, an account message carried only the reason's text: its code follows from the status it names.
const withReasonCode = (d: Data): Data => ('reasonCode' in d ? d : { ...d, reasonCode: accountReasonCode(d.status) });

function accountData(type: string, d: Data, facts: StoredFacts): Data {
  // Before migration 0094 no account message carried the email: the account's now; a removed account's is gone (null).
  const withEmail = withReasonCode('email' in d ? d : { ...d, email: facts.account?.email ?? null });
  if (type !== 'account.updated') return withEmail;
  // Before migration 0097 an account.updated never changed the address: the old one is the one it carries.
  const out = 'oldEmail' in withEmail ? withEmail : { ...withEmail, oldEmail: withEmail.email ?? null };
  // Before migration 0034 an account.updated was an access change (as webhook-payloads.ts composes old outbox rows).
  return !('changed' in d) ? { ...out, oldStatus: d.status, changed: ['access'] } : out;
}
