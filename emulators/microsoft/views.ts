/** Expands a calendar into what calendarView returns and renders events as Graph JSON. */
import type { Prefs } from './http.ts';
import { htmlToText } from './html-text.ts';
import { occurrenceId, type Mailbox, type StoredEvent } from './model.ts';
import { addDays, daysBetween, occurrenceDates } from './recurrence.ts';
import { dateOf, timeOf, toOffsetWire, toWire, utcToWall, wallToUtc, zoneToIana } from './zones.ts';

export interface ViewItem {
  /** Immutable and REST ids of the item as calendarView reports it. */
  key: string;
  restId: string;
  changeKey: string;
  type: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
  ev: StoredEvent;
  master: StoredEvent | null;
  originalStartMs: number | null;
  startMs: number;
  endMs: number;
}

const zoneOf = (name: string): string => zoneToIana(name) ?? 'UTC';
export const startMsOf = (ev: StoredEvent): number => wallToUtc(ev.data.start.dateTime, zoneOf(ev.data.start.timeZone));
export const endMsOf = (ev: StoredEvent): number => wallToUtc(ev.data.end.dateTime, zoneOf(ev.data.end.timeZone));
const overlaps = (s: number, e: number, ws: number, we: number): boolean => (e > s ? s < we && e > ws : s >= ws && s < we);

function own(ev: StoredEvent, mb: Mailbox): ViewItem {
  const master = ev.masterKey ? (mb.events.get(ev.masterKey) ?? null) : null;
  const ids = master
    ? { key: occurrenceId(master.key, ev.occurrenceDate!), restId: occurrenceId(master.restId, ev.occurrenceDate!) }
    : { key: ev.key, restId: ev.restId };
  return {
    ...ids, changeKey: ev.changeKey, type: ev.type, ev, master,
    originalStartMs: ev.originalStartMs ?? null, startMs: startMsOf(ev), endMs: endMsOf(ev),
  };
}

/**
 * Every pattern date of a master up to `untilDate` with its start instant. The pattern is walked in
 * the start time zone and each occurrence keeps the master's wall-clock start there (Outlook's
 * RecurrencePattern.StartTime "based on AppointmentItem.StartTimeZone"); `range.recurrenceTimeZone`
 * is only the zone of range.startDate/endDate ("Time zone for the startDate and endDate
 * properties… If not specified, the time zone of the event is used", recurrencerange.md), so an
 * endDate range keeps an occurrence whose start falls on or before endDate in that zone.
 */
export function seriesStarts(master: StoredEvent, untilDate: string): Array<{ date: string; startMs: number }> {
  const rec = master.data.recurrence;
  if (!rec) return [];
  const zone = zoneOf(master.data.start.timeZone);
  const rangeZone = zoneOf(rec.range.recurrenceTimeZone ?? master.data.start.timeZone);
  const time = master.data.isAllDay === true ? '00:00:00' : timeOf(master.data.start.dateTime);
  // The range end is cut below in its own zone; let the walk run one day past it in the start zone.
  const open = rec.range.type === 'endDate' && rec.range.endDate ? { ...rec, range: { ...rec.range, endDate: addDays(rec.range.endDate, 1) } } : rec;
  const out: Array<{ date: string; startMs: number }> = [];
  for (const date of occurrenceDates(open, untilDate)) {
    const startMs = wallToUtc(`${date}T${time}`, zone);
    if (rec.range.type === 'endDate' && rec.range.endDate && dateOf(utcToWall(startMs, rangeZone)) > rec.range.endDate) break;
    out.push({ date, startMs });
  }
  return out;
}

/** Occurrences of a master (minus cancelled and excepted dates) that overlap [ws, we). */
export function occurrencesOf(mb: Mailbox, master: StoredEvent, ws: number, we: number): ViewItem[] {
  if (!master.data.recurrence) return [];
  const zone = zoneOf(master.data.start.timeZone);
  const excepted = new Set([...mb.events.values()].filter((e) => e.masterKey === master.key).map((e) => e.occurrenceDate));
  const allDay = master.data.isAllDay === true;
  const spanDays = daysBetween(dateOf(master.data.start.dateTime), dateOf(master.data.end.dateTime));
  const durMs = endMsOf(master) - startMsOf(master);
  const until = dateOf(utcToWall(we, zone));
  const out: ViewItem[] = [];
  for (const { date, startMs } of seriesStarts(master, addDays(until, 1))) {
    if (master.cancelledDates.has(date) || excepted.has(date)) continue;
    const endMs = allDay ? wallToUtc(`${addDays(date, spanDays)}T00:00:00`, zone) : startMs + durMs;
    if (!overlaps(startMs, endMs, ws, we)) continue;
    out.push({
      key: occurrenceId(master.key, date), restId: occurrenceId(master.restId, date), changeKey: master.changeKey,
      type: 'occurrence', ev: master, master, originalStartMs: startMs, startMs, endMs,
    });
  }
  return out;
}

/** calendarView: single instances, occurrences and exceptions overlapping the window. */
export function calendarView(mb: Mailbox, calendarId: string, ws: number, we: number): ViewItem[] {
  const out: ViewItem[] = [];
  for (const ev of mb.events.values()) {
    if (ev.calendarId !== calendarId) continue;
    if (ev.type === 'seriesMaster') out.push(...occurrencesOf(mb, ev, ws, we));
    else {
      const item = own(ev, mb);
      if (overlaps(item.startMs, item.endMs, ws, we)) out.push(item);
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs || a.key.localeCompare(b.key));
}

export const itemOf = (mb: Mailbox, ev: StoredEvent): ViewItem => own(ev, mb);

export interface RenderOptions {
  select?: Set<string> | null;
  extendedIds?: string[] | null;
}

function renderTime(ms: number, wall: string, allDay: boolean, prefs: Prefs) {
  const tzName = prefs.timeZone && zoneToIana(prefs.timeZone) ? prefs.timeZone : 'UTC';
  // All-day items keep their midnight wall dates whatever zone is asked for.
  const text = allDay ? wall : utcToWall(ms, zoneOf(tzName));
  return { dateTime: toWire(text), timeZone: tzName };
}

function renderBody(ev: StoredEvent, prefs: Prefs) {
  const b = ev.data.body ?? { contentType: 'text', content: '' };
  const plain = b.contentType === 'html' ? htmlToText(b.content) : b.content;
  if (prefs.bodyText) return { body: { contentType: 'text', content: plain }, preview: plain };
  const esc = plain.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const html = b.contentType === 'html' ? b.content : `<html><head></head><body>${esc}</body></html>`;
  return { body: { contentType: 'html', content: html }, preview: plain };
}

/** Graph JSON for an item; `select` narrows it and unlocks cancelledOccurrences. */
export function renderItem(mb: Mailbox, item: ViewItem, prefs: Prefs, opts: RenderOptions = {}): Record<string, unknown> {
  const ev = item.ev;
  const d = ev.data;
  const id = prefs.immutableIds ? item.key : item.restId;
  const allDay = d.isAllDay === true;
  const startWall = item.type === 'occurrence' ? utcToWall(item.startMs, zoneOf(d.start.timeZone)) : d.start.dateTime;
  const endWall = item.type === 'occurrence' ? utcToWall(item.endMs, zoneOf(d.start.timeZone)) : d.end.dateTime;
  const { body, preview } = renderBody(ev, prefs);
  const masterId = item.master ? (prefs.immutableIds ? item.master.key : item.master.restId) : null;
  const owner = { emailAddress: { name: mb.displayName, address: mb.email } };
  const organizer = !d.organizer || d.organizer.emailAddress.address.toLowerCase() === mb.email.toLowerCase();
  const full: Record<string, unknown> = {
    '@odata.etag': `W/"${item.changeKey}"`,
    id,
    createdDateTime: new Date(ev.createdMs).toISOString().replace('Z', '0000Z'),
    lastModifiedDateTime: new Date(ev.modifiedMs).toISOString().replace('Z', '0000Z'),
    changeKey: item.changeKey,
    categories: d.categories ?? [],
    ...(d.transactionId ? { transactionId: d.transactionId } : {}),
    originalStartTimeZone: d.start.timeZone,
    originalEndTimeZone: d.end.timeZone,
    iCalUId: item.type === 'occurrence' ? `${ev.iCalUId}${dateOf(startWall).replaceAll('-', '')}` : ev.iCalUId,
    reminderMinutesBeforeStart: d.reminderMinutesBeforeStart ?? 15,
    isReminderOn: d.isReminderOn ?? true,
    subject: d.subject ?? '',
    bodyPreview: preview.slice(0, 255),
    importance: d.importance ?? 'normal',
    sensitivity: d.sensitivity ?? 'normal',
    isAllDay: allDay,
    isCancelled: d.isCancelled ?? false,
    isOrganizer: organizer,
    responseRequested: true,
    seriesMasterId: masterId,
    showAs: d.showAs ?? 'busy',
    type: item.type,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
    isOnlineMeeting: d.isOnlineMeeting === true,
    onlineMeetingProvider: d.onlineMeetingProvider ?? 'unknown',
    onlineMeeting: d.onlineMeeting ?? null,
    recurrence: item.type === 'seriesMaster' ? (d.recurrence ?? null) : null,
    responseStatus: d.responseStatus ?? { response: organizer ? 'organizer' : 'none', time: '0001-01-01T00:00:00Z' },
    body,
    start: renderTime(item.startMs, startWall, allDay, prefs),
    end: renderTime(item.endMs, endWall, allDay, prefs),
    location: d.location ?? { displayName: '', locationType: 'default', uniqueIdType: 'unknown' },
    locations: d.locations ?? [],
    attendees: (d.attendees ?? []).map((a) => ({ type: a.type ?? 'required', status: a.status ?? { response: 'none', time: '0001-01-01T00:00:00Z' }, emailAddress: a.emailAddress })),
    organizer: d.organizer ?? owner,
  };
  if (item.originalStartMs !== null) full.originalStart = toOffsetWire(item.originalStartMs);
  if (opts.select && item.type === 'seriesMaster' && opts.select.has('cancelledoccurrences')) {
    full.cancelledOccurrences = [...ev.cancelledDates].sort().map((date) => `OID.${id}.${date}`);
  }
  if (opts.extendedIds) {
    full.singleValueExtendedProperties = opts.extendedIds.filter((x) => ev.extended.has(x)).map((x) => ({ id: x, value: ev.extended.get(x) }));
  }
  if (!opts.select) return full;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(full)) {
    if (k === 'id' || k === '@odata.etag' || k === 'singleValueExtendedProperties' || opts.select.has(k.toLowerCase())) out[k] = v;
  }
  return out;
}
