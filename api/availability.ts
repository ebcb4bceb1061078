import type { FastifyInstance } from 'fastify';
import { availability, WEEKDAYS, type Hub, type WorkingHours } from '../hub/index.ts';
import { resolveZone } from '../shared/time/index.ts';
import { ApiError } from './errors.ts';
import { FIXED_LIMITS, parseWindow, type ApiLimits } from './limits.ts';
import { busyStatus, calendarErrors, errorResponses, id, idList, instant, noBusyErrors, security } from './schemas.ts';

interface ParticipantBody {
  id?: string;
  calendarIds?: string[];
  accountIds?: string[];
  optional?: boolean;
  workingHours?: WorkingHours;
}

interface AvailabilityBody {
  participants: ParticipantBody[];
  minimumOptional?: number;
  durationMinutes: number;
  timeMin: string;
  timeMax: string;
  stepMinutes?: number;
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  /** Statuses that do not block a slot (default: workingElsewhere). */
  freeStatuses?: string[];
  maxSlots?: number;
  minimumNoticeMinutes?: number;
  slotTimeZone?: string;
}

const hhmm = { type: 'string', pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$' } as const;
const range = {
  type: 'object',
  required: ['start', 'end'],
  additionalProperties: false,
  description:
    'Wall-clock `HH:mm` in the participant\'s zone. An end after the start is that day; an end before the start runs into the next day (a night shift: `22:00`–`06:00`); `24:00` (as an end only) is midnight ending the day, so `00:00`–`24:00` is the whole day. An end equal to the start is refused (400 WORKING_HOURS_INVALID), as is a start of `24:00`.',
  properties: { start: hhmm, end: hhmm },
} as const;
const workingHours = {
  type: 'object',
  required: ['timeZone', 'days'],
  additionalProperties: false,
  properties: {
    timeZone: { type: 'string', minLength: 1, description: 'The zone the hours are read in: an IANA name, or a Windows one as Microsoft 365 gives it (400 ZONE_UNKNOWN otherwise)' },
    days: {
      type: 'object',
      additionalProperties: false,
      description: 'Working ranges per weekday (`sun` … `sat`), each starting on that day. A day absent or with an empty list is a day off: no slot starts in it (a range of the day before may still run into it overnight).',
      properties: Object.fromEntries(WEEKDAYS.map((d) => [d, { type: 'array', items: range, maxItems: 8 }])),
    },
  },
} as const;
const minutes = (max: number) => ({ type: 'integer', minimum: 0, maximum: max }) as const;

const schema = {
  tags: ['free/busy'],
  summary: 'Common free slots of several participants',
  description:
    'A slot is offered when every required participant and at least `minimumOptional` optional ones are free: inside their working hours (in their own zone) and with no busy time within the buffers. Slots start at timeMin + k·step (with `slotTimeZone`: at whole steps of that zone\'s clock), never before now + `minimumNoticeMinutes` (so never in the past). ' +
    'While the store cannot be reached, a request whose participants name only calendarIds, all of which this process answered (free/busy or availability) within API_FREEBUSY_STALE_MAX_S, is answered from its cache, ' +
    'with headers X-Calhub-Stale: store-unavailable and Age: seconds since the store last confirmed that busy time; otherwise 503 STORE_UNAVAILABLE.',
  security,
  body: {
    type: 'object',
    required: ['participants', 'durationMinutes', 'timeMin', 'timeMax'],
    additionalProperties: false,
    properties: {
      participants: {
        type: 'array',
        minItems: 1,
        maxItems: FIXED_LIMITS.maxParticipants,
        description: `At most ${FIXED_LIMITS.maxParticipants} (more: 400 TOO_MANY_PARTICIPANTS)`,
        items: {
          type: 'object',
          additionalProperties: false,
          properties: {
            id: { type: 'string', minLength: 1, maxLength: 200, description: 'Names the participant in the answer; absent: `participant-N`, N its place in the list from 1' },
            calendarIds: idList,
            accountIds: idList,
            optional: { type: 'boolean', default: false },
            workingHours,
          },
        },
      },
      minimumOptional: {
        type: 'integer',
        minimum: 0,
        description: 'How many optional participants must be free too; default 0, or 1 when every participant is optional (0 would offer slots where nobody is free, and is refused then)',
      },
      durationMinutes: { type: 'integer', minimum: 1, maximum: 1440 },
      timeMin: instant,
      timeMax: instant,
      stepMinutes: { type: 'integer', minimum: 1, maximum: 1440, default: 15, description: 'Minutes between slot starts on the grid: timeMin + k·step, or with `slotTimeZone` whole steps of that zone\'s clock' },
      slotTimeZone: {
        type: 'string',
        minLength: 1,
        description:
          'Puts the slot grid on this zone\'s wall clock instead of timeMin: slots start at local midnight + k·`stepMinutes` each day (`stepMinutes: 60` → on the hour, 30 → on the hour and half hour), DST-correct, whatever timeMin is. Send the zone the slots are shown in, usually the host\'s (a working day 14:00–22:30 in Asia/Kolkata with timeMin at 00:00Z and hourly steps otherwise offers 14:30, 15:30, …). An IANA name or a Windows one (400 ZONE_UNKNOWN otherwise). Absent: slots start at timeMin + k·step.',
      },
      bufferBeforeMinutes: minutes(1440),
      bufferAfterMinutes: minutes(1440),
      freeStatuses: {
        type: 'array',
        items: busyStatus,
        uniqueItems: true,
        description: 'busy statuses that do not block a slot; default ["workingElsewhere"] (a Google working-location marker spans whole days)',
      },
      maxSlots: { type: 'integer', minimum: 1, maximum: FIXED_LIMITS.maxSlots, description: `Most slots to answer (default and most ${FIXED_LIMITS.maxSlots}); truncated says when more matched` },
      minimumNoticeMinutes: {
        ...minutes(525_600),
        default: 0,
        description:
          'No slot starts earlier than now plus this many minutes. With the default 0 no slot starts in the past: a window reaching before now answers only its slots from now on (one wholly past answers none). Slots stay on the grid (timeMin + k·step); the notice drops the earlier ones, it does not shift the grid.',
      },
    },
  },
  response: {
    200: {
      type: 'object',
      required: ['slots', 'truncated'],
      properties: {
        slots: {
          type: 'array',
          items: {
            type: 'object',
            required: ['start', 'end', 'participants'],
            properties: { start: instant, end: instant, participants: { type: 'array', items: { type: 'string' }, description: 'ids of the participants free in this slot' } },
          },
        },
        truncated: { type: 'boolean', description: 'true when more slots matched than maxSlots' },
        partial: { type: 'boolean', description: 'true when a calendar consulted or a participant carries errors: busy time may be incomplete, so some slots may not be free' },
        participants: {
          type: 'array',
          description: 'every participant, with the calendars consulted for it; one that stands for no calendar carries NO_BUSY_CALENDARS (it shows free in every slot)',
          items: {
            type: 'object',
            required: ['id', 'calendarIds'],
            properties: { id: { type: 'string' }, calendarIds: { type: 'array', items: id }, errors: noBusyErrors },
          },
        },
        calendars: {
          type: 'array',
          description: 'every calendar consulted',
          items: {
            type: 'object',
            required: ['calendarId', 'participants'],
            properties: { calendarId: id, participants: { type: 'array', items: { type: 'string' } }, errors: calendarErrors },
          },
        },
      },
    },
    ...errorResponses,
  },
} as const;

// Read as event times read zones (IANA or Windows names), and refused naming the field.
function zoneOf(raw: string, field: string): string {
  const zone = resolveZone(raw);
  if (zone === null) throw new ApiError('ZONE_UNKNOWN', `${field}: unknown time zone ${JSON.stringify(raw.slice(0, 80))} (an IANA or Windows name)`);
  return zone;
}

// An end equal to the start would read as 24 hours (an end at or before the start runs overnight):
// a product switching a day off that way would offer the whole day.
function checkRanges(wh: WorkingHours, i: number): void {
  for (const [day, ranges] of Object.entries(wh.days)) {
    (ranges ?? []).forEach((r, j) => {
      const field = `body.participants.${i}.workingHours.days.${day}.${j}`;
      if (r.start === '24:00') throw new ApiError('WORKING_HOURS_INVALID', `${field}: a range cannot start at 24:00 (24:00 is only an end: midnight ending the day); start the next day at 00:00`);
      if (r.start === r.end)
        throw new ApiError('WORKING_HOURS_INVALID', `${field}: start and end are both ${r.start}; for the whole day send 00:00–24:00, for a day off an empty list or no entry (an end before the start runs into the next day)`);
    });
  }
}

export function registerAvailability(app: FastifyInstance, hub: Hub, limits: ApiLimits, now: () => Date = () => new Date()): void {
  app.post<{ Body: AvailabilityBody }>('/v1/availability', { schema }, async (req, reply) => {
    const { timeMin, timeMax, ...b } = req.body;
    const win = parseWindow(timeMin, timeMax, limits.maxAvailabilityDays);
    b.participants.forEach((p, i) => p.workingHours && checkRanges(p.workingHours, i));
    const participants = b.participants.map((p, i) => (p.workingHours ? { ...p, workingHours: { ...p.workingHours, timeZone: zoneOf(p.workingHours.timeZone, `body.participants.${i}.workingHours.timeZone`) } } : p));
    const slotTimeZone = b.slotTimeZone === undefined ? undefined : zoneOf(b.slotTimeZone, 'body.slotTimeZone');
    const { answer, staleMs } = await availability(hub, req.tenant.tenantId, { ...b, participants, slotTimeZone, start: win.start, end: win.end, now: now(), staleMaxMs: limits.freeBusyStaleMaxMs }, limits);
    if (staleMs !== undefined) {
      // The store could not be reached: slots from the cache as the store last confirmed it (hub/freebusy-stale.ts).
      reply.header('age', String(Math.floor(staleMs / 1000)));
      reply.header('x-calhub-stale', 'store-unavailable');
    }
    return answer;
  });
}
