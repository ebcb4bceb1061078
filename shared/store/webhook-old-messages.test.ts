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

  it('an old account.updated says what changed, as rows stored before migration 0034 compose', async () => {
    const data = await storeOld('account.updated', 'acc_2', { accountId: 'acc_2', provider: 'google', externalId: 'a@example.com', status: 'active', reason: null, access: 'read', oldAccess: 'readwrite' });
    assert.deepEqual([data.changed, data.oldStatus, data.oldAccess], [['access'], 'active', 'readwrite']);
  });

  it('a message in the current shape is sent as stored', async () => {
    const shown = showEvent({ id: 'evt_n', calendarId: 'cal_n', contentHash: contentHash(copy), event: copy });
    const data = await storeOld('event.created', 'cal_n', { accountId: 'acc_1', calendarId: 'cal_n', eventId: 'evt_n', uid: 'copy-1', writtenByCalhub: true, event: shown, series: null });
    assert.deepEqual(data.event, shown);
  });
});
