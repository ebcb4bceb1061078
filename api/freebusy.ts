import type { FastifyInstance } from 'fastify';
import { eventLabels, type Store } from '../shared/store/index.ts';
import type { BusyCache } from './busy-cache.ts';
import { mergeCalendar, union, type OutSpan } from './busy-merge.ts';
import { busyJson, mergedJson, spansInWindow } from './busy-window.ts';
import { scopeCalendars } from './calendar-scope.ts';
import { isoUtc } from './iso.ts';
import { parseWindow, type ApiLimits } from './limits.ts';
import { busyStatus, errorResponses, id, idList, instant, security } from './schemas.ts';

interface FreeBusyBody {
  calendarIds?: string[];
  accountIds?: string[];
  timeMin: string;
  timeMax: string;
  explain?: boolean;
}

const explainedEvent = {
  type: 'object',
  required: ['id', 'uid', 'title'],
  properties: { id, uid: { type: 'string' }, title: { type: ['string', 'null'], description: 'null for private and confidential events' } },
} as const;

const schema = {
  tags: ['free/busy'],
  summary: 'Busy time of calendars in a window, from the busy index',
  description: 'Spans are clipped to the window; overlapping spans of one status are joined. See docs/busy-policy.md.',
  security,
  body: {
    type: 'object',
    required: ['timeMin', 'timeMax'],
    additionalProperties: false,
    properties: { calendarIds: idList, accountIds: idList, timeMin: instant, timeMax: instant, explain: { type: 'boolean', default: false } },
  },
  response: {
    200: {
      type: 'object',
      required: ['timeMin', 'timeMax', 'calendars', 'merged'],
      properties: {
        timeMin: instant,
        timeMax: instant,
        calendars: {
          type: 'array',
          items: {
            type: 'object',
            required: ['calendarId', 'busy'],
            properties: {
              calendarId: id,
              busy: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['start', 'end', 'status'],
                  properties: { start: instant, end: instant, status: busyStatus, events: { type: 'array', items: explainedEvent } },
                },
              },
            },
          },
        },
        merged: { type: 'array', items: { type: 'object', required: ['start', 'end'], properties: { start: instant, end: instant } } },
      },
    },
    ...errorResponses,
  },
} as const;

const iso = isoUtc;

export function registerFreeBusy(app: FastifyInstance, store: Store, limits: ApiLimits, cache: BusyCache): void {
  app.post<{ Body: FreeBusyBody }>('/v1/freebusy', { schema }, async (req, reply) => {
    const b = req.body;
    const win = parseWindow(b.timeMin, b.timeMax, limits.maxWindowDays);
    const cals = await scopeCalendars(store, req.tenant, b.calendarIds ?? [], b.accountIds ?? [], limits.maxCalendars, cache.lookups);
    const ws = win.start.getTime();
    const we = win.end.getTime();
    // The calendar lookup above is tenant-scoped and carries each busy_version: the cache only
    // ever sees calendars this tenant owns, and only re-reads those that changed.
    const busy = await cache.get(req.tenant.tenantId, cals);
    const ordered = cals.map((c) => busy.get(c.id)!);
    if (b.explain !== true) {
      // JSON text straight from the cached spans (see busy-window.ts); the schema above documents it.
      const calendars = ordered.map((c) => `{"calendarId":${JSON.stringify(c.calendarId)},"busy":${busyJson(c, ws, we)}}`).join(',');
      reply.type('application/json');
      return `{"timeMin":"${iso(ws)}","timeMax":"${iso(we)}","calendars":[${calendars}],"merged":${mergedJson(ordered, ws, we)}}`;
    }
    const perCal = new Map<string, OutSpan[]>();
    for (const c of ordered) perCal.set(c.calendarId, mergeCalendar(spansInWindow(c, ws, we), ws, we, true));
    const labels = await labelsFor(store, req.tenant.tenantId, perCal);
    const calendars = cals.map((c) => ({
      calendarId: c.id,
      busy: (perCal.get(c.id) ?? []).map((s) => ({
        start: iso(s.start),
        end: iso(s.end),
        status: s.status,
        events: [...new Set(s.keys)].map((k) => labels.get(`${c.id}\u0000${k}`)).filter((x) => x !== undefined),
      })),
    }));
    const merged = union([...perCal.values()].flat()).map((s) => ({ start: iso(s.start), end: iso(s.end) }));
    return { timeMin: iso(ws), timeMax: iso(we), calendars, merged };
  });
}

async function labelsFor(store: Store, tenantId: string, perCal: Map<string, OutSpan[]>) {
  const keys = new Map<string, { calendarId: string; uid: string; eventKey: string }>();
  for (const [calendarId, spans] of perCal) {
    for (const s of spans) {
      for (const k of s.keys ?? []) {
        const [uid, eventKey] = k.split('\u0000') as [string, string];
        keys.set(`${calendarId}\u0000${k}`, { calendarId, uid, eventKey });
      }
    }
  }
  const rows = await eventLabels(store.db, tenantId, [...keys.values()]);
  const hidden = new Set(['private', 'confidential']);
  return new Map(rows.map((r) => [`${r.calendarId}\u0000${r.uid}\u0000${r.eventKey}`, { id: r.id, uid: r.uid, title: hidden.has(r.visibility) ? null : r.title }]));
}
