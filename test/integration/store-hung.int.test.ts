/**
 * A hung PostgreSQL: `calhub serve` connected through a TCP forwarder that stops forwarding
 * mid-run (connections stay open, new ones are accepted, nothing is answered), what a SIGSTOPped
 * server or a path dropping packets looks like. The driver had no deadline on a query nor on a
 * connection: every request that touched the store waited forever, and the pool's ten clients
 * were soon all waiting. Now a query unanswered within DATABASE_QUERY_TIMEOUT_MS, or a connection
 * not made within DATABASE_CONNECT_TIMEOUT_MS, is the store being unreachable: 503
 * STORE_UNAVAILABLE, /readyz 503, free/busy from the cache (API_FREEBUSY_STALE_MAX_S), and all
 * well again once the server answers. Once a query has timed out, the requests after it are
 * answered 503 at once (they each waited the query timeout again) until a check gets an answer.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { at, ev, seed } from '../../api/test-support.ts';
import { Store } from '../../shared/store/index.ts';
import { listedAccount } from '../../shared/test-support.ts';
import { BIN, ROOT, withSecretsDir } from '../support/cli.ts';
import { tcpForward, type TcpForward } from '../support/tcp-forward.ts';

const PG = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TIMEOUT_MS = 3000;
/** A request must end within this during the hang: the timeouts above plus a loaded machine's slack. */
const BOUND_MS = 25_000;

describe('calhub serve in front of a hung PostgreSQL', { timeout: 300_000 }, () => {
  const schema = `t_storehung_${process.pid}_${randomBytes(3).toString('hex')}`;
  const prefix = `{calhub-sh-${randomBytes(4).toString('hex')}}`;
  let forward: TcpForward;
  let store: Store;
  let redis: Redis;
  let child: ChildProcess;
  let out = '';
  let dataDir: string;
  let base: string;
  let key: string;
  let calendarId: string;

  before(async () => {
    store = await Store.open({ databaseUrl: PG.toString(), schema });
    await store.migrate();
    const { tenant, apiKey } = await store.tenants.create('hung');
    key = apiKey;
    const { calendars } = await listedAccount(store.tenant(tenant.id), { provider: 'memory', externalId: 'hung@example.com', credentials: 'sealed-secret-envelope' }, [
      { providerCalendarId: 'primary', name: 'work', timeZone: 'UTC', color: null, readOnly: false },
    ]);
    calendarId = calendars[0]!.id;
    await seed(store, tenant.id, calendarId, ev({ uid: 'standup', start: at('2026-12-14T09:00:00Z'), end: at('2026-12-14T09:30:00Z') }));
    forward = await tcpForward(PG.hostname, Number(PG.port || 5432));
    const through = new URL(PG);
    through.hostname = '127.0.0.1';
    through.port = String(forward.port);
    through.searchParams.set('options', `-c search_path=${schema},public`);
    redis = new Redis(REDIS, { maxRetriesPerRequest: null });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'calhub-storehung-'));
    const env = {
      CALHUB_DATA_DIR: dataDir,
      DATABASE_URL: through.toString(),
      CALHUB_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      REDIS_URL: REDIS,
      REDIS_PREFIX: prefix,
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_QUERY_TIMEOUT_MS: String(TIMEOUT_MS),
      DATABASE_CONNECT_TIMEOUT_MS: String(TIMEOUT_MS),
      // The key stays honoured through the hang: what is checked is the store's deadline, not the key cache's.
      API_KEY_CACHE_S: '600',
      API_FREEBUSY_STALE_MAX_S: '600',
    };
    child = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env: withSecretsDir({ ...process.env, ...env }) });
    const keep = (d: Buffer) => (out = (out + d.toString()).slice(-40_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const until = Date.now() + 90_000;
    for (;;) {
      const m = /"url":"(http:\/\/[^"]+)"[^\n]*calhub is listening/.exec(out);
      if (m) {
        base = m[1]!;
        break;
      }
      if (child.exitCode !== null || Date.now() > until) throw new Error(`serve did not come up:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(async () => {
    forward?.resume();
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    await forward?.close();
    await store?.db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await store?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Aborted past BOUND_MS: a request the hub left hanging fails the test instead of stalling it. */
  const send = async (method: string, url: string, body?: unknown) => {
    const t0 = Date.now();
    const r = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(BOUND_MS),
    }).catch((e: unknown) => {
      throw new Error(`${method} ${url} had no answer within ${BOUND_MS} ms (${(e as Error).name}):\n${out.slice(-3000)}`);
    });
    const text = await r.text();
    return { status: r.status, headers: r.headers, text, ms: Date.now() - t0, code: () => (JSON.parse(text) as { error?: { code: string } }).error?.code };
  };
  const fb = { calendarIds: [] as string[], timeMin: '2026-12-14T00:00:00Z', timeMax: '2026-12-15T00:00:00Z' };

  it('answers 503 STORE_UNAVAILABLE within a bounded time, /readyz 503, free/busy from the cache; recovers when the server answers', async () => {
    const mine = { ...fb, calendarIds: [calendarId] };
    assert.equal((await send('GET', '/v1/accounts')).status, 200);
    assert.equal((await send('GET', '/readyz')).status, 200);
    const fresh = await send('POST', '/v1/freebusy', mine);
    assert.equal(fresh.status, 200, fresh.text);
    assert.match(fresh.text, /"start":"2026-12-14T09:00:00.000Z"/);
    const freshAt = Date.now();

    forward.hang();
    // More at once than the pool has clients (10): none may wait forever for one.
    const during = await Promise.all(Array.from({ length: 14 }, () => send('GET', '/v1/accounts')));
    for (const r of during) {
      assert.equal(r.status, 503, r.text);
      assert.equal(r.code(), 'STORE_UNAVAILABLE', r.text);
    }
    const ready = await send('GET', '/readyz');
    assert.equal(ready.status, 503, ready.text);
    assert.equal((JSON.parse(ready.text) as { checks: { store: string } }).checks.store, 'unavailable');
    // Still hung, and the hub knows it (a query timed out, nothing answered since): a request now
    // is answered at once, not after another query timeout. Each of these waited TIMEOUT_MS, and
    // as many requests as came in held a connection each for that long.
    for (let i = 0; i < 3; i++) {
      const again = await send('GET', '/v1/accounts');
      assert.equal(again.status, 503, again.text);
      assert.equal(again.code(), 'STORE_UNAVAILABLE');
      assert.equal(again.headers.get('retry-after'), '5');
      assert.ok(again.ms < TIMEOUT_MS / 2, `a request while the store is known hung took ${again.ms} ms (query timeout ${TIMEOUT_MS} ms)`);
    }
    // Free/busy from the cache: asked once the calendar memo's entries are too old to answer
    // without the store (5 s, freebusy/calendar-memo.ts), or it is a plain answer from memory.
    await new Promise((r) => setTimeout(r, Math.max(0, freshAt + 6000 - Date.now())));
    const stale = await send('POST', '/v1/freebusy', mine);
    assert.equal(stale.status, 200, stale.text);
    assert.equal(stale.text, fresh.text, 'the answer the store last confirmed');
    assert.equal(stale.headers.get('x-calhub-stale'), 'store-unavailable');
    assert.ok(stale.ms < TIMEOUT_MS / 2, `free/busy while the store is known hung took ${stale.ms} ms`);
    assert.equal(child.exitCode, null, 'serve is still running');

    // Nothing restarted: the hub's own check (one at a time) sees the server answer again.
    forward.resume();
    const until = Date.now() + 60_000;
    let back = await send('GET', '/v1/accounts');
    while (back.status !== 200 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 500));
      back = await send('GET', '/v1/accounts');
    }
    assert.equal(back.status, 200, back.text);
    assert.equal((await send('GET', '/readyz')).status, 200);
    const fbBack = await send('POST', '/v1/freebusy', mine);
    assert.equal(fbBack.status, 200, fbBack.text);
    assert.equal(fbBack.headers.get('x-calhub-stale'), null);
    assert.match(out, /store unreachable/);
    assert.match(out, /store reachable again/);
  });
});
