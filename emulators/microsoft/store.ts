/**
 * Event mutations shared by the Graph routes and the control API. Validation errors come out as
 * GraphHttpError so the routes can answer them as Graph does.
 */
import { randomBytes } from 'node:crypto';
import { GraphHttpError } from './http.ts';
import {
  newChangeKey, newId, occurrenceId, parseOccurrenceId,
  type EventData, type Mailbox, type StoredEvent,
} from './model.ts';
import { inheritIntoExceptions } from './exception-inherit.ts';
import { applyLocations } from './locations.ts';
import { checkOccurrenceBoundary } from './occurrence-boundary.ts';
import { applyOnlineMeeting } from './online-meetings.ts';
import { validateRecurrence } from './recurrence.ts';
import { dateOf, timeOf, wallToUtc, zoneToIana } from './zones.ts';

export type ChangeType = 'created' | 'updated' | 'deleted';
export type ChangeListener = (mb: Mailbox, calendarId: string, id: { key: string; restId: string }, change: ChangeType) => void;

/** What an id names: a stored item (single, master, exception) or a virtual occurrence. */
export type Target =
  | { kind: 'event'; ev: StoredEvent }
  | { kind: 'occurrence'; master: StoredEvent; date: string };

export class EventStore {
  private listeners: ChangeListener[] = [];
  onChange(l: ChangeListener): void {
    this.listeners.push(l);
  }
  private emit(mb: Mailbox, ev: StoredEvent, change: ChangeType): void {
    const ids = ev.type === 'exception' ? this.exceptionIds(mb, ev) : { key: ev.key, restId: ev.restId };
    for (const l of this.listeners) l(mb, ev.calendarId, ids, change);
  }
  private exceptionIds(mb: Mailbox, ev: StoredEvent): { key: string; restId: string } {
    const m = mb.events.get(ev.masterKey!)!;
    return { key: occurrenceId(m.key, ev.occurrenceDate!), restId: occurrenceId(m.restId, ev.occurrenceDate!) };
  }

  resolve(mb: Mailbox, id: string): Target | null {
    const occ = parseOccurrenceId(id);
    if (occ) {
      const master = this.byAnyId(mb, occ.masterId);
      if (!master || master.type !== 'seriesMaster') return null;
      const ex = [...mb.events.values()].find((e) => e.masterKey === master.key && e.occurrenceDate === occ.date);
      if (ex) return { kind: 'event', ev: ex };
      if (master.cancelledDates.has(occ.date)) return null;
      return { kind: 'occurrence', master, date: occ.date };
    }
    const ev = this.byAnyId(mb, id);
    return ev && ev.type !== 'exception' ? { kind: 'event', ev } : null;
  }

  private byAnyId(mb: Mailbox, id: string): StoredEvent | undefined {
    return mb.events.get(id) ?? mb.events.get(mb.byRestId.get(id) ?? '');
  }

  create(mb: Mailbox, calendarId: string, input: Partial<EventData>): StoredEvent {
    if (!mb.calendars.has(calendarId)) throw new GraphHttpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    if (input.transactionId) {
      const dup = [...mb.events.values()].find((e) => e.data.transactionId === input.transactionId);
      if (dup) return dup;
    }
    const data = validateData({ showAs: 'busy', sensitivity: 'normal', importance: 'normal', isAllDay: false, ...input } as EventData);
    applyOnlineMeeting(data, null);
    applyLocations(data, input);
    const now = Date.now();
    const ev: StoredEvent = {
      key: newId('AAkALg'), restId: newId(), calendarId,
      type: data.recurrence ? 'seriesMaster' : 'singleInstance',
      data, extended: new Map(), iCalUId: `040000008200E00074C5B7101A82E008${randomBytes(24).toString('hex').toUpperCase()}`,
      changeKey: newChangeKey(), createdMs: now, modifiedMs: now, seq: ++mb.seq, cancelledDates: new Set(),
    };
    mb.events.set(ev.key, ev);
    mb.byRestId.set(ev.restId, ev.key);
    this.emit(mb, ev, 'created');
    return ev;
  }

  update(mb: Mailbox, target: Target, patch: Partial<EventData>): StoredEvent {
    if (patch.start?.dateTime && patch.start.timeZone && zoneToIana(patch.start.timeZone)) {
      const at = target.kind === 'occurrence' ? { master: target.master, date: target.date }
        : target.ev.type === 'exception' ? { master: mb.events.get(target.ev.masterKey!)!, date: target.ev.occurrenceDate! } : null;
      if (at) checkOccurrenceBoundary(mb, at.master, at.date, wallToUtc(patch.start.dateTime, zoneToIana(patch.start.timeZone)!));
    }
    const ev = target.kind === 'occurrence' ? this.materialize(mb, target.master, target.date) : target.ev;
    if (ev.type === 'exception' && patch.recurrence) throw new GraphHttpError(400, 'ErrorInvalidRequest', 'An occurrence cannot have a recurrence.');
    const next = validateData({ ...ev.data, ...patch }, ev.type === 'exception');
    applyOnlineMeeting(next, ev.data);
    applyLocations(next, patch);
    // The series' time is part of Outlook's recurrence (MS-OXOCAL's StartTimeOffset): a master moved
    // to another time loses its exceptions as a new pattern does, even with the same pattern text.
    const moved = ev.type === 'seriesMaster' && next.recurrence !== undefined && next.recurrence !== null && ['start', 'end'].some((k) => k in patch && JSON.stringify(next[k as 'start']) !== JSON.stringify(ev.data[k as 'start']));
    const patternChanged = ev.type !== 'exception' && (moved || ('recurrence' in patch && JSON.stringify(patch.recurrence) !== JSON.stringify(ev.data.recurrence)));
    const before = ev.data;
    ev.data = next;
    // An unchanged pattern keeps its exceptions; those not overriding a changed field take the new value.
    if (ev.type === 'seriesMaster' && !patternChanged) inheritIntoExceptions(before, next, [...mb.events.values()].filter((e) => e.masterKey === ev.key));
    if (ev.type !== 'exception') ev.type = next.recurrence ? 'seriesMaster' : 'singleInstance';
    if (patternChanged) this.dropExceptions(mb, ev);
    this.touch(mb, ev);
    this.emit(mb, ev, 'updated');
    return ev;
  }

  /** Outlook discards a series' exceptions and cancellations when its pattern or time changes. */
  private dropExceptions(mb: Mailbox, master: StoredEvent): void {
    for (const e of [...mb.events.values()]) if (e.masterKey === master.key) mb.events.delete(e.key);
    master.cancelledDates.clear();
  }

  /** Turns an occurrence into a stored exception (same id), as editing one occurrence does. */
  private materialize(mb: Mailbox, master: StoredEvent, date: string): StoredEvent {
    // Occurrences keep the master's wall clock in its start zone (views.ts seriesStarts).
    const zone = zoneToIana(master.data.start.timeZone)!;
    const startMs = wallToUtc(`${date}T${timeOf(master.data.start.dateTime)}`, zone);
    const durMs = wallToUtc(master.data.end.dateTime, zoneToIana(master.data.end.timeZone)!) - wallToUtc(master.data.start.dateTime, zone);
    const { recurrence: _r, ...rest } = master.data;
    const startWall = `${date}T${timeOf(master.data.start.dateTime)}`;
    const endWall = new Date(Date.parse(`${startWall}Z`) + durMs).toISOString().slice(0, 19);
    const now = Date.now();
    const ex: StoredEvent = {
      key: newId('AAkALg'), restId: '', calendarId: master.calendarId, type: 'exception', masterKey: master.key,
      occurrenceDate: date, originalStartMs: startMs,
      data: { ...rest, start: { dateTime: startWall, timeZone: master.data.start.timeZone }, end: { dateTime: endWall, timeZone: master.data.start.timeZone } },
      extended: new Map(master.extended), iCalUId: `${master.iCalUId}${date.replaceAll('-', '')}`,
      changeKey: master.changeKey, createdMs: now, modifiedMs: now, seq: mb.seq, cancelledDates: new Set(),
    };
    mb.events.set(ex.key, ex);
    return ex;
  }

  delete(mb: Mailbox, target: Target): void {
    if (target.kind === 'occurrence') {
      target.master.cancelledDates.add(target.date);
      this.touch(mb, target.master);
      const ids = { key: occurrenceId(target.master.key, target.date), restId: occurrenceId(target.master.restId, target.date) };
      for (const l of this.listeners) l(mb, target.master.calendarId, ids, 'deleted');
      this.emit(mb, target.master, 'updated');
      return;
    }
    const ev = target.ev;
    this.emit(mb, ev, 'deleted');
    mb.events.delete(ev.key);
    if (ev.type === 'exception') {
      const master = mb.events.get(ev.masterKey!)!;
      master.cancelledDates.add(ev.occurrenceDate!);
      this.touch(mb, master);
      return;
    }
    mb.byRestId.delete(ev.restId);
    for (const e of [...mb.events.values()]) if (e.masterKey === ev.key) mb.events.delete(e.key);
  }

  /** Moves a single or a series to another calendar; the REST ids change, immutable ids do not. */
  move(mb: Mailbox, ev: StoredEvent, calendarId: string): StoredEvent {
    if (!mb.calendars.has(calendarId)) throw new GraphHttpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    if (ev.type === 'exception') throw new GraphHttpError(400, 'ErrorInvalidRequest', 'An occurrence cannot be moved on its own.');
    this.emit(mb, ev, 'deleted');
    mb.byRestId.delete(ev.restId);
    ev.restId = newId();
    mb.byRestId.set(ev.restId, ev.key);
    ev.calendarId = calendarId;
    for (const e of mb.events.values()) if (e.masterKey === ev.key) e.calendarId = calendarId;
    this.touch(mb, ev);
    this.emit(mb, ev, 'created');
    return ev;
  }

  setExtended(mb: Mailbox, ev: StoredEvent, props: Array<{ id: string; value: string }>): void {
    for (const p of props) ev.extended.set(p.id, p.value);
  }

  /** Every change bumps changeKey; a master's occurrences share it, so they show up in delta too. */
  touch(mb: Mailbox, ev: StoredEvent): void {
    ev.changeKey = newChangeKey();
    ev.modifiedMs = Date.now();
    ev.seq = ++mb.seq;
    if (ev.type === 'seriesMaster') {
      for (const e of mb.events.values()) if (e.masterKey === ev.key) e.seq = ev.seq;
    }
  }
}

/** Graph's write validation: zones must be known, all-day times at midnight, start ≤ end. */
function validateData(d: EventData, isException = false): EventData {
  if (!d.start?.dateTime || !d.end?.dateTime) throw new GraphHttpError(400, 'ErrorInvalidRequest', 'Start and End are required.');
  for (const t of [d.start, d.end]) {
    if (!zoneToIana(t.timeZone ?? '')) {
      throw new GraphHttpError(400, 'TimeZoneNotSupportedException', `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${t.timeZone ?? ''}'.`);
    }
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/.test(t.dateTime)) {
      throw new GraphHttpError(400, 'ErrorInvalidRequest', `Cannot convert the literal '${t.dateTime}' to the expected type 'Edm.DateTime'.`);
    }
    t.dateTime = t.dateTime.slice(0, 19).padEnd(19, ':00');
  }
  if (d.isAllDay) {
    if (timeOf(d.start.dateTime) !== '00:00:00' || timeOf(d.end.dateTime) !== '00:00:00' || d.start.timeZone !== d.end.timeZone) {
      throw new GraphHttpError(400, 'ErrorPropertyValidationFailure', 'All-day events must start and end at midnight in the same time zone.');
    }
  }
  const s = wallToUtc(d.start.dateTime, zoneToIana(d.start.timeZone)!);
  const e = wallToUtc(d.end.dateTime, zoneToIana(d.end.timeZone)!);
  if (e < s) throw new GraphHttpError(400, 'ErrorInvalidRequest', 'The end time must not be before the start time.');
  if (d.recurrence && !isException) {
    const err = validateRecurrence(d.recurrence, dateOf(d.start.dateTime));
    if (err) throw new GraphHttpError(400, 'ErrorInvalidRequest', err);
    if (d.recurrence.range.recurrenceTimeZone && !zoneToIana(d.recurrence.range.recurrenceTimeZone)) {
      throw new GraphHttpError(400, 'TimeZoneNotSupportedException', 'recurrenceTimeZone is not supported.');
    }
  }
  if (d.attendees && d.attendees.length > 500) throw new GraphHttpError(400, 'ErrorInvalidRequest', 'An event can have at most 500 attendees.');
  return d;
}
