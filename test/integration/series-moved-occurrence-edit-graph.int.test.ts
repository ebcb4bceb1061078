/**
 * An outside report (Graph): an occurrence changed through the API while Graph was down, and
 * meanwhile the user moved the whole series in Outlook, which discards the series' exceptions
 * (MS-OXOCAL 3.1.4.7.3.5). The occurrence the change was for is gone; the hub follows the provider.
 * Before the fix the conflict said the occurrence was `deleted` (`provider-cannot-restore`) — nobody
 * cancelled it — and no webhook told the app, whose write had been answered 200, that it was lost.
 * Run through the real connector against the Graph emulator, pull first and push first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent } from '../../shared/model/index.ts';
import { composeWebhooks } from '../../shared/store/index.ts';
import { findOccurrence, pushCalendar, settle, writeOccurrence, writeUid } from '../../sync-engine/index.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { storeAndGraph } from '../support/emulator-store.ts';

const UID = 'moved-series@calhub.test';
const KEY = '2027-01-04T17:00:00Z';
const at = (day: number, hour: number) => ({ dateTime: `2027-01-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
const MASTER = parseEvent({ uid: UID, title: 'Weekly', start: at(4, 17), end: at(4, 18), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] } });

describe('an occurrence changed in the hub while the series was moved at Graph', () => {
  const h = storeAndGraph();

  for (const pushFirst of [false, true]) {
    it(`records what happened and tells the app (${pushFirst ? 'push' : 'pull'} first)`, async () => {
      const { store, emu: ms } = h;
      const env = await microsoftModelEnv(ms, store);
      const cal = env.calendars[0]!;
      const t = store.tenant(env.tenantId);
      await t.webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
      await writeUid(env.deps, env.tenantId, cal, UID, [MASTER]);
      await settle(env.deps, env.tenantId, [cal]);
      const masterId = (await t.events.byUid(cal, UID)).find((r) => r.event.originalStart === null)!.id;

      // Graph is down: the API's occurrence change waits in the outbox.
      ms.control.injectFault({ status: 503, count: 30 });
      const occ = await findOccurrence(store, env.tenantId, masterId, KEY);
      assert.equal(occ.override, null);
      if (occ.override !== null) return;
      await writeOccurrence(env.deps, env.tenantId, occ, { ...occ.base, title: 'API occ edit' });
      await assert.rejects(settle(env.deps, env.tenantId, [cal]));
      ms.control.clearFaults();

      // The user moves the series 17:00 → 07:00 (UTC) in Outlook; its exceptions go.
      const [series] = await env.driver.list(0);
      await env.driver.put(0, series!.remoteId, [{ ...series!.events[0]!, start: at(4, 7), end: at(4, 8) }]);
      await store.db.query('DELETE FROM webhook_messages');
      await composeWebhooks(store.db, { now: new Date() });
      await store.db.query('DELETE FROM webhook_messages');

      if (pushFirst) await pushCalendar(env.deps, env.tenantId, cal, 'push-first');
      const r = await settle(env.deps, env.tenantId, [cal]);
      assert.deepEqual([...r.failures.values()], []);
      assert.deepEqual(await store.db.query('SELECT uid FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing is left in the outbox');
      const hub = (await t.events.byUid(cal, UID)).map((x) => x.event);
      assert.deepEqual(hub.map((e) => [e.originalStart, e.title, e.start]), [[null, 'Weekly', at(4, 7)]], 'the hub follows the moved series');

      const recorded = await store.db.query<{ id: string; policy: string; fields: string[]; outcome: string }>('SELECT id, policy, fields, outcome FROM conflicts WHERE calendar_id = $1', [cal]);
      assert.deepEqual(recorded.map((c) => `${c.policy} ${c.fields.join(',')} -> ${c.outcome}`), [`provider-reset-exceptions ${KEY}:series-changed -> remote`], 'the conflict says what happened');

      await composeWebhooks(store.db, { now: new Date() });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload fields are read loosely in assertions
      const sent = await store.db.query<{ type: string; payload: { data: Record<string, any> } }>('SELECT type, payload FROM webhook_messages WHERE tenant_id = $1 ORDER BY seq', [env.tenantId]);
      const told = sent.filter((m) => m.type === 'conflict.recorded');
      assert.equal(told.length, 1, `the app is told its change was lost: ${sent.map((m) => m.type).join(' ')}`);
      const d = told[0]!.payload.data;
      assert.deepEqual(
        [d.conflictId, d.eventId, d.uid, d.occurrence, d.policy, d.fields, d.outcome],
        [recorded[0]!.id, masterId, UID, { dateTime: KEY, timeZone: 'UTC' }, 'provider-reset-exceptions', [`${KEY}:series-changed`], 'remote'],
      );
      assert.equal((await settle(env.deps, env.tenantId, [cal])).written, 0, 'a second sync writes nothing');
    });
  }
});
