/** A mirror rule whose copies cannot be written is shown paused, with why, makes none, and resumes when it can. */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import { settle } from '../sync-engine/index.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from '../sync-engine/test-support/memory-env.ts';
import { deploymentStatus, openHub } from '../hub/index.ts';
import { buildApp } from './app.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

async function start() {
  env = await memoryEnv({ calendars: 2 });
  const apiKey = await env.store.tenants.createApiKey(env.tenantId);
  const hub = await openHub({ store: env.store, connect: env.deps.connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
  const app = await buildApp({ hub, probes: [] });
  const call = (method: 'GET' | 'POST', url: string, payload?: unknown) => app.inject({ method, url, headers: { authorization: `Bearer ${apiKey}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { hub, call, a: env.calendars[0]!, b: env.calendars[1]! };
}

type Rule = { id: string; state: string; pausedReason: string | null };

test('a rule whose target the account can no longer write is paused, with the reason, and resumes when it can', async () => {
  const { hub, call, a, b } = await start();
  env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'before' })]);
  const made = await call('POST', '/v1/rules', { sourceCalendarId: a, targetCalendarId: b, mode: 'full-copy' });
  assert.equal(made.statusCode, 201, made.body);
  assert.deepEqual([made.json<Rule>().state, made.json<Rule>().pausedReason], ['active', null]);
  await settle(env.deps, env.tenantId, [a, b], { isolate: true });
  const copies = () => env.backend.list(env.providerIds[1]!).flatMap((o) => o.events.map((e) => e.title)).sort();
  assert.deepEqual(copies(), ['before']);

  // Connected again with read access (the account holds both calendars here).
  await env.store.db.query(`UPDATE accounts SET access = 'read'`);
  const listed = async () => ((await call('GET', '/v1/rules')).json() as { items: Rule[] }).items;
  const [paused] = await listed();
  assert.equal(paused!.state, 'paused');
  assert.match(paused!.pausedReason!, new RegExp(`calendar ${b}.*read access.*cannot write`));
  // calhub status asks for attention, naming the tenant.
  const status = await deploymentStatus(hub);
  const tenantName = (await env.store.tenants.get(env.tenantId))!.name;
  assert.deepEqual(status.pausedRules, [{ tenantId: env.tenantId, n: 1, byCode: { CALENDAR_NOT_WRITABLE: 1 } }]);
  assert.ok(status.attention.some((l) => l.includes(`1 mirror rule(s) of tenant ${env.tenantId} (${tenantName}) paused: 1 writing a calendar that cannot be written`)), status.attention.join('\n'));
  env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'while paused' })]);
  await settle(env.deps, env.tenantId, [a, b], { isolate: true });
  assert.deepEqual(copies(), ['before'], 'a paused rule writes nothing');
  assert.deepEqual((await env.store.tenant(env.tenantId).events.list(b)).map((e) => e.event.title), ['before'], 'nor into the store');

  await env.store.db.query(`UPDATE accounts SET access = 'readwrite'`);
  const [resumed] = await listed();
  assert.deepEqual([resumed!.state, resumed!.pausedReason], ['active', null]);
  assert.deepEqual((await deploymentStatus(hub)).pausedRules, []);
  await settle(env.deps, env.tenantId, [a, b], { isolate: true });
  assert.deepEqual(copies(), ['before', 'while paused']);
});

test('a two-way rule one of whose calendars is read-only at its provider is paused both ways', async () => {
  const { call, a, b } = await start();
  env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'at a' })]);
  env.backend.put(env.providerIds[1]!, null, [sampleEvent({ title: 'at b' })]);
  const made = await call('POST', '/v1/rules', { sourceCalendarId: a, targetCalendarId: b, mode: 'full-copy', twoWay: true });
  assert.equal(made.statusCode, 201, made.body);
  // Made read-only at the provider after the rule was made (the calendar list reading stores it).
  await env.store.db.query(`UPDATE calendars SET access_role = 'reader' WHERE id = $1`, [a]);
  const [rule] = ((await call('GET', '/v1/rules')).json() as { items: Rule[] }).items;
  assert.equal(rule!.state, 'paused');
  assert.match(rule!.pausedReason!, new RegExp(`calendar ${a} is read-only at its provider`));
  await settle(env.deps, env.tenantId, [a, b], { isolate: true });
  const titles = (i: number) => env.backend.list(env.providerIds[i]!).flatMap((o) => o.events.map((e) => e.title)).sort();
  assert.deepEqual([titles(0), titles(1)], [['at a'], ['at b']], 'no copy either way');
});
