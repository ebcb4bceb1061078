/**
 * Demo data for `calhub start --sandbox`: calendars a real user could have, around the current
 * week so free/busy for "this week" shows something. Recurring meetings with one moved and one
 * cancelled instance, all-day events, meetings held in other zones, and a calendar shared by a
 * colleague. Written through the emulators' control APIs, i.e. "at the provider", then connected
 * through the real OAuth flow.
 */
import type { RunningGoogleEmulator } from '../../emulators/google/index.ts';
import type { MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { localToUtcMs } from '../../shared/time/index.ts';

export const GOOGLE_USER = { email: 'ada@sandbox.calhub.test', displayName: 'Ada Lovelace', timeZone: 'Europe/Berlin' };
export const GOOGLE_COLLEAGUE = { email: 'grace@sandbox.calhub.test', displayName: 'Grace Hopper', timeZone: 'America/New_York' };
export const MICROSOFT_USER = { email: 'lee@sandbox.calhub.test', displayName: 'Lee Chen', timeZone: 'America/Los_Angeles' };

const DAY = 86_400_000;

/** Monday 00:00 UTC of the week `at` falls in. */
export function weekStart(at: Date): Date {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY);
}

/**
 * The Monday of the demo week the seed fills: this week's on a Monday or Tuesday, else the next, so
 * that the week the sandbox shows lies ahead. Seeded always in this week, it was mostly past by the
 * weekend, and the printed availability example found almost nothing (an outside user, on a Sunday).
 */
export function demoMonday(now: Date): Date {
  const monday = weekStart(now);
  return now.getTime() - monday.getTime() < 2 * DAY ? monday : new Date(monday.getTime() + 7 * DAY);
}

const ymd = (d: Date) => d.toISOString().slice(0, 10);
const local = (day: Date, hhmm: string) => `${ymd(day)}T${hhmm}:00`;

export function seedGoogle(emu: RunningGoogleEmulator, now: Date): void {
  const c = emu.control;
  c.createUser(GOOGLE_USER);
  c.createUser(GOOGLE_COLLEAGUE);
  const monday = weekStart(now);
  const day = (n: number) => new Date(monday.getTime() + n * DAY);
  const berlin = (n: number, hhmm: string) => ({ dateTime: local(day(n), hhmm), timeZone: 'Europe/Berlin' });
  const me = GOOGLE_USER.email;

  // Weekly team sync, Mondays and Thursdays 10:00 Berlin; this Thursday's moved, next Monday's cancelled.
  const sync = c.insertEvent(me, { summary: 'Team sync', start: berlin(0, '10:00'), end: berlin(0, '11:00'), recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO,TH;COUNT=16'] });
  // An instance id is the master's id and the occurrence's original start in UTC (A.3).
  const instance = (n: number) => `${sync.id}_${new Date(localToUtcMs(local(day(n), '10:00'), 'Europe/Berlin')).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
  c.patchEvent(me, instance(3), { summary: 'Team sync (moved)', start: berlin(3, '15:00'), end: berlin(3, '16:00') });
  c.deleteEvent(me, instance(7));
  // Daily focus time that is marked free: it must not show as busy.
  c.insertEvent(me, { summary: 'Focus time', transparency: 'transparent', start: berlin(0, '08:00'), end: berlin(0, '09:30'), recurrence: ['RRULE:FREQ=DAILY;COUNT=10'] });
  // A two-day offsite (all-day, end exclusive) and a call held in New York time.
  c.insertEvent(me, { summary: 'Offsite', start: { date: ymd(day(8)) }, end: { date: ymd(day(10)) } });
  c.insertEvent(me, { summary: 'Call with the New York office', start: { dateTime: local(day(1), '11:00'), timeZone: 'America/New_York' }, end: { dateTime: local(day(1), '12:00'), timeZone: 'America/New_York' } });
  c.insertEvent(me, { summary: 'Dentist', start: berlin(2, '16:30'), end: berlin(2, '17:30') });

  // Grace's team calendar, shared with Ada read-only.
  const shared = c.createCalendar({ ownerEmail: GOOGLE_COLLEAGUE.email, summary: 'Engineering on-call', timeZone: 'America/New_York' });
  c.shareCalendar(shared.id, me, 'reader');
  c.insertEvent(shared.id, { summary: 'On-call: Ada', start: { date: ymd(day(4)) }, end: { date: ymd(day(5)) } });
  c.insertEvent(shared.id, { summary: 'Incident review', start: { dateTime: local(day(2), '09:00'), timeZone: 'America/New_York' }, end: { dateTime: local(day(2), '10:00'), timeZone: 'America/New_York' } });
}

/** Returns the demo user's id (the Microsoft consent page picks users by id). */
export function seedMicrosoft(emu: MicrosoftEmulator, now: Date): string {
  const c = emu.control;
  const user = c.createUser(MICROSOFT_USER);
  const monday = weekStart(now);
  const day = (n: number) => new Date(monday.getTime() + n * DAY);
  const pacific = (n: number, hhmm: string) => ({ dateTime: local(day(n), hhmm), timeZone: 'Pacific Standard Time' });
  const create = (event: Record<string, unknown>) => c.createEvent({ userId: user.id, calendarId: user.calendarId, event: event as never });

  // Stand-up every weekday 09:00 Pacific for two weeks; Wednesday's moved, Friday's cancelled.
  const standup = create({
    subject: 'Stand-up', start: pacific(0, '09:00'), end: pacific(0, '09:15'),
    recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], firstDayOfWeek: 'sunday' }, range: { type: 'numbered', startDate: ymd(day(0)), numberOfOccurrences: 10 } },
  });
  const occurrences = c.calendarView({ userId: user.id, calendarId: user.calendarId, start: day(0).toISOString(), end: day(14).toISOString() })
    .filter((e) => e.seriesMasterId === standup.id || e.seriesMasterId === standup.immutableId)
    .sort((a, b) => String((a.start as { dateTime: string }).dateTime).localeCompare(String((b.start as { dateTime: string }).dateTime)));
  if (occurrences[2]) c.updateEvent({ userId: user.id, id: String(occurrences[2].id), patch: { subject: 'Stand-up (moved)', start: pacific(2, '11:00'), end: pacific(2, '11:15') } });
  if (occurrences[4]) c.deleteEvent({ userId: user.id, id: String(occurrences[4].id) });
  create({ subject: 'Planning with Tokyo', start: { dateTime: local(day(2), '09:00'), timeZone: 'Tokyo Standard Time' }, end: { dateTime: local(day(2), '10:00'), timeZone: 'Tokyo Standard Time' } });
  create({ subject: 'Out of office', isAllDay: true, showAs: 'oof', start: { dateTime: `${ymd(day(4))}T00:00:00`, timeZone: 'Pacific Standard Time' }, end: { dateTime: `${ymd(day(5))}T00:00:00`, timeZone: 'Pacific Standard Time' } });
  create({ subject: 'Customer demo', showAs: 'tentative', start: pacific(1, '14:00'), end: pacific(1, '15:00') });
  const team = c.createCalendar({ userId: user.id, name: 'Team events' });
  c.createEvent({ userId: user.id, calendarId: team.id, event: { subject: 'Team lunch', start: pacific(3, '12:00'), end: pacific(3, '13:30') } as never });
  return user.id;
}
