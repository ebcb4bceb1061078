/**
 * On the Google emulator: an event that becomes unreadable keeps its event in the hub. A series
 * whose recurrence gains a line calhub's mapping refuses (EXRULE), and a single event whose title
 * gains a NUL character (text the store cannot keep), are quarantined by their Google ids; the hub
 * keeps the last good copy of each under the same event id (busy time and all, no event.deleted)
 * and refuses writes to them. Put right at Google, each is updated in place; deleted there while
 * quarantined, it is deleted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { EventWriterService, settle } from '../../sync-engine/index.ts';
import { busyFromIndex, openHub, type HubSetup } from '../support/hub-store.ts';

const EMAIL = 'quarantine.keep@example.com';
const CLIENT = 'calhub-quarantine-keep';
const WINDOW = { start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-02-01T00:00:00Z') };
const berlin = (local: string) => ({ dateTime: local, timeZone: 'Europe/Berlin' });

describe('google: an event that becomes unreadable keeps its event', () => {
  let emu: RunningGoogleEmulator;
  let h: HubSetup;
  let calId = '';
  let seriesId = '';
  let singleId = '';

  /** The event webhook rows written since the last call, as `op title`. */
  const messages = async () => {
    const rows = await h.store.db.query<{ op: string; data: { title: string } }>("SELECT op, data FROM webhook_outbox WHERE kind = 'event' ORDER BY seq");
    await h.store.db.query('DELETE FROM webhook_outbox');
    return rows.map((r) => `${r.op} ${r.data.title}`);
  };
  const rows = async () => (await h.store.tenant(h.tenantId).events.list(calId)).map((r) => ({ id: r.id, remoteId: r.remoteId, title: r.event.title, hash: r.contentHash }));
  const sync = () => settle(h.deps, h.tenantId, [calId]);

  before(async () => {
    emu = await startGoogleEmulator();
    const c = emu.control;
    c.createUser({ email: EMAIL, timeZone: 'Europe/Berlin' });
    seriesId = c.insertEvent(EMAIL, { summary: 'weekly', start: berlin('2026-12-07T10:00:00'), end: berlin('2026-12-07T11:00:00'), recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4'] }).id;
    singleId = c.insertEvent(EMAIL, { summary: 'Review', start: berlin('2026-12-09T14:00:00'), end: berlin('2026-12-09T15:00:00') }).id;
    const grant = c.issueGrant({ email: EMAIL, clientId: CLIENT });
    h = await openHub({ provider: 'google', externalId: EMAIL, baseUrl: emu.url, tokens: { accessToken: grant.accessToken, refreshToken: grant.refreshToken, expiresAt: Date.now() + 3_600_000 }, clientId: CLIENT });
    calId = h.calendars.get(EMAIL)!;
    await h.store.tenant(h.tenantId).webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
  });
  after(async () => {
    await h?.store.close();
    await emu?.close();
  });

  it('keeps the last good copies under their ids while quarantined, refuses writes, and heals them in place', async () => {
    await sync();
    const before = await rows();
    assert.deepEqual(before.map((r) => r.title).sort(), ['Review', 'weekly']);
    const busy = await busyFromIndex(h, calId, WINDOW.start, WINDOW.end);
    assert.equal(busy.length, 5);
    await messages();

    emu.control.patchEvent(EMAIL, seriesId, { recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4', 'EXRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=1'] });
    emu.control.patchEvent(EMAIL, singleId, { summary: 'Review\u0000' });
    await sync();
    const t = h.store.tenant(h.tenantId);
    const q = new Map((await t.events.quarantined(calId)).map((x) => [x.remoteId, x.error]));
    assert.match(q.get(seriesId) ?? '', /unsupported recurrence line: EXRULE/);
    assert.match(q.get(singleId) ?? '', /NUL/);
    assert.deepEqual(await rows(), before, 'the last good copies stay, under the same ids');
    assert.deepEqual(await busyFromIndex(h, calId, WINDOW.start, WINDOW.end), busy, 'their busy time stays');
    assert.deepEqual(await messages(), [], 'no event.deleted');
    assert.deepEqual([...(await t.events.unreadable(calId))].sort(), [seriesId, singleId].sort());

    const writer = new EventWriterService(h.deps);
    const review = before.find((r) => r.title === 'Review')!;
    await assert.rejects(writer.update(h.tenantId, review.id, { title: 'mine' }), { code: 'EVENT_QUARANTINED' });
    await assert.rejects(writer.delete(h.tenantId, before.find((r) => r.title === 'weekly')!.id), { code: 'EVENT_QUARANTINED' });

    emu.control.patchEvent(EMAIL, seriesId, { recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3'] });
    emu.control.patchEvent(EMAIL, singleId, { summary: 'Review (room 2)' });
    await sync();
    const healed = await rows();
    assert.deepEqual(healed.map((r) => [r.id, r.title]).sort(), before.map((r) => [r.id, r.title === 'Review' ? 'Review (room 2)' : r.title]).sort(), 'the same events, updated in place');
    assert.deepEqual((await messages()).sort(), ['updated Review (room 2)', 'updated weekly']);
    assert.deepEqual(await t.events.quarantined(calId), []);
    assert.equal((await busyFromIndex(h, calId, WINDOW.start, WINDOW.end)).length, 4, 'the series now as Google holds it');

    await writer.update(h.tenantId, review.id, { location: 'Room 2' });
    await sync();
    assert.equal(emu.control.getEvent(EMAIL, singleId).location, 'Room 2', 'writable again');
  });

  it('deleted at Google while quarantined, the event is deleted', async () => {
    const t = h.store.tenant(h.tenantId);
    const review = (await rows()).find((r) => r.remoteId === singleId)!;
    emu.control.patchEvent(EMAIL, singleId, { summary: 'Review\u0000' });
    await sync();
    assert.equal((await t.events.get(review.id))?.event.title, 'Review (room 2)');
    await messages();
    emu.control.deleteEvent(EMAIL, singleId);
    await sync();
    assert.equal(await t.events.get(review.id), null);
    assert.deepEqual(await messages(), ['deleted Review (room 2)']);
    assert.deepEqual(await t.events.quarantined(calId), []);
  });
});
