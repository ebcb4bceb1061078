/**
 * Issue 12's availability proof, on one worker of concurrency 4: tenant A's CalDAV server drips
 * one byte at a time from four calendars (the attack that stopped every tenant's syncs for 13
 * minutes), tenant B syncs a real Radicale calendar. B's sync must take at most 2x its solo time
 * (plus a fixed allowance: this machine is shared and noisy), the attacker's runs must end by
 * their budget instead of holding slots for ever, and B's free/busy reads keep answering.
 * The figures are printed; the assertions leave margins that hold under load.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { makeConnect } from '../../hub/connect.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { queryBusy } from '../../shared/store/busy.ts';
import { SyncEngine } from '../../sync-engine/index.ts';
import { putEvent } from '../support/dav-content.ts';
import { hasBinary, makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { startHostileDav, type HostileDav } from '../support/hostile-dav.ts';

const EVENTS = 150;

describe('a hostile CalDAV server beside another tenant', { skip: !hasBinary('radicale') && 'radicale is not installed' }, () => {
  let store: Store;
  let redis: Redis;
  let engine: SyncEngine;
  let radicale: DavServer;
  let hostile: HostileDav;
  let tenantA = '';
  let tenantB = '';
  const attackCals: string[] = [];
  const victimCals: string[] = [];

  before(async () => {
    radicale = await startRadicale();
    hostile = await startHostileDav(Object.fromEntries([1, 2, 3, 4].map((i) => [`drip${i}`, { kind: 'drip' as const, count: 3, intervalMs: 400 }])));
    store = await Store.open({ dataDir: null });
    await store.migrate();
    redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
    const log = createLogger({ level: 'silent' });
    engine = new SyncEngine({
      connection: redis,
      prefix: `calhub-fair-${randomBytes(4).toString('hex')}`,
      deps: { store, log, connect: makeConnect({ store, keyring, config: { ...loadConfig({}), caldavAllowPrivateNetworks: true }, log }) },
      runBudgetMs: 6000,
      fairShare: { perHost: 2, perAccount: 2, leaseMs: 15_000 },
    });

    tenantA = (await store.tenants.create('attacker')).tenant.id;
    const a = await store.tenant(tenantA).accounts.upsert({
      provider: 'caldav', externalId: 'mallory', config: { serverUrl: hostile.homeUrl },
      credentials: keyring.encrypt(JSON.stringify({ username: 'mallory', password: 'x' })),
    });
    const aCals = await store.tenant(tenantA).calendars.upsertMany(a.id, [1, 2, 3, 4].map((i) => ({ providerCalendarId: hostile.calendarUrl(`drip${i}`), name: `drip${i}`, timeZone: 'UTC', color: null, readOnly: false })));
    attackCals.push(...aCals.map((c) => c.id));

    tenantB = (await store.tenants.create('victim')).tenant.id;
    const b = await store.tenant(tenantB).accounts.upsert({
      provider: 'caldav', externalId: radicale.username, config: { serverUrl: radicale.homeUrl },
      credentials: keyring.encrypt(JSON.stringify({ username: radicale.username, password: radicale.password })),
    });
    const urls: string[] = [];
    for (const name of ['solo', 'attacked']) {
      const url = await makeCalendar(radicale, name);
      urls.push(url);
      for (let i = 0; i < EVENTS; i++) {
        const day = String(1 + (i % 28)).padStart(2, '0');
        await putEvent(radicale, url, { uid: `${name}-${i}`, summary: `e${i}`, start: `DTSTART:202612${day}T${String(8 + (i % 9)).padStart(2, '0')}0000Z`, end: `DTEND:202612${day}T${String(9 + (i % 9)).padStart(2, '0')}0000Z` });
      }
    }
    const bCals = await store.tenant(tenantB).calendars.upsertMany(b.id, urls.map((u, i) => ({ providerCalendarId: u, name: `b${i}`, timeZone: 'UTC', color: null, readOnly: false })));
    victimCals.push(...bCals.map((c) => c.id));
    engine.startWorker(4);
  });

  after(async () => {
    await engine?.queue.obliterate({ force: true }).catch(() => {});
    await engine?.close();
    redis?.disconnect();
    await store?.close();
    await hostile?.stop();
    await radicale?.stop();
  });

  const count = async (calendarId: string) => (await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE calendar_id = $1', [calendarId]))[0]!.n;
  async function syncTime(calendarId: string): Promise<number> {
    const started = Date.now();
    await engine.requestPull(tenantB, calendarId);
    while ((await count(calendarId)) < EVENTS || (await store.tenant(tenantB).calendars.get(calendarId))?.syncStage === 'running') {
      if (Date.now() - started > 120_000) throw new Error(`calendar ${calendarId} did not sync within 120 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return Date.now() - started;
  }

  it("the other tenant's sync takes at most 2x its solo time while four dripping calendars attack", async () => {
    const solo = await syncTime(victimCals[0]!);
    for (const c of attackCals) await engine.requestPull(tenantA, c);
    // The attack is under way: the attacker's runs hold the host's share of the worker slots.
    const t0 = Date.now();
    while (hostile.open() < 2 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
    assert.ok(hostile.open() >= 2, 'the dripping server is being read');

    const latencies: number[] = [];
    let reading = true;
    const reader = (async () => {
      const from = new Date('2026-12-01T00:00:00Z');
      const to = new Date('2026-12-31T00:00:00Z');
      while (reading) {
        const s = performance.now();
        await queryBusy(store.db, tenantB, [victimCals[0]!], from, to);
        latencies.push(performance.now() - s);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const attacked = await syncTime(victimCals[1]!);
    const openDuringAttack = hostile.open();
    reading = false;
    await reader;
    latencies.sort((x, y) => x - y);
    const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
    console.log(`fairness: victim sync solo ${solo} ms, under attack ${attacked} ms (${(attacked / solo).toFixed(2)}x); ` +
      `free/busy store read p50 ${latencies[Math.floor(latencies.length / 2)]?.toFixed(1)} ms p99 ${p99.toFixed(1)} ms over ${latencies.length} reads; ` +
      `attacker requests open ${openDuringAttack}`);
    assert.ok(openDuringAttack <= 2, `the slow host held at most its share (${openDuringAttack} requests open)`);
    assert.ok(attacked <= 2 * solo + 3000, `victim sync ${attacked} ms vs solo ${solo} ms`);

    // The attacker's runs end by their budget (6 s) instead of holding their slots for ever.
    const t1 = Date.now();
    while (Date.now() - t1 < 30_000) {
      const failed = await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM calendars WHERE id = ANY($1) AND failure_count > 0`, [attackCals]);
      if (failed[0]!.n >= 2) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const failed = await store.db.query<{ id: string; last_error: string | null }>(`SELECT id, last_error FROM calendars WHERE id = ANY($1) AND failure_count > 0`, [attackCals]);
    assert.ok(failed.length >= 2, `attacker runs cut off by the budget: ${JSON.stringify(failed)}`);
  });
});
