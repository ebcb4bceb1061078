/**
 * Messages composed by an older release and still owed after an upgrade (a receiver that was down)
 * are sent in the current shape: the payload in webhook_messages is what that release composed.
 * Releases up to schema 0029 stored an event as the store held it (`{ id, ...CanonicalEvent }`:
 * providerVersion, the whole provenance, no etag, no calendarId, raw originalStart); that is the
 * canonical event in full, so the current view (event-view.ts) is made from it, with the etag of
 * that version (contentHash of the same data, as the composer hashes outbox rows). Pure.
 */
import { contentHash, type CanonicalEvent, type EventTime } from '../model/index.ts';
import { presentTime } from '../time/index.ts';
import { showEvent } from './event-view.ts';

type Data = Record<string, unknown>;
type Payload = { id: string; type: string; timestamp: string; data: Data };

/** An event as an old release stored it: every canonical field and no etag (the view has one since). */
const isStoredShape = (e: unknown): e is Data & { id: string } => typeof e === 'object' && e !== null && !('etag' in e) && 'providerVersion' in e && 'id' in e;

function view(e: unknown, calendarId: string): unknown {
  if (!isStoredShape(e)) return e;
  const { id, ...event } = e as unknown as { id: string } & CanonicalEvent;
  return showEvent({ id, calendarId, contentHash: contentHash(event), event });
}

function eventData(d: Data): Data {
  const calendarId = String(d.calendarId);
  const series = d.series as { masterId: unknown; instances: Array<Data> } | null | undefined;
  return {
    ...d,
    event: view(d.event, calendarId),
    series: series
      ? {
          ...series,
          instances: series.instances.map((i) =>
            isStoredShape(i.event) ? { ...i, originalStart: i.originalStart ? presentTime(i.originalStart as EventTime) : null, event: view(i.event, calendarId) } : i,
          ),
        }
      : (series ?? null),
  };
}

/** The payload to send for a stored message: as stored, unless an older release composed it. */
export function currentPayload(type: string, payload: unknown): unknown {
  const p = payload as Payload;
  if (!p || typeof p !== 'object' || !p.data) return payload;
  if (type.startsWith('event.') && p.data.event !== undefined && type !== 'event.quarantined' && type !== 'event.restored') return { ...p, data: eventData(p.data) };
  // Before migration 0034 an account.updated was an access change (as webhook-payloads.ts composes old outbox rows).
  if (type === 'account.updated' && !('changed' in p.data)) return { ...p, data: { ...p.data, oldStatus: p.data.status, changed: ['access'] } };
  // Before migration 0092 a conflict.parked named only the UID (webhook-payloads.ts: null for those).
  if (type === 'conflict.parked' && !('eventId' in p.data)) return { ...p, data: { ...p.data, eventId: null, occurrence: null, remoteId: null } };
  return payload;
}
