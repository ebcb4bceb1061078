/**
 * Messages composed by a release before the API's event view (schema 0029 and older: the event as
 * stored, calhub's bookkeeping included, no etag) and still owed after an upgrade are sent in the
 * current shape, as the README promises.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { contentHash, parseEvent } from '../model/index.ts';
import { showEvent } from './event-view.ts';
import { Store } from './store.ts';
import { pendingOfStream } from './webhook-deliveries.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload fields are read loosely in assertions
type Data = Record<string, any>;

describe('webhook messages stored by an older release', () => {
  let store: Store;
  let tenantId: string;
  let endpointId: string;
  let seq = 0;

  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    tenantId = (await store.tenants.create('old-hooks')).tenant.id;
    endpointId = (await store.tenant(tenantId).webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' })).id;
  });
  after(async () => store?.close());

  /** As fc16727's webhook-compose stored it: the payload in webhook_messages, a pending delivery. */
  const storeOld = async (type: string, stream: string, data: Data): Promise<Data> => {
    const id = `msg_old${++seq}`;
    const payload = { id, type, timestamp: '2026-12-05T10:00:00.000Z', data: { tenantId, ...data } };
    const [m] = await store.db.query<{ seq: string }>(
      'INSERT INTO webhook_messages (id, tenant_id, type, stream, payload, created_at) VALUES ($1, $2, $3, $4, $5, now()) RETURNING seq',
      [id, tenantId, type, stream, JSON.stringify(payload)],
    );
    await store.db.query('INSERT INTO webhook_deliveries (endpoint_id, message_seq, stream, next_attempt_at) VALUES ($1, $2, $3, now())', [endpointId, m!.seq, stream]);
    const owed = await pendingOfStream(store.db, { endpointId, stream }, 50);
    return (owed.find((d) => d.messageId === id)!.payload as { data: Data }).data;
  };

  const copy = parseEvent({
    uid: 'copy-1', title: 'Busy', start: { dateTime: '2026-12-08T08:00:00Z', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-12-08T09:00:00Z', timeZone: 'Europe/Berlin' },
    providerVersion: '"p7"', provenance: { hub: 'calhub', tenantId: 'ten_x', sourceEventId: 'evt_src', ruleId: 'rul_1' },
  });

  it('an old event.updated of a mirror copy is sent as the API shows the event: etag, calendarId, provenance of rule and source only, no providerVersion', async () => {
    const data = await storeOld('event.updated', 'cal_old', { accountId: 'acc_1', calendarId: 'cal_old', eventId: 'evt_1', uid: 'copy-1', writtenByCalhub: true, event: { id: 'evt_1', ...copy }, series: null });
    assert.deepEqual(data.event, showEvent({ id: 'evt_1', calendarId: 'cal_old', contentHash: contentHash(copy), event: copy }));
    assert.deepEqual(data.event.provenance, { ruleId: 'rul_1', sourceEventId: 'evt_src' });
    assert.equal('providerVersion' in data.event, false);
    assert.equal(data.writtenByCalhub, true);
  });

  it("an old series message: each instance's event and originalStart as now", async () => {
    const master = parseEvent({ uid: 's-1', title: 'Weekly', start: { dateTime: '2026-12-08T08:00:00Z', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-12-08T09:00:00Z', timeZone: 'Europe/Berlin' }, recurrence: { rrules: ['FREQ=WEEKLY'] } });
    const moved = parseEvent({ uid: 's-1', title: 'Moved', originalStart: { dateTime: '2026-12-15T08:00:00Z', timeZone: 'Europe/Berlin' }, start: { dateTime: '2026-12-15T10:00:00Z', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-12-15T11:00:00Z', timeZone: 'Europe/Berlin' } });
    const data = await storeOld('event.updated', 'cal_s', {
      accountId: 'acc_1', calendarId: 'cal_s', eventId: 'evt_m', uid: 's-1', writtenByCalhub: false, event: { id: 'evt_m', ...master },
      series: { masterId: 'evt_m', instances: [{ eventId: 'evt_o', originalStart: moved.originalStart, change: 'updated', event: { id: 'evt_o', ...moved } }] },
    });
    assert.deepEqual(data.event, showEvent({ id: 'evt_m', calendarId: 'cal_s', contentHash: contentHash(master), event: master }));
    const [inst] = data.series.instances;
    assert.deepEqual(inst.event, showEvent({ id: 'evt_o', calendarId: 'cal_s', contentHash: contentHash(moved), event: moved }));
    assert.deepEqual(inst.originalStart, { dateTime: '2026-12-15T09:00:00+01:00', timeZone: 'Europe/Berlin' });
  });

  it('a sync.failed stored before errorCode gets the code its error begins with, when it is one of calhub\'s', async () => {
    const line = 'AUTH_GRANT_REVOKED: account acc_1 needs to be reconnected (first refusal, on any of its calendars: invalid_grant)';
    const failed = await storeOld('sync.failed', 'cal_f', { accountId: 'acc_1', calendarId: 'cal_f', error: line, failureCount: 1, lastSuccessAt: null });
    assert.deepEqual([failed.error, failed.errorCode], [line, 'AUTH_GRANT_REVOKED']);
    const plain = await storeOld('sync.failed', 'cal_f', { accountId: 'acc_1', calendarId: 'cal_f', error: 'ECONNRESET: socket hang up', failureCount: 2, lastSuccessAt: null });
    assert.equal(plain.errorCode, null);
    const recovered = await storeOld('sync.recovered', 'cal_f', { accountId: 'acc_1', calendarId: 'cal_f', error: null, failureCount: 0, lastSuccessAt: '2026-12-05T10:00:00.000Z' });
    assert.equal(recovered.errorCode, null);
  });

  it('an account message stored before reasonCode gets it from its status', async () => {
    const reauth = await storeOld('account.needs_reauth', 'acc_r', { accountId: 'acc_r', provider: 'google', externalId: 'r', status: 'needs_reauth', reason: 'invalid_grant', access: 'read', email: 'r@example.com' });
    assert.deepEqual([reauth.reason, reauth.reasonCode], ['invalid_grant', 'AUTH_GRANT_REVOKED']);
    const connected = await storeOld('account.connected', 'acc_r', { accountId: 'acc_r', provider: 'google', externalId: 'r', status: 'active', reason: null, access: 'read', email: 'r@example.com', alreadyConnected: false });
    assert.equal(connected.reasonCode, null);
  });

  it('an old account.updated says what changed, as rows stored before migration 0034 compose', async () => {
    const data = await storeOld('account.updated', 'acc_2', { accountId: 'acc_2', provider: 'google', externalId: 'a@example.com', status: 'active', reason: null, access: 'read', oldAccess: 'readwrite' });
    assert.deepEqual([data.changed, data.oldStatus, data.oldAccess], [['access'], 'active', 'readwrite']);
  });

  it('an account.updated stored before migration 0097 carries oldEmail: its own email, which did not change', async () => {
    const data = await storeOld('account.updated', 'acc_3', { accountId: 'acc_3', provider: 'google', externalId: 'x', status: 'disabled', reason: null, access: 'read', oldAccess: 'read', oldStatus: 'active', changed: ['status'], email: 'x@example.com' });
    assert.deepEqual([data.email, data.oldEmail, data.changed], ['x@example.com', 'x@example.com', ['status']]);
  });

  it("an old account message (before migration 0094) carries the account's email now; a removed account's: null", async () => {
    const t = store.tenant(tenantId);
    const acc = await t.accounts.upsert({ provider: 'memory', externalId: 'm-1', email: 'm.one@example.com', access: 'readwrite' });
    const old = { accountId: acc.id, provider: 'memory', externalId: 'm-1', status: 'active', reason: null, access: 'readwrite' };
    assert.deepEqual(await storeOld('account.connected', acc.id, { ...old, alreadyConnected: false }), { tenantId, ...old, alreadyConnected: false, email: 'm.one@example.com', reasonCode: null });
    assert.deepEqual(await storeOld('account.disconnected', 'acc_gone', { ...old, accountId: 'acc_gone', status: 'removed' }), { tenantId, ...old, accountId: 'acc_gone', status: 'removed', email: null, reasonCode: null });
    // One that says (even null) is sent as stored.
    assert.deepEqual(await storeOld('account.needs_reauth', acc.id, { ...old, email: null }), { tenantId, ...old, email: null, reasonCode: null });
  });

  it('an old event message from 0030 to 0092 (the view without provenance) takes the stored event\'s; null where none can be known', async () => {
    const t = store.tenant(tenantId);
    const acc = await t.accounts.upsert({ provider: 'memory', externalId: 'p-1' });
    const [cal] = await t.calendars.upsertMany(acc.id, [{ providerCalendarId: 'p', name: 'P', timeZone: 'Europe/Berlin', color: null, readOnly: false }]);
    const master = parseEvent({ ...copy, uid: 'copy-s', recurrence: { rrules: ['FREQ=WEEKLY'] } });
    const moved = parseEvent({ ...copy, uid: 'copy-s', originalStart: copy.start, title: 'Busy (moved)' });
    await t.events.applyRemoteChanges(cal!.id, [{ kind: 'upsert', remoteId: 'r-s', version: '"v1"', events: [master, moved] }]);
    const stored = await t.events.byUid(cal!.id, 'copy-s');
    const [m, o] = [stored.find((e) => !e.event.originalStart)!, stored.find((e) => e.event.originalStart)!];
    // As a release from 0030 until provenance was shown composed the view: everything but provenance.
    const without = (e: typeof m) => {
      const { provenance: _p, ...v } = JSON.parse(JSON.stringify(showEvent(e))) as Data;
      return v;
    };
    const shown = { ruleId: 'rul_1', sourceEventId: 'evt_src' };
    const series = { masterId: m.id, instances: [{ eventId: o.id, originalStart: without(o).originalStart, change: 'updated', event: without(o) }] };
    const data = await storeOld('event.updated', cal!.id, { accountId: acc.id, calendarId: cal!.id, eventId: m.id, uid: 'copy-s', writtenByCalhub: true, event: without(m), series });
    assert.deepEqual(data.event, JSON.parse(JSON.stringify(showEvent(m))));
    assert.deepEqual([data.event.provenance, data.series.instances[0].event.provenance], [shown, shown]);
    assert.deepEqual(data.series.instances[0].event, JSON.parse(JSON.stringify(showEvent(o))));
    // Deleted since: the store cannot tell.
    const gone = await storeOld('event.deleted', cal!.id, { accountId: acc.id, calendarId: cal!.id, eventId: 'evt_gone', uid: 'x', writtenByCalhub: true, event: { ...without(m), id: 'evt_gone' }, series: null });
    assert.equal(gone.event.provenance, null);
    // Not written by calhub: composed from rows without provenance, whatever the store holds now.
    const theirs = await storeOld('event.updated', cal!.id, { accountId: acc.id, calendarId: cal!.id, eventId: m.id, uid: 'copy-s', writtenByCalhub: false, event: without(m), series: null });
    assert.equal(theirs.event.provenance, null);
    const quarantined = await storeOld('event.quarantined', cal!.id, { accountId: acc.id, calendarId: cal!.id, eventId: m.id, uid: 'copy-s', remoteId: 'r-s', reason: 'unreadable', message: 'x', event: without(m) });
    assert.deepEqual(quarantined.event.provenance, shown);
  });

  it('a message in the current shape is sent as stored', async () => {
    const shown = showEvent({ id: 'evt_n', calendarId: 'cal_n', contentHash: contentHash(copy), event: copy });
    const data = await storeOld('event.created', 'cal_n', { accountId: 'acc_1', calendarId: 'cal_n', eventId: 'evt_n', uid: 'copy-1', writtenByCalhub: true, event: shown, series: null });
    assert.deepEqual(data.event, shown);
  });
});
