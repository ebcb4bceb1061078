/**
 * Issue 4's scenario through the real hub path: the registry connector via makeConnect (encrypted
 * OAuth credentials, token refresh), settle() into the store, and then the STORE must equal the
 * emulator's state exactly and the BUSY INDEX must equal the emulator's freebusy.query.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GrantRevokedError } from '../../connectors/errors.ts';
import { startGoogleEmulator, type GEvent, type GEventDateTime, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { parseEvent } from '../../shared/model/index.ts';
import { EventWriterService, settle } from '../../sync-engine/index.ts';
import { busyFromIndex, iso, openHub, sortBy, storedCredentials, timeKey, type HubSetup } from '../support/hub-store.ts';

const EMAIL = 'ada.store@example.com';
const CLIENT = 'calhub-store-test';
const WINDOW = { start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-02-01T00:00:00Z') };
const berlin = (local: string) => ({ dateTime: local, timeZone: 'Europe/Berlin' });

type Row = { id: string; version: string | null; cancelled: boolean; originalStart: string | null; title?: string | null; start?: string; end?: string; status?: string };

const gTime = (t: GEventDateTime | undefined): string => (t?.date ? t.date : iso(t!.dateTime!));

/** What the emulator holds, read from its stored items (not through the connector's mapping). */
function emulatorRows(emu: RunningGoogleEmulator): Row[] {
  const rows = emu.control.listStoredEvents(EMAIL).filter((s) => !s.deleted).map(({ event: e }: { event: GEvent }): Row => {
    const originalStart = e.originalStartTime ? gTime(e.originalStartTime) : null;
    // A cancelled instance is only guaranteed to say which occurrence it cancels (A.2).
    if (e.status === 'cancelled') return { id: e.id, version: e.etag ?? null, cancelled: true, originalStart };
    return { id: e.id, version: e.etag ?? null, cancelled: false, originalStart, title: e.summary ?? null, start: gTime(e.start), end: gTime(e.end), status: e.status ?? 'confirmed' };
  });
  return sortBy(rows, (r) => r.id);
}

async function storeRows(h: HubSetup, calendarId: string): Promise<Row[]> {
  const rows = (await h.store.tenant(h.tenantId).events.list(calendarId)).map(({ remoteId, event: e }): Row => {
    const originalStart = e.originalStart ? timeKey(e.originalStart) : null;
    if (e.status === 'cancelled') return { id: remoteId ?? '(none)', version: e.providerVersion, cancelled: true, originalStart };
    return { id: remoteId ?? '(none)', version: e.providerVersion, cancelled: false, originalStart, title: e.title, start: timeKey(e.start), end: timeKey(e.end), status: e.status };
  });
  return sortBy(rows, (r) => r.id);
}

describe('google: emulator → settle → store and busy index equal the emulator', () => {
  let emu: RunningGoogleEmulator;
  let h: HubSetup;
  let calId = '';
  const ids: Record<string, string> = {};
  const writes = () => emu.control.requests().filter((r) => r.method !== 'GET' && r.path.startsWith('/calendar/v3')).length;
  const refreshes = () => emu.control.requests().filter((r) => r.method === 'POST' && r.path === '/token').length;

  async function freeBusy(): Promise<Array<{ start: string; end: string }>> {
    const { accessToken } = emu.control.issueGrant({ email: EMAIL, clientId: 'freebusy-reader' });
    const r = await fetch(`${emu.url}/calendar/v3/freeBusy`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ timeMin: WINDOW.start.toISOString(), timeMax: WINDOW.end.toISOString(), items: [{ id: EMAIL }] }),
    });
    assert.equal(r.status, 200);
    const body = (await r.json()) as { calendars: Record<string, { busy: Array<{ start: string; end: string }> }> };
    return body.calendars[EMAIL]!.busy.map((b) => ({ start: iso(b.start), end: iso(b.end) }));
  }

  async function assertStoreEqualsEmulator() {
    assert.deepEqual(await storeRows(h, calId), emulatorRows(emu), 'store rows differ from the emulator');
    const busy = await freeBusy();
    assert.deepEqual(await busyFromIndex(h, calId, WINDOW.start, WINDOW.end), busy, 'busy index differs from freebusy.query');
    return busy;
  }

  before(async () => {
    emu = await startGoogleEmulator();
    const c = emu.control;
    c.createUser({ email: EMAIL, timeZone: 'Europe/Berlin' });
    c.setPaging({ maxPageSize: 4, emptyPageEvery: 3 });
    ids.weekly = c.insertEvent(EMAIL, { summary: 'weekly', start: berlin('2026-12-07T10:00:00'), end: berlin('2026-12-07T11:00:00'), recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=8', 'EXDATE;TZID=Europe/Berlin:20261221T100000'] }).id;
    ids.moved = c.patchEvent(EMAIL, `${ids.weekly}_20261214T090000Z`, { summary: 'weekly (moved)', start: berlin('2026-12-15T14:00:00'), end: berlin('2026-12-15T15:30:00') }).id;
    c.deleteEvent(EMAIL, `${ids.weekly}_20261228T090000Z`);
    ids.daily = c.insertEvent(EMAIL, { summary: 'standup', start: berlin('2027-01-04T09:00:00'), end: berlin('2027-01-04T09:15:00'), recurrence: ['RRULE:FREQ=DAILY;UNTIL=20270110T080000Z'] }).id;
    ids.offsite = c.insertEvent(EMAIL, { summary: 'offsite', start: { date: '2026-12-16' }, end: { date: '2026-12-18' } }).id;
    ids.holidays = c.insertEvent(EMAIL, { summary: 'holiday', start: { date: '2027-01-11' }, end: { date: '2027-01-12' }, recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3'] }).id;
    ids.free = c.insertEvent(EMAIL, { summary: 'focus (free)', start: berlin('2026-12-02T08:00:00'), end: berlin('2026-12-02T12:00:00'), transparency: 'transparent' }).id;
    ids.declined = c.insertEvent(EMAIL, { summary: 'declined', start: berlin('2026-12-03T08:00:00'), end: berlin('2026-12-03T09:00:00'), attendees: [{ email: EMAIL, responseStatus: 'declined' }, { email: 'boss@example.com' }] }).id;
    ids.tentative = c.insertEvent(EMAIL, { summary: 'maybe', status: 'tentative', start: berlin('2026-12-03T10:00:00'), end: berlin('2026-12-03T11:00:00') }).id;
    ids.doomed = c.insertEvent(EMAIL, { summary: 'to be deleted', start: berlin('2026-12-04T10:00:00'), end: berlin('2026-12-04T11:00:00') }).id;
    const grant = c.issueGrant({ email: EMAIL, clientId: CLIENT });
    h = await openHub({
      provider: 'google',
      externalId: EMAIL,
      baseUrl: emu.url,
      tokens: { accessToken: grant.accessToken, refreshToken: grant.refreshToken, expiresAt: Date.now() + 3_600_000, },
      clientId: CLIENT,
    });
    calId = h.calendars.get(EMAIL)!;
    assert.ok(calId, 'the primary calendar was listed through the connector');
  });
  after(async () => {
    await h?.store.close();
    await emu?.close();
  });

  it('a first settle makes the store equal the emulator: masters, moved and cancelled instances, all-day', async () => {
    const r = await settle(h.deps, h.tenantId, [calId]);
    assert.equal(r.written, 0);
    const rows = await storeRows(h, calId);
    assert.equal(rows.length, 10);
    const cancelled = rows.find((x) => x.id === `${ids.weekly}_20261228T090000Z`)!;
    assert.deepEqual([cancelled.cancelled, cancelled.originalStart], [true, '2026-12-28T09:00:00.000Z']);
    assert.equal(rows.find((x) => x.id === ids.moved)!.originalStart, '2026-12-14T09:00:00.000Z');
    assert.equal(rows.find((x) => x.id === ids.offsite)!.start, '2026-12-16');
    const busy = await assertStoreEqualsEmulator();
    assert.ok(busy.length >= 15, `only ${busy.length} busy periods`);
  });

  it('out-of-band edits, instance cancellations and deletes converge after the next settle', async () => {
    const c = emu.control;
    c.patchEvent(EMAIL, ids.weekly!, { summary: 'weekly (renamed)' });
    c.patchEvent(EMAIL, ids.moved!, { start: berlin('2026-12-16T16:00:00'), end: berlin('2026-12-16T17:00:00') });
    c.deleteEvent(EMAIL, `${ids.weekly}_20270104T090000Z`);
    c.patchEvent(EMAIL, `${ids.daily}_20270106T080000Z`, { summary: 'standup (long)', end: berlin('2027-01-06T10:00:00') });
    c.deleteEvent(EMAIL, `${ids.daily}_20270107T080000Z`);
    c.deleteEvent(EMAIL, ids.doomed!);
    c.deleteEvent(EMAIL, ids.holidays!);
    c.patchEvent(EMAIL, ids.free!, { transparency: 'opaque' });
    ids.added = c.insertEvent(EMAIL, { summary: 'new all-day', start: { date: '2027-01-20' }, end: { date: '2027-01-21' } }).id;
    await settle(h.deps, h.tenantId, [calId]);
    const rows = await storeRows(h, calId);
    assert.equal(rows.some((x) => x.id === ids.doomed || x.id === ids.holidays), false);
    assert.equal(rows.find((x) => x.id === `${ids.daily}_20270107T080000Z`)!.cancelled, true);
    const busy = await assertStoreEqualsEmulator();
    assert.ok(busy.some((b) => b.start === '2026-12-02T07:00:00.000Z'), 'the event made opaque is busy now');
  });

  it('a hub-side create reaches the emulator, and settling again writes nothing', async () => {
    const writer = new EventWriterService(h.deps);
    const uid = 'hub-made-1@calhub.test';
    await writer.create(h.tenantId, calId, parseEvent({ uid, title: 'made in the hub', start: { dateTime: '2026-12-10T13:00:00Z', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-12-10T14:00:00Z', timeZone: 'Europe/Berlin' } }));
    const r = await settle(h.deps, h.tenantId, [calId]);
    assert.equal(r.written, 1);
    const held = emu.control.listStoredEvents(EMAIL).filter((s) => !s.deleted && s.event.iCalUID === uid);
    assert.equal(held.length, 1, 'the emulator holds the hub-made event once');
    assert.equal(held[0]!.event.summary, 'made in the hub');
    await assertStoreEqualsEmulator();
    emu.control.clearRequests();
    const again = await settle(h.deps, h.tenantId, [calId]);
    assert.equal(writes(), 0, 'a second settle made provider writes');
    assert.equal(again.written, 0);
  });

  it('expired access tokens are refreshed once and the sync succeeds', async () => {
    emu.control.patchEvent(EMAIL, ids.offsite!, { summary: 'offsite (after refresh)' });
    emu.control.expireAccessTokens();
    emu.control.clearRequests();
    await settle(h.deps, h.tenantId, [calId]);
    assert.equal(refreshes(), 1);
    const creds = await storedCredentials(h);
    assert.ok(creds.expiresAt > Date.now() + 3_000_000, 'the refreshed token was persisted');
    await assertStoreEqualsEmulator();
  });

  it('a revoked grant makes settle reject with GrantRevokedError', async () => {
    emu.control.revokeGrants({ email: EMAIL });
    await assert.rejects(settle(h.deps, h.tenantId, [calId]), GrantRevokedError);
  });
});
