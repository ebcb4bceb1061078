/**
 * R1: a sync worker SIGKILLed at random points, 20 times, while it pulls from and writes to a real
 * Radicale server. Afterwards the next worker finishes the work: nothing lost, nothing duplicated.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { makeConnect } from '../../cli/connect.ts';
import { drain } from '../../connectors/conformance/suite.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { parseEvent, type CanonicalEvent } from '../../shared/model/index.ts';
import { Store } from '../../shared/store/index.ts';
import { EventWriterService, SyncEngine } from '../../sync-engine/index.ts';
import { davFetch } from '../support/caldav-harness.ts';
import { hasBinary, makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';

const DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CHILD = fileURLToPath(new URL('../support/kill-worker-child.ts', import.meta.url));
const KILLS = Number(process.env.KILL_ROUNDS ?? 20);

const ics = (uid: string, title: string, day: number) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//kill test//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20261101T000000Z',
    `DTSTART:202612${String(day).padStart(2, '0')}T090000Z`, `DTEND:202612${String(day).padStart(2, '0')}T100000Z`, `SUMMARY:${title}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

describe('worker SIGKILLed during syncs (R1)', { skip: !hasBinary('radicale') && 'radicale is not installed' }, () => {
  const schema = `t_kill_${process.pid}_${randomBytes(3).toString('hex')}`;
  const prefix = `calhub-kill-${randomBytes(4).toString('hex')}`;
  const keys = `k1:${randomBytes(32).toString('base64')}`;
  let dav: DavServer;
  let store: Store;
  let redis: Redis;
  let engine: SyncEngine;
  let tenantId: string;
  let calendars: Array<{ id: string; url: string }>;
  let child: ChildProcess | null = null;

  before(async () => {
    dav = await startRadicale();
    const urls = [await makeCalendar(dav, 'work'), await makeCalendar(dav, 'home')];
    store = await Store.open({ databaseUrl: DB, schema });
    await store.migrate();
    tenantId = (await store.tenants.create('kill')).tenant.id;
    const keyring = KeyRing.parse(keys);
    const t = store.tenant(tenantId);
    const account = await t.accounts.upsert({
      provider: 'caldav',
      externalId: dav.homeUrl,
      credentials: keyring.encrypt(JSON.stringify({ username: dav.username, password: dav.password })),
      config: { serverUrl: dav.homeUrl },
    });
    const log = createLogger({ level: 'silent' });
    const connect = makeConnect({ store, keyring, config: { ...loadConfig({}), caldavAllowPrivateNetworks: true }, log });
    const { connector, ctx } = await connect(account);
    const remote = (await connector.listCalendars(ctx)).filter((c) => urls.some((u) => c.providerCalendarId.endsWith(new URL(u).pathname)));
    const cals = await t.calendars.upsertMany(account.id, remote.map((c) => ({ ...c, timeZone: 'UTC' })));
    calendars = cals.map((c) => ({ id: c.id, url: c.providerCalendarId }));
    assert.equal(calendars.length, 2);
    redis = new Redis(REDIS, { maxRetriesPerRequest: null });
    engine = new SyncEngine({ connection: redis, prefix, deps: { store, log, connect } });
  });

  after(async () => {
    child?.kill('SIGKILL');
    await engine?.queue.obliterate({ force: true }).catch(() => {});
    await engine?.close();
    redis?.disconnect();
    await store?.close();
    const c = new pg.Client({ connectionString: DB });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
    await dav?.stop();
  });

  const startChild = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      const p = spawn(process.execPath, ['--import', 'tsx', CHILD], {
        env: { ...process.env, KILL_DATABASE_URL: DB, KILL_SCHEMA: schema, KILL_REDIS_URL: REDIS, KILL_PREFIX: prefix, KILL_KEYS: keys },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      p.stdout!.once('data', () => resolve(p));
      p.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    });

  async function quiet(deadlineMs: number): Promise<void> {
    const ids = calendars.map((c) => c.id);
    const until = Date.now() + deadlineMs;
    while (Date.now() < until) {
      const counts = await engine.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      const pending = Object.values(counts).reduce((a, b) => a + b, 0);
      const outbox = await store.db.query('SELECT 1 FROM outbox WHERE calendar_id = ANY($1) LIMIT 1', [ids]);
      const busy = (await store.tenant(tenantId).calendars.list({ ids })).some((c) => c.syncStage === 'running');
      if (pending === 0 && outbox.length === 0 && !busy) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the worker did not finish the work in time');
  }

  it(`loses and duplicates nothing across ${KILLS} kills`, { timeout: 600_000 }, async () => {
    const writer = new EventWriterService(engine.deps);
    const expected = new Map<string, { cal: number; title: string | null }>(); // null: deleted
    const serverOwned: Array<{ uid: string; cal: number; href: string }> = [];
    const hubOwned: Array<{ uid: string; cal: number }> = [];
    let n = 0;
    for (let round = 0; round < KILLS; round++) {
      for (let op = 0; op < 4; op++) {
        n += 1;
        const cal = n % 2;
        const roll = Math.random();
        if (roll < 0.3) {
          const uid = `server-${n}@kill.test`;
          const href = `${calendars[cal]!.url}${uid.replace('@', '-')}.ics`;
          const res = await davFetch(dav, href, { method: 'PUT', body: ics(uid, `server ${n}`, 1 + (n % 27)), headers: { 'content-type': 'text/calendar' } });
          assert.ok(res.ok, `PUT ${res.status}`);
          serverOwned.push({ uid, cal, href });
          expected.set(uid, { cal, title: `server ${n}` });
        } else if (roll < 0.4 && serverOwned.length) {
          const victim = serverOwned.splice(Math.floor(Math.random() * serverOwned.length), 1)[0]!;
          await davFetch(dav, victim.href, { method: 'DELETE' });
          expected.set(victim.uid, { cal: victim.cal, title: null });
        } else if (roll < 0.75) {
          const uid = `hub-${n}@kill.test`;
          await writer.create(tenantId, calendars[cal]!.id, parseEvent({ uid, title: `hub ${n}`, start: { dateTime: `2026-12-${String(1 + (n % 27)).padStart(2, '0')}T11:00:00Z`, timeZone: 'UTC' }, end: { dateTime: `2026-12-${String(1 + (n % 27)).padStart(2, '0')}T12:00:00Z`, timeZone: 'UTC' } }));
          hubOwned.push({ uid, cal });
          expected.set(uid, { cal, title: `hub ${n}` });
        } else if (hubOwned.length) {
          const target = hubOwned[Math.floor(Math.random() * hubOwned.length)]!;
          const row = (await store.tenant(tenantId).events.byUid(calendars[target.cal]!.id, target.uid))[0];
          if (!row) continue;
          if (roll < 0.9) {
            await writer.update(tenantId, row.id, { title: `hub ${n} (edited)` });
            expected.set(target.uid, { cal: target.cal, title: `hub ${n} (edited)` });
          } else {
            await writer.delete(tenantId, row.id);
            hubOwned.splice(hubOwned.indexOf(target), 1);
            expected.set(target.uid, { cal: target.cal, title: null });
          }
        }
      }
      for (const c of calendars) await engine.requestPull(tenantId, c.id);
      child = await startChild();
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 1400));
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
      child = null;
    }

    child = await startChild();
    for (const c of calendars) await engine.requestPull(tenantId, c.id);
    await quiet(240_000);
    for (const c of calendars) await engine.requestPull(tenantId, c.id);
    await quiet(120_000);

    const log = createLogger({ level: 'silent' });
    const connect = makeConnect({ store, keyring: KeyRing.parse(keys), config: { ...loadConfig({}), caldavAllowPrivateNetworks: true }, log });
    const account = (await store.tenant(tenantId).accounts.list())[0]!;
    const { connector, ctx } = await connect(account);
    for (const [i, c] of calendars.entries()) {
      const server = new Map<string, { version: string | null; events: CanonicalEvent[] }>();
      await drain(connector, ctx, { providerCalendarId: c.url, timeZone: 'UTC' }, null, server);
      const uids = [...server.values()].flatMap((o) => o.events.map((e) => e.uid));
      assert.equal(new Set(uids).size, uids.length, `calendar ${i}: a UID is stored twice on the server`);
      const onServer = new Map([...server.values()].flatMap((o) => o.events.map((e) => [e.uid, e.title] as const)));
      const inStore = new Map((await store.tenant(tenantId).events.list(c.id)).map((r) => [r.event.uid, r.event.title] as const));
      assert.deepEqual(new Map([...inStore].sort()), new Map([...onServer].sort()), `calendar ${i}: store and server differ`);
      for (const [uid, want] of expected) {
        if (want.cal !== i) continue;
        if (want.title === null) assert.equal(onServer.has(uid), false, `${uid} should have been deleted`);
        else assert.equal(onServer.get(uid), want.title, `${uid} lost or stale on the server`);
      }
    }
  });
});
