import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../shared/errors.ts';
import { busyStatusOf, parseEvent, type CanonicalEvent } from '../shared/model/index.ts';
import { eventsForWindow, pageEvents, type Store, type StoredEvent } from '../shared/store/index.ts';
import { expandSeries } from '../shared/time/index.ts';
import { ApiError } from './errors.ts';
import { etagOf, type EventWriter } from './event-writer.ts';
import { eventBodySchema, instanceSchema, storedEventSchema } from './event-schemas.ts';
import { parseWindow, type ApiLimits } from './limits.ts';
import { errorResponses, idParams, instant, security } from './schemas.ts';
import type { WriteBudget } from './write-budget.ts';

const showEvent = (s: StoredEvent) => ({ ...s.event, id: s.id, calendarId: s.calendarId, etag: etagOf(s) });

interface ListQuery {
  timeMin?: string;
  timeMax?: string;
  limit?: string;
  cursor?: string;
}

const listSchema = {
  tags: ['events'],
  summary: 'Events of a calendar: expanded instances in a window, or the stored masters, singles and overrides',
  description: 'With timeMin and timeMax: instances overlapping the window, ordered by start. Without: stored rows in id order. Page with limit and the returned nextCursor.',
  security,
  params: idParams,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { timeMin: instant, timeMax: instant, limit: { type: 'string', pattern: '^[0-9]{1,4}$', description: 'page size, 1–1000 (default 100)' }, cursor: { type: 'string', maxLength: 500 } },
  },
  response: {
    200: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: { items: { type: 'array', items: { anyOf: [instanceSchema, storedEventSchema] } }, nextCursor: { type: ['string', 'null'] } },
    },
    ...errorResponses,
  },
} as const;

const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
function decode(cursor: string): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object') return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ApiError('INVALID_CURSOR', 'cursor is not one this API returned');
}

const READ_ONLY_FIELDS = ['providerEventId', 'providerVersion', 'provenance', 'providerUpdatedAt', 'id', 'calendarId', 'etag'] as const;

function rejectReadOnly(body: Record<string, unknown>, also: string[] = []): void {
  const bad = [...READ_ONLY_FIELDS, ...also].filter((k) => k in body);
  if (bad.length) throw new ValidationError(`invalid event: ${bad.map((k) => `${k}: set by calhub`).join('; ')}`, bad);
}

export function registerEvents(app: FastifyInstance, store: Store, limits: ApiLimits, writer: EventWriter | undefined, budget: WriteBudget): void {
  async function calendarOf(req: FastifyRequest, calendarId: string) {
    const cal = await req.tenant.calendars.get(calendarId);
    if (!cal) throw new ApiError('NOT_FOUND', `calendar ${calendarId} not found`);
    return cal;
  }
  async function eventOf(req: FastifyRequest, eventId: string) {
    const e = await req.tenant.events.get(eventId);
    if (!e) throw new ApiError('NOT_FOUND', `event ${eventId} not found`);
    return e;
  }
  function needWriter(): EventWriter {
    if (!writer) throw new ApiError('WRITES_UNAVAILABLE', 'event writes are not available on this server');
    return writer;
  }
  async function writable(req: FastifyRequest, calendarId: string) {
    const cal = await calendarOf(req, calendarId);
    if (cal.accessRole === 'reader' || cal.accessRole === 'freeBusyReader') throw new ApiError('CALENDAR_READ_ONLY', `calendar ${calendarId} is read-only`);
    return cal;
  }

  app.get<{ Params: { id: string }; Querystring: ListQuery }>('/v1/calendars/:id/events', { schema: listSchema }, async (req) => {
    const q = req.query;
    const cal = await calendarOf(req, req.params.id);
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (limit < 1 || limit > 1000) throw new ApiError('INVALID_REQUEST', 'querystring.limit must be between 1 and 1000');
    if ((q.timeMin === undefined) !== (q.timeMax === undefined)) throw new ApiError('INVALID_REQUEST', 'querystring needs both timeMin and timeMax, or neither');
    if (q.timeMin === undefined || q.timeMax === undefined) {
      const after = q.cursor === undefined ? null : decode(q.cursor).after;
      if (after !== null && typeof after !== 'string') throw new ApiError('INVALID_CURSOR', 'cursor is not one this API returned');
      const rows = await pageEvents(store.db, req.tenant.tenantId, cal.id, after, limit + 1);
      const page = rows.slice(0, limit);
      return { items: page.map(showEvent), nextCursor: rows.length > limit ? encode({ after: page[page.length - 1]!.id }) : null };
    }
    const win = parseWindow(q.timeMin, q.timeMax, limits.maxWindowDays);
    const w = `${win.start.toISOString()}/${win.end.toISOString()}`;
    let after: Keyset | null = null;
    if (q.cursor !== undefined) {
      const c = decode(q.cursor);
      if (c.w !== w || typeof c.s !== 'number' || !Number.isFinite(c.s) || typeof c.id !== 'string' || typeof c.k !== 'string') {
        throw new ApiError('INVALID_CURSOR', 'cursor does not belong to this window');
      }
      after = { startMs: c.s, eventId: c.id, originalStartKey: c.k };
    }
    const from = after && after.startMs > win.start.getTime() ? new Date(after.startMs) : win.start;
    const rows = await eventsForWindow(store.db, req.tenant.tenantId, cal.id, from, win.end);
    const instances = await expandPage(rows, cal.timeZone, win, after, limit + 1, req);
    const page = instances.slice(0, limit);
    const last = page[page.length - 1];
    const next = instances.length > limit && last ? encode({ w, s: last.startMs, id: last.eventId, k: last.originalStartKey }) : null;
    return { items: page.map(({ startMs: _s, ...rest }) => rest), nextCursor: next };
  });

  app.get<{ Params: { id: string } }>(
    '/v1/events/:id',
    { schema: { tags: ['events'], summary: 'One stored event (master, single or override)', security, params: idParams, response: { 200: storedEventSchema, ...errorResponses } } },
    async (req, reply) => {
      const e = await eventOf(req, req.params.id);
      reply.header('etag', etagOf(e));
      return showEvent(e);
    },
  );

  const ifMatchHeader = { type: 'object', properties: { 'if-match': { type: 'string', description: 'the etag read earlier; 412 PRECONDITION_FAILED when the event changed' } } } as const;
  const writeResponses = { ...errorResponses, 409: { $ref: 'Error#' }, 412: { $ref: 'Error#' }, 501: { $ref: 'Error#' } } as const;

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/v1/calendars/:id/events',
    { schema: { tags: ['events'], summary: 'Create an event (written to the provider through the outbox)', security, params: idParams, body: eventBodySchema, response: { 201: storedEventSchema, ...writeResponses } } },
    async (req, reply) => {
      const w = needWriter();
      const cal = await writable(req, req.params.id);
      rejectReadOnly(req.body);
      const event = parseEvent({ uid: `${randomUUID()}@calhub`, ...req.body });
      budget.charge(req.tenant.tenantId, null, event);
      const saved = await w.create(req.tenant.tenantId, cal.id, event);
      reply.code(201).header('etag', etagOf(saved)).header('location', `/v1/events/${saved.id}`);
      return showEvent(saved);
    },
  );

  app.patch<{ Params: { id: string }; Body: Record<string, unknown>; Headers: { 'if-match'?: string } }>(
    '/v1/events/:id',
    { schema: { tags: ['events'], summary: 'Change an event', security, params: idParams, headers: ifMatchHeader, body: eventBodySchema, response: { 200: storedEventSchema, ...writeResponses } } },
    async (req, reply) => {
      const w = needWriter();
      const current = await eventOf(req, req.params.id);
      await writable(req, current.calendarId);
      rejectReadOnly(req.body, ['uid', 'originalStart']);
      const next: CanonicalEvent = parseEvent({ ...current.event, ...req.body });
      budget.charge(req.tenant.tenantId, current.event, next);
      const saved = await w.update(req.tenant.tenantId, current.id, next, req.headers['if-match']);
      reply.header('etag', etagOf(saved));
      return showEvent(saved);
    },
  );

  app.delete<{ Params: { id: string }; Headers: { 'if-match'?: string } }>(
    '/v1/events/:id',
    { schema: { tags: ['events'], summary: 'Delete an event', security, params: idParams, headers: ifMatchHeader, response: { 204: { type: 'null' }, ...writeResponses } } },
    async (req, reply) => {
      const w = needWriter();
      const current = await eventOf(req, req.params.id);
      await writable(req, current.calendarId);
      budget.charge(req.tenant.tenantId, current.event, null);
      await w.delete(req.tenant.tenantId, current.id, req.headers['if-match']);
      return reply.code(204).send();
    },
  );
}

/** Where a page of instances continues: after this one in (start, event id, original start) order. */
interface Keyset {
  startMs: number;
  eventId: string;
  originalStartKey: string;
}

const compareInstances = (a: Keyset, b: Keyset): number =>
  a.startMs - b.startMs || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0) || (a.originalStartKey < b.originalStartKey ? -1 : a.originalStartKey > b.originalStartKey ? 1 : 0);

/**
 * The first `want` instances of the window after `after`, ordered by start; a series that cannot
 * be expanded is left out and logged. Each series is expanded only as far as the page needs (its
 * first `want` occurrences from the resume point, which hold the page's whole share of it), never
 * the whole window per page: 61 minutely series took 3.4 s of main-thread CPU per page. The loop
 * gets a turn between series.
 */
async function expandPage(rows: StoredEvent[], timeZone: string, window: { start: Date; end: Date }, after: Keyset | null, want: number, req: FastifyRequest) {
  const byUid = new Map<string, StoredEvent[]>();
  for (const r of rows) {
    const l = byUid.get(r.event.uid);
    if (l) l.push(r);
    else byUid.set(r.event.uid, [r]);
  }
  const ws = window.start.getTime();
  // Resuming inside the window, only occurrences starting at or after the resume point matter,
  // and each rule's first `want` of them hold this page. Resuming before the window (the page
  // ended on instances that began earlier and overlap it), the series are read whole.
  const resumeInside = after !== null && after.startMs >= ws;
  const expandWindow = resumeInside ? { start: new Date(after.startMs), end: window.end } : window;
  const out: Array<ReturnType<typeof instance> & { startMs: number }> = [];
  let since = performance.now();
  for (const [uid, group] of byUid) {
    if (performance.now() - since > 20) {
      await new Promise((r) => setImmediate(r));
      since = performance.now();
    }
    const master = group.find((g) => g.event.originalStart === null) ?? null;
    const rowOf = new Map<CanonicalEvent, StoredEvent>(group.map((g) => [g.event, g]));
    try {
      const occ = expandSeries({
        master: master?.event ?? null,
        overrides: group.filter((g) => g !== master).map((g) => g.event),
        calendarTimeZone: timeZone,
        window: expandWindow,
        ...(after === null || resumeInside ? { perRuleLimit: want, startsInWindow: resumeInside } : {}),
      });
      for (const o of occ) {
        const row = rowOf.get(o.event) ?? master!;
        const item = { ...instance(row, o.event, o.originalStartKey, o.startMs, o.endMs, o.isOverride, master?.event.recurrence != null), startMs: o.startMs };
        if (after && compareInstances(item, after) <= 0) continue;
        out.push(item);
      }
    } catch (e) {
      req.log.warn({ err: e, uid }, 'series could not be expanded for listing');
    }
  }
  out.sort(compareInstances);
  return out.slice(0, want);
}

function instance(row: StoredEvent, e: CanonicalEvent, originalStartKey: string, startMs: number, endMs: number, isOverride: boolean, recurring: boolean) {
  return {
    eventId: row.id,
    calendarId: row.calendarId,
    uid: e.uid,
    originalStartKey,
    recurring,
    isOverride,
    allDay: 'date' in e.start,
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    title: e.title,
    location: e.location,
    status: e.status,
    availability: e.availability,
    visibility: e.visibility,
    busyStatus: busyStatusOf(e),
  };
}
