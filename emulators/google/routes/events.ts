/** events.list / get / insert / update / patch / delete / instances (A.1–A.4, A.8). */
import { calendarFor } from '../access.ts';
import { badRequest, notFound } from '../errors.ts';
import { deleteEvent, getEvent, insertEvent, replaceEvent, type WriteOptions } from '../event-ops.ts';
import { DEFAULT_HORIZON_MS, instancesOf } from '../expand.ts';
import { readSendUpdates } from '../guest-mail.ts';
import { timeMs } from '../event-time.ts';
import { ok, route, type Req, type Route } from '../http.ts';
import { listEvents } from '../list-events.ts';
import type { EmulatorState } from '../state.ts';
import type { CalendarState } from '../types.ts';
import { isRfc3339WithOffset } from '../zone.ts';

const BASE = '/calendar/v3/calendars/:calendarId/events';

function collectionMeta(state: EmulatorState, cal: CalendarState, req: Req) {
  return {
    kind: 'calendar#events',
    etag: state.etagFor(state.seq),
    summary: cal.summary,
    ...(cal.description ? { description: cal.description } : {}),
    updated: new Date(cal.updatedMs).toISOString(),
    timeZone: (req.query.timeZone as string | undefined) ?? cal.timeZone,
    accessRole: cal.acl.get(req.user!.email),
    defaultReminders: [],
  };
}

function writeOptions(req: Req): WriteOptions {
  const ifMatch = req.headers['if-match'];
  return {
    ...(typeof ifMatch === 'string' ? { ifMatch } : {}),
    conferenceDataVersion: Number(req.query.conferenceDataVersion ?? 0),
    sendUpdates: readSendUpdates(req.query),
  };
}

function body(req: Req): Record<string, unknown> {
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) throw badRequest('Request body is missing or not an object.');
  return req.body as Record<string, unknown>;
}

export function eventRoutes(state: EmulatorState): Route[] {
  return [
    route('GET', BASE, (req) => {
      const cal = calendarFor(state, req, 'read');
      const page = listEvents(state, cal, req.query);
      return ok({ ...collectionMeta(state, cal, req), ...page });
    }),
    route('POST', BASE, (req) => ok(insertEvent(state, calendarFor(state, req, 'write'), body(req), writeOptions(req)))),
    route('GET', `${BASE}/:eventId/instances`, (req) => {
      const cal = calendarFor(state, req, 'read');
      const master = cal.events.get(req.params.eventId!);
      if (!master || master.deleted) throw notFound();
      const q = req.query as Record<string, string | undefined>;
      for (const k of ['timeMin', 'timeMax', 'originalStart'] as const) {
        if (q[k] !== undefined && !isRfc3339WithOffset(q[k])) throw badRequest('Bad Request', k);
      }
      const start = q.timeMin ? Date.parse(q.timeMin) : 0;
      const end = q.timeMax ? Date.parse(q.timeMax) : state.now() + DEFAULT_HORIZON_MS;
      let items = master.res.recurrence?.length ? instancesOf(cal, master, { start, end }) : [];
      // events.instances documents timeMin as inclusive of the instance's start (A.3).
      items = items.filter((i) => timeMs(i.start ?? {}, cal) >= start || timeMs(i.end ?? {}, cal) > start);
      if (q.showDeleted === 'true') {
        const cancelled = [...cal.events.values()].filter((e) => e.res.recurringEventId === master.res.id && e.res.status === 'cancelled');
        items = [...items, ...cancelled.map((e) => e.res)];
      }
      if (q.originalStart) items = items.filter((i) => timeMs(i.originalStartTime ?? {}, cal) === Date.parse(q.originalStart!));
      const size = Math.min(Number(q.maxResults ?? 250), 2500, state.maxPageSize);
      const from = q.pageToken ? Number(Buffer.from(q.pageToken, 'base64url').toString()) : 0;
      const page = items.slice(from, from + size);
      const more = from + size < items.length;
      return ok({ ...collectionMeta(state, cal, req), items: page, ...(more ? { nextPageToken: Buffer.from(String(from + size)).toString('base64url') } : {}) });
    }),
    route('GET', `${BASE}/:eventId`, (req) => {
      const ev = getEvent(calendarFor(state, req, 'read'), req.params.eventId!);
      // Conditional retrieval (A.8): If-None-Match with the current etag → 304.
      if (req.headers['if-none-match'] === ev.etag) return { status: 304 };
      return ok(ev);
    }),
    route('PUT', `${BASE}/:eventId`, (req) =>
      ok(replaceEvent(state, calendarFor(state, req, 'write'), req.params.eventId!, body(req), writeOptions(req))),
    ),
    route('PATCH', `${BASE}/:eventId`, (req) =>
      ok(replaceEvent(state, calendarFor(state, req, 'write'), req.params.eventId!, body(req), writeOptions(req), true)),
    ),
    route('DELETE', `${BASE}/:eventId`, (req) => {
      deleteEvent(state, calendarFor(state, req, 'write'), req.params.eventId!, writeOptions(req));
      return { status: 204 };
    }),
  ];
}
