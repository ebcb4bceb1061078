/**
 * An outside report (Google): under `provider-wins` the title changed both through the API and at
 * Google; Google's title stood, but the conflict was recorded `merged` and no `conflict.recorded`
 * went out, so the app never heard its change was lost. The app's write changed the description
 * too, in conflict with nothing: the merged result took that from the hub, so the merge counted as
 * `merged` (the result took from both sides), and conflict.recorded was sent for `remote` and
 * `deleted` only. A conflict's outcome is what became of the hub's side of the fields in conflict.
 * On a single event and on one occurrence of a series, pull first and push first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent } from '../../shared/model/index.ts';
import { composeWebhooks } from '../../shared/store/index.ts';
import { pushCalendar, settle, writeUid } from '../../sync-engine/index.ts';
import { apiOver } from '../support/api-over.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { storeAndGoogle } from '../support/emulator-store.ts';

const at = (day: number, hour: number) => ({ dateTime: `2027-01-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
const KEY = '2027-01-11T17:00:00Z';

describe('provider-wins: a title changed in the hub and at Google', () => {
  const h = storeAndGoogle();

  for (const [series, pushFirst] of [[false, false], [false, true], [true, false], [true, true]] as const) {
    it(`records the lost hub change as remote and sends conflict.recorded (${series ? 'an occurrence' : 'a single event'}, ${pushFirst ? 'push' : 'pull'} first)`, async () => {
      const { store, emu } = h;
      const env = await googleModelEnv(emu, store);
      const cal = env.calendars[0]!;
      const t = store.tenant(env.tenantId);
      await t.sync.setPolicies(cal, { conflictPolicy: 'provider-wins' });
      await t.webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
      const uid = `pw-${series ? 'series' : 'single'}@calhub.test`;
      const first = parseEvent({ uid, title: 'Planning', start: at(4, 17), end: at(4, 18), ...(series ? { recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] } } : {}) });
      await writeUid(env.deps, env.tenantId, cal, uid, [first]);
      await settle(env.deps, env.tenantId, [cal]);
      const masterId = (await t.events.byUid(cal, uid)).find((r) => r.event.originalStart === null)!.id;

      // The app changes the title and notes (of the occurrence) through the API; nothing is pushed yet.
      const { call } = await apiOver<{ id: string }>(env);
      const url = series ? `/v1/events/${masterId}/occurrences/${KEY}` : `/v1/events/${masterId}`;
      const r = await call('PATCH', url, { title: 'API title', description: 'API notes' });
      assert.equal(r.status, 200, JSON.stringify(r.json));

      // Meanwhile the user changes the same title at Google.
      const [obj] = await env.driver.list(0);
      if (series) {
        // Google holds the occurrence as an instance of its own: changed there as a client does.
        const email = (await t.accounts.list())[0]!.externalId;
        const calId = (await t.calendars.get(cal))!.providerCalendarId;
        const { accessToken } = emu.control.issueGrant({ email });
        const res = await fetch(`${emu.url}/calendar/v3/calendars/${encodeURIComponent(calId)}/events/${obj!.remoteId}_20270111T170000Z`, {
          method: 'PATCH', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ summary: 'Google title' }),
        });
        assert.equal(res.status, 200, await res.text());
      } else await env.driver.put(0, obj!.remoteId, [{ ...obj!.events[0]!, title: 'Google title' }]);
      await composeWebhooks(store.db, { now: new Date() });
      await store.db.query('DELETE FROM webhook_messages');

      if (pushFirst) await pushCalendar(env.deps, env.tenantId, cal, 'push-first');
      const done = await settle(env.deps, env.tenantId, [cal]);
      assert.deepEqual([...done.failures.values()], []);
      const titles = (await t.events.byUid(cal, uid)).filter((x) => !series || x.event.originalStart !== null).map((x) => x.event.title);
      assert.deepEqual(titles, ['Google title'], "the provider's title stands");
      const notes = (await t.events.byUid(cal, uid)).filter((x) => !series || x.event.originalStart !== null).map((x) => x.event.description);
      assert.deepEqual(notes, ['API notes'], "the hub's notes, in conflict with nothing, stand");

      const recorded = await store.db.query<{ id: string; policy: string; fields: string[]; outcome: string }>('SELECT id, policy, fields, outcome FROM conflicts WHERE calendar_id = $1', [cal]);
      assert.deepEqual(recorded.map((c) => `${c.policy} ${c.fields.join(',')} -> ${c.outcome}`), [`provider-wins ${series ? KEY : ''}:title -> remote`]);

      await composeWebhooks(store.db, { now: new Date() });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload fields are read loosely in assertions
      const sent = await store.db.query<{ type: string; payload: { data: Record<string, any> } }>('SELECT type, payload FROM webhook_messages WHERE tenant_id = $1 ORDER BY seq', [env.tenantId]);
      const told = sent.filter((m) => m.type === 'conflict.recorded');
      assert.equal(told.length, 1, `the app is told its change was lost: ${sent.map((m) => m.type).join(' ')}`);
      const d = told[0]!.payload.data;
      assert.deepEqual([d.conflictId, d.eventId, d.uid, d.outcome], [recorded[0]!.id, masterId, uid, 'remote']);
      if (series) assert.deepEqual(d.occurrence, { dateTime: KEY, timeZone: 'UTC' });
    });
  }
});
