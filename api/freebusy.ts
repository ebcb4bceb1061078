import type { FastifyInstance } from 'fastify';
import { freeBusy, type Hub } from '../hub/index.ts';
import { parseWindow, type ApiLimits } from './limits.ts';
import { busyStatus, calendarErrors, errorResponses, id, idList, instant, noBusyErrors, security } from './schemas.ts';

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
  description:
    'Spans are clipped to the window; overlapping spans of one status are joined. See docs/busy-policy.md. ' +
    'A calendar whose busy time may be incomplete (account needs reauthorization, disabled or in error; last sync failed or stopped) carries errors. ' +
    'While the store cannot be reached, a request naming only calendarIds (no explain) whose calendars this process answered within API_FREEBUSY_STALE_MAX_S is answered from its cache, ' +
    'with headers X-Calhub-Stale: store-unavailable and Age: seconds since the store last confirmed that busy time; otherwise 503 STORE_UNAVAILABLE.',
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
              errors: calendarErrors,
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
        accounts: {
          type: 'array',
          description: 'only when accountIds are named: each account with the calendars it stands for; one that stands for none carries NO_BUSY_CALENDARS (its busy time is unknown, not free)',
          items: {
            type: 'object',
            required: ['accountId', 'calendarIds'],
            properties: { accountId: id, calendarIds: { type: 'array', items: id }, errors: noBusyErrors },
          },
        },
      },
    },
    ...errorResponses,
  },
} as const;

export function registerFreeBusy(app: FastifyInstance, hub: Hub, limits: ApiLimits): void {
  app.post<{ Body: FreeBusyBody }>('/v1/freebusy', { schema }, async (req, reply) => {
    const b = req.body;
    const win = parseWindow(b.timeMin, b.timeMax, limits.maxWindowDays);
    const answer = await freeBusy(hub, req.tenant.tenantId, {
      calendarIds: b.calendarIds ?? [],
      accountIds: b.accountIds ?? [],
      start: win.start,
      end: win.end,
      explain: b.explain === true,
      maxCalendars: limits.maxCalendars,
      staleMaxMs: limits.freeBusyStaleMaxMs,
    });
    if ('body' in answer) return answer.body;
    if (answer.staleMs !== undefined) {
      // The store could not be reached: the cache's answer as the store last confirmed it (hub/freebusy-stale.ts).
      reply.header('age', String(Math.floor(answer.staleMs / 1000)));
      reply.header('x-calhub-stale', 'store-unavailable');
    }
    // JSON text straight from the cached spans; the schema above documents it.
    reply.type('application/json');
    return answer.json;
  });
}
