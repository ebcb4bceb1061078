/**
 * One PATCH of several calendar settings is one calendar.updated naming every field it changed:
 * a rename and a busy choice sent two, each naming nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEvent } from '../model/index.ts';
import { Store } from './store.ts';
import { composeWebhooks } from './webhook-compose.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload fields are read loosely in assertions
type Msg = { type: string; payload: { data: Record<string, any> } };

describe('calendar.updated names what changed', () => {
  let store: Store;
  let tenantId: string;
  let accountId: string;
  let calId: string;
  const messages = async (): Promise<Msg[]> => {
    const [b] = await store.db.query<{ m: string }>('SELECT COALESCE(max(seq), 0)::text AS m FROM webhook_messages');
    await composeWebhooks(store.db, { now: new Date() });
    return store.db.query<Msg>('SELECT type, payload FROM webhook_messages WHERE seq > $1 ORDER BY seq', [b!.m]);
  };

  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    tenantId = (await store.tenants.create('changed')).tenant.id;
    const t = store.tenant(tenantId);
    await t.webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
    accountId = (await t.accounts.upsert({ provider: 'memory', externalId: 'c@example.com' })).id;
    calId = (await t.calendars.upsertMany(accountId, [{ providerCalendarId: 'primary', name: 'Work', timeZone: 'UTC', color: null, readOnly: false }]))[0]!.id;
    const event = parseEvent({ uid: 'one', title: 'one', start: { dateTime: '2026-11-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-10T10:00:00Z', timeZone: 'UTC' } });
    await t.events.applyRemoteChanges(calId, [{ kind: 'upsert', remoteId: 'one', version: '"1"', events: [event] }]);
    await messages();
  });
  after(async () => store?.close());

  it('a name and a busy choice at once: one message naming both', async () => {
    const r = await store.tenant(tenantId).updateCalendarSettings(calId, { name: 'Bookings', countsForBusy: false });
    assert.equal(r?.done, true);
    const got = await messages();
    assert.deepEqual(got.map((m) => [m.type, m.payload.data.changed]), [['calendar.updated', ['name', 'countsForBusy']]]);
    assert.deepEqual([got[0]!.payload.data.calendar.name, got[0]!.payload.data.calendar.countsForBusy], ['Bookings', false]);
  });

  it('with the sync switched off too: one calendar.updated naming all three, then the event.deleted', async () => {
    await store.tenant(tenantId).updateCalendarSettings(calId, { name: 'Old bookings', countsForBusy: null, syncEnabled: false });
    const got = await messages();
    assert.deepEqual(got.map((m) => m.type), ['calendar.updated', 'event.deleted']);
    assert.deepEqual(got[0]!.payload.data.changed, ['name', 'countsForBusy', 'syncEnabled']);
    assert.equal(got[0]!.payload.data.calendar.syncEnabled, false);
  });

  it('a refused switch takes the other settings back: nothing changes, nothing is sent', async () => {
    const t = store.tenant(tenantId);
    await t.updateCalendarSettings(calId, { syncEnabled: true });
    const [other] = await t.calendars.upsertMany(accountId, [{ providerCalendarId: 'other', name: 'Other', timeZone: 'UTC', color: null, readOnly: false }]);
    await t.mirror.create(calId, other!.id, { mode: 'busy-block' });
    await messages();
    const r = await t.updateCalendarSettings(calId, { name: 'Never', syncEnabled: false });
    assert.deepEqual(r && !r.done ? r.reason : r, 'mirrored');
    assert.equal((await t.calendars.get(calId))!.name, 'Old bookings');
    assert.deepEqual(await messages(), []);
  });

  it('a change at the provider names its own fields', async () => {
    const t = store.tenant(tenantId);
    await t.calendars.applyListing(accountId, [
      { providerCalendarId: 'primary', name: 'Old bookings', timeZone: 'Europe/Berlin', color: '#112233', readOnly: false },
      { providerCalendarId: 'other', name: 'Other', timeZone: 'UTC', color: null, readOnly: false },
    ]);
    const got = await messages();
    assert.deepEqual(got.map((m) => [m.type, m.payload.data.changed]), [['calendar.updated', ['color', 'timeZone', 'providerTimeZone']]]);
  });

  it('an access role changed at the provider, no choice made: countsForBusy is named with it', async () => {
    const t = store.tenant(tenantId);
    const [cal] = await t.calendars.upsertMany(accountId, [{ providerCalendarId: 'shared-in', name: 'Shared', timeZone: 'UTC', color: null, readOnly: true }]);
    await messages();
    const listed = (readOnly: boolean) => t.calendars.applyListing(accountId, [{ providerCalendarId: 'primary', name: 'Old bookings', timeZone: 'Europe/Berlin', color: '#112233', readOnly: false }, { providerCalendarId: 'other', name: 'Other', timeZone: 'UTC', color: null, readOnly: false }, { providerCalendarId: 'shared-in', name: 'Shared', timeZone: 'UTC', color: null, readOnly }]);
    await listed(false);
    let got = (await messages()).filter((m) => m.payload.data.calendarId === cal!.id);
    assert.deepEqual(got.map((m) => [m.payload.data.changed, m.payload.data.calendar.countsForBusy]), [[['accessRole', 'countsForBusy'], true]]);
    await listed(true);
    got = (await messages()).filter((m) => m.payload.data.calendarId === cal!.id);
    assert.deepEqual(got.map((m) => [m.payload.data.changed, m.payload.data.calendar.countsForBusy]), [[['accessRole', 'countsForBusy'], false]]);
  });

  it('sync switched off and on, no choice made: countsForBusy flips with it and is named; a calendar that never counted names syncEnabled only', async () => {
    const t = store.tenant(tenantId);
    const [owned, shared] = await t.calendars.upsertMany(accountId, [
      { providerCalendarId: 'switch-owned', name: 'Owned', timeZone: 'UTC', color: null, readOnly: false },
      { providerCalendarId: 'switch-shared', name: 'Shared in', timeZone: 'UTC', color: null, readOnly: true },
    ]);
    await messages();
    const of = (id: string, got: Msg[]) => got.filter((m) => m.payload.data.calendarId === id).map((m) => [m.payload.data.changed, m.payload.data.calendar.countsForBusy]);
    await t.setSyncEnabled(owned!.id, false);
    assert.deepEqual(of(owned!.id, await messages()), [[['countsForBusy', 'syncEnabled'], false]]);
    await t.setSyncEnabled(owned!.id, true);
    assert.deepEqual(of(owned!.id, await messages()), [[['countsForBusy', 'syncEnabled'], true]]);
    await t.setSyncEnabled(shared!.id, false);
    assert.deepEqual(of(shared!.id, await messages()), [[['syncEnabled'], false]]);
  });
  it("a zone chosen, chosen again as the provider's, and dropped: each names what moved", async () => {
    const t = store.tenant(tenantId);
    const [cal] = await t.calendars.upsertMany(accountId, [{ providerCalendarId: 'zoned', name: 'Zoned', timeZone: 'UTC', color: null, readOnly: false }]);
    await messages();
    const of = async () => (await messages()).filter((m) => m.payload.data.calendarId === cal!.id).map((m) => [m.payload.data.changed, m.payload.data.calendar.timeZone, m.payload.data.calendar.timeZoneChosen, m.payload.data.calendar.providerTimeZone]);
    await t.updateCalendarSettings(cal!.id, { timeZone: 'America/Los_Angeles' });
    assert.deepEqual(await of(), [[['timeZone', 'timeZoneChosen'], 'America/Los_Angeles', true, 'UTC']]);
    // The provider's zone moving under a choice: timeZone stays (the busy index with it), and
    // tenants showing the provider's zone hear that it moved.
    await t.calendars.upsertMany(accountId, [{ providerCalendarId: 'zoned', name: 'Zoned', timeZone: 'Europe/Paris', color: null, readOnly: false }]);
    assert.deepEqual(await of(), [[['providerTimeZone'], 'America/Los_Angeles', true, 'Europe/Paris']]);
    await t.calendars.applyListing(accountId, [{ providerCalendarId: 'zoned', name: 'Zoned', timeZone: 'Asia/Tokyo', color: null, readOnly: false }], { syncShared: true });
    assert.deepEqual(await of(), [[['providerTimeZone'], 'America/Los_Angeles', true, 'Asia/Tokyo']]);
    await t.calendars.upsertMany(accountId, [{ providerCalendarId: 'zoned', name: 'Zoned', timeZone: 'Europe/Paris', color: null, readOnly: false }]);
    await of();
    await t.updateCalendarSettings(cal!.id, { timeZone: null });
    assert.deepEqual(await of(), [[['timeZone', 'timeZoneChosen'], 'Europe/Paris', false, 'Europe/Paris']]);
    await t.updateCalendarSettings(cal!.id, { timeZone: 'Europe/Paris' });
    assert.deepEqual(await of(), [[['timeZoneChosen'], 'Europe/Paris', true, 'Europe/Paris']]);
  });

  it("the provider's primary moving from one calendar to another: each is calendar.updated naming primary; a listing that keeps it sends nothing", async () => {
    const t = store.tenant(tenantId);
    const [a, b] = await t.calendars.upsertMany(accountId, [
      { providerCalendarId: 'prim-a', name: 'A', timeZone: 'UTC', color: null, readOnly: false, primary: true },
      { providerCalendarId: 'prim-b', name: 'B', timeZone: 'UTC', color: null, readOnly: false },
    ]);
    assert.deepEqual([a!.primary, b!.primary], [true, false]);
    const created = (await messages()).filter((m) => m.payload.data.calendarId === a!.id);
    assert.deepEqual(created.map((m) => [m.type, m.payload.data.calendar.primary]), [['calendar.created', true]]);
    const listing = (primaryOf: string) => t.calendars.applyListing(accountId, ['prim-a', 'prim-b'].map((p) => ({ providerCalendarId: p, name: p === 'prim-a' ? 'A' : 'B', timeZone: 'UTC', color: null, readOnly: false, primary: p === primaryOf })));
    const r = await listing('prim-b');
    assert.deepEqual(r.updated.map((c) => [c.id, c.primary]).sort(), [[a!.id, false], [b!.id, true]].sort());
    const got = (await messages()).filter((m) => [a!.id, b!.id].includes(m.payload.data.calendarId));
    assert.deepEqual(got.map((m) => [m.payload.data.calendarId, m.payload.data.changed, m.payload.data.calendar.primary]).sort(), [[a!.id, ['primary'], false], [b!.id, ['primary'], true]].sort());
    assert.deepEqual((await t.calendars.get(b!.id))!.primary, true);
    await listing('prim-b');
    assert.deepEqual((await messages()).filter((m) => [a!.id, b!.id].includes(m.payload.data.calendarId)), []);
  });
});
