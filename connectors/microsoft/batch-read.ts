/**
 * Reads many events in as few requests as Graph allows: JSON batching (`POST /$batch`, at most 20
 * requests each, provider-facts B.7). Used where delta hands over items that must be read in
 * full — series masters, and the thin occurrences and exceptions some mailboxes send (§E B.2,
 * FIELD) — so a page of them costs one or two requests, not one each.
 */
import type { GraphApi } from './graph-client.ts';
import { EXPAND_PROPS, type GraphEvent } from './map-microsoft-event.ts';
import { mapMicrosoftError } from './map-microsoft-error.ts';

/** "JSON batch requests are currently limited to 20 individual requests." */
export const MAX_BATCH = 20;
export const EVENT_FIELDS = 'id,type,seriesMasterId,originalStart,originalStartTimeZone,originalEndTimeZone,iCalUId,transactionId,subject,body,start,end,isAllDay,isCancelled,showAs,sensitivity,location,attendees,organizer,isOrganizer,responseStatus,onlineMeeting,recurrence,lastModifiedDateTime,changeKey';
export const PREFER_READ = 'IdType="ImmutableId", outlook.body-content-type="text"';

export const eventPath = (id: string): string => `/me/events/${encodeURIComponent(id)}?$select=${EVENT_FIELDS},cancelledOccurrences&$expand=${encodeURIComponent(EXPAND_PROPS)}`;

interface BatchResponse { id: string; status: number; headers?: Record<string, string>; body?: unknown }

/**
 * Full events by id; null for ids Graph no longer has (404). Any other failure of one request
 * fails the whole read with that request's error, mapped as if it had been sent alone.
 */
export async function readEvents(api: GraphApi, ids: Iterable<string>): Promise<Map<string, GraphEvent | null>> {
  const all = [...new Set(ids)];
  const out = new Map<string, GraphEvent | null>();
  for (let i = 0; i < all.length; i += MAX_BATCH) {
    const chunk = all.slice(i, i + MAX_BATCH);
    const r = await api.post<{ responses: BatchResponse[] }>('/$batch', {
      requests: chunk.map((id, n) => ({ id: String(n), method: 'GET', url: eventPath(id), headers: { Prefer: PREFER_READ } })),
    });
    const byId = new Map((r.responses ?? []).map((x) => [x.id, x]));
    chunk.forEach((id, n) => {
      const res = byId.get(String(n));
      if (!res) throw mapMicrosoftError({ status: 502, code: 'batchResponseMissing', message: `no answer for request ${n} of a $batch` });
      if (res.status === 404) out.set(id, null);
      else if (res.status >= 200 && res.status < 300) out.set(id, res.body as GraphEvent);
      else {
        const err = (res.body as { error?: { code?: string; message?: string } } | undefined)?.error;
        throw mapMicrosoftError({ status: res.status, code: err?.code, message: err?.message, headers: res.headers });
      }
    });
  }
  return out;
}

/**
 * A delta item without the fields every full event has: Graph sent only id, type,
 * seriesMasterId, start and end (§E B.2, FIELD), so it must be read before it is mapped.
 */
export function isThin(item: GraphEvent): boolean {
  return !item['@removed'] && (item['@odata.etag'] === undefined || item.subject === undefined);
}
