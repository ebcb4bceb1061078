/**
 * P7, many accounts on one worker: BENCH_ACCOUNTS accounts (default 10,000) spread over CalDAV on one
 * Radicale (one user, one calendar per account), the Google emulator and the Graph emulator, each with
 * one calendar of three events, on one hub (accounts-worker.ts, its own process) on a PostgreSQL
 * schema and its own Redis prefix. Polling only (no CALHUB_PUBLIC_URL, so no push channels): the
 * heaviest steady load. The poll interval may be compressed (BENCH_POLL_MS, default the real 300 s of
 * SYNC_POLL_INTERVAL_MS; at 60 s one "minute" bucket is 60 s × 60/300 = 12 s). Compressed ×5, 10,000
 * accounts are more polls than one worker does on a small machine.
 *
 * After every account's initial sync (all requested at once, which to the scheduler looks like a
 * restart) it watches BENCH_INTERVALS poll intervals while a few provider edits per real minute land,
 * and reports: Redis bytes per idle account (the prefix's keys, MEMORY USAGE; INFO used_memory delta
 * beside it, which other users of the shared Redis disturb), peak-to-mean of provider requests per
 * minute-bucket, the largest share of one account's quota, and the worker process's CPU.
 */
import { fork } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startGoogleEmulator } from '../emulators/google/index.ts';
import { startMicrosoftEmulator } from '../emulators/microsoft/index.ts';
import { Store } from '../shared/store/index.ts';
import { authHeader, hasBinary, startRadicale } from '../test/support/dav-servers.ts';
import type { SeededAccount, WorkerJob, WorkerStats } from './accounts-worker.ts';
import type { BenchRow } from './bench-row.ts';

const N = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 300_000);
const INTERVALS = Number(process.env.BENCH_INTERVALS ?? 2);
const REAL_POLL_MS = 300_000; // SYNC_POLL_INTERVAL_MS default
const SCALE = REAL_POLL_MS / POLL_MS;
const BUCKET_MS = 60_000 / SCALE;
/** A few provider edits per real minute across all accounts. */
const EDITS_PER_REAL_MIN = 3;
const EVENTS_PER_CAL = 3;
/** provider-facts.md A.9 (Google: 600/min/user, 10,000/min/project) and B.7 (Graph: 10,000 per 10 min per app + mailbox). */
const QUOTA_PER_MIN: Record<string, number> = { google: 600, microsoft: 1_000 };
const GOOGLE_PROJECT_PER_MIN = 10_000;

const day = (i: number) => new Date(Date.UTC(2027, 0, 4) + (i % 60) * 86_400_000);
const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').slice(0, 15) + 'Z';
function ics(uid: string, start: Date): string {
  return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calhub bench//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\n` +
    `DTSTART:${stamp(start)}\r\nDTEND:${stamp(new Date(start.getTime() + 1_800_000))}\r\nSUMMARY:${uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ask<T>(child: ReturnType<typeof fork>, cmd: string): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (m: T & { error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m)));
    child.send({ cmd });
  });
}

async function redisBytes(redis: Redis, prefix: string): Promise<{ keys: number; bytes: number; top: string }> {
  let cursor = '0';
  let keys = 0;
  let bytes = 0;
  // Bytes by key shape (queue name and key kind; job ids folded) to show what grows with accounts.
  const groups = new Map<string, number>();
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const k of batch) {
      keys += 1;
      const b = Number((await redis.call('MEMORY', 'USAGE', k, 'SAMPLES', '0')) ?? 0);
      bytes += b;
      const shape = k.slice(prefix.length).split(':').map((p) => (/\d/.test(p) ? '#' : p)).join(':');
      groups.set(shape, (groups.get(shape) ?? 0) + b);
    }
  } while (cursor !== '0');
  const top = [...groups].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k}=${v}`).join(' ');
  return { keys, bytes, top };
}
const usedMemory = async (redis: Redis) => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);

export async function benchAccounts(): Promise<BenchRow[]> {
  if (!hasBinary('radicale')) throw new Error('radicale is not installed (apt-get install radicale)');
  const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_accounts_${process.pid}`;
  const store = await Store.open({ databaseUrl: pgUrl, schema }).catch(() => null);
  if (!store) throw new Error(`PostgreSQL unreachable at ${pgUrl}: the worker runs in its own process and needs a shared store`);
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const prefix = `bench-acc-${process.pid}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'calhub-accounts-'));
  const nOf = (k: number) => Math.floor(N / 3) + (k < N % 3 ? 1 : 0);
  // Radicale's calendars are written to its storage before it starts (as caldav-sync.bench does):
  // thousands of MKCALENDARs and PUTs would take longer than the measurement.
  const dav = await startRadicale({
    seed: async (collections, user) => {
      for (let i = 0; i < nOf(0); i++) {
        const cal = path.join(collections, 'collection-root', user, `acc-${i}`);
        await mkdir(cal, { recursive: true });
        await writeFile(path.join(cal, '.Radicale.props'), JSON.stringify({ tag: 'VCALENDAR', 'D:displayname': `acc-${i}` }));
        for (let e = 0; e < EVENTS_PER_CAL; e++) await writeFile(path.join(cal, `e${e}.ics`), ics(`acc-${i}-e${e}`, day(i + e)));
      }
    },
  });
  const google = await startGoogleEmulator();
  const graph = await startMicrosoftEmulator();
  let child: ReturnType<typeof fork> | null = null;
  const setupStart = performance.now();
  try {
    await store.migrate();
    const seeded: SeededAccount[] = [];
    const rows: Array<{ provider: SeededAccount['provider']; externalId: string; providerCalendarId: string }> = [];
    const editors: Array<() => Promise<void>> = [];
    for (let i = 0; i < nOf(0); i++) {
      const externalId = `${dav.homeUrl}#acc-${i}`;
      seeded.push({ externalId, provider: 'caldav', serverUrl: dav.homeUrl, username: dav.username, password: dav.password });
      rows.push({ provider: 'caldav', externalId, providerCalendarId: `${dav.homeUrl}acc-${i}/` });
      let n = 0;
      editors.push(async () => {
        const uid = `acc-${i}-edit-${n++}`;
        const res = await fetch(`${dav.homeUrl}acc-${i}/${uid}.ics`, { method: 'PUT', headers: { ...authHeader(dav), 'content-type': 'text/calendar' }, body: ics(uid, day(n)) });
        if (!res.ok) throw new Error(`Radicale PUT ${res.status}`);
      });
    }
    for (let i = 0; i < nOf(1); i++) {
      const email = `acc-${i}@bench.test`;
      google.control.createUser({ email, timeZone: 'UTC' });
      for (let e = 0; e < EVENTS_PER_CAL; e++) {
        const s = day(i + e);
        google.control.insertEvent(email, { summary: `e${e}`, start: { dateTime: s.toISOString() }, end: { dateTime: new Date(s.getTime() + 1_800_000).toISOString() } });
      }
      seeded.push({ externalId: email, provider: 'google', baseUrl: google.url, token: google.control.issueGrant({ email }).accessToken });
      rows.push({ provider: 'google', externalId: email, providerCalendarId: email });
      let n = 0;
      editors.push(async () => {
        const s = day(n++);
        google.control.insertEvent(email, { summary: 'edit', start: { dateTime: s.toISOString() }, end: { dateTime: new Date(s.getTime() + 1_800_000).toISOString() } });
      });
    }
    const at = (d: Date) => ({ dateTime: d.toISOString().slice(0, 19), timeZone: 'UTC' });
    for (let i = 0; i < nOf(2); i++) {
      const user = graph.control.createUser({ email: `acc-${i}@bench.test`, timeZone: 'UTC' });
      for (let e = 0; e < EVENTS_PER_CAL; e++) {
        const s = day(i + e);
        graph.control.createEvent({ userId: user.id, calendarId: user.calendarId, event: { subject: `e${e}`, start: at(s), end: at(new Date(s.getTime() + 1_800_000)) } });
      }
      const externalId = `graph-${user.email}`;
      seeded.push({ externalId, provider: 'microsoft', baseUrl: graph.url, token: graph.control.issueToken({ userId: user.id }).accessToken });
      rows.push({ provider: 'microsoft', externalId, providerCalendarId: user.calendarId });
      let n = 0;
      editors.push(async () => {
        const s = day(n++);
        graph.control.createEvent({ userId: user.id, calendarId: user.calendarId, event: { subject: 'edit', start: at(s), end: at(new Date(s.getTime() + 1_800_000)) } });
      });
    }
    // Ten tenants of N/10 accounts each; calendars as discovery would store them.
    const tenants = await Promise.all(Array.from({ length: 10 }, (_, k) => store.tenants.create(`p7-${k}`)));
    for (let i = 0; i < rows.length; i += 50) {
      await Promise.all(rows.slice(i, i + 50).map(async (r, k) => {
        const t = store.tenant(tenants[(i + k) % 10]!.tenant.id);
        const account = await t.accounts.upsert({ provider: r.provider, externalId: r.externalId });
        await t.calendars.upsertMany(account.id, [{ providerCalendarId: r.providerCalendarId, name: r.externalId, timeZone: 'UTC', color: null, readOnly: false }]);
      }));
    }
    const accountsFile = path.join(dir, 'accounts.json');
    await writeFile(accountsFile, JSON.stringify(seeded));
    const setupS = (performance.now() - setupStart) / 1000;

    const redisBefore = await usedMemory(redis);
    const job: WorkerJob = { databaseUrl: pgUrl, schema, redisUrl, prefix, pollMs: POLL_MS, tickMs: BUCKET_MS, bucketMs: BUCKET_MS, accountsFile };
    child = fork(new URL('./accounts-worker.ts', import.meta.url).pathname, [JSON.stringify(job)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child!.once('message', () => resolve());
      child!.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });

    // Initial syncs: every calendar at once.
    const initialStart = performance.now();
    await ask(child, 'pull-all');
    const synced = async () => Number((await store.db.query<{ n: string }>('SELECT count(*) AS n FROM calendars WHERE last_success_at IS NOT NULL'))[0]!.n);
    const deadline = Date.now() + 20 * 60_000;
    while ((await synced()) < N) {
      if (Date.now() > deadline) throw new Error(`initial syncs: ${await synced()} of ${N} after 20 min`);
      await sleep(1000);
    }
    const initialS = (performance.now() - initialStart) / 1000;

    // Steady state: a trickle of provider edits, polls on the compressed interval.
    let edits = 0;
    const editTimer = setInterval(() => {
      edits += 1;
      void editors[Math.floor(Math.random() * editors.length)]!().catch(() => undefined);
    }, 60_000 / (EDITS_PER_REAL_MIN * SCALE));
    await ask(child, 'cpu-reset');
    const steadyFrom = Math.ceil(Date.now() / BUCKET_MS) + 1;
    const steadyMs = INTERVALS * POLL_MS;
    await sleep(steadyMs + BUCKET_MS * 2);
    clearInterval(editTimer);
    const stats = await ask<WorkerStats>(child, 'stats');
    const wallS = (steadyMs + BUCKET_MS * 2) / 1000;
    const redisKeys = await redisBytes(redis, prefix);
    const redisAfter = await usedMemory(redis);

    // Full buckets of the steady window only.
    const buckets = Array.from({ length: Math.floor(steadyMs / BUCKET_MS) }, (_, k) => stats.perBucket[String(steadyFrom + k)] ?? 0);
    const mean = buckets.reduce((a, b) => a + b, 0) / buckets.length;
    const peak = Math.max(...buckets);
    const providerOf = new Map((await store.db.query<{ id: string; provider: string }>('SELECT id, provider FROM accounts')).map((r) => [r.id, r.provider]));
    const share: Record<string, number> = { google: 0, microsoft: 0 };
    const maxPerMin: Record<string, number> = { caldav: 0, google: 0, microsoft: 0 };
    const googleTotal = new Map<number, number>();
    // A worker that cannot keep up shows as accounts never polled in the window, not as a peak.
    let polled = 0;
    for (const [id, per] of Object.entries(stats.perAccountBucket)) {
      const p = providerOf.get(id)!;
      let mine = 0;
      for (const [b, n] of Object.entries(per)) {
        if (Number(b) < steadyFrom || Number(b) >= steadyFrom + buckets.length) continue;
        mine += n;
        maxPerMin[p] = Math.max(maxPerMin[p]!, n);
        if (p === 'google') googleTotal.set(Number(b), (googleTotal.get(Number(b)) ?? 0) + n);
      }
      if (mine > 0) polled += 1;
    }
    for (const p of Object.keys(share)) share[p] = maxPerMin[p]! / QUOTA_PER_MIN[p]!;
    const googleProjectPeak = Math.max(0, ...googleTotal.values());
    const cpuMs = stats.cpuUserMs + stats.cpuSystemMs;
    const tables = await store.db.query<{ relname: string; n: string }>(
      `SELECT relname, n_live_tup AS n FROM pg_stat_user_tables WHERE schemaname = $1 AND n_live_tup > 0 ORDER BY n_live_tup DESC LIMIT 6`, [schema]);
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
    const label = `${N} accounts, poll ${POLL_MS / 1000} s (×${+SCALE.toFixed(2)} of 300 s)`;
    console.log(`accounts bench: load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; setup ${setupS.toFixed(1)} s; requests per ${BUCKET_MS / 1000} s bucket: ${buckets.join(' ')}; rows: ${tables.map((t) => `${t.relname}=${t.n}`).join(' ')}; redis bytes by key: ${redisKeys.top}`);
    return [
      { name: `P7 initial sync (${label})`, target: '-', metrics: { seconds: initialS.toFixed(1), 'accounts/s': (N / initialS).toFixed(1) } },
      {
        name: `P7 Redis per idle account (${label})`, target: '≤ 2 KB',
        metrics: { 'bytes/account': Math.round(redisKeys.bytes / N), keys: redisKeys.keys, 'prefix bytes': redisKeys.bytes, 'used_memory Δ/account (shared Redis)': Math.round((redisAfter - redisBefore) / N) },
      },
      {
        name: `P7 provider requests per minute (${label})`, target: 'peak/mean ≤ 1.5',
        metrics: { 'peak/mean': (peak / mean).toFixed(2), 'mean/bucket': mean.toFixed(0), peak, bucket: `${BUCKET_MS / 1000} s = 1 real min`, buckets: buckets.length, 'accounts polled': `${polled}/${N}`, 'requests/account/interval': (buckets.reduce((a, b) => a + b, 0) / N / (buckets.length * BUCKET_MS / POLL_MS)).toFixed(2), edits },
      },
      {
        name: `P7 provider quota, largest share (${label})`, target: '≤ 50% per account',
        metrics: {
          google: `${pct(share.google!)} (${maxPerMin.google}/min of 600)`, graph: `${pct(share.microsoft!)} (${maxPerMin.microsoft}/min of 1,000 = 10,000/10 min)`,
          caldav: `${maxPerMin.caldav}/min (no quota)`, 'google project': `${pct(googleProjectPeak / GOOGLE_PROJECT_PER_MIN)} (${googleProjectPeak}/min of 10,000)`,
        },
      },
      {
        name: `P7 worker CPU (${label})`, target: '-',
        metrics: { 'cpu % of one core': ((cpuMs / 1000 / wallS) * 100).toFixed(1), 'cpu ms per provider request': (cpuMs / Math.max(1, buckets.reduce((a, b) => a + b, 0))).toFixed(2), 'rss MB': stats.rssMb.toFixed(0), load: os.loadavg()[0]!.toFixed(2) },
      },
    ];
  } finally {
    if (child && child.exitCode === null) await ask(child, 'stop').catch(() => child!.kill('SIGKILL'));
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
    await store.db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await store.close();
    await google.close();
    await graph.close();
    await dav.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
