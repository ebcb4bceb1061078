/**
 * event.quarantined / event.restored (migration 0057): a tenant app learns that the copy of an
 * event it holds is stale, once per transition, and when a readable version heals it. The messages
 * are written by triggers: the same cases run on PGlite and on a PostgreSQL server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEvent } from '../model/index.ts';
import type { IncomingChange } from './events.ts';
import type { Store } from './store.ts';
import { composeWebhooks } from './webhook-compose.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload fields are read loosely in assertions
type Msg = { type: string; stream: string; payload: { data: Record<string, any> } };

const readable = (remoteId: string, title: string, version: string): IncomingChange => ({
  kind: 'upsert',
  remoteId,
  version,
  events: [parseEvent({ uid: remoteId, title, start: { dateTime: '2026-11-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-10T10:00:00Z', timeZone: 'UTC' } })],
});
// A weekly series with a rule no expander takes: readable and current, but set aside as RECURRENCE_UNEXPANDABLE.
const unexpandable = (remoteId: string, title: string, version: string): IncomingChange => ({
  kind: 'upsert',
  remoteId,
  version,
  events: [parseEvent({ uid: remoteId, title, start: { dateTime: '2026-11-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-10T10:00:00Z', timeZone: 'UTC' }, recurrence: { rrules: ['FREQ=FORTNIGHTLY'] } })],
});
const unreadable = (remoteId: string, version: string): IncomingChange => ({ kind: 'invalid', remoteId, version, error: `VEVENT ${remoteId} DTSTART: invalid date-time`, raw: 'DESCRIPTION:secret-content' });

export function runQuarantineWebhookContract(name: string, open: () => Promise<Store>): void {
  describe(`quarantine webhooks (${name})`, () => {
    let store: Store;
    let tenantId: string;
    let calId: string;
    const messages = async (): Promise<Msg[]> => {
      const [b] = await store.db.query<{ m: string }>('SELECT COALESCE(max(seq), 0)::text AS m FROM webhook_messages');
      await composeWebhooks(store.db, { now: new Date() });
      return store.db.query<Msg>('SELECT type, stream, payload FROM webhook_messages WHERE seq > $1 ORDER BY seq', [b!.m]);
    };
    const apply = (...changes: IncomingChange[]) => store.tenant(tenantId).events.applyRemoteChanges(calId, changes);

    before(async () => {
      store = await open();
      await store.migrate();
      tenantId = (await store.tenants.create('quarantine-hooks')).tenant.id;
      const t = store.tenant(tenantId);
      await t.webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
      const accountId = (await t.accounts.upsert({ provider: 'memory', externalId: 'q@example.com' })).id;
      calId = (await t.calendars.upsertMany(accountId, [{ providerCalendarId: 'primary', name: 'Work', timeZone: 'UTC', color: null, readOnly: false }]))[0]!.id;
      await messages();
    });
    after(async () => store?.close());

    it('an event whose item becomes unreadable: one event.quarantined with the kept copy, the remote id and reason; a retry sends nothing', async () => {
      await apply(readable('kept', 'Planning', '"1"'));
      const [created] = await messages();
      const eventId = created!.payload.data.eventId as string;
      await apply(unreadable('kept', '"2"'));
      const got = await messages();
      assert.deepEqual(got.map((m) => m.type), ['event.quarantined']);
      const d = got[0]!.payload.data;
      assert.deepEqual([d.eventId, d.uid, d.remoteId, d.reason, d.event.id, d.event.title, got[0]!.stream], [eventId, 'kept', 'kept', 'INVALID_DATA', eventId, 'Planning', calId]);
      assert.match(d.message, /DTSTART: invalid date-time/);
      assert.ok(!JSON.stringify(got).includes('secret-content'), 'item content reached the message');
      await apply(unreadable('kept', '"3"'));
      assert.deepEqual(await messages(), [], 'still quarantined: no second message');
    });

    it('healed unchanged: event.restored alone; healed with new content: event.updated and event.restored', async () => {
      await apply(readable('kept', 'Planning', '"1"'));
      let got = await messages();
      assert.deepEqual(got.map((m) => [m.type, m.payload.data.event.title]), [['event.restored', 'Planning']]);
      assert.equal(got[0]!.payload.data.reason, 'INVALID_DATA', 'why it had been set aside');
      await apply(unreadable('kept', '"4"'));
      assert.deepEqual((await messages()).map((m) => m.type), ['event.quarantined']);
      await apply(readable('kept', 'Planning v2', '"5"'));
      got = await messages();
      assert.deepEqual(got.map((m) => [m.type, m.payload.data.event.title]).sort(), [['event.restored', 'Planning v2'], ['event.updated', 'Planning v2']]);
    });

    it('an item never read sends nothing until it is readable (then event.created); one deleted while set aside gets event.deleted only', async () => {
      await apply(unreadable('never', '"1"'));
      assert.deepEqual(await messages(), []);
      await apply(readable('never', 'At last', '"2"'));
      assert.deepEqual((await messages()).map((m) => m.type), ['event.created']);
      await apply(unreadable('never', '"3"'));
      assert.deepEqual((await messages()).map((m) => m.type), ['event.quarantined']);
      await apply({ kind: 'delete', remoteId: 'never' });
      assert.deepEqual((await messages()).map((m) => m.type), ['event.deleted']);
    });

    it('an unexpandable series that becomes unreadable: event.quarantined; readable but still unexpandable again: event.restored', async () => {
      await apply(unexpandable('series', 'Standup', '"1"'));
      assert.deepEqual((await messages()).map((m) => m.type), ['event.created'], 'unexpandable is readable and current: no quarantine message');
      await apply(unreadable('series', '"2"'));
      const got = await messages();
      assert.deepEqual(got.map((m) => m.type), ['event.quarantined'], 'the entry changed in place from unexpandable to unreadable');
      assert.equal(got[0]!.payload.data.reason, 'INVALID_DATA');
      await apply(unexpandable('series', 'Standup', '"3"'));
      const healed = await messages();
      assert.deepEqual(healed.map((m) => m.type), ['event.restored'], 'current again, though still unexpandable');
      assert.equal(healed[0]!.payload.data.reason, 'INVALID_DATA', 'why it had been set aside');
      await apply({ kind: 'delete', remoteId: 'series' });
      assert.deepEqual((await messages()).map((m) => m.type), ['event.deleted']);
    });
  });
}
