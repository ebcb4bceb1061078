/**
 * events.list of masters + exceptions (never singleEvents, so what we read is what we write back)
 * → ChangePages. Cancelled items: an exception of a live series becomes a cancelled override;
 * anything else cancelled is a delete (A.2). Empty pages with a nextPageToken are normal (A.1).
 */
import { providerZoneOf, type ChangePage, type ConnectorContext, type RemoteCalendarRef, type RemoteChange, type SyncCursor } from '../connector.ts';
import { InvalidRemoteDataError, RemoteNotFoundError, TransientError } from '../errors.ts';
import type { GoogleClient } from './client.ts';
import { decodeCursor, encodeCursor, type GoogleCursor } from './cursor.ts';
import { mapGoogleEvent, type GoogleEvent } from './map-google-event.ts';

/** Google's own default page size (A.1). */
export const PAGE_SIZE = 250;

/** The iCalUID of each series a cancelled exception belongs to; null when the series is gone. */
async function masterUids(client: GoogleClient, ctx: ConnectorContext, cal: RemoteCalendarRef, items: GoogleEvent[]): Promise<Map<string, string | null>> {
  const uids = new Map<string, string | null>();
  for (const it of items) if (!it.recurringEventId && it.id) uids.set(it.id, it.status === 'cancelled' ? null : (it.iCalUID ?? null));
  for (const it of items) {
    const id = it.recurringEventId;
    if (!id || uids.has(id) || it.iCalUID) continue;
    try {
      const m = await client.call(ctx, (o) => client.api.events.get({ calendarId: cal.providerCalendarId, eventId: id }, o));
      uids.set(id, m.status === 'cancelled' ? null : (m.iCalUID ?? null));
    } catch (e) {
      if (!(e instanceof RemoteNotFoundError)) throw e;
      uids.set(id, null);
    }
  }
  return uids;
}

function toChange(it: GoogleEvent, cal: RemoteCalendarRef, uids: Map<string, string | null>): RemoteChange {
  const id = it.id!;
  const seriesGone = it.recurringEventId ? uids.get(it.recurringEventId) === null : false;
  if (it.status === 'cancelled' && (!it.recurringEventId || seriesGone)) return { kind: 'delete', remoteId: id };
  if (seriesGone) return { kind: 'delete', remoteId: id };
  try {
    const masterUid = it.recurringEventId ? (uids.get(it.recurringEventId) ?? undefined) : undefined;
    return { kind: 'upsert', remoteId: id, version: it.etag ?? null, events: [mapGoogleEvent(it, providerZoneOf(cal), masterUid)] };
  } catch (e) {
    if (!(e instanceof InvalidRemoteDataError) && !(e instanceof Error && e.name === 'ValidationError')) throw e;
    return { kind: 'invalid', remoteId: id, version: it.etag ?? null, error: e.message, raw: JSON.stringify(it) };
  }
}

export async function listChanges(client: GoogleClient, ctx: ConnectorContext, cal: RemoteCalendarRef, cursor: SyncCursor | null): Promise<ChangePage> {
  const c: GoogleCursor = cursor === null ? { mode: 'full', syncToken: null, pageToken: null } : decodeCursor(cursor);
  const data = await client.call(ctx, (o) =>
    client.api.events.list(
      {
        calendarId: cal.providerCalendarId,
        maxResults: PAGE_SIZE,
        ...(c.syncToken ? { syncToken: c.syncToken } : {}),
        ...(c.pageToken ? { pageToken: c.pageToken } : {}),
      },
      o,
    ),
  );
  const items = (data.items ?? []).filter((it) => it.id);
  const uids = await masterUids(client, ctx, cal, items);
  const changes = items.map((it) => toChange(it, cal, uids));
  if (data.nextPageToken) {
    return { changes, mode: c.mode, hasMore: true, nextCursor: encodeCursor({ ...c, pageToken: data.nextPageToken }) };
  }
  if (!data.nextSyncToken) throw new TransientError('google: a last page without nextSyncToken', { provider: 'google' });
  return { changes, mode: c.mode, hasMore: false, nextCursor: encodeCursor({ mode: 'incremental', syncToken: data.nextSyncToken, pageToken: null }) };
}
