/**
 * P9: tenant webhooks, delivery latency from commit to receipt at 200 changes/s. Changes are
 * committed open-loop (one event per transaction, each due at t0 + i × 5 ms) on the store, the
 * dispatcher (compose loop, BullMQ drain jobs, signing) runs in this process as in `calhub start`,
 * and a plain HTTP receiver on loopback notes when each payload arrives. Also: what a change costs
 * to commit with the outbox trigger writing its webhook row, per change.
 * Needs Redis (TEST_REDIS_URL or 127.0.0.1:6379); PostgreSQL when reachable, PGlite always.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createWebhookEndpoint, WebhookDispatcher } from '../hub/index.ts';
import { KeyRing } from '../oauth/index.ts';
import { createLogger } from '../shared/logger.ts';
import { parseEvent } from '../shared/model/index.ts';
import { Store } from '../shared/store/index.ts';
import type { BenchRow } from './bench-row.ts';
import { fmtMs, percentile } from './stats.ts';

const RATE = 200;
const SECONDS = 10;
const DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: DB, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function run(driver: 'pglite' | 'postgres'): Promise<BenchRow> {
  const schema = `bench_wh_${randomBytes(4).toString('hex')}`;
  const store = driver === 'postgres' ? await Store.open({ databaseUrl: DB, schema }) : await Store.open({ dataDir: null });
  await store.migrate();
  const received = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const uid = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { event?: { uid?: string } } }).data.event?.uid;
      if (uid && !received.has(uid)) received.set(uid, performance.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
  const dispatcher = new WebhookDispatcher({ connection: redis, store, keyring, log: createLogger({ level: 'silent' }), allowPrivateNetworks: true, prefix: `bench-wh-${randomBytes(3).toString('hex')}` });
  try {
    const tenantId = (await store.tenants.create('bench')).tenant.id;
    const t = store.tenant(tenantId);
    const account = await t.accounts.upsert({ provider: 'memory', externalId: 'bench@example.com' });
    const calendarId = (await t.calendars.upsertMany(account.id, [{ providerCalendarId: 'c', name: 'c', timeZone: 'UTC', color: null, readOnly: false }]))[0]!.id;
    await createWebhookEndpoint({ store, keyring, allowPrivateNetworks: true }, tenantId, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, events: ['event.created'] });
    dispatcher.startWorker();
    const committed = new Map<string, number>();
    const commitMs: number[] = [];
    const total = RATE * SECONDS;
    const t0 = performance.now();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const uid = `p9-${i}`;
      const start = new Date(Date.UTC(2026, 11, 10, 8) + i * 60_000);
      const event = parseEvent({ uid, title: uid, start: { dateTime: start.toISOString(), timeZone: 'UTC' }, end: { dateTime: new Date(start.getTime() + 1_800_000).toISOString(), timeZone: 'UTC' } });
      const began = performance.now();
      writes.push(
        t.events.applyRemoteChanges(calendarId, [{ kind: 'upsert', remoteId: uid, version: '"1"', events: [event] }]).then(() => {
          const at = performance.now();
          committed.set(uid, at);
          commitMs.push(at - began);
        }),
      );
    }
    await Promise.all(writes);
    const achieved = total / ((performance.now() - t0) / 1000);
    const deadline = performance.now() + 60_000;
    while (received.size < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const lat = [...committed].flatMap(([uid, at]) => (received.has(uid) ? [received.get(uid)! - at] : []));
    return {
      name: `P9 webhook delivery (${driver})`,
      target: 'p99 ≤ 1 s at 200 changes/s',
      metrics: {
        changes: total,
        'rate/s': achieved.toFixed(0),
        delivered: received.size,
        p50: fmtMs(percentile(lat, 50)),
        p99: fmtMs(percentile(lat, 99)),
        max: fmtMs(Math.max(...lat)),
        'commit p50': fmtMs(percentile(commitMs, 50)),
      },
    };
  } finally {
    await dispatcher.close();
    redis.disconnect();
    server.close();
    if (driver === 'postgres') await store.db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await store.close();
  }
}

export async function benchWebhooks(): Promise<BenchRow[]> {
  const rows = [await run('pglite')];
  if (await pgReachable()) rows.push(await run('postgres'));
  else rows.push({ name: 'P9 webhook delivery (postgres)', target: '-', metrics: { skipped: `no PostgreSQL at ${DB.replace(/\/\/[^@]*@/, '//')}` } });
  return rows;
}
