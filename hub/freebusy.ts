/**
 * Free/busy and availability answers from the busy index, through the per-process busy cache
 * (freebusy/). The calendar lookup is tenant-scoped and carries each busy_version: the cache only
 * ever sees calendars this tenant owns, and only re-reads those that changed.
 */
import { blockingSpans, busyInWindow, busyJson, findSlots, isoUtc, mergedJson, spansInWindow, union, type CalendarBusy, type OutSpan, type WorkingHours } from '../freebusy/index.ts';
import { HubError } from '../shared/errors.ts';
import { isStoreUnreachable } from '../shared/outage-log.ts';
import { eventLabels, type CalendarProblemRow, type ResolvedCalendar } from '../shared/store/index.ts';
import { scopeCalendars, scopeWithAccounts, type AccountWithoutBusy } from './calendar-scope.ts';
import type { Hub } from './open-hub.ts';
import { LastConfirmed } from './freebusy-stale.ts';
import { calendarErrors, errorsByCalendar, noBusyCalendars, withHorizon, type CalendarError } from './partial.ts';

export interface FreeBusyQuery {
  calendarIds: string[];
  accountIds: string[];
  start: Date;
  end: Date;
  /** Name the events behind each span (titles hidden for private and confidential ones). */
  explain: boolean;
  maxCalendars: number;
  /** During a store outage, answer from the cache when the store confirmed it at most this long ago (0: never; freebusy-stale.ts). */
  staleMaxMs?: number;
}

const iso = isoUtc;

/** Per hub (keyed by its busy cache, which it describes): when the store last confirmed each calendar. */
const confirmations = new WeakMap<object, LastConfirmed>();
const confirmedOf = (hub: Hub): LastConfirmed => {
  let c = confirmations.get(hub.busy);
  if (!c) confirmations.set(hub.busy, (c = new LastConfirmed()));
  return c;
};

/**
 * Without explain the answer is JSON text assembled straight from the cached spans (the hot path:
 * see freebusy/busy-window.ts); with explain, an object. `staleMs`: answered from the cache while
 * the store could not be reached, as confirmed this long ago.
 */
export async function freeBusy(hub: Hub, tenantId: string, q: FreeBusyQuery): Promise<{ json: string; staleMs?: number } | { body: object }> {
  const asked = Date.now();
  let found: Awaited<ReturnType<typeof calendarsOf>>;
  let busy: Map<string, CalendarBusy>;
  let known: Map<string, CalendarError[]>;
  try {
    found = await calendarsOf(hub, tenantId, q.calendarIds, q.accountIds, q.maxCalendars);
    [busy, known] = await Promise.all([hub.busy.get(tenantId, found.cals), found.errors]);
  } catch (e) {
    const stale = isStoreUnreachable(e) && !q.explain && q.accountIds.length === 0 ? confirmedOf(hub).answer(hub.busy, tenantId, q.calendarIds, q.staleMaxMs ?? 0) : null;
    if (!stale) throw e;
    return { json: busyAnswer(hub, q, stale.cals, stale.spans, stale.errors, undefined), staleMs: stale.ageMs };
  }
  const { cals, withoutBusy } = found;
  if (q.accountIds.length === 0) confirmedOf(hub).confirm(tenantId, cals, known, asked);
  const ordered = cals.map((c) => busy.get(c.id)!);
  const accounts = accountsAnswer(q.accountIds, cals, withoutBusy);
  if (!q.explain) return { json: busyAnswer(hub, q, cals, ordered, known, accounts) };
  const ws = q.start.getTime();
  const we = q.end.getTime();
  const errors = withHorizon(known, cals.map((c) => c.id), q, hub.store.busyCoverage());
  const perCal = new Map<string, OutSpan[]>();
  for (const c of ordered) perCal.set(c.calendarId, busyInWindow(spansInWindow(c, ws, we), ws, we, true));
  const labels = await labelsFor(hub, tenantId, perCal);
  const calendars = cals.map((c) => ({
    calendarId: c.id,
    busy: (perCal.get(c.id) ?? []).map((s) => ({
      start: iso(s.start),
      end: iso(s.end),
      status: s.status,
      events: [...new Set(s.keys)].map((k) => labels.get(`${c.id}\u0000${k}`)).filter((x) => x !== undefined),
    })),
    ...(errors.has(c.id) ? { errors: errors.get(c.id) } : {}),
  }));
  const merged = union([...perCal.values()].flat()).map((s) => ({ start: iso(s.start), end: iso(s.end) }));
  return { body: { timeMin: iso(ws), timeMax: iso(we), calendars, merged, ...(accounts ? { accounts } : {}) } };
}

/** The answer's JSON text, straight from the cached spans (the hot path: see freebusy/busy-window.ts). */
function busyAnswer(hub: Hub, q: FreeBusyQuery, cals: ResolvedCalendar[], ordered: CalendarBusy[], known: Map<string, CalendarError[]>, accounts: ReturnType<typeof accountsAnswer>): string {
  const ws = q.start.getTime();
  const we = q.end.getTime();
  const errors = withHorizon(known, cals.map((c) => c.id), q, hub.store.busyCoverage());
  const errorsJson = (id: string) => (errors.has(id) ? `,"errors":${JSON.stringify(errors.get(id))}` : '');
  const calendars = ordered.map((c) => `{"calendarId":${JSON.stringify(c.calendarId)},"busy":${busyJson(c, ws, we)}${errorsJson(c.calendarId)}}`).join(',');
  const accountsJson = accounts ? `,"accounts":${JSON.stringify(accounts)}` : '';
  return `{"timeMin":"${iso(ws)}","timeMax":"${iso(we)}","calendars":[${calendars}],"merged":${mergedJson(ordered, ws, we)}${accountsJson}}`;
}

/**
 * Each named account with the calendars it stands for; one that stands for none is marked
 * NO_BUSY_CALENDARS, since leaving it out would read as an account that is free throughout.
 */
function accountsAnswer(accountIds: string[], cals: ResolvedCalendar[], withoutBusy: AccountWithoutBusy[]) {
  if (accountIds.length === 0) return undefined;
  return [...new Set(accountIds)].map((accountId) => {
    const none = withoutBusy.find((a) => a.accountId === accountId);
    return { accountId, calendarIds: cals.filter((c) => c.accountId === accountId && c.countsForBusy !== false).map((c) => c.id), ...(none ? { errors: noBusyCalendars([none]) } : {}) };
  });
}

/**
 * The tenant's calendars a request names and their errors. With the hub's calendar memo
 * (`calhub start`), calendars named by id come from memory, problems included; otherwise
 * (accounts named, or no memo) from the store: the lookup, then the problems query beside the spans.
 */
async function calendarsOf(
  hub: Hub,
  tenantId: string,
  calendarIds: string[],
  accountIds: string[],
  max: number,
): Promise<{ cals: ResolvedCalendar[]; errors: Promise<Map<string, CalendarError[]>>; withoutBusy: AccountWithoutBusy[] }> {
  const memo = hub.calendarMemo;
  if (memo && accountIds.length === 0) {
    const cals = await scopeCalendars(hub.store.db, tenantId, calendarIds, [], max, memo);
    const problems = cals.map((c) => memo.problemOf(c));
    if (problems.every((p) => p !== undefined)) return { cals, errors: Promise.resolve(errorsByCalendar(problems.filter((p): p is CalendarProblemRow => p !== null))), withoutBusy: [] };
    return { cals, errors: calendarErrors(hub, tenantId, cals.map((c) => c.id)), withoutBusy: [] };
  }
  const { calendars: cals, withoutBusy } = await scopeWithAccounts(hub.store.db, tenantId, calendarIds, accountIds, max, hub.busy.lookups);
  return { cals, errors: calendarErrors(hub, tenantId, cals.map((c) => c.id)), withoutBusy };
}

async function labelsFor(hub: Hub, tenantId: string, perCal: Map<string, OutSpan[]>) {
  const keys = new Map<string, { calendarId: string; uid: string; eventKey: string }>();
  for (const [calendarId, spans] of perCal) {
    for (const s of spans) {
      for (const k of s.keys ?? []) {
        const [uid, eventKey] = k.split('\u0000') as [string, string];
        keys.set(`${calendarId}\u0000${k}`, { calendarId, uid, eventKey });
      }
    }
  }
  const rows = await eventLabels(hub.store.db, tenantId, [...keys.values()]);
  const hidden = new Set(['private', 'confidential']);
  return new Map(rows.map((r) => [`${r.calendarId}\u0000${r.uid}\u0000${r.eventKey}`, { id: r.id, uid: r.uid, title: hidden.has(r.visibility) ? null : r.title }]));
}

export interface AvailabilityQuery {
  participants: Array<{ id?: string; calendarIds?: string[]; accountIds?: string[]; optional?: boolean; workingHours?: WorkingHours }>;
  minimumOptional?: number;
  durationMinutes: number;
  start: Date;
  end: Date;
  stepMinutes?: number;
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  freeStatuses?: string[];
  maxSlots?: number;
  /** No slot starts before now + this (default 0: none in the past). */
  minimumNoticeMinutes?: number;
  /** The request's now (the API's clock). */
  now: Date;
  /** IANA zone whose wall clock the slot grid follows (whole steps from local midnight); absent: timeMin + k·step. */
  slotTimeZone?: string;
  /** During a store outage, answer from the cache when the store confirmed it at most this long ago (0: never; freebusy-stale.ts). */
  staleMaxMs?: number;
}

export interface AvailabilityLimits {
  maxCalendars: number;
  maxParticipants: number;
  maxSlots: number;
}

const MIN = 60_000;

/** Common free slots of several participants: see the route's description (api/availability.ts). */
export async function availability(hub: Hub, tenantId: string, b: AvailabilityQuery, limits: AvailabilityLimits) {
  if (b.participants.length > limits.maxParticipants) throw new HubError('TOO_MANY_PARTICIPANTS', 'never', `at most ${limits.maxParticipants} participants per request`);
  const ids = b.participants.map((p, i) => p.id ?? `participant-${i + 1}`);
  if (new Set(ids).size !== ids.length) throw new HubError('INVALID_REQUEST', 'never', 'participant ids must be unique');
  const optionalCount = b.participants.filter((p) => p.optional).length;
  // With nobody required, a minimum of 0 would offer slots where nobody is free.
  const nobodyRequired = optionalCount === b.participants.length;
  const minimumOptional = b.minimumOptional ?? (nobodyRequired ? 1 : 0);
  if (nobodyRequired && minimumOptional === 0) throw new HubError('INVALID_REQUEST', 'never', 'minimumOptional is 0 while every participant is optional, which would offer slots where nobody is free; send at least 1');
  if (minimumOptional > optionalCount) throw new HubError('INVALID_REQUEST', 'never', `minimumOptional (${minimumOptional}) exceeds the ${optionalCount} optional participants`);
  const calIds = new Set(b.participants.flatMap((p) => p.calendarIds ?? []));
  const accIds = new Set(b.participants.flatMap((p) => p.accountIds ?? []));
  b.participants.forEach((p, i) => {
    if (!(p.calendarIds?.length || p.accountIds?.length)) throw new HubError('INVALID_REQUEST', 'never', `body.participants.${i} must name calendarIds or accountIds`);
  });
  const { cals, cached, known, withoutBusy, staleMs } = await availabilityInputs(hub, tenantId, [...calIds], [...accIds], limits.maxCalendars, b.staleMaxMs ?? 0);
  // Busy time just outside the window still blocks slots near its edges through the buffers.
  const pad = Math.max(b.bufferBeforeMinutes ?? 0, b.bufferAfterMinutes ?? 0) * MIN;
  const covered = hub.store.busyCoverage();
  const errors = withHorizon(known, cals.map((c) => c.id), b, covered);
  const free = new Set(b.freeStatuses ?? ['workingElsewhere']);
  const lo = b.start.getTime() - pad;
  const hi = b.end.getTime() + pad;
  const byCal = new Map<string, Array<{ start: number; end: number }>>();
  for (const c of cals) byCal.set(c.id, blockingSpans(cached.get(c.id)!, lo, hi, free));
  const people = b.participants.map((p, i) => {
    const own = new Set(p.calendarIds ?? []);
    const accounts = new Set(p.accountIds ?? []);
    const mine = cals.filter((c) => own.has(c.id) || (c.countsForBusy !== false && accounts.has(c.accountId)));
    return { id: ids[i]!, optional: p.optional === true, busy: mine.flatMap((c) => byCal.get(c.id) ?? []), workingHours: p.workingHours ?? null, calendarIds: mine.map((c) => c.id) };
  });
  // A participant who stands for no calendar would look free in every slot: marked, not answered as free.
  const participants = people.map((p, i) => ({
    id: p.id,
    calendarIds: p.calendarIds,
    ...(p.calendarIds.length ? {} : { errors: noBusyCalendars(withoutBusy.filter((a) => (b.participants[i]!.accountIds ?? []).includes(a.accountId))) }),
  }));
  const result = findSlots(
    {
      start: b.start.getTime(),
      // Outside the busy index's horizon nobody's busy time is known: no slot is offered there
      // (the calendars say BEYOND_HORIZON); the grid stays anchored at the window's start.
      end: Math.min(b.end.getTime(), covered.end.getTime()),
      durationMs: b.durationMinutes * MIN,
      stepMs: (b.stepMinutes ?? 15) * MIN,
      bufferBeforeMs: (b.bufferBeforeMinutes ?? 0) * MIN,
      bufferAfterMs: (b.bufferAfterMinutes ?? 0) * MIN,
      minimumOptional,
      maxSlots: Math.min(b.maxSlots ?? limits.maxSlots, limits.maxSlots),
      notBefore: Math.max(b.now.getTime() + (b.minimumNoticeMinutes ?? 0) * MIN, covered.start.getTime()),
      gridZone: b.slotTimeZone ?? null,
    },
    people,
  );
  // Every calendar consulted, with the participants it stands for; errors mark busy time that may be incomplete.
  const calendars = cals.map((c) => ({
    calendarId: c.id,
    participants: b.participants.flatMap((p, i) => ((p.calendarIds ?? []).includes(c.id) || (c.countsForBusy !== false && (p.accountIds ?? []).includes(c.accountId)) ? [ids[i]!] : [])),
    ...(errors.has(c.id) ? { errors: errors.get(c.id) } : {}),
  }));
  const answer = {
    slots: result.slots.map((s) => ({ start: isoUtc(s.start), end: isoUtc(s.end), participants: s.participants })),
    truncated: result.truncated,
    partial: errors.size > 0 || participants.some((p) => p.errors),
    calendars,
    participants,
  };
  return { answer, ...(staleMs === undefined ? {} : { staleMs }) };
}

/**
 * The calendars, spans and problems availability reads. Everything else it needs (working hours,
 * zones, buffers) is in the request, so free/busy's outage rule covers it whole: while the store
 * cannot be reached, calendars named by id that the store confirmed for this tenant within
 * `staleMaxMs` come from the cache (freebusy-stale.ts), with the age of the oldest confirmation;
 * named accounts (which calendars they stand for is the store's) stay 503. An answer the store
 * gave without named accounts confirms its calendars, for free/busy and availability alike.
 */
async function availabilityInputs(hub: Hub, tenantId: string, calendarIds: string[], accountIds: string[], max: number, staleMaxMs: number) {
  const asked = Date.now();
  try {
    const { cals, errors, withoutBusy } = await calendarsOf(hub, tenantId, calendarIds, accountIds, max);
    const [cached, known] = await Promise.all([hub.busy.get(tenantId, cals), errors]);
    if (accountIds.length === 0) confirmedOf(hub).confirm(tenantId, cals, known, asked);
    return { cals, cached, known, withoutBusy, staleMs: undefined };
  } catch (e) {
    const stale = isStoreUnreachable(e) && accountIds.length === 0 ? confirmedOf(hub).answer(hub.busy, tenantId, calendarIds, staleMaxMs) : null;
    if (!stale) throw e;
    const cached = new Map(stale.spans.map((s) => [s.calendarId, s]));
    return { cals: stale.cals, cached, known: stale.errors, withoutBusy: [] as AccountWithoutBusy[], staleMs: stale.ageMs };
  }
}
