/** The engine runs a rule by the state the API shows: paused for any reason, it writes nothing, and says why once. */
import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import type { Logger } from '../shared/logger.ts';
import { reconcileRule } from './mirror.ts';
import { ruleStateOf } from './rule-state.ts';
import { settle } from './settle.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

function capture(): { log: Logger; lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> } {
  const lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = [];
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) => void lines.push({ level, msg, fields });
  const log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => log } as unknown as Logger;
  return { log, lines };
}

async function ruleWithSource() {
  env = await memoryEnv({ calendars: 2 });
  const [a, b] = env.calendars as [string, string];
  const t = env.store.tenant(env.tenantId);
  env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'one' })]);
  await settle(env.deps, env.tenantId, [a], { isolate: true });
  const rule = (await t.mirror.create(a, b, { mode: 'full-copy' }))!;
  return { t, a, b, rule };
}

it('a rule whose account is disabled writes no copy, and logs that once with the reason', async () => {
  const { t, b, rule } = await ruleWithSource();
  await t.accounts.disable((await t.calendars.get(b))!.accountId, 'test');
  assert.equal((await ruleStateOf(t, rule)).pausedCode, 'ACCOUNT_DISABLED');
  const { log, lines } = capture();
  for (let i = 0; i < 3; i++) assert.deepEqual(await reconcileRule({ ...env.deps, log }, env.tenantId, rule.id), { written: 0, updated: 0, removed: 0 });
  assert.deepEqual((await t.events.list(b)).map((e) => e.event.title), []);
  assert.equal(await t.outbox.any(b), false);
  const said = lines.filter((l) => l.fields.ruleId === rule.id);
  assert.equal(said.length, 1, JSON.stringify(said));
  assert.equal(said[0]!.level, 'warn');
  assert.match(said[0]!.msg, /account of its calendars is disabled/);
  assert.doesNotMatch(said[0]!.msg, /cannot be written/);
  assert.equal(said[0]!.fields.pausedCode, 'ACCOUNT_DISABLED');

  await t.accounts.enable((await t.calendars.get(b))!.accountId);
  assert.equal((await reconcileRule({ ...env.deps, log }, env.tenantId, rule.id)).written, 1);
});

it('a rule whose calendar is missing at the provider writes nothing; a user pause is logged as one, at info', async () => {
  const { t, a, b, rule } = await ruleWithSource();
  await env.store.db.query('UPDATE calendars SET missing_since = now() WHERE id = $1', [a]);
  const { log, lines } = capture();
  assert.equal((await reconcileRule({ ...env.deps, log }, env.tenantId, rule.id)).written, 0);
  assert.deepEqual((await t.events.list(b)).map((e) => e.event.title), []);
  assert.match(lines.at(-1)!.msg, /no longer lists a calendar/);

  await env.store.db.query('UPDATE calendars SET missing_since = NULL WHERE id = $1', [a]);
  await t.mirror.update(rule.id, { paused: true });
  assert.equal((await reconcileRule({ ...env.deps, log }, env.tenantId, rule.id)).written, 0);
  assert.deepEqual([lines.at(-1)!.level, lines.at(-1)!.msg], ['info', 'mirror rule paused by a user: it makes no copies until resumed']);
});
