/** A rule's shown state is the real one (account disabled, calendar missing), and a delete says which copy removals still wait. */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import { settle } from '../sync-engine/index.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from '../sync-engine/test-support/memory-env.ts';
import { deleteRule, deploymentStatus, listRules, openHub } from '../hub/index.ts';
import { buildApp } from './app.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

async function start() {
  env = await memoryEnv({ calendars: 2 });
  const apiKey = await env.store.tenants.createApiKey(env.tenantId);
  const hub = await openHub({ store: env.store, connect: env.deps.connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
  const app = await buildApp({ hub, probes: [] });
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) => app.inject({ method, url, headers: { authorization: `Bearer ${apiKey}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { hub, call, a: env.calendars[0]!, b: env.calendars[1]! };
}

type Rule = { id: string; state: string; pausedCode: string | null; pausedReason: string | null };
const accountOf = async (calendarId: string) => (await env.store.tenant(env.tenantId).calendars.get(calendarId))!.accountId;

test('a rule on a disabled account or a missing calendar is listed paused with the reason, and active again after', async () => {
  const { call, a, b } = await start();
  const id = (await call('POST', '/v1/rules', { sourceCalendarId: a, targetCalendarId: b, mode: 'busy-block' })).json<Rule>().id;
  const shown = async () => (await call('GET', `/v1/rules/${id}`)).json<Rule>();
  const listed = async () => (await call('GET', '/v1/rules')).json<{ items: Rule[] }>().items[0]!;
  assert.equal((await shown()).state, 'active');

  const account = await accountOf(b);
  await env.store.tenant(env.tenantId).accounts.disable(account, 'test');
  for (const r of [await shown(), await listed()]) {
    assert.deepEqual([r.state, r.pausedCode], ['paused', 'ACCOUNT_DISABLED']);
    assert.match(r.pausedReason!, new RegExp(`account ${account} is disabled`));
  }
  await env.store.tenant(env.tenantId).accounts.enable(account);
  assert.equal((await shown()).state, 'active');

  await env.store.db.query('UPDATE calendars SET missing_since = now() WHERE id = $1', [a]);
  const missing = await listed();
  assert.deepEqual([missing.state, missing.pausedCode], ['paused', 'CALENDAR_MISSING']);
  assert.match(missing.pausedReason!, new RegExp(`calendar ${a} has not been listed`));
});

test('deleting a rule whose target account is disabled says the removals wait, not that they were done', async () => {
  const { hub, call, a, b } = await start();
  env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'one' }), sampleEvent({ title: 'two' })]);
  const id = (await call('POST', '/v1/rules', { sourceCalendarId: a, targetCalendarId: b, mode: 'busy-block' })).json<Rule>().id;
  await settle(env.deps, env.tenantId, [a, b], { isolate: true });
  const busyAtB = () => env.backend.list(env.providerIds[1]!).flatMap((o) => o.events.map((e) => e.title));
  assert.deepEqual(busyAtB(), ['Busy', 'Busy']);

  const account = await accountOf(b);
  await env.store.tenant(env.tenantId).accounts.disable(account, 'test');
  // The API answers what `calhub rules delete` prints (it answered 204 and said nothing).
  const deleted = await call('DELETE', `/v1/rules/${id}`);
  assert.equal(deleted.statusCode, 200, deleted.body);
  const r = deleted.json<{ id: string; copiesRemoved: number; copiesPending: number; pending: Array<{ calendarId: string; copies: number; parked: number; retryAt: string | null; reason: string }> }>();
  assert.equal(busyAtB().length, 2, 'nothing removed at the provider yet');
  assert.deepEqual([r.id, r.copiesRemoved, r.copiesPending], [id, 0, 2]);
  assert.deepEqual([r.pending[0]!.calendarId, r.pending[0]!.copies, r.pending[0]!.parked, r.pending[0]!.retryAt], [b, 2, 0, null]);
  assert.match(r.pending[0]!.reason, new RegExp(`account ${account} disabled`));
  await assert.rejects(deleteRule(hub, env.tenantId, id), /no rule/, 'gone');
});

test('calhub status counts paused rules by pausedCode, as the rules show them; a user pause asks no attention', async () => {
  const { hub, call, a, b } = await start();
  const t = env.store.tenant(env.tenantId);
  const c = (await t.calendars.upsertMany(await accountOf(a), [{ providerCalendarId: 'cal-x', name: 'X', timeZone: 'UTC', color: null, readOnly: false }]))[0]!.id;
  const make = async (from: string, to: string) => (await call('POST', '/v1/rules', { sourceCalendarId: from, targetCalendarId: to, mode: 'busy-block' })).json<Rule>().id;
  const one = await make(a, b);
  await make(b, c);
  await make(c, a);
  assert.deepEqual((await deploymentStatus(hub)).pausedRules, []);
  await t.mirror.update(one, { paused: true });
  await env.store.db.query('UPDATE calendars SET missing_since = now() WHERE id = $1', [c]);
  const byCode = Object.fromEntries((await listRules(hub, env.tenantId)).map((r) => [r.pausedCode, 0]));
  for (const r of await listRules(hub, env.tenantId)) byCode[String(r.pausedCode)]! += 1;
  const status = await deploymentStatus(hub);
  const tenantName = (await env.store.tenants.get(env.tenantId))!.name;
  assert.deepEqual(status.pausedRules, [{ tenantId: env.tenantId, n: 3, byCode: { USER_PAUSED: 1, CALENDAR_MISSING: 2 } }]);
  assert.deepEqual(byCode, { USER_PAUSED: 1, CALENDAR_MISSING: 2 });
  assert.ok(status.attention.includes(`2 mirror rule(s) of tenant ${env.tenantId} (${tenantName}) paused: 2 with a calendar no longer listed by its provider (CALENDAR_MISSING); calhub rules list --tenant ${env.tenantId} says why`), status.attention.join('\n'));

  await t.accounts.disable(await accountOf(a), 'test');
  assert.deepEqual((await deploymentStatus(hub)).pausedRules[0]!.byCode, { USER_PAUSED: 1, ACCOUNT_DISABLED: 2 });
});
