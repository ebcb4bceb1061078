/** API writes go through the sync engine's outbox and reach the provider with the next push. */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import { settle } from '../sync-engine/index.ts';
import { memoryEnv, type MemoryEnv } from '../sync-engine/test-support/memory-env.ts';
import { createEvent, etagOf, openHub, updateEvent, deleteEvent } from '../hub/index.ts';
import { buildApp } from './app.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

test('create, update and delete through the API land at the provider', async () => {
  env = await memoryEnv({ calendars: 1 });
  const apiKey = await env.store.tenants.createApiKey(env.tenantId);
  const app = await buildApp({ hub: await openHub({ store: env.store, connect: env.deps.connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) }), probes: [] });
  const auth = { authorization: `Bearer ${apiKey}` };
  const [cal] = env.calendars;
  const created = await app.inject({
    method: 'POST',
    url: `/v1/calendars/${cal}/events`,
    headers: auth,
    payload: { title: 'Booked via API', start: { dateTime: '2026-12-03T10:00:00Z', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-12-03T11:00:00Z', timeZone: 'Europe/Berlin' } },
  });
  assert.equal(created.statusCode, 201, created.body);
  const body = created.json() as { id: string };
  await settle(env.deps, env.tenantId, [cal!]);
  const titles = () => env.backend.list(env.providerIds[0]!).map((o) => o.events[0]!.title);
  assert.deepEqual(titles(), ['Booked via API']);

  const etag = (await app.inject({ method: 'GET', url: `/v1/events/${body.id}`, headers: auth })).headers.etag as string;
  const patched = await app.inject({ method: 'PATCH', url: `/v1/events/${body.id}`, headers: { ...auth, 'if-match': etag }, payload: { title: 'Moved' } });
  assert.equal(patched.statusCode, 200, patched.body);
  const stale = await app.inject({ method: 'PATCH', url: `/v1/events/${body.id}`, headers: { ...auth, 'if-match': etag }, payload: { title: 'Lost update' } });
  assert.equal(stale.statusCode, 412);
  await settle(env.deps, env.tenantId, [cal!]);
  assert.deepEqual(titles(), ['Moved']);

  const deleted = await app.inject({ method: 'DELETE', url: `/v1/events/${body.id}`, headers: auth });
  assert.ok(deleted.statusCode === 204 || deleted.statusCode === 200, deleted.body);
  await settle(env.deps, env.tenantId, [cal!]);
  assert.deepEqual(titles(), []);
  await app.close();
});

test('mirror rules and conflicts over HTTP, tenant-scoped', async () => {
  env = await memoryEnv({ calendars: 2 });
  const apiKey = await env.store.tenants.createApiKey(env.tenantId);
  const other = await env.store.tenants.create('other');
  const app = await buildApp({ hub: await openHub({ store: env.store, connect: env.deps.connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) }), probes: [] });
  const auth = { authorization: `Bearer ${apiKey}` };
  const [a, b] = env.calendars;
  env.backend.put(env.providerIds[0]!, null, [(await import('../sync-engine/test-support/memory-env.ts')).sampleEvent({ title: 'private' })]);
  await settle(env.deps, env.tenantId, [a!, b!]);

  const foreign = await app.inject({ method: 'POST', url: '/v1/rules', headers: { authorization: `Bearer ${other.apiKey}` }, payload: { sourceCalendarId: a, targetCalendarId: b, mode: 'busy-block' } });
  assert.equal(foreign.statusCode, 404, 'another tenant must not see these calendars');
  const bad = await app.inject({ method: 'POST', url: '/v1/rules', headers: auth, payload: { sourceCalendarId: a, targetCalendarId: b, mode: 'everything' } });
  assert.equal(bad.statusCode, 400);

  const made = await app.inject({ method: 'POST', url: '/v1/rules', headers: auth, payload: { sourceCalendarId: a, targetCalendarId: b, mode: 'busy-block' } });
  assert.equal(made.statusCode, 201, made.body);
  await settle(env.deps, env.tenantId, [a!, b!]);
  assert.deepEqual(env.backend.list(env.providerIds[1]!).map((o) => o.events[0]!.title), ['Busy']);
  const rules = (await app.inject({ method: 'GET', url: '/v1/rules', headers: auth })).json() as { items: Array<Record<string, unknown>> };
  assert.equal(rules.items.length, 1);
  // Read back in the form it was created in, defaults filled: the fields a create takes can be sent again.
  const { sourceCalendarId, mode, twoWay, filters } = rules.items[0]!;
  assert.deepEqual({ mode, twoWay, filters }, { mode: 'busy-block', twoWay: false, filters: { skipDeclined: false, skipFree: true, skipAllDay: false, workingHours: null } });
  assert.deepEqual((made.json() as Record<string, unknown>).filters, filters);
  const again = await app.inject({ method: 'POST', url: '/v1/rules', headers: auth, payload: { sourceCalendarId, targetCalendarId: sourceCalendarId, mode, twoWay, filters } });
  assert.match(again.body, /source and target must be different calendars/, 'refused only for being the same calendar, not for its form');
  assert.equal(((await app.inject({ method: 'GET', url: '/v1/rules', headers: { authorization: `Bearer ${other.apiKey}` } })).json() as { items: unknown[] }).items.length, 0);
  assert.equal((await app.inject({ method: 'GET', url: '/v1/conflicts', headers: auth })).statusCode, 200);
  assert.equal((await app.inject({ method: 'POST', url: '/v1/conflicts/cfl_nope/resolve', headers: auth, payload: { take: 'local' } })).statusCode, 404);

  const ruleId = (made.json() as { id: string }).id;
  assert.equal((await app.inject({ method: 'DELETE', url: `/v1/rules/${ruleId}`, headers: { authorization: `Bearer ${other.apiKey}` } })).statusCode, 404);
  assert.equal((await app.inject({ method: 'DELETE', url: `/v1/rules/${ruleId}`, headers: auth })).statusCode, 200);
  await settle(env.deps, env.tenantId, [a!, b!]);
  assert.deepEqual(env.backend.list(env.providerIds[1]!), []);
  await app.close();
});

test('If-Match is checked inside the write: a writer that read the event before another write committed gets 412', async () => {
  env = await memoryEnv({ calendars: 1 });
  const t = env.store.tenant(env.tenantId);
  const logger = createLogger({ level: 'silent' });
  const hub = await openHub({ store: env.store, connect: env.deps.connect, logger });
  const created = await createEvent(hub, env.tenantId, env.calendars[0]!, { uid: 'contested@calhub', title: 'Contested', start: { dateTime: '2026-12-04T10:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-04T11:00:00Z', timeZone: 'UTC' } });
  const etag = etagOf(created);
  await updateEvent(hub, env.tenantId, created.id, { title: 'First' }, etag);
  // The second writer read the event (and its etag) before "First" committed: its reads are stale.
  const staleStore = Object.create(env.store, { tenant: { value: (id: string) => staleTenant(env.store.tenant(id), created) } });
  const late = await openHub({ store: staleStore, connect: env.deps.connect, logger });
  await assert.rejects(updateEvent(late, env.tenantId, created.id, { title: 'Second' }, etag), (e: unknown) => (e as { code?: string }).code === 'PRECONDITION_FAILED');
  await assert.rejects(deleteEvent(late, env.tenantId, created.id, etag), (e: unknown) => (e as { code?: string }).code === 'PRECONDITION_FAILED');
  assert.equal((await t.events.get(created.id))?.event.title, 'First', 'the late writer changed nothing');
});

/** A tenant store whose reads of one event return it as it was before a concurrent write. */
function staleTenant<T extends { events: { get(id: string): Promise<unknown> } }>(real: T, snapshot: { id: string }): T {
  const events = Object.create(real.events, { get: { value: async (id: string) => (id === snapshot.id ? snapshot : real.events.get(id)) } });
  return Object.create(real, { events: { value: events } });
}
