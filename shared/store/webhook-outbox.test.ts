/** The webhook outbox: written by the changing transaction, composed into the right messages. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEvent, type CanonicalEventInput } from '../model/index.ts';
import type { IncomingChange } from './events.ts';
import { Store } from './store.ts';
import { etagOf, showEvent } from './event-view.ts';
import { composeWebhooks } from './webhook-compose.ts';

const ev = (input: Partial<CanonicalEventInput> & { uid: string }): CanonicalEventInput => ({
  start: { dateTime: '2026-11-10T09:00:00Z', timeZone: 'UTC' },
  end: { dateTime: '2026-11-10T10:00:00Z', timeZone: 'UTC' },
  title: 'meeting',
  ...input,
});
const up = (remoteId: string, ...events: CanonicalEventInput[]): IncomingChange => ({ kind: 'upsert', remoteId, version: `"${Math.random()}"`, events: events.map((e) => parseEvent(e)) });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload fields are read loosely in assertions
type Data = Record<string, any>;
type Msg = { id: string; type: string; stream: string; payload: { id: string; type: string; data: Data } };

describe('webhook outbox', () => {
  let store: Store;
  let tenantId: string;
  let accountId: string;
  let calId: string;
  let endpointId: string;
  const now = new Date();

  const messages = async (): Promise<Msg[]> => {
    const before = await store.db.query<{ m: string }>('SELECT COALESCE(max(seq), 0)::text AS m FROM webhook_messages');
    await composeWebhooks(store.db, { now });
    return store.db.query<Msg>('SELECT id, type, stream, payload FROM webhook_messages WHERE seq > $1 ORDER BY seq', [before[0]!.m]);
  };

  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    tenantId = (await store.tenants.create('hooks')).tenant.id;
    endpointId = (await store.tenant(tenantId).webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' })).id;
    accountId = (await store.tenant(tenantId).accounts.upsert({ provider: 'memory', externalId: 'a@example.com' })).id;
    const [cal] = await store.tenant(tenantId).calendars.upsertMany(accountId, [{ providerCalendarId: 'primary', name: 'Work', timeZone: 'UTC', color: null, readOnly: false }]);
    calId = cal!.id;
  });
  after(async () => store?.close());

  it('an account and a calendar appearing are account.connected and calendar.created, owed to the endpoint', async () => {
    const m = await messages();
    assert.deepEqual(m.map((x) => x.type), ['account.connected', 'calendar.created']);
    assert.equal(m[1]!.payload.data.calendarId, calId);
    assert.equal(m[1]!.payload.data.accountId, accountId);
    assert.equal(m[0]!.payload.id, m[0]!.id);
    const owed = await store.db.query('SELECT 1 FROM webhook_deliveries WHERE endpoint_id = $1', [endpointId]);
    assert.equal(owed.length, 2);
  });

  it('a created, updated and deleted event each become one message with the canonical event and its ids', async () => {
    const t = store.tenant(tenantId);
    await t.events.applyRemoteChanges(calId, [up('r1', ev({ uid: 'one' }))]);
    await t.events.applyRemoteChanges(calId, [up('r1', ev({ uid: 'one' }))]); // same content: nothing owed
    await t.events.applyRemoteChanges(calId, [up('r1', ev({ uid: 'one', title: 'moved' }))]);
    await t.events.applyRemoteChanges(calId, [{ kind: 'delete', remoteId: 'r1' }]);
    const m = await messages();
    assert.deepEqual(m.map((x) => x.type), ['event.created', 'event.updated', 'event.deleted']);
    const d = m[1]!.payload.data;
    assert.equal(d.calendarId, calId);
    assert.equal(d.accountId, accountId);
    assert.equal(d.event.title, 'moved');
    assert.equal(d.event.id, d.eventId);
    assert.equal(d.writtenByCalhub, false);
    assert.equal(d.series, null);
    assert.equal(new Set(m.map((x) => x.id)).size, 3);
  });

  it('a series: one message names the master and which instances changed', async () => {
    const t = store.tenant(tenantId);
    const master = ev({ uid: 's', recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } });
    const moved = ev({ uid: 's', originalStart: { dateTime: '2026-11-11T09:00:00Z', timeZone: 'UTC' }, start: { dateTime: '2026-11-11T12:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-11T13:00:00Z', timeZone: 'UTC' } });
    await t.events.applyRemoteChanges(calId, [up('rs', master, moved)]);
    let m = await messages();
    assert.deepEqual(m.map((x) => x.type), ['event.created']);
    assert.equal(m[0]!.payload.data.series.instances.length, 1);
    const masterId = m[0]!.payload.data.eventId;
    assert.equal(m[0]!.payload.data.series.masterId, masterId);
    // Only an instance changes: event.updated of the series, naming that instance.
    await t.events.applyRemoteChanges(calId, [up('rs', master, { ...moved, title: 'moved, renamed' })]);
    m = await messages();
    assert.deepEqual(m.map((x) => x.type), ['event.updated']);
    assert.equal(m[0]!.payload.data.series.masterId, masterId);
    assert.equal(m[0]!.payload.data.event.id, masterId);
    assert.deepEqual(m[0]!.payload.data.series.instances.map((i: { change: string; event: { title: string } }) => [i.change, i.event.title]), [['updated', 'moved, renamed']]);
  });

  // Within one statement, messages keep the page's order for each kind of change; the kinds may
  // interleave differently (the outbox triggers run once per statement and kind).
  it('one page creating, updating and deleting several events: one message each, created ones in page order', async () => {
    const t = store.tenant(tenantId);
    await t.events.applyRemoteChanges(calId, ['p1', 'p2', 'p3'].map((u) => up(u, ev({ uid: u }))));
    let m = await messages();
    assert.deepEqual(m.map((x) => [x.type, x.payload.data.uid]), [['event.created', 'p1'], ['event.created', 'p2'], ['event.created', 'p3']]);
    const ids = new Map(m.map((x) => [x.payload.data.uid, x.payload.data.eventId]));
    // One page: p5 and p4 new, p1 renamed, p2 unchanged, p3 deleted.
    await t.events.applyRemoteChanges(calId, [up('p5', ev({ uid: 'p5' })), up('p1', ev({ uid: 'p1', title: 'renamed' })), up('p2', ev({ uid: 'p2' })), { kind: 'delete', remoteId: 'p3' }, up('p4', ev({ uid: 'p4' }))]);
    m = await messages();
    const got = m.map((x) => [x.type, x.payload.data.uid]);
    assert.deepEqual([...got].sort(), [['event.created', 'p4'], ['event.created', 'p5'], ['event.deleted', 'p3'], ['event.updated', 'p1']]);
    assert.deepEqual(got.filter(([type]) => type === 'event.created'), [['event.created', 'p5'], ['event.created', 'p4']]);
    const by = new Map(m.map((x) => [x.payload.data.uid, x.payload.data]));
    assert.equal(by.get('p1')!.eventId, ids.get('p1'));
    assert.equal(by.get('p1')!.event.title, 'renamed');
    assert.equal(by.get('p3')!.eventId, ids.get('p3'));
    assert.equal(by.get('p3')!.event.title, 'meeting');
    for (const d of by.values()) assert.deepEqual([d.calendarId, d.accountId, d.tenantId, d.writtenByCalhub, d.series], [calId, accountId, tenantId, false, null]);
    await t.events.applyRemoteChanges(calId, ['p1', 'p2', 'p4', 'p5'].map((remoteId) => ({ kind: 'delete' as const, remoteId })));
    assert.deepEqual((await messages()).map((x) => [x.type, x.payload.data.uid]).sort(), [['event.deleted', 'p1'], ['event.deleted', 'p2'], ['event.deleted', 'p4'], ['event.deleted', 'p5']]);
  });

  it("calhub's own writes (a local write queued for the provider) are marked", async () => {
    const t = store.tenant(tenantId);
    await t.transaction(async (tx) => {
      await tx.events.writeLocal(calId, 'local-1', [parseEvent(ev({ uid: 'local-1' }))]);
      await tx.outbox.upsert(calId, 'local-1', 'put');
    });
    const [m] = await messages();
    assert.equal(m!.type, 'event.created');
    assert.equal(m!.payload.data.writtenByCalhub, true);
  });

  it("the provider's answer to calhub's own write: event.updated with its provider id, marked calhub's own, even when the content is the same", async () => {
    const t = store.tenant(tenantId);
    await t.transaction(async (tx) => {
      await tx.events.writeLocal(calId, 'local-2', [parseEvent(ev({ uid: 'local-2' }))]);
      await tx.outbox.upsert(calId, 'local-2', 'put');
    });
    await messages();
    const was = await t.events.byUid(calId, 'local-2');
    await t.transaction(async (tx) => {
      await tx.events.applyRemoteChanges(calId, [up('r-local-2', ev({ uid: 'local-2' }))]);
      await tx.events.answeredOwnWrite(calId, 'local-2', was);
    });
    const [m] = await messages();
    assert.equal(m!.type, 'event.updated');
    assert.equal(m!.payload.data.event.providerEventId, 'r-local-2');
    assert.equal(m!.payload.data.writtenByCalhub, true);
    // The same answer again (a replayed page): nothing owed.
    await t.events.applyRemoteChanges(calId, [up('r-local-2', ev({ uid: 'local-2' }))]);
    assert.deepEqual(await messages(), []);
  });

  it('a rolled-back change owes nothing', async () => {
    const t = store.tenant(tenantId);
    await assert.rejects(
      t.transaction(async (tx) => {
        await tx.events.applyRemoteChanges(calId, [up('rb', ev({ uid: 'rb' }))]);
        throw new Error('boom');
      }),
    );
    assert.deepEqual(await messages(), []);
  });

  it('sync failing then recovering, an account needing reauth, a parked conflict', async () => {
    const t = store.tenant(tenantId);
    assert.ok(await t.calendars.claimSync(calId, 'o', 60_000));
    await t.calendars.releaseSync(calId, 'o', { ok: false, error: 'provider said 500' });
    assert.ok(await t.calendars.claimSync(calId, 'o', 60_000));
    await t.calendars.releaseSync(calId, 'o', { ok: false, error: 'provider said 500 again' });
    assert.ok(await t.calendars.claimSync(calId, 'o', 60_000));
    await t.calendars.releaseSync(calId, 'o', { ok: true });
    await t.accounts.setStatus(accountId, 'needs_reauth', 'invalid_grant');
    await store.db.query(
      `INSERT INTO conflicts (id, tenant_id, calendar_id, uid, policy, fields, outcome) VALUES ('cf_1', $1, $2, 'one', 'manual', '["title"]', 'parked')`,
      [tenantId, calId],
    );
    const m = await messages();
    assert.deepEqual(m.map((x) => x.type), ['sync.failed', 'sync.recovered', 'account.needs_reauth', 'conflict.parked']);
    assert.equal(m[0]!.payload.data.error, 'provider said 500');
    // Not one of calhub's coded errors: no code, rather than a guess.
    assert.equal(m[0]!.payload.data.errorCode, null);
    assert.equal(m[1]!.payload.data.errorCode, null);
    assert.equal(m[2]!.payload.data.reason, 'invalid_grant');
    assert.equal(m[2]!.payload.data.reasonCode, 'AUTH_GRANT_REVOKED');
    assert.equal(m[2]!.stream, accountId);
    assert.deepEqual(m[3]!.payload.data.fields, ['title']);
  });

  it('sync.failed carries the stable code apart (errorCode) and the recorded line as error; a code-shaped prefix that is not calhub\'s is no code', async () => {
    const t = store.tenant(tenantId);
    const line = 'AUTH_GRANT_REVOKED: account acc_1 needs to be reconnected (first refusal, on any of its calendars: invalid_grant)';
    for (const error of [line, 'ECONNRESET: socket hang up', 'CONNECTOR_TRANSIENT: Google answered 503']) {
      assert.ok(await t.calendars.claimSync(calId, 'o', 60_000));
      await t.calendars.releaseSync(calId, 'o', { ok: false, error });
      assert.ok(await t.calendars.claimSync(calId, 'o', 60_000));
      await t.calendars.releaseSync(calId, 'o', { ok: true });
    }
    const m = (await messages()).map((x) => x.payload.data);
    const recovered = [null, null];
    assert.deepEqual(m.map((d) => [d.error, d.errorCode]), [[line, 'AUTH_GRANT_REVOKED'], recovered, ['ECONNRESET: socket hang up', null], recovered, ['CONNECTOR_TRANSIENT: Google answered 503', 'CONNECTOR_TRANSIENT'], recovered]);
  });

  it("every account.* message carries the account's email (null when unknown), as GET /v1/accounts shows it", async () => {
    const t = store.tenant(tenantId);
    const acc = await t.accounts.upsert({ provider: 'memory', externalId: 'mail-1', email: 'mail.one@example.com', access: 'readwrite' });
    await t.accounts.connectedAgain(acc.id);
    await t.accounts.upsert({ provider: 'memory', externalId: 'mail-1', access: 'read' });
    await t.accounts.setStatus(acc.id, 'needs_reauth', 'invalid_grant');
    await t.accounts.disable(acc.id, 'paused');
    await t.accounts.delete(acc.id);
    const m = await messages();
    const base = { tenantId, accountId: acc.id, provider: 'memory', externalId: 'mail-1', email: 'mail.one@example.com' };
    assert.deepEqual(m.map((x) => x.payload.data), [
      { ...base, status: 'active', reason: null, reasonCode: null, access: 'readwrite', alreadyConnected: false },
      { ...base, status: 'active', reason: null, reasonCode: null, access: 'readwrite', alreadyConnected: true },
      { ...base, status: 'active', reason: null, reasonCode: null, access: 'read', oldAccess: 'readwrite', oldStatus: 'active', oldEmail: 'mail.one@example.com', changed: ['access'] },
      { ...base, status: 'needs_reauth', reason: 'invalid_grant', reasonCode: 'AUTH_GRANT_REVOKED', access: 'read' },
      { ...base, status: 'disabled', reason: 'paused', reasonCode: null, access: 'read', oldAccess: 'read', oldStatus: 'needs_reauth', oldEmail: 'mail.one@example.com', changed: ['status'] },
      { ...base, status: 'removed', reason: 'paused', reasonCode: null, access: 'read' },
    ]);
    assert.deepEqual(m.map((x) => x.type), ['account.connected', 'account.connected', 'account.updated', 'account.needs_reauth', 'account.updated', 'account.disconnected']);
  });

  it("an account's address learnt or changed is account.updated naming email; what a product does not see sends nothing", async () => {
    const t = store.tenant(tenantId);
    const acc = await t.accounts.upsert({ provider: 'memory', externalId: 'mail-2', access: 'readwrite' });
    await messages();
    // Learnt later (fillEmail: an account from before migration 0091), then changed.
    await t.accounts.setEmail(acc.id, 'two@example.com');
    await t.accounts.setEmail(acc.id, 'two@example.com');
    await t.accounts.setEmail(acc.id, 'renamed@example.com');
    let m = await messages();
    assert.deepEqual(m.map((x) => [x.type, x.payload.data.email, x.payload.data.oldEmail, x.payload.data.changed]), [
      ['account.updated', 'two@example.com', null, ['email']],
      ['account.updated', 'renamed@example.com', 'two@example.com', ['email']],
    ]);
    assert.equal(m[0]!.stream, acc.id);
    // A reconnect naming another address: account.connected (alreadyConnected) and the change.
    await t.accounts.upsert({ provider: 'memory', externalId: 'mail-2', email: 'three@example.com' });
    await t.accounts.connectedAgain(acc.id);
    m = await messages();
    assert.deepEqual(m.map((x) => [x.type, x.payload.data.email, x.payload.data.changed ?? null]), [
      ['account.updated', 'three@example.com', ['email']],
      ['account.connected', 'three@example.com', null],
    ]);
    // The same address again, new credentials, a name, a listing: nothing a product sees changed.
    await t.accounts.upsert({ provider: 'memory', externalId: 'mail-2', email: 'three@example.com', displayName: 'Two', credentials: 'c2' });
    await t.accounts.setCredentials(acc.id, 'c3');
    await t.accounts.markCalendarsListed(acc.id);
    assert.deepEqual((await messages()).map((x) => x.type), []);
  });

  it('a deleted calendar is calendar.deleted, without one event.deleted per event', async () => {
    const t = store.tenant(tenantId);
    const [cal2] = await t.calendars.upsertMany(accountId, [{ providerCalendarId: 'second', name: 'Two', timeZone: 'UTC', color: null, readOnly: false }]);
    await t.events.applyRemoteChanges(cal2!.id, [up('x1', ev({ uid: 'x1' })), up('x2', ev({ uid: 'x2' }))]);
    await messages();
    await store.db.query('DELETE FROM calendars WHERE id = $1', [cal2!.id]);
    assert.deepEqual((await messages()).map((x) => x.type), ['calendar.deleted']);
  });

  it('a calendar renamed, made to count, missing from its list: calendar.updated each; the same listing again or sync bookkeeping: nothing', async () => {
    const t = store.tenant(tenantId);
    const [cal3] = await t.calendars.upsertMany(accountId, [{ providerCalendarId: 'third', name: 'Three', timeZone: 'UTC', color: null, readOnly: true }]);
    await messages();
    await t.calendars.upsertMany(accountId, [{ providerCalendarId: 'third', name: 'Three', timeZone: 'UTC', color: null, readOnly: true }]);
    await t.calendars.setCursor(cal3!.id, 'cursor-2');
    assert.deepEqual((await messages()).map((x) => x.type), [], 'nothing a tenant sees changed');
    await t.calendars.applyListing(accountId, [
      { providerCalendarId: 'primary', name: 'Work', timeZone: 'UTC', color: null, readOnly: false },
      { providerCalendarId: 'third', name: 'Renamed', timeZone: 'Europe/Berlin', color: '#123456', readOnly: true },
    ]);
    const renamed = await messages();
    assert.deepEqual(renamed.map((x) => x.type), ['calendar.updated']);
    assert.deepEqual(renamed[0]!.payload.data.calendar, { name: 'Renamed', timeZone: 'Europe/Berlin', providerCalendarId: 'third', color: '#123456', accessRole: 'reader', countsForBusy: false, missingSince: null, syncEnabled: true, timeZoneChosen: false, providerTimeZone: 'Europe/Berlin', primary: false });
    await t.calendars.setCountsForBusy(cal3!.id, true);
    assert.equal((await messages())[0]!.payload.data.calendar.countsForBusy, true);
    await t.calendars.applyListing(accountId, [{ providerCalendarId: 'primary', name: 'Work', timeZone: 'UTC', color: null, readOnly: false }]);
    const missing = await messages();
    assert.deepEqual(missing.map((x) => [x.type, x.payload.data.calendarId]), [['calendar.updated', cal3!.id]]);
    assert.ok(missing[0]!.payload.data.calendar.missingSince);
  });

  it('sync switched off: calendar.updated (not sync.recovered, though its failures are cleared), then event.deleted per event; on again: calendar.updated', async () => {
    const t = store.tenant(tenantId);
    const [cal4] = await t.calendars.upsertMany(accountId, [{ providerCalendarId: 'fourth', name: 'Four', timeZone: 'UTC', color: null, readOnly: false }]);
    await t.events.applyRemoteChanges(cal4!.id, [up('y1', ev({ uid: 'y1' })), up('y2', ev({ uid: 'y2' }))]);
    assert.ok(await t.calendars.claimSync(cal4!.id, 'o', 60_000));
    await t.calendars.releaseSync(cal4!.id, 'o', { ok: false, error: 'provider said 500' });
    await messages();
    assert.deepEqual(await t.setSyncEnabled(cal4!.id, false), { done: true, changed: true, calendar: (await t.calendars.get(cal4!.id))! });
    const off = await messages();
    // The calendar's change first on its stream: a consumer knows the deletions that follow are the switch's.
    assert.deepEqual(off.map((x) => x.type), ['calendar.updated', 'event.deleted', 'event.deleted']);
    assert.equal(new Set(off.map((x) => x.stream)).size, 1, 'one stream, so delivered in this order');
    const updated = off.find((x) => x.type === 'calendar.updated')!;
    assert.deepEqual([updated.payload.data.calendar.syncEnabled, updated.payload.data.calendar.countsForBusy], [false, false]);
    await t.setSyncEnabled(cal4!.id, true);
    const on = await messages();
    assert.deepEqual(on.map((x) => [x.type, x.payload.data.calendar.syncEnabled]), [['calendar.updated', true]]);
  });

  it('a tenant without endpoints writes no outbox rows', async () => {
    const other = (await store.tenants.create('quiet')).tenant.id;
    const acc = await store.tenant(other).accounts.upsert({ provider: 'memory', externalId: 'q@example.com' });
    const [cal] = await store.tenant(other).calendars.upsertMany(acc.id, [{ providerCalendarId: 'p', name: 'Q', timeZone: 'UTC', color: null, readOnly: false }]);
    await store.tenant(other).events.applyRemoteChanges(cal!.id, [up('q', ev({ uid: 'q' }))]);
    const rows = await store.db.query('SELECT 1 FROM webhook_outbox WHERE tenant_id = $1', [other]);
    assert.equal(rows.length, 0);
  });

  it('a statement writing many event rows asks once per tenant whether it has an endpoint (not once per row)', async () => {
    const other = (await store.tenants.create('bulk')).tenant.id;
    const acc = await store.tenant(other).accounts.upsert({ provider: 'memory', externalId: 'b@example.com' });
    const [cal] = await store.tenant(other).calendars.upsertMany(acc.id, [{ providerCalendarId: 'p', name: 'B', timeZone: 'UTC', color: null, readOnly: false }]);
    // Reads of webhook_endpoints this backend has counted but not yet reported, before and after.
    const reads = async (tx: { query: typeof store.db.query }) =>
      (await tx.query<{ n: number }>("SELECT (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::int AS n FROM pg_stat_xact_user_tables WHERE relname = 'webhook_endpoints'"))[0]!.n;
    const asked = await store.db.transaction(async (tx) => {
      const before = await reads(tx);
      await tx.query(
        `INSERT INTO events (id, tenant_id, calendar_id, remote_id, uid, data, content_hash)
         SELECT 'bulk-' || g, $1, $2, 'r' || g, 'u' || g, '{}'::jsonb, 'h' FROM generate_series(1, 40) g`,
        [other, cal!.id],
      );
      return (await reads(tx)) - before;
    });
    // One ask can take two reads (the plan may probe the table once more); one per row took 40+.
    assert.ok(asked <= 2, `webhook_endpoints read ${asked} times for 40 rows of one tenant`);
  });
});

describe('webhook outbox rows stored before the upgrade', () => {
  it('compose into the event as the API shows it, with the etag of the version they were written for', async () => {
    const store = await Store.open({ dataDir: null });
    try {
      await store.migrate();
      const tenantId = (await store.tenants.create('old')).tenant.id;
      await store.tenant(tenantId).webhooks.create({ url: 'https://example.com/h', eventTypes: ['event.created', 'event.updated'], encryptedSecret: 'x' });
      const account = await store.tenant(tenantId).accounts.upsert({ provider: 'memory', externalId: 'o@example.com' });
      const [cal] = await store.tenant(tenantId).calendars.upsertMany(account.id, [{ providerCalendarId: 'p', name: 'Old', timeZone: 'Europe/Berlin', color: null, readOnly: false }]);
      const berlin = (dateTime: string) => ({ dateTime, timeZone: 'Europe/Berlin' });
      const first = ev({ uid: 'old', start: berlin('2026-11-10T08:00:00Z'), end: berlin('2026-11-10T09:00:00Z'), providerVersion: '"p1"' });
      await store.tenant(tenantId).events.applyRemoteChanges(cal!.id, [up('old', first)]);
      const [created] = await store.tenant(tenantId).events.byUid(cal!.id, 'old');
      await store.db.query('DELETE FROM webhook_outbox');
      // The row as the release before this one wrote it (its trigger is unchanged): the stored
      // event's data in the canonical form, UTC instants, no etag; and the event changed since.
      await store.db.query(
        `INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, original_start_key, data)
         VALUES ($1, 'event', 'created', $2, $3, $4, 'old', '', $5::jsonb)`,
        [tenantId, account.id, cal!.id, created!.id, JSON.stringify(created!.event)],
      );
      await store.tenant(tenantId).events.applyRemoteChanges(cal!.id, [up('old', { ...first, title: 'renamed' })]);
      await composeWebhooks(store.db, { now: new Date() });
      const m = await store.db.query<Msg>('SELECT id, type, stream, payload FROM webhook_messages ORDER BY seq');
      const [now] = await store.tenant(tenantId).events.byUid(cal!.id, 'old');
      assert.deepEqual(m.map((x) => x.type), ['event.created', 'event.updated']);
      assert.deepEqual(m[0]!.payload.data.event, JSON.parse(JSON.stringify(showEvent(created!))));
      assert.equal(m[0]!.payload.data.event.etag, etagOf(created!));
      assert.deepEqual(m[0]!.payload.data.event.start, berlin('2026-11-10T09:00:00+01:00'));
      assert.equal(m[1]!.payload.data.event.etag, etagOf(now!));
      assert.notEqual(etagOf(now!), etagOf(created!));
    } finally {
      await store.close();
    }
  });
});
