// The README's example, run by test/integration/typed-client.int.test.ts against a real hub on Radicale.
import { randomUUID } from 'node:crypto';
import { createCalhubClient } from './index.ts';

/** Finds the first free 30-minute slot of a calendar's working hours on `day` and books it. */
export async function bookFirstFreeSlot(baseUrl: string, apiKey: string, calendarId: string, day: string) {
  const calhub = createCalhubClient({ baseUrl, apiKey });
  const nineToFive = [{ start: '09:00', end: '17:00' }];
  const { data: found, error } = await calhub.POST('/v1/availability', {
    body: {
      timeMin: `${day}T00:00:00Z`,
      timeMax: `${day}T23:59:59Z`,
      durationMinutes: 30,
      participants: [{ id: 'me', calendarIds: [calendarId], workingHours: { timeZone: 'Europe/Berlin', days: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive } } }],
    },
  });
  if (error) throw new Error(`availability: ${error.error.code} ${error.error.message}`);
  // A calendar whose account needs reconnecting, or whose sync failed, may look free when it is not.
  if (found.partial) throw new Error(`incomplete busy time: ${JSON.stringify(found.calendars?.flatMap((c) => c.errors ?? []))}`);
  const slot = found.slots[0];
  if (!slot) return null;
  // One key per booking: a retry after a lost answer gets the same event instead of a second one.
  const idempotencyKey = randomUUID();
  const book = () =>
    calhub.POST('/v1/calendars/{id}/events', {
      params: { path: { id: calendarId }, header: { 'idempotency-key': idempotencyKey } },
      body: { title: 'Booked via calhub', start: { dateTime: slot.start, timeZone: 'Europe/Berlin' }, end: { dateTime: slot.end, timeZone: 'Europe/Berlin' } },
    });
  const booked = await book().catch(book);
  if (booked.error) throw new Error(`booking: ${booked.error.error.code} ${booked.error.error.message}`);
  return booked.data; // start: { dateTime: "2026-12-07T10:00:00+01:00", timeZone: "Europe/Berlin" }, …
}
