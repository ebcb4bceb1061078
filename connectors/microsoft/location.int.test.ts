/**
 * A room booked in Outlook is a location with more than a name (locationType, locationEmailAddress,
 * uniqueId; resources/location.md). Graph replaces every entry of `locations` when `location` is
 * written (event.md), and the connector wrote the name back on every update, so a title change
 * dropped the room. Against the Graph emulator, which keeps location and locations as Graph does.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMicrosoftTestbed, type MicrosoftTestbed } from './test-support.ts';

const ROOM = { displayName: 'Conf Room Adams', locationType: 'conferenceRoom', locationEmailAddress: 'adams@contoso.com', uniqueId: 'adams@contoso.com', uniqueIdType: 'directory' };
const at = (day: string, h: number) => ({ dateTime: `2027-05-${day}T${String(h).padStart(2, '0')}:00:00`, timeZone: 'UTC' });

describe('microsoft connector: a room location survives a write that does not change it', () => {
  let t: MicrosoftTestbed;
  before(async () => {
    t = await startMicrosoftTestbed({ timeZone: 'UTC' });
  });
  after(async () => t?.emu.close());

  const stored = async (id: string) => {
    const r = await fetch(`${t.emu.url}/v1.0/me/events/${encodeURIComponent(id)}?$select=location,locations`, { headers: { authorization: `Bearer ${t.token()}` } });
    const { location, locations } = (await r.json()) as { location: Record<string, unknown>; locations: Array<Record<string, unknown>> };
    return { location, locations };
  };
  const roomEvent = (extra: Record<string, unknown> = {}) =>
    t.emu.control.createEvent({ userId: t.userId, calendarId: t.calendar.providerCalendarId, event: { subject: 'Review', location: ROOM, locations: [ROOM], start: at('03', 9), end: at('03', 10), ...extra } as never });

  it('a title change keeps the room; a location change replaces it by the new name, as Graph documents', async () => {
    const made = roomEvent();
    const read = await t.connector.getObject(t.ctx, t.calendar, made.immutableId);
    assert.equal(read.events[0]!.location, 'Conf Room Adams');
    const renamed = await t.connector.putObject(t.ctx, t.calendar, { remoteId: read.remoteId, events: [{ ...read.events[0]!, title: 'Review (moved)' }] }, { ifMatch: read.version! });
    assert.equal(renamed.events[0]!.title, 'Review (moved)');
    assert.deepEqual(await stored(made.immutableId), { location: ROOM, locations: [ROOM] });

    await t.connector.putObject(t.ctx, t.calendar, { remoteId: read.remoteId, events: [{ ...renamed.events[0]!, location: 'Cafe Nero' }] }, { ifMatch: renamed.version! });
    const cafe = { displayName: 'Cafe Nero', locationType: 'default', uniqueId: 'Cafe Nero', uniqueIdType: 'private' };
    assert.deepEqual(await stored(made.immutableId), { location: cafe, locations: [cafe] });
  });

  it("an occurrence's first write keeps the series' room", async () => {
    const made = roomEvent({ subject: 'Weekly', recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, range: { type: 'numbered', startDate: '2027-05-03', numberOfOccurrences: 3 } } });
    const series = await t.connector.getObject(t.ctx, t.calendar, made.immutableId);
    const m = series.events[0]!;
    const moved = { ...m, recurrence: null, originalStart: { dateTime: '2027-05-10T09:00:00Z', timeZone: 'UTC' }, start: { dateTime: '2027-05-10T11:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2027-05-10T12:00:00Z', timeZone: 'UTC' }, title: 'Weekly (later)', providerEventId: null };
    const ex = await t.connector.putObject(t.ctx, t.calendar, { remoteId: null, events: [moved] }, { ifNoneMatch: '*' });
    assert.deepEqual(await stored(ex.remoteId), { location: ROOM, locations: [ROOM] });
  });
});
