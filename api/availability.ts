import type { FastifyInstance } from 'fastify';
import type { Store } from '../shared/store/index.ts';
import type { BusyCache } from './busy-cache.ts';
import { blockingSpans } from './busy-window.ts';
import { scopeCalendars } from './calendar-scope.ts';
import { ApiError } from './errors.ts';
import { isoUtc } from './iso.ts';
import { parseWindow, type ApiLimits } from './limits.ts';
import { busyStatus, errorResponses, idList, instant, security } from './schemas.ts';
import { findSlots, WEEKDAYS, type WorkingHours } from './slots.ts';

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
}

const hhmm = { type: 'string', pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$' } as const;
const range = { type: 'object', required: ['start', 'end'], additionalProperties: false, properties: { start: hhmm, end: hhmm } } as const;
const workingHours = {
  type: 'object',
  required: ['timeZone', 'days'],
  additionalProperties: false,
  properties: {
    timeZone: { type: 'string', minLength: 1, description: 'IANA zone the hours are read in' },
    days: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(WEEKDAYS.map((d) => [d, { type: 'array', items: range, maxItems: 8 }])),
    },
  },
} as const;
const minutes = (max: number) => ({ type: 'integer', minimum: 0, maximum: max }) as const;

const schema = {
  tags: ['free/busy'],
  summary: 'Common free slots of several participants',
  description:
    'A slot is offered when every required participant and at least `minimumOptional` optional ones are free: inside their working hours (in their own zone) and with no busy time within the buffers. Slots start at timeMin + k·step.',
  security,
  body: {
    type: 'object',
    required: ['participants', 'durationMinutes', 'timeMin', 'timeMax'],
    additionalProperties: false,
    properties: {
      participants: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        items: {
          type: 'object',
          additionalProperties: false,
          properties: { id: { type: 'string', minLength: 1, maxLength: 200 }, calendarIds: idList, accountIds: idList, optional: { type: 'boolean', default: false }, workingHours },
        },
      },
      minimumOptional: { type: 'integer', minimum: 0, default: 0 },
      durationMinutes: { type: 'integer', minimum: 1, maximum: 1440 },
      timeMin: instant,
      timeMax: instant,
      stepMinutes: { type: 'integer', minimum: 1, maximum: 1440, default: 15 },
      bufferBeforeMinutes: minutes(1440),
      bufferAfterMinutes: minutes(1440),
      freeStatuses: {
        type: 'array',
        items: busyStatus,
        uniqueItems: true,
        description: 'busy statuses that do not block a slot; default ["workingElsewhere"] (a Google working-location marker spans whole days)',
      },
      maxSlots: { type: 'integer', minimum: 1 },
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
      },
    },
    ...errorResponses,
  },
} as const;

const MIN = 60_000;

export function registerAvailability(app: FastifyInstance, store: Store, limits: ApiLimits, cache: BusyCache): void {
  app.post<{ Body: AvailabilityBody }>('/v1/availability', { schema }, async (req) => {
    const b = req.body;
    const win = parseWindow(b.timeMin, b.timeMax, limits.maxAvailabilityDays);
    if (b.participants.length > limits.maxParticipants) throw new ApiError('TOO_MANY_PARTICIPANTS', `at most ${limits.maxParticipants} participants per request`);
    const ids = b.participants.map((p, i) => p.id ?? `participant-${i + 1}`);
    if (new Set(ids).size !== ids.length) throw new ApiError('INVALID_REQUEST', 'participant ids must be unique');
    const optionalCount = b.participants.filter((p) => p.optional).length;
    const minimumOptional = b.minimumOptional ?? 0;
    if (minimumOptional > optionalCount) throw new ApiError('INVALID_REQUEST', `minimumOptional (${minimumOptional}) exceeds the ${optionalCount} optional participants`);
    const calIds = new Set(b.participants.flatMap((p) => p.calendarIds ?? []));
    const accIds = new Set(b.participants.flatMap((p) => p.accountIds ?? []));
    b.participants.forEach((p, i) => {
      if (!(p.calendarIds?.length || p.accountIds?.length)) throw new ApiError('INVALID_REQUEST', `body.participants.${i} must name calendarIds or accountIds`);
    });
    const cals = await scopeCalendars(store, req.tenant, [...calIds], [...accIds], limits.maxCalendars, cache.lookups);
    // Busy time just outside the window still blocks slots near its edges through the buffers.
    const pad = Math.max(b.bufferBeforeMinutes ?? 0, b.bufferAfterMinutes ?? 0) * MIN;
    const cached = await cache.get(req.tenant.tenantId, cals);
    const free = new Set(b.freeStatuses ?? ['workingElsewhere']);
    const lo = win.start.getTime() - pad;
    const hi = win.end.getTime() + pad;
    const byCal = new Map<string, Array<{ start: number; end: number }>>();
    for (const c of cals) byCal.set(c.id, blockingSpans(cached.get(c.id)!, lo, hi, free));
    const people = b.participants.map((p, i) => {
      const own = new Set(p.calendarIds ?? []);
      const accounts = new Set(p.accountIds ?? []);
      const mine = cals.filter((c) => own.has(c.id) || accounts.has(c.accountId));
      return { id: ids[i]!, optional: p.optional === true, busy: mine.flatMap((c) => byCal.get(c.id) ?? []), workingHours: p.workingHours ?? null };
    });
    const result = findSlots(
      {
        start: win.start.getTime(),
        end: win.end.getTime(),
        durationMs: b.durationMinutes * MIN,
        stepMs: (b.stepMinutes ?? 15) * MIN,
        bufferBeforeMs: (b.bufferBeforeMinutes ?? 0) * MIN,
        bufferAfterMs: (b.bufferAfterMinutes ?? 0) * MIN,
        minimumOptional,
        maxSlots: Math.min(b.maxSlots ?? limits.maxSlots, limits.maxSlots),
      },
      people,
    );
    return {
      slots: result.slots.map((s) => ({ start: isoUtc(s.start), end: isoUtc(s.end), participants: s.participants })),
      truncated: result.truncated,
    };
  });
}
