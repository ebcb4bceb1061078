/** The supervisor's decisions with a fake push provider: no public URL, no push, failures, the maintenance step. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, beforeEach, describe, it } from 'node:test';
import type { CalendarConnector, ConnectorWithPush, PushSubscription } from '../../connectors/index.ts';
import { MemoryBackend, MemoryConnector } from '../../connectors/memory/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { listChannelKey, Store } from '../../shared/store/index.ts';
import { maintenanceTick } from '../../sync-engine/index.ts';
import { PullCoalescer } from '../../webhooks/index.ts';
import { hashSecret, secretMatches } from '../../shared/channel-secret.ts';
import { ChannelSupervisor } from './supervisor.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const ctx = { credentials: { kind: 'none' as const }, signal: new AbortController().signal, log: quiet, now: () => new Date() };

/** A memory connector that claims push, with a subscriber that fails while `failing` is set. */
function pushing(state: { failing: boolean; created: PushSubscription[]; stopped: string[] }): ConnectorWithPush {
  const base = new MemoryConnector(new MemoryBackend());
  return Object.assign(Object.create(base) as CalendarConnector, {
    capabilities: { ...base.capabilities, push: true },
    push: {
      lifetime: { seconds: 86_400, source: 'test' },
      async subscribe(_c, _cal, req) {
        if (state.failing) throw new Error('watch refused');
        const sub = { id: `ch-${state.created.length + 1}`, resourceId: 'res', secret: req.secret, expiresAt: new Date(Date.now() + req.ttlSeconds * 1000).toISOString() };
        state.created.push(sub);
        return sub;
      },
      async renew(_c, _cal, sub, req) {
        return { ...sub, expiresAt: new Date(Date.now() + req.ttlSeconds * 1000).toISOString() };
      },
      async unsubscribe(_c, sub) {
        state.stopped.push(sub.id);
      },
    },
  } satisfies Partial<ConnectorWithPush>) as ConnectorWithPush;
}

const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The store's channel queries (claims with SKIP LOCKED, leases) run on both drivers. */
async function openStore(driver: 'pglite' | 'postgres'): Promise<{ store: Store; dispose(): Promise<void> }> {
  if (driver === 'pglite') {
    const store = await Store.open({ dataDir: null });
    return { store, dispose: () => store.close() };
  }
  const schema = `t_hooks_${process.pid}_${randomBytes(4).toString('hex')}`;
  const store = await Store.open({ databaseUrl: PG, schema });
  return {
    store,
    async dispose() {
      await store.db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await store.close();
    },
  };
}

/** Set by supervisor-pg.int.test.ts: the same suite on a PostgreSQL server (the unit tier stays pure). */
export const SUPERVISOR_PG_ENV = 'CALHUB_SUPERVISOR_TEST_PG';
const drivers = process.env[SUPERVISOR_PG_ENV] ? (['postgres'] as const) : (['pglite'] as const);

for (const driver of drivers) describe(`channel supervisor (${driver})`, () => {
  let store: Store;
  let dispose: () => Promise<void> = async () => {};
  let tenantId = '';
  let calendarId = '';
  let accountId = '';
  const lines: string[] = [];
  const log = createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } as never });
  after(() => dispose());
  beforeEach(async () => {
    await dispose();
    ({ store, dispose } = await openStore(driver));
    await store.migrate();
    const { tenant } = await store.tenants.create('sup');
    tenantId = tenant.id;
    const acc = await store.tenant(tenantId).accounts.upsert({ provider: 'google', externalId: 'sup@example.com' });
    accountId = acc.id;
    const [cal] = await store.tenant(tenantId).calendars.upsertMany(acc.id, [{ providerCalendarId: 'primary', name: 'p', timeZone: 'UTC', color: null, readOnly: false }]);
    calendarId = cal!.id;
    lines.length = 0;
  });

  const make = (connector: CalendarConnector, o: { publicUrl?: string | null; now?: () => Date } = {}) => {
    const pulls: string[] = [];
    const sup = new ChannelSupervisor({
      store,
      connect: async () => ({ connector, ctx }),
      publicUrl: o.publicUrl === undefined ? 'https://hub.example' : o.publicUrl,
      log,
      requestPull: async (_t, c) => void pulls.push(c),
      now: o.now,
    });
    return { sup, pulls };
  };

  it('without CALHUB_PUBLIC_URL creates nothing and says so once', async () => {
    const state = { failing: false, created: [], stopped: [] };
    const { sup } = make(pushing(state), { publicUrl: null });
    assert.deepEqual(await sup.sweep(), { skipped: 'no public url' });
    assert.deepEqual(await sup.connectAccount(tenantId, accountId), { skipped: 'no public url' });
    assert.equal(state.created.length, 0);
    assert.equal(lines.filter((l) => l.includes('CALHUB_PUBLIC_URL')).length, 1);
  });

  it('a provider without push stays on polling', async () => {
    const { sup } = make(new MemoryConnector(new MemoryBackend()));
    assert.deepEqual(await sup.sweep(), { polling: 2 }, "the calendar's row and the Google account's calendar-list row");
    const row = await store.tenant(tenantId).channels.get(calendarId);
    assert.equal(row?.status, 'polling');
    assert.equal(row?.lastError, 'provider has no push channels');
    assert.deepEqual(await sup.sweep(), {}, 'looked at again only a day later');
  });

  it('a channel that cannot be created falls back to polling, and a later pass creates it', async () => {
    const state = { failing: true, created: [] as PushSubscription[], stopped: [] };
    let shift = 0;
    const { sup, pulls } = make(pushing(state), { now: () => new Date(Date.now() + shift) });
    // The fake has no calendar-list channels: that row polls (tested below with one that has).
    assert.deepEqual(await sup.sweep(), { failed: 1, polling: 1 });
    const failed = (await store.tenant(tenantId).channels.get(calendarId))!;
    assert.equal(failed.status, 'polling');
    assert.match(failed.lastError!, /watch refused/);
    assert.ok(lines.some((l) => l.includes('polling until a retry succeeds')), lines.join('\n'));
    assert.deepEqual(await sup.sweep(), {}, 'backing off');
    state.failing = false;
    shift = 2 * 60_000;
    assert.deepEqual(await sup.sweep(), { created: 1 });
    const row = (await store.tenant(tenantId).channels.get(calendarId))!;
    assert.equal(row.status, 'active');
    assert.equal(row.failures, 0);
    assert.equal(row.address, 'https://hub.example/webhooks/google');
    assert.ok(secretMatches(row.secretHash, state.created[0]!.secret));
    assert.deepEqual(pulls, [calendarId], 'a catch-up pull after creation');
  });

  it('a changed public URL moves the channel: a new one at the new address, the old one stopped', async () => {
    const state = { failing: false, created: [] as PushSubscription[], stopped: [] as string[] };
    await make(pushing(state)).sup.sweep();
    const t = store.tenant(tenantId);
    await t.channels.markForAction(calendarId, 'renew', new Date());
    const { sup } = make(pushing(state), { publicUrl: 'https://new.example' });
    assert.deepEqual(await sup.checkCalendar(tenantId, calendarId), 'created');
    assert.equal((await t.channels.get(calendarId))!.address, 'https://new.example/webhooks/google');
    assert.deepEqual(state.stopped, ['ch-1']);
  });

  it("a calendar whose sync is switched off: its channel stopped and forgotten, not made again until it is switched on", async () => {
    const state = { failing: false, created: [] as PushSubscription[], stopped: [] as string[] };
    const { sup } = make(pushing(state));
    await sup.sweep();
    const t = store.tenant(tenantId);
    await t.setSyncEnabled(calendarId, false);
    assert.deepEqual(await sup.checkCalendar(tenantId, calendarId), 'retired');
    assert.deepEqual(state.stopped, ['ch-1']);
    await sup.sweep();
    assert.equal(await t.channels.get(calendarId), null);
    assert.equal(state.created.length, 1);
    await t.setSyncEnabled(calendarId, true);
    await sup.sweep();
    assert.equal((await t.channels.get(calendarId))!.channelId, 'ch-2');
  });

  it('runs as a maintenance step; a failing step does not stop the tick', async () => {
    const state = { failing: false, created: [], stopped: [] };
    const { sup } = make(pushing(state));
    const r = await maintenanceTick({
      store, log, staleRunMs: 600_000, pollIntervalMs: 60_000, requestPull: async () => {},
      steps: [{ name: 'broken', run: () => Promise.reject(new Error('boom')) }, { name: 'channels', run: () => sup.sweep() }],
    });
    assert.deepEqual(r.steps, { broken: { error: 'boom' }, channels: { created: 1, polling: 1 } });
  });

  it("a Google account's calendar list gets a channel of its own; it polls while the account is not active and is stopped when the account goes", async () => {
    const state = { failing: false, created: [] as PushSubscription[], stopped: [] as string[] };
    const lists: PushSubscription[] = [];
    const base = pushing(state);
    const withList = Object.assign(Object.create(base) as ConnectorWithPush, {
      push: { ...base.push, calendarList: {
        async subscribe(_c: unknown, req: { secret: string; ttlSeconds: number }) {
          const sub = { id: `list-${lists.length + 1}`, resourceId: 'list-res', secret: req.secret, expiresAt: new Date(Date.now() + req.ttlSeconds * 1000).toISOString() };
          lists.push(sub);
          return sub;
        },
        async renew(_c: unknown, sub: PushSubscription) {
          return sub;
        },
      } },
    });
    const t = store.tenant(tenantId);
    const { sup, pulls } = make(withList);
    assert.deepEqual(await sup.sweep(), { created: 2 });
    const key = listChannelKey(accountId);
    const row = (await t.channels.get(key))!;
    assert.deepEqual([row.kind, row.status, row.channelId, row.address], ['calendar-list', 'active', 'list-1', 'https://hub.example/webhooks/google']);
    assert.ok(secretMatches(row.secretHash, lists[0]!.secret));
    assert.deepEqual(pulls, [calendarId], 'no pull for a calendar-list channel');

    await t.accounts.setStatus(accountId, 'needs_reauth', 'invalid_grant');
    await t.channels.markForAction(key, 'renew', new Date());
    assert.deepEqual(await sup.checkCalendar(tenantId, key), 'polling');
    assert.equal((await t.channels.get(key))!.lastError, 'account is needs_reauth');
    await t.accounts.setStatus(accountId, 'active', null);

    // A second back on this process's clock: the server's now() can be later than Date.now() within one millisecond.
    await store.db.query('UPDATE push_channels SET next_check_at = $2 WHERE calendar_id = $1', [key, new Date(Date.now() - 1000)]);
    assert.deepEqual(await sup.checkCalendar(tenantId, key), 'created');
    // The account goes (its row kept as a disconnect that could not stop it would leave it): the sweep stops the channel.
    await store.db.query('DELETE FROM accounts WHERE id = $1', [accountId]);
    const swept = await sup.sweep();
    assert.equal(swept.retired, 2, JSON.stringify(swept));
    assert.equal(await t.channels.get(key), null);
  });
});

describe('secrets and coalescing', () => {
  it('only the hash is kept, and it matches only the secret', () => {
    const h = hashSecret('s3cret');
    assert.ok(secretMatches(h, 's3cret'));
    for (const bad of ['s3cre', 's3cret ', '', null, undefined]) assert.equal(secretMatches(h, bad), false);
    assert.equal(secretMatches(null, 's3cret'), false);
  });

  it('a burst for one calendar becomes at most two engine requests, each caller waiting for one that started after it', async () => {
    let calls = 0;
    let release: () => void = () => {};
    const c = new PullCoalescer(() => {
      calls += 1;
      return new Promise<void>((r) => (release = r));
    });
    const first = c.request('t', 'a');
    const burst = Array.from({ length: 999 }, () => c.request('t', 'a'));
    assert.equal(calls, 1);
    release();
    await first;
    await new Promise((r) => setImmediate(r));
    assert.equal(calls, 2, 'one follow-up for everything that arrived during the first');
    release();
    await Promise.all(burst);
    void c.request('t', 'b');
    assert.equal(calls, 3, 'other calendars are not held up');
    release();
  });
});
