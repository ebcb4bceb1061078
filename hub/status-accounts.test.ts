/**
 * `calhub status` about accounts: one whose calendars were never listed (its connect killed after
 * storing it) is named until the calendar-list sweep lists it; a calendar whose push channel failed
 * is not reported as a push fallback while its account needs reauth (that line says all there is).
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import { memoryEnv, type MemoryEnv } from '../sync-engine/test-support/memory-env.ts';
import { listedAccount } from '../shared/test-support.ts';
import { channelsHeading, human } from '../cli/commands/status.ts';
import { accountsOverview, deploymentStatus, openHub, refreshDueCalendarLists } from './index.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

async function start() {
  env = await memoryEnv({ calendars: 2 });
  const hub = await openHub({ store: env.store, connect: env.deps.connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
  return hub;
}

test('an account stored without its calendar listing is reported, and the sweep lists it and its calendars', async () => {
  const hub = await start();
  const t = env.store.tenant(env.tenantId);
  // What a hub killed between storing the account and listing its calendars leaves behind.
  const cut = await t.accounts.upsert({ provider: 'memory', externalId: 'cut-short' });
  const status = await deploymentStatus(hub);
  assert.deepEqual(status.calendarsUnlisted, { n: 1, accountIds: [cut.id] });
  assert.ok(status.attention.some((l) => l.includes(`1 account(s) connected but their calendars not listed yet (${cut.id})`)), status.attention.join('\n'));
  assert.equal((await accountsOverview(hub, env.tenantId)).find((a) => a.id === cut.id)!.calendarsUnlisted, true);

  await env.store.db.query(`UPDATE accounts SET calendars_listed_at = now() - interval '61 seconds' WHERE id = $1`, [cut.id]);
  const swept = await refreshDueCalendarLists(hub);
  assert.deepEqual([swept.listed, swept.failed, swept.added], [1, 0, 2]);
  assert.equal((await t.calendars.list({ accountId: cut.id })).length, 2, 'its calendars are there');
  const after = await deploymentStatus(hub);
  assert.deepEqual(after.calendarsUnlisted, { n: 0, accountIds: [] });
  assert.deepEqual(after.attention.filter((l) => l.includes('not listed yet')), []);
  assert.equal((await accountsOverview(hub, env.tenantId)).find((a) => a.id === cut.id)!.calendarsUnlisted, false);
});

test('a push channel that could not be created is not reported as a fallback while its account needs reauth', async () => {
  const hub = await start();
  const t = env.store.tenant(env.tenantId);
  const [account] = await t.accounts.list();
  await t.channels.trackAccount(account!.id, new Date());
  await t.channels.recordFailure(env.calendars[0]!, { error: 'CONNECTOR_AUTH: invalid_grant', nextCheckAt: new Date(Date.now() + 60_000), status: 'polling' });
  assert.deepEqual((await deploymentStatus(hub)).pushFellBack.map((c) => c.calendarId), [env.calendars[0]], 'active: the fallback is news');
  await t.accounts.setStatus(account!.id, 'needs_reauth', 'invalid_grant');
  const status = await deploymentStatus(hub);
  assert.deepEqual(status.pushFellBack, []);
  assert.ok(status.attention.some((l) => l.includes('need to be reconnected')));
  assert.ok(!status.attention.some((l) => l.includes('fell back to polling')), status.attention.join('\n'));
});

test('status reads no row per inactive account: it answers counts, for 100k accounts as for 3', async () => {
  const hub = await start();
  const t = env.store.tenant(env.tenantId);
  const many = 30;
  for (let i = 0; i < many; i++) {
    const a = await t.accounts.upsert({ provider: 'memory', externalId: `off-${i}` });
    await t.accounts.setStatus(a.id, i % 2 ? 'disabled' : 'needs_reauth', 'test');
  }
  const db = env.store.db;
  const query = db.query.bind(db);
  const largest: Array<{ sql: string; rows: number }> = [];
  db.query = (async (...args: Parameters<typeof db.query>) => {
    const rows = await query(...args);
    largest.push({ sql: String(args[0]).slice(0, 80), rows: rows.length });
    return rows;
  }) as typeof db.query;
  try {
    const status = await deploymentStatus(hub);
    assert.equal(status.accounts.filter((a) => a.status !== 'active').reduce((n, a) => n + a.n, 0), many);
  } finally {
    db.query = query;
  }
  assert.deepEqual(largest.filter((q) => q.rows >= many), [], 'no query answers a row per account');
});

test('status reads channels only where it reports them, and OAuth grants per client, not per account', async () => {
  const hub = await start();
  const t = env.store.tenant(env.tenantId);
  const many = 30;
  const soon: string[] = [];
  const ids: string[] = [];
  for (let i = 0; i < many; i++) {
    const { account, calendars } = await listedAccount(t, { provider: 'google', externalId: `g${i}@example.com`, credentials: 'sealed', grant: { app: 'default', clientId: 'gone-client' } }, [
      { providerCalendarId: `c${i}@example.com`, name: `c${i}`, timeZone: 'UTC', color: null, readOnly: false },
    ]);
    ids.push(account.id);
    await t.channels.trackAccount(account.id, new Date());
    const inHours = i < 2 ? 1 : 120;
    if (i < 2) soon.push(calendars[0]!.id);
    await t.channels.saveActive(calendars[0]!.id, { channelId: `ch${i}`, resourceId: null, secretHash: 'h', address: 'https://hub.example/push', expiresAt: new Date(Date.now() + inHours * 3_600_000), nextCheckAt: new Date(Date.now() + 3_600_000) });
  }
  const db = env.store.db;
  const query = db.query.bind(db);
  const largest: Array<{ sql: string; rows: number }> = [];
  db.query = (async (...args: Parameters<typeof db.query>) => {
    const rows = await query(...args);
    largest.push({ sql: String(args[0]).slice(0, 80), rows: rows.length });
    return rows;
  }) as typeof db.query;
  let status;
  try {
    status = await deploymentStatus(hub);
  } finally {
    db.query = query;
  }
  assert.deepEqual(largest.filter((q) => q.rows >= many), [], 'no query answers a row per account or per channel');
  assert.deepEqual(status.channelsExpiringSoon.map((c) => c.calendarId).sort(), soon.sort());
  assert.deepEqual(status.clientsMissing, [{ provider: 'google', app: 'default', clientId: 'gone-client', n: many, accountIds: ids.sort().slice(0, 10) }]);
});

test('status lists the 10 soonest channels expiring with the count of all (and those lapsing within the hour); --all lists every one', async () => {
  const hub = await start();
  const t = env.store.tenant(env.tenantId);
  const expiring: Array<{ id: string; inMinutes: number }> = [];
  for (let i = 0; i < 14; i++) {
    const { account, calendars } = await listedAccount(t, { provider: 'google', externalId: `x${i}@example.com`, credentials: 'sealed' }, [
      { providerCalendarId: `x${i}@example.com`, name: `x${i}`, timeZone: 'UTC', color: null, readOnly: false },
    ]);
    await t.channels.trackAccount(account.id, new Date());
    // Two lapse within the hour, eleven later today, one next week (beyond the horizon).
    const inMinutes = i < 2 ? 30 + i : i < 13 ? 600 - i * 10 : 7 * 24 * 60;
    if (i < 13) expiring.push({ id: calendars[0]!.id, inMinutes });
    await t.channels.saveActive(calendars[0]!.id, { channelId: `cx${i}`, resourceId: null, secretHash: 'h', address: 'https://hub.example/push', expiresAt: new Date(Date.now() + inMinutes * 60_000), nextCheckAt: new Date(Date.now() + 3_600_000) });
  }
  const soonest = expiring.sort((a, b) => a.inMinutes - b.inMinutes).map((c) => c.id);
  const status = await deploymentStatus(hub);
  assert.deepEqual(status.channelsExpiringSoon.map((c) => c.calendarId), soonest.slice(0, 10), 'the 10 soonest, soonest first');
  assert.deepEqual([status.channelsExpiringTotal, status.channelsLapsingWithinHour, status.channelsExpiringShown], [13, 2, 10]);
  assert.ok(status.attention.includes('2 push channel(s) lapse within the hour: calhub channels renew --expiring-within 1h'), status.attention.join('\n'));
  assert.equal(channelsHeading(status), 'Channels expiring soon: 13 (the 10 soonest below; calhub status --all lists every one, calhub channels list all channels)');
  assert.match(human(status), /^Channels expiring soon: 13 \(the 10 soonest/m);

  const all = await deploymentStatus(hub, { allChannels: true });
  assert.deepEqual(all.channelsExpiringSoon.map((c) => c.calendarId), soonest);
  assert.deepEqual([all.channelsExpiringTotal, all.channelsExpiringShown], [13, null]);
  assert.equal(channelsHeading(all), 'Channels expiring soon: 13');
  // A running hub of an older version answers no total: the heading counts what it listed.
  assert.equal(channelsHeading({ channelsExpiringSoon: all.channelsExpiringSoon }), 'Channels expiring soon: 13');
});

test('calendars fallen back to polling: status lists the first 10 with their tenant, counts all, and names the command that lists them all', async () => {
  env = await memoryEnv({ calendars: 12 });
  const hub = await openHub({ store: env.store, connect: env.deps.connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
  const t = env.store.tenant(env.tenantId);
  const [account] = await t.accounts.list();
  await t.channels.trackAccount(account!.id, new Date());
  for (const c of env.calendars) await t.channels.recordFailure(c, { error: 'CONNECTOR_UNAVAILABLE: 503', nextCheckAt: new Date(Date.now() + 60_000), status: 'polling' });
  const status = await deploymentStatus(hub);
  assert.equal(status.pushFellBackTotal, 12);
  assert.equal(status.pushFellBack.length, 10, 'a sample, as failingCalendars');
  const text = human(status);
  assert.match(text, /Calendars polled because their push channel could not be created: 12\n/);
  assert.ok(text.includes(`${env.tenantId} (`), 'the tenant, labelled as other lines: ' + text);
  assert.ok(text.includes('and 2 more — see `calhub channels list --state fell-back`'), text);
  assert.ok(status.attention.some((l) => l.startsWith('12 calendar(s) fell back to polling')), status.attention.join('\n'));
  assert.equal((await deploymentStatus(hub, { allChannels: true })).pushFellBack.length, 12, '--all lists every one');
  const { listChannels } = await import('./index.ts');
  assert.equal((await listChannels(hub, { state: 'fell-back' })).length, 12, 'channels list --state fell-back lists them all');
  assert.equal((await listChannels(hub, { state: 'fell-back', provider: 'google' })).length, 0);
});
