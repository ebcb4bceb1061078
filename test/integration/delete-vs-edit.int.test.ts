/**
 * An outside report (Microsoft 365): a delete on one side against an edit on the other was settled
 * by the delete policy but not recorded as a conflict, and not reported.
 *  a) delete-wins: edited in Outlook, deleted through the API before the hub pulled the edit; the
 *     push met a 412 and deleted anyway, with no conflict recorded.
 *  b) modify-wins: deleted in Outlook, edited through the API before the hub pulled the delete; the
 *     push made the event again in Outlook silently.
 *  c) the same as b, pulled first: the event came back under a new hub event id (event.deleted and
 *     event.created) instead of being the same event, restored.
 * A second report (the API's DELETE answered 204 while the user edited the event in Outlook):
 *  d) the hub's delete pulled first against the provider's edit: delete-wins recorded outcome
 *     `local`, modify-wins `remote`, neither sent conflict.recorded, and under modify-wins the edit
 *     came back under a new event id (writtenByCalhub false) the product could not tie to its delete.
 *  e) as a, under modify-wins: the delete's 412 brings the edit back; the same hub event id.
 * Under `manual` each is parked instead: the provider's side stands until someone resolves it.
 * On Graph, Google and Radicale, each case as the conflict's record and webhook say it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEvent } from '../../shared/model/index.ts';
import { composeWebhooks } from '../../shared/store/index.ts';
import { pushCalendar, settle, writeUid } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { apiOver } from '../support/api-over.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { startProviders, type Providers } from '../support/providers.ts';

const at = (hour: number) => ({ dateTime: `2027-02-03T${String(hour).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });

type Case = 'a' | 'b' | 'c' | 'd' | 'e';
const PROVIDERS: Array<[string, (p: Providers) => Promise<ModelEnv>, Case[]]> = [
  ['graph', (p) => microsoftModelEnv(p.ms, p.store), ['a', 'b', 'c', 'd', 'e']],
  ['google', (p) => googleModelEnv(p.google, p.store), ['a', 'b', 'c', 'd', 'e']],
  ['radicale', (p) => davModelEnv(p.radicale, p.store), ['a', 'b', 'c', 'd', 'e']],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload fields are read loosely in assertions
type Sent = { type: string; payload: { data: Record<string, any> } };

describe('a delete on one side against an edit on the other', () => {
  let p: Providers;
  before(async () => {
    p = await startProviders();
  });
  after(async () => {
    await p?.stop();
  });

  for (const [name, envOf, cases] of PROVIDERS) {
    for (const c of cases) {
      for (const manual of [false, true]) {
        // d runs under both delete policies; parked under manual, the delete policy does not matter.
        for (const deletePolicy of c === 'd' ? (['delete-wins', 'modify-wins'] as const) : c === 'a' ? (['delete-wins'] as const) : (['modify-wins'] as const)) {
          if (manual && c === 'd' && deletePolicy === 'modify-wins') continue;
          const hubDeletes = c === 'a' || c === 'd' || c === 'e';
          it(`${name}: case ${c}, ${manual ? 'manual' : deletePolicy}`, async () => {
            const env = await envOf(p);
            const { store } = p;
            const cal = env.calendars[0]!;
            const t = store.tenant(env.tenantId);
            await t.sync.setPolicies(cal, { deletePolicy, ...(manual ? { conflictPolicy: 'manual' as const } : {}) });
            await t.webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
            const uid = `dve-${c}-${deletePolicy}-${manual ? 'm' : 'p'}-${Math.random().toString(36).slice(2, 8)}@calhub.test`;
            await writeUid(env.deps, env.tenantId, cal, uid, [parseEvent({ uid, title: 'Planning', start: at(9), end: at(10) })]);
            await settle(env.deps, env.tenantId, [cal]);
            const [row] = await t.events.byUid(cal, uid);
            const eventId = row!.id;
            const [obj] = (await env.driver.list(0)).filter((o) => o.events[0]?.uid === uid);
            assert.ok(obj, 'the event is at the provider');
            await composeWebhooks(store.db, { now: new Date() });
            await store.db.query('DELETE FROM webhook_messages');
            const { call } = await apiOver<{ id: string }>(env);

            if (hubDeletes) {
              await env.driver.put(0, obj.remoteId, [{ ...obj.events[0]!, title: 'Outlook title' }]);
              const r = await call('DELETE', `/v1/events/${eventId}`);
              assert.ok(r.status < 300, JSON.stringify(r.json));
            } else {
              await env.driver.delete(0, obj.remoteId);
              const r = await call('PATCH', `/v1/events/${eventId}`, { title: 'API title' });
              assert.equal(r.status, 200, JSON.stringify(r.json));
            }
            if (c !== 'c' && c !== 'd') await pushCalendar(env.deps, env.tenantId, cal, 'push-first');
            const done = await settle(env.deps, env.tenantId, [cal]);
            assert.deepEqual([...done.failures.values()], []);

            const there = (await env.driver.list(0)).filter((o) => o.events[0]?.uid === uid && o.events[0]?.status !== 'cancelled');
            const rows = await t.events.byUid(cal, uid);
            const recorded = await store.db.query<{ id: string; policy: string; fields: string[]; outcome: string; local: unknown; remote: unknown }>(
              'SELECT id, policy, fields, outcome, local, remote FROM conflicts WHERE calendar_id = $1 AND uid = $2', [cal, uid]);
            assert.equal(recorded.length, 1, `one conflict recorded: ${JSON.stringify(recorded.map((x) => [x.policy, x.fields, x.outcome]))}`);
            const k = recorded[0]!;
            assert.ok(k.fields.some((f) => f === 'deleted' || f.endsWith(':deleted')), `a delete conflict: ${k.fields.join(',')}`);
            await composeWebhooks(store.db, { now: new Date() });
            const sent = (await store.db.query<Sent>('SELECT type, payload FROM webhook_messages WHERE tenant_id = $1 ORDER BY seq', [env.tenantId]));
            const types = sent.map((m) => m.type);
            const told = sent.filter((m) => m.type === (manual ? 'conflict.parked' : 'conflict.recorded'));
            assert.equal(told.length, 1, `the conflict is reported: ${types.join(' ')}`);
            assert.equal(told[0]!.payload.data.conflictId, k.id);

            if (manual) {
              // Parked: the provider's side stands, the hub's is kept in the conflict.
              assert.equal(k.outcome, 'parked');
              if (hubDeletes) {
                assert.deepEqual(there.map((o) => o.events[0]!.title), ['Outlook title'], "the provider's edit stands");
                assert.deepEqual(rows.map((x) => x.id), [eventId], 'the same hub event holds it');
                assert.deepEqual(rows.map((x) => x.event.title), ['Outlook title'], 'the hub holds the edit');
                assert.equal(k.local, null, "the hub's side was the delete");
              } else {
                assert.deepEqual(there, [], "the provider's delete stands");
                assert.deepEqual(rows, [], 'the hub holds no event');
                assert.ok(Array.isArray(k.local), "the hub's edit is kept in the conflict");
              }
              // Resolved with the hub's side: its delete, or its edit made again at the provider.
              const r = await call('POST', `/v1/conflicts/${k.id}/resolve`, { take: 'local' });
              assert.equal(r.status, 200, JSON.stringify(r.json));
              assert.deepEqual([...(await settle(env.deps, env.tenantId, [cal])).failures.values()], []);
              const now = (await env.driver.list(0)).filter((o) => o.events[0]?.uid === uid && o.events[0]?.status !== 'cancelled');
              assert.deepEqual(now.map((o) => o.events[0]!.title), hubDeletes ? [] : ['API title'], "the hub's side is written");
              assert.deepEqual((await t.events.byUid(cal, uid)).map((x) => x.event.title), hubDeletes ? [] : ['API title']);
              return;
            }
            assert.equal(k.policy, deletePolicy);
            if (hubDeletes && deletePolicy === 'delete-wins') {
              assert.equal(k.outcome, 'deleted');
              assert.deepEqual(there, [], 'the delete wins');
              assert.deepEqual(rows, []);
              assert.equal(told[0]!.payload.data.outcome, 'deleted');
            } else if (hubDeletes) {
              // The edit stands over the hub's delete: the event the product deleted comes back as
              // itself (event.deleted of its own delete, then event.created of the same id).
              assert.equal(k.outcome, 'recreated');
              assert.deepEqual(there.map((o) => o.events[0]!.title), ['Outlook title'], "the provider's edit stands");
              assert.deepEqual(rows.map((x) => [x.id, x.event.title]), [[eventId, 'Outlook title']], 'the same hub event, restored');
              assert.equal(told[0]!.payload.data.outcome, 'recreated');
              assert.equal(told[0]!.payload.data.eventId, eventId);
              const ids = new Set(sent.filter((m) => m.type.startsWith('event.')).map((m) => m.payload.data.eventId));
              assert.deepEqual([...ids], [eventId], `no other event id: ${types.join(' ')}`);
            } else {
              assert.equal(k.outcome, 'recreated');
              assert.deepEqual(there.map((o) => o.events[0]!.title), ['API title'], 'the edit wins: made again at the provider');
              assert.deepEqual(rows.map((x) => [x.id, x.event.title]), [[eventId, 'API title']], 'the same hub event, kept');
              assert.equal(rows[0]!.remoteId, there[0]!.remoteId, 'mapped to the new object');
              assert.equal(told[0]!.payload.data.outcome, 'recreated');
              assert.equal(told[0]!.payload.data.eventId, eventId);
              assert.ok(!types.includes('event.deleted') && !types.includes('event.created'), `the event keeps its identity: ${types.join(' ')}`);
            }
          });
        }
      }
    }
  }
});
