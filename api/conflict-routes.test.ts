/**
 * Conflicts and the conflict policy over HTTP, as an app uses them: one conflict by id, the list by
 * open | resolved, a second resolution refused for the conflict's state (409, not 400), and the
 * calendar's conflict policy read and set as the CLI's --conflict does. Every route tenant-scoped.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import { memoryEnv, type MemoryEnv } from '../sync-engine/test-support/memory-env.ts';
import { openHub, showAccount } from '../hub/index.ts';
import { buildApp } from './app.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

async function setup() {
  env = await memoryEnv({ calendars: 1 });
  const apiKey = await env.store.tenants.createApiKey(env.tenantId);
  const other = await env.store.tenants.create('other');
  const hub = await openHub({ store: env.store, connect: env.deps.connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
  const app = await buildApp({ hub, probes: [] });
  const call = async (method: string, url: string, payload?: unknown, key = apiKey) => {
    const r = await app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${key}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: r.statusCode, json: r.body ? (JSON.parse(r.body) as Record<string, unknown>) : {} };
  };
  return { app, hub, call, otherKey: other.apiKey, cal: env.calendars[0]! };
}

const conflict = (uid: string, outcome: 'parked' | 'remote') => ({ uid, remoteId: null, policy: outcome === 'parked' ? 'manual' : 'provider-wins', fields: [':title'], base: null, local: null, remote: null, outcome });

test('GET /v1/conflicts/:id, status=open|resolved, and a resolved conflict resolved again is 409 CONFLICT_ALREADY_RESOLVED', async () => {
  const { app, call, otherKey, cal } = await setup();
  await env.store.tenant(env.tenantId).conflicts.record(cal, [conflict('open-1', 'parked'), conflict('done-1', 'remote')]);
  const all = (await call('GET', '/v1/conflicts')).json.items as Array<{ id: string; uid: string }>;
  const open = all.find((c) => c.uid === 'open-1')!;
  const done = all.find((c) => c.uid === 'done-1')!;

  const one = await call('GET', `/v1/conflicts/${done.id}`);
  assert.equal(one.status, 200);
  assert.deepEqual([one.json.id, one.json.uid, one.json.outcome, typeof one.json.resolvedAt], [done.id, 'done-1', 'remote', 'string']);
  assert.equal((await call('GET', `/v1/conflicts/${done.id}`, undefined, otherKey)).status, 404, "another tenant's conflict is not found");
  const none = await call('GET', '/v1/conflicts/cfl_nope');
  assert.deepEqual([none.status, (none.json.error as { code: string }).code], [404, 'NOT_FOUND']);

  const uids = async (q: string) => ((await call('GET', `/v1/conflicts?${q}`)).json.items as Array<{ uid: string }>).map((c) => c.uid).sort();
  assert.deepEqual(await uids('status=open'), ['open-1']);
  assert.deepEqual(await uids('status=resolved'), ['done-1']);
  assert.deepEqual(await uids('status=open,resolved'), ['done-1', 'open-1']);
  assert.deepEqual(await uids('status=remote'), ['done-1']);
  assert.deepEqual(await uids('status=open,remote'), [], 'a state and an outcome must both match');
  assert.equal((await call('GET', '/v1/conflicts?status=opened')).status, 400);

  const again = await call('POST', `/v1/conflicts/${done.id}/resolve`, { take: 'local' });
  assert.equal(again.status, 409, JSON.stringify(again.json));
  assert.equal((again.json.error as { code: string }).code, 'CONFLICT_ALREADY_RESOLVED');
  assert.equal((await call('POST', `/v1/conflicts/${open.id}/resolve`, { take: 'remote' }, otherKey)).status, 404);
  await app.close();
});

test("PATCH /v1/calendars/:id sets the conflict policy; GET answers it; another tenant's calendar is 404", async () => {
  const { app, call, otherKey, cal } = await setup();
  assert.equal((await call('GET', `/v1/calendars/${cal}`)).json.conflictPolicy, 'latest-wins');
  const set = await call('PATCH', `/v1/calendars/${cal}`, { conflictPolicy: 'provider-wins' });
  assert.equal(set.status, 200, JSON.stringify(set.json));
  assert.equal(set.json.conflictPolicy, 'provider-wins');
  assert.equal((await call('GET', `/v1/calendars/${cal}`)).json.conflictPolicy, 'provider-wins');
  assert.equal((await env.store.tenant(env.tenantId).sync.settings(cal))?.conflictPolicy, 'provider-wins', 'the engine reads it');
  const both = await call('PATCH', `/v1/calendars/${cal}`, { conflictPolicy: 'manual', countsForBusy: false });
  assert.deepEqual([both.status, both.json.conflictPolicy, both.json.countsForBusy], [200, 'manual', false]);
  assert.equal((await call('PATCH', `/v1/calendars/${cal}`, { conflictPolicy: 'whatever' })).status, 400);
  assert.equal((await call('PATCH', `/v1/calendars/${cal}`, { conflictPolicy: 'hub-wins' }, otherKey)).status, 404);
  assert.equal((await env.store.tenant(env.tenantId).sync.settings(cal))?.conflictPolicy, 'manual', 'nothing changed by another tenant');
  await app.close();
});

test('the calendar list (GET /v1/calendars, ?accountId=) and `calhub accounts show` name each calendar\'s conflict policy', async () => {
  const { app, hub, call, cal } = await setup();
  const listed = async (q = '') => ((await call('GET', `/v1/calendars${q}`)).json.items as Array<{ id: string; accountId: string; conflictPolicy?: string }>).map((c) => [c.id, c.conflictPolicy]);
  assert.deepEqual(await listed(), [[cal, 'latest-wins']]);
  assert.equal((await call('PATCH', `/v1/calendars/${cal}`, { conflictPolicy: 'manual' })).status, 200);
  assert.deepEqual(await listed(), [[cal, 'manual']]);
  const accountId = ((await call('GET', '/v1/calendars')).json.items as Array<{ accountId: string }>)[0]!.accountId;
  assert.deepEqual(await listed(`?accountId=${accountId}`), [[cal, 'manual']]);
  const shown = await showAccount(hub, accountId, env.tenantId);
  assert.deepEqual(shown.calendars.map((c) => [c.id, (c as { conflictPolicy?: string }).conflictPolicy]), [[cal, 'manual']]);
  await app.close();
});
