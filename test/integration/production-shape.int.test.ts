/**
 * The production shape (docs/operations.md): two `calhub serve` and two `calhub worker` processes,
 * started through the real CLI, on one PostgreSQL (a schema of their own) and one Redis (a key
 * prefix of their own). A Radicale calendar is connected and synced; the worker holding the sync
 * is SIGKILLed mid-run and the other one finishes it; free/busy answers the same through both API
 * processes, from their calendar memos, which a CLI command's write in a third process reaches at
 * once (LISTEN/NOTIFY); and the per-key rate limit is one budget across both of them.
 *
 * Radicale sits behind a proxy that delays each answer, so the sync runs long enough to be caught
 * running (the kill must land on a live run, not after it).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { BIN, calhub, ROOT } from '../support/cli.ts';
import { hasBinary, startRadicale, type DavServer } from '../support/dav-servers.ts';

const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const EVENTS = 1200;
const PER_DAY = 20;
const DELAY_MS = 150;
const BURST = 20;
const DAY = 86_400_000;
const FIRST_DAY = Date.parse('2027-01-04T00:00:00Z');

const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
/** Event i: 30 minutes on day i / PER_DAY at hour i % PER_DAY, so no two busy spans touch. */
const startOf = (i: number) => FIRST_DAY + Math.floor(i / PER_DAY) * DAY + (i % PER_DAY) * 3_600_000;
const ics = (i: number) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//calhub prod-shape//EN', 'BEGIN:VEVENT', `UID:ps-${i}@test`, 'DTSTAMP:20261101T000000Z',
    `DTSTART:${stamp(startOf(i))}`, `DTEND:${stamp(startOf(i) + 1_800_000)}`, `SUMMARY:event ${i}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

interface Proc {
  name: string;
  child: ChildProcess;
  out: () => string;
}

describe('two serve and two worker processes on one PostgreSQL and one Redis', { skip: hasBinary('radicale') ? false : 'radicale is not installed (apt-get install radicale)', timeout: 240_000 }, () => {
  const schema = `t_prodshape_${process.pid}_${randomBytes(3).toString('hex')}`;
  const prefix = `{calhub-ps-${randomBytes(4).toString('hex')}}`;
  const procs: Proc[] = [];
  let dav: DavServer;
  let proxy: http.Server;
  let proxyUrl: string;
  let dataDir: string;
  let env: Record<string, string>;
  let db: pg.Client;
  let redis: Redis;
  let apis: string[] = [];
  let tenantId: string;
  let keyA: string;
  let calendarId: string;
  let accountId: string;
  const workers: Proc[] = [];
  let survivorOfKill: Proc | undefined;

  function launch(name: string, role: 'serve' | 'worker'): Proc {
    // Workers serve their own /metrics (WORKER_METRICS_PORT), on any free port here.
    const child = spawn(process.execPath, [BIN, role], { cwd: ROOT, env: { ...process.env, ...env, PORT: '0', ...(role === 'worker' ? { WORKER_METRICS_PORT: '0' } : {}) } });
    let out = '';
    const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const p = { name, child, out: () => out };
    procs.push(p);
    return p;
  }

  async function listening(p: Proc, ms = 90_000): Promise<string> {
    const until = Date.now() + ms;
    for (;;) {
      const m = /"url":"(http:\/\/[^"]+)"[^\n]*calhub is listening/.exec(p.out());
      if (m) return m[1]!;
      if (p.child.exitCode !== null || Date.now() > until) throw new Error(`${p.name} did not come up:\n${p.out()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const api = async (base: string, method: string, url: string, key: string, body?: unknown) => {
    const r = await fetch(`${base}${url}`, { method, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: r.status, headers: r.headers, json: (await r.json()) as Record<string, unknown> };
  };

  const calendarRow = async () =>
    (await db.query<{ sync_stage: string; stage_owner: string | null; last_success_at: Date | null; last_error: string | null; events: string }>(
      `SELECT sync_stage, stage_owner, last_success_at, last_error, (SELECT count(*) FROM ${schema}.events e WHERE e.calendar_id = c.id) AS events FROM ${schema}.calendars c WHERE id = $1`,
      [calendarId],
    )).rows[0]!;

  before(async () => {
    dav = await startRadicale({
      seed: async (collections, user) => {
        const dir = path.join(collections, 'collection-root', user, 'work');
        await mkdir(dir, { recursive: true });
        await writeFile(path.join(dir, '.Radicale.props'), JSON.stringify({ tag: 'VCALENDAR', 'D:displayname': 'Work' }));
        for (let i = 0; i < EVENTS; i += 400) await Promise.all(Array.from({ length: Math.min(400, EVENTS - i) }, (_, k) => writeFile(path.join(dir, `ps-${i + k}.ics`), ics(i + k))));
      },
    });
    // Every answer from the CalDAV server comes DELAY_MS late: the sync spans many round trips.
    proxy = http.createServer((req, res) => {
      const body: Buffer[] = [];
      req.on('data', (c: Buffer) => body.push(c));
      req.on('end', () =>
        setTimeout(() => {
          // A connection per request (no keep-alive on either side): nothing idles between the delays.
          const up = http.request(new URL(req.url ?? '/', dav.url), { method: req.method, headers: { ...req.headers, connection: 'close' }, agent: false }, (r) => {
            res.writeHead(r.statusCode ?? 502, { ...r.headers, connection: 'close' });
            r.pipe(res);
          });
          up.on('error', () => res.writeHead(502).end());
          up.end(Buffer.concat(body));
        }, DELAY_MS),
      );
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`;
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'calhub-prodshape-'));
    env = {
      CALHUB_DATA_DIR: dataDir,
      DATABASE_URL: `${PG}?options=${encodeURIComponent(`-c search_path=${schema},public`)}`,
      CALHUB_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      REDIS_URL: REDIS,
      REDIS_PREFIX: prefix,
      CALDAV_ALLOW_PRIVATE_NETWORKS: 'true',
      // A killed worker's calendar is free again after 5 s without a heartbeat.
      SYNC_STALE_RUN_MS: '5000',
      API_RATE_LIMIT_PER_SEC: '1',
      API_RATE_LIMIT_BURST: String(BURST),
      LOG_LEVEL: 'info',
    };
    db = new pg.Client({ connectionString: PG });
    await db.connect();
    await db.query(`CREATE SCHEMA ${schema}`);
    redis = new Redis(REDIS, { maxRetriesPerRequest: null });
    const migrated = await calhub(['migrate', '--json'], env);
    assert.equal(migrated.code, 0, migrated.stderr);
  });

  after(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => (p.child.exitCode === null && p.child.signalCode === null ? new Promise((r) => p.child.once('exit', r)) : null)));
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db?.end();
    await new Promise((r) => (proxy ? proxy.close(r) : r(null)));
    await dav?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('comes up: two API processes listening, two workers on the sync queue', async () => {
    const serves = [launch('serve-1', 'serve'), launch('serve-2', 'serve')];
    workers.push(launch('worker-1', 'worker'), launch('worker-2', 'worker'));
    apis = await Promise.all(serves.map((s) => listening(s)));
    const conn = redis.duplicate();
    const queue = new Queue('calhub-sync', { connection: conn, prefix });
    try {
      const until = Date.now() + 90_000;
      while ((await queue.getWorkersCount()) < 2) {
        for (const w of workers) assert.equal(w.child.exitCode, null, `${w.name} exited:\n${w.out()}`);
        assert.ok(Date.now() < until, `the workers did not start:\n${workers.map((w) => w.out()).join('\n')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await queue.close();
      conn.disconnect();
    }
    const t = await calhub(['tenants', 'create', 'prod-shape', '--json'], env);
    assert.equal(t.code, 0, t.stderr);
    ({ id: tenantId, apiKey: keyA } = JSON.parse(t.stdout) as { id: string; apiKey: string });
  });

  it('syncs a Radicale calendar, and a worker SIGKILLed mid-sync leaves it to the other', async () => {
    const c = await calhub(['accounts', 'connect', 'caldav', '--tenant', tenantId, '--url', proxyUrl, '--username', dav.username, '--json'], { ...env, CALHUB_CALDAV_PASSWORD: dav.password });
    assert.equal(c.code, 0, c.stderr);
    const account = JSON.parse(c.stdout) as { id: string; calendars: Array<{ id: string; name: string }> };
    calendarId = account.calendars.find((x) => x.name === 'Work')!.id;
    accountId = account.id;
    const started = Date.now();
    const r = await calhub(['resync', account.id, '--json'], env);
    assert.equal(r.code, 0, r.stderr);

    // Catch the run live and kill the worker that holds it.
    let victim: Proc | undefined;
    let rowAtKill: Awaited<ReturnType<typeof calendarRow>> | undefined;
    while (!victim) {
      const row = await calendarRow();
      assert.equal(row.last_success_at, null, 'the sync ended before it could be caught running; raise EVENTS or DELAY_MS');
      const pid = /^w-(\d+)-/.exec(row.stage_owner ?? '')?.[1];
      if (row.sync_stage === 'running' && pid) {
        victim = workers.find((w) => w.child.pid === Number(pid));
        assert.ok(victim, `the run's owner ${row.stage_owner} is one of the two workers (${workers.map((w) => w.child.pid).join(', ')})`);
        rowAtKill = row;
      }
      assert.ok(Date.now() - started < 60_000, 'no worker started the sync within 60 s');
      if (!victim) await new Promise((res) => setTimeout(res, 50));
    }
    // Let it commit a page or more first, so the survivor resumes a half-done run.
    await new Promise((res) => setTimeout(res, 600));
    rowAtKill = await calendarRow();
    victim.child.kill('SIGKILL');
    assert.equal(rowAtKill.last_success_at, null, 'the run was still going when its worker was killed');
    assert.match(rowAtKill.stage_owner ?? '', new RegExp(`^w-${victim.child.pid}-`), 'and the killed worker still held it');
    await new Promise((res) => victim.child.once('exit', res));
    const survivor = workers.find((w) => w !== victim)!;
    survivorOfKill = survivor;
    const killedAt = Date.now();

    let row = await calendarRow();
    while (!row.last_success_at) {
      // The dead run's slot is reaped as `failed` (went stale) until the survivor runs the job again: expected on the way.
      assert.ok(row.sync_stage !== 'failed' || /stale/.test(row.last_error ?? ''), `the sync failed: ${row.last_error}`);
      assert.ok(Date.now() - killedAt < 120_000, `the survivor did not finish the sync within 120 s (stage ${row.sync_stage}, ${row.last_error}, ${row.events} events):\n${survivor.out().slice(-3000)}`);
      await new Promise((res) => setTimeout(res, 250));
      row = await calendarRow();
    }
    assert.equal(Number(row.events), EVENTS, 'every event stored once');
    assert.equal(survivor.child.exitCode, null, 'the survivor is still running');
    assert.match(survivor.out(), /sync run finished/, 'the survivor ran the sync to its end');
    console.log(`# prod-shape: sync caught running with ${rowAtKill!.events} events stored, ${victim.name} killed; survivor finished ${Math.round((Date.now() - killedAt) / 1000)} s later (${EVENTS} events, ${DELAY_MS} ms per CalDAV answer)`);
  });

  it('a worker exports its sync metrics on its own port (no API process has them)', async () => {
    const w = survivorOfKill!;
    const url = /"url":"(http:\/\/[^"]+)"[^\n]*worker metrics listening/.exec(w.out())?.[1];
    assert.ok(url, `the worker logged no metrics listener:\n${w.out().slice(-2000)}`);
    assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { status: 'ok' });
    const text = await (await fetch(`${url}/metrics`)).text();
    assert.match(text, /^calhub_sync_runs_total\{[^}]*outcome="ok"[^}]*\} [1-9]/m, 'the run it finished is counted');
    assert.match(text, /^calhub_queue_depth\{/m, 'queue depth is read at scrape time');
  });

  it('answers the same free/busy through both API processes', async () => {
    const body = { calendarIds: [calendarId], timeMin: new Date(FIRST_DAY).toISOString(), timeMax: new Date(FIRST_DAY + Math.ceil(EVENTS / PER_DAY) * DAY).toISOString() };
    const answers = await Promise.all(apis.map((base) => api(base, 'POST', '/v1/freebusy', keyA, body)));
    for (const a of answers) assert.equal(a.status, 200, JSON.stringify(a.json));
    const busy = answers.map((a) => (a.json.calendars as Array<{ busy: Array<{ start: string; end: string }> }>)[0]!.busy);
    assert.equal(busy[0]!.length, EVENTS);
    assert.deepEqual(busy[0]![7], { ...busy[0]![7], start: new Date(startOf(7)).toISOString(), end: new Date(startOf(7) + 1_800_000).toISOString() });
    assert.deepEqual(busy[1], busy[0], 'both API processes read the same store');
  });

  it('each API process answers from its calendar memo and hears another process\'s write at once', async () => {
    const body = { calendarIds: [calendarId], timeMin: new Date(FIRST_DAY).toISOString(), timeMax: new Date(FIRST_DAY + DAY).toISOString() };
    const errors = async () =>
      Promise.all(apis.map(async (base) => {
        const a = await api(base, 'POST', '/v1/freebusy', keyA, body);
        assert.equal(a.status, 200, JSON.stringify(a.json));
        return ((a.json.calendars as Array<{ errors?: Array<{ code: string }> }>)[0]!.errors ?? []).map((e) => e.code);
      }));
    const memo = async () =>
      Promise.all(apis.map(async (base) => {
        const text = await (await fetch(`${base}/metrics`)).text();
        const n = (kind: string) => Number(new RegExp(`^calhub_calendar_memo_total\\{kind="${kind}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
        return { reads: n('read'), changes: n('change') };
      }));
    assert.deepEqual(await errors(), [[], []]);
    const before = await memo();
    for (const m of before) assert.ok(Number.isFinite(m.reads) && m.reads > 0, `the memo runs in calhub serve: ${JSON.stringify(before)}`);
    // The CLI writes in a process of its own (no calhub start runs here to hand it to): its NOTIFY is
    // the only way the API processes learn of it before their memo's own recheck (1-5 s).
    const off = await calhub(['accounts', 'disable', accountId, '--tenant', tenantId], env);
    assert.equal(off.code, 0, off.stderr);
    assert.deepEqual(await errors(), [['ACCOUNT_DISABLED'], ['ACCOUNT_DISABLED']], 'the next answer of both shows the disabled account');
    const on = await calhub(['accounts', 'enable', accountId, '--tenant', tenantId], env);
    assert.equal(on.code, 0, on.stderr);
    assert.deepEqual(await errors(), [[], []], 'and the next answer after enabling it does not');
    const now = await memo();
    now.forEach((m, i) => assert.ok(m.changes > before[i]!.changes, `serve-${i + 1} was told of the CLI's writes: ${JSON.stringify({ before, now })}`));
  });

  it('resync --wait in a process of its own waits for the workers, woken by their writes', async () => {
    const started = Date.now();
    const r = await calhub(['resync', accountId, '--wait', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as unknown;
    const [report] = (Array.isArray(out) ? out : [out]) as Array<{ mode: string; waited: boolean; ok: boolean; calendars: Array<{ id: string; outcome: string }> }>;
    assert.deepEqual([report!.mode, report!.waited, report!.ok], ['queue', true, true], r.stdout);
    assert.equal(report!.calendars.find((c) => c.id === calendarId)?.outcome, 'ok', r.stdout);
    console.log(`# prod-shape: resync --wait through the workers took ${Date.now() - started} ms (${DELAY_MS} ms per CalDAV answer)`);
  });

  it('counts the rate limit of one API key across both API processes', async () => {
    const k = await calhub(['tenants', 'api-keys', 'create', '--tenant', tenantId, '--json'], env);
    assert.equal(k.code, 0, k.stderr);
    const keyB = (JSON.parse(k.stdout) as { apiKey: string }).apiKey;
    assert.match(keyB, /^chk_/);
    const sent = 2 * BURST + 10;
    const allowed = [0, 0];
    let limited: Awaited<ReturnType<typeof api>> | null = null;
    const t0 = Date.now();
    for (let i = 0; i < sent; i++) {
      const r = await api(apis[i % 2]!, 'GET', '/v1/accounts', keyB);
      if (r.status === 200) allowed[i % 2]!++;
      else {
        assert.equal(r.status, 429, JSON.stringify(r.json));
        limited ??= r;
      }
    }
    const seconds = (Date.now() - t0) / 1000;
    const total = allowed[0]! + allowed[1]!;
    // One shared bucket: the burst plus what refilled at 1/s while the requests went out.
    // Counted per process, each would have allowed the whole burst (2 × BURST in all).
    assert.ok(total >= BURST && total <= BURST + Math.ceil(seconds) + 1, `allowed ${total} (${allowed.join(' + ')}) of ${sent} in ${seconds.toFixed(1)} s with a burst of ${BURST}`);
    assert.ok(allowed[0]! < BURST && allowed[1]! < BURST, `neither process gave the key its own burst: ${allowed.join(' + ')}`);
    assert.ok(limited, 'some requests were limited');
    assert.equal((limited.json.error as { code: string }).code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    console.log(`# prod-shape: ${sent} requests over two API processes in ${seconds.toFixed(1)} s: ${total} allowed (${allowed.join(' + ')}), burst ${BURST}, 1/s`);
  });
});
