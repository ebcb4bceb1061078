/**
 * Issue 16: SIGKILL of the delivery worker and a restart of Redis (coming back empty) during a
 * burst of 1,000 changes. Every owed webhook reaches a receiver that verifies each signature with
 * the `standardwebhooks` library; none is lost, and a duplicate only ever repeats a `webhook-id`.
 * The database is the record of what is owed, so a lost job or a lost queue costs latency only.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createWebhookEndpoint } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { parseEvent } from '../../shared/model/index.ts';
import { Store } from '../../shared/store/index.ts';
import { hasBinary } from '../support/dav-servers.ts';
import { startReceiver, type Receiver } from '../support/webhook-receiver.ts';
import { freePort } from '../support/free-port.ts';

const DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHILD = fileURLToPath(new URL('../support/webhook-worker-child.ts', import.meta.url));
const CHANGES = 1_000;
const BATCH = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A redis-server that keeps nothing on disk: restarted, it comes back empty (every queued job gone). */
async function startRedis(port: number): Promise<ChildProcess> {
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
      s.connect(port, '127.0.0.1');
    });
    if (up) return proc;
    await sleep(50);
  }
  throw new Error('redis-server did not start');
}

function startWorker(env: Record<string, string>): { proc: ChildProcess; ready: Promise<void> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (l) => l.trim() === 'ready' && resolve());
    proc.once('exit', (code) => reject(new Error(`webhook worker exited with ${code} before it was ready`)));
  });
  return { proc, ready };
}

const killed = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : (p.once('exit', () => r()), p.kill('SIGKILL'))));

describe('outbound webhooks survive a killed worker and a Redis restart', { skip: !hasBinary('redis-server') && 'redis-server is not installed' }, () => {
  const schema = `t_whcrash_${process.pid}_${randomBytes(3).toString('hex')}`;
  let store: Store;
  let receiver: Receiver;
  let redis: ChildProcess;
  let port: number;
  const workers: ChildProcess[] = [];
  let env: Record<string, string>;
  let tenantId: string;
  let calendarId: string;

  before(async () => {
    store = await Store.open({ databaseUrl: DB, schema });
    await store.migrate();
    port = await freePort();
    redis = await startRedis(port);
    receiver = await startReceiver();
    const keys = `k1:${randomBytes(32).toString('base64')}`;
    tenantId = (await store.tenants.create('crash')).tenant.id;
    const t = store.tenant(tenantId);
    const account = await t.accounts.upsert({ provider: 'memory', externalId: 'crash@example.com' });
    calendarId = (await t.calendars.upsertMany(account.id, [{ providerCalendarId: 'c', name: 'c', timeZone: 'UTC', color: null, readOnly: false }]))[0]!.id;
    const ep = await createWebhookEndpoint({ store, keyring: KeyRing.parse(keys), allowPrivateNetworks: true }, tenantId, { url: receiver.url, events: ['event.created'] });
    await receiver.control({ secrets: [ep.secret] });
    env = { WH_DATABASE_URL: DB, WH_SCHEMA: schema, WH_REDIS_URL: `redis://127.0.0.1:${port}`, WH_KEYS: keys, WH_PREFIX: `t-whc-${randomBytes(3).toString('hex')}` };
  });

  after(async () => {
    for (const w of workers) await killed(w);
    if (redis) await killed(redis);
    await receiver?.close();
    await store?.close();
    const c = new pg.Client({ connectionString: DB });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  it(`${CHANGES} changes: every webhook delivered, duplicates only as repeats of one webhook-id`, { timeout: 240_000 }, async () => {
    const first = startWorker(env);
    workers.push(first.proc);
    await first.ready;
    const uids: string[] = [];
    let second: ReturnType<typeof startWorker> | null = null;
    let deliveredByFirst = 0;
    for (let b = 0; b < CHANGES / BATCH; b++) {
      const changes = Array.from({ length: BATCH }, (_, i) => {
        const uid = `crash-${b}-${i}`;
        uids.push(uid);
        const start = new Date(Date.UTC(2026, 11, 10, 8) + (b * BATCH + i) * 60_000);
        const event = parseEvent({ uid, title: uid, start: { dateTime: start.toISOString(), timeZone: 'UTC' }, end: { dateTime: new Date(start.getTime() + 30 * 60_000).toISOString(), timeZone: 'UTC' } });
        return { kind: 'upsert' as const, remoteId: uid, version: '"1"', events: [event] };
      });
      await store.tenant(tenantId).events.applyRemoteChanges(calendarId, changes);
      // Mid-burst, while deliveries are in flight: the worker dies, then Redis restarts empty, then a new worker starts.
      if (b === 15) {
        // Killed once it is delivering (not before it has begun), the lease of its drain still held.
        await receiver.waitFor((a) => a.length > 0, 60_000, 'the first delivery');
        await killed(first.proc);
        deliveredByFirst = (await receiver.state()).accepted.length;
      }
      if (b === 25) {
        await killed(redis);
        redis = await startRedis(port);
      }
      if (b === 30) {
        second = startWorker(env);
        workers.push(second.proc);
        await second.ready;
      }
    }
    assert.ok(second, 'a second worker was started');
    // A drain the dead worker held keeps its stream's lease for up to 15 s; then the sweep takes it up.
    const got = await receiver.waitFor((a) => new Set(a.map((x) => x.payload.data.event?.uid)).size >= CHANGES, 180_000, `${CHANGES} distinct events`);
    const idsByUid = new Map<string, Set<string>>();
    for (const a of got) {
      assert.equal(a.type, 'event.created');
      const uid = a.payload.data.event?.uid as string;
      idsByUid.set(uid, (idsByUid.get(uid) ?? new Set()).add(a.id));
    }
    assert.deepEqual([...idsByUid.keys()].sort(), [...uids].sort(), 'every change arrived, and nothing else');
    const split = [...idsByUid].filter(([, ids]) => ids.size > 1);
    assert.deepEqual(split, [], 'a change arrived under two webhook-ids');
    const state = await receiver.state();
    assert.equal(state.refused, 0, 'every signature verified');
    console.log(`# ${CHANGES} changes: ${got.length} deliveries received (${got.length - CHANGES} duplicates of a webhook-id), ${deliveredByFirst} by the worker that was killed`);
  });
});
