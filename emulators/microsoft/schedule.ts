/** POST /me/calendar/getSchedule (provider-facts B.5): availabilityView digits over slots. */
import { findWindows } from 'windows-iana';
import { GraphHttpError, type Prefs } from './http.ts';
import type { Mailbox } from './model.ts';
import { calendarView } from './views.ts';
import { toWire, utcToWall, wallToUtc, zoneToIana } from './zones.ts';

const DIGIT: Record<string, string> = { free: '0', tentative: '1', busy: '2', oof: '3', workingElsewhere: '4', unknown: '2' };
/** When items overlap a slot the strongest wins (Exchange merged free/busy; exact order UNCONFIRMED). */
const RANK: Record<string, number> = { free: 0, workingElsewhere: 1, tentative: 2, busy: 3, unknown: 3, oof: 4 };
const MAX_WINDOW_MS = 62 * 86_400_000;

interface DateTimeTz { dateTime?: string; timeZone?: string }

function instant(v: unknown, what: string): number {
  const t = v as DateTimeTz | undefined;
  const zone = zoneToIana(t?.timeZone ?? '');
  if (!t?.dateTime || !zone) throw new GraphHttpError(400, 'ErrorInvalidParameter', `${what} must be a dateTimeTimeZone with a supported time zone.`);
  return wallToUtc(t.dateTime, zone);
}

export function getSchedule(mailboxes: Mailbox[], body: Record<string, unknown>, prefs: Prefs): Record<string, unknown> {
  const schedules = body.schedules;
  if (!Array.isArray(schedules) || schedules.length === 0) throw new GraphHttpError(400, 'ErrorInvalidParameter', 'schedules is required.');
  const startMs = instant(body.startTime, 'startTime');
  const endMs = instant(body.endTime, 'endTime');
  const interval = body.availabilityViewInterval === undefined ? 30 : Number(body.availabilityViewInterval);
  if (!Number.isInteger(interval) || interval < 5 || interval > 1440) {
    throw new GraphHttpError(400, 'ErrorInvalidParameter', 'availabilityViewInterval must be between 5 and 1440 minutes.');
  }
  if (endMs <= startMs) throw new GraphHttpError(400, 'ErrorInvalidParameter', 'endTime must be after startTime.');
  if (endMs - startMs > MAX_WINDOW_MS) {
    throw new GraphHttpError(400, 'ErrorTimeIntervalTooBig', 'The requested time duration exceeds the 62 days limit.');
  }
  const outZone = prefs.timeZone && zoneToIana(prefs.timeZone) ? prefs.timeZone : 'UTC';
  const wire = (ms: number) => ({ dateTime: toWire(utcToWall(ms, zoneToIana(outZone)!)), timeZone: outZone });
  const slotMs = interval * 60_000;
  const slots = Math.ceil((endMs - startMs) / slotMs);
  return {
    value: schedules.map((s) => {
      const mb = mailboxes.find((m) => m.email.toLowerCase() === String(s).toLowerCase());
      if (!mb) return { scheduleId: s, availabilityView: '', scheduleItems: [], error: { message: 'The recipient was not found.', responseCode: 'ErrorMailRecipientNotFound' } };
      const primary = [...mb.calendars.values()].find((c) => c.isDefault);
      const items = primary ? calendarView(mb, primary.id, startMs, endMs).filter((i) => !i.ev.data.isCancelled) : [];
      const view: string[] = [];
      for (let i = 0; i < slots; i++) {
        const a = startMs + i * slotMs;
        const b = Math.min(a + slotMs, endMs);
        let best = 'free';
        for (const it of items) {
          const status = it.ev.data.showAs ?? 'busy';
          const hit = it.endMs > it.startMs ? it.startMs < b && it.endMs > a : it.startMs >= a && it.startMs < b;
          if (hit && (RANK[status] ?? 3) > (RANK[best] ?? 0)) best = status;
        }
        view.push(DIGIT[best] ?? '2');
      }
      return {
        scheduleId: mb.email,
        availabilityView: view.join(''),
        scheduleItems: items.filter((i) => i.ev.data.showAs !== 'free').map((i) => ({
          isPrivate: i.ev.data.sensitivity === 'private',
          status: i.ev.data.showAs ?? 'busy',
          subject: i.ev.data.subject ?? '',
          location: i.ev.data.location?.displayName ?? '',
          isMeeting: (i.ev.data.attendees?.length ?? 0) > 0,
          isRecurring: i.type !== 'singleInstance',
          isException: i.type === 'exception',
          isReminderSet: i.ev.data.isReminderOn ?? true,
          start: wire(i.startMs),
          end: wire(i.endMs),
        })),
        workingHours: {
          daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
          startTime: '08:00:00.0000000',
          endTime: '17:00:00.0000000',
          timeZone: { name: findWindows(mb.timeZone)[0] ?? mb.timeZone },
        },
      };
    }),
  };
}
