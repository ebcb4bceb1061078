/**
 * `npm run test:soak -- --minutes N [--fuzz ITERATIONS] [--warmup-minutes W] [--sample-seconds S]`
 * (issue 12 "Done when" 4, issue 18 R5).
 *
 * One hub in this process (openHub with its workers and the HTTP app on loopback, embedded PGlite in
 * a temporary data dir, Redis on 127.0.0.1:6379 under its own prefix) under mixed load for N
 * minutes: a Radicale account (other clients PUT and DELETE on the server, polled and pulled), a
 * Google account on the emulator (a separate process; events inserted, edited and deleted through
 * its API, then pulled as a notification would), API writes (create, edit, delete, pushed through
 * the outbox) and free/busy queries. RSS is sampled every S seconds; after the warm-up, the last
 * sample must be within 20% of the first one after warm-up. A table of the samples is printed.
 *
 * Meanwhile a separate process (fuzz-child.ts) fuzzes iCalendar ingestion for ITERATIONS cases
 * (default 1,000,000) with a watchdog for hangs; the soak waits for it and prints its count,
 * crashes and hangs. Exit code 0 only if RSS held and the fuzzing found no crash and no hang.
 *
 * However it ends (the verdict, an error, SIGINT, SIGTERM or SIGHUP) it leaves nothing running: the
 * processes it started are killed and its data dir removed at exit, and dav-servers.ts does the
 * same for the Radicale.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { buildApp } from '../../api/index.ts';
import { openHub } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { createMetrics } from '../../shared/metrics.ts';
import { Store } from '../../shared/store/index.ts';
import { davFetch } from '../support/caldav-harness.ts';
import { icsOf } from '../support/dav-content.ts';
import { makeCalendar, startRadicale } from '../support/dav-servers.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    fuzz: { type: 'string', default: '1000000' },
    'warmup-minutes': { type: 'string' },
    'sample-seconds': { type: 'string', default: '10' },
  },
});
const MINUTES = Number(values.minutes);
const WARMUP_MS = Number(values['warmup-minutes'] ?? Math.min(5, Math.max(0.5, MINUTES / 5))) * 60_000;
const SAMPLE_MS = Number(values['sample-seconds']) * 1000;
const FUZZ = Number(values.fuzz);
const RSS_TOLERANCE = 0.2;
const SEEDS = 1500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]! : 0);
const day = (n: number) => `2026-12-${String(1 + (n % 28)).padStart(2, '0')}`;

// ---- every way out ----
const children: ChildProcess[] = [];
let dataDir: string | null = null;
process.once('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});
// Node's default for these ends the process without its exit hooks.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.on(signal, () => {
    console.log(`soak: ${signal}, stopping`);
    process.exit(code);
  });
}

// ---- the fuzzing process ----
const fuzz = spawn(process.execPath, ['--import', 'tsx', new URL('./fuzz-child.ts', import.meta.url).pathname, String(FUZZ)], { stdio: ['ignore', 'pipe', 'inherit'] });
children.push(fuzz);
let fuzzLast: Record<string, unknown> = {};
interface FuzzFinal { final: Record<string, number>; crashes: unknown[]; hangs: unknown[]; slow: unknown[] }
const fuzzResult: { final: FuzzFinal | null } = { final: null };
createInterface({ input: fuzz.stdout! }).on('line', (l) => {
  try {
    const m = JSON.parse(l) as Record<string, unknown>;
    if ('final' in m) fuzzResult.final = m as unknown as FuzzFinal;
    else fuzzLast = m;
  } catch {
    console.log(`fuzz: ${l}`);
  }
});
const fuzzExit = new Promise<number | null>((r) => fuzz.once('exit', (code) => r(code)));

// ---- providers ----
const radicale = await startRadicale();
const davCals: string[] = [];
for (const name of ['soak-a', 'soak-b']) {
  const url = await makeCalendar(radicale, name);
  davCals.push(url);
  const dir = join(radicale.storageDir, 'collection-root', radicale.username, name);
  await mkdir(dir, { recursive: true });
  // Large enough that an hour of the other client's edits, caught up after a backlog, stays under the
  // mass-change guard's 20% of the calendar (with 300 a pull after ~3 minutes behind tripped it).
  for (let i = 0; i < SEEDS; i++) {
    await writeFile(join(dir, `seed-${i}.ics`), icsOf({ uid: `${name}-seed-${i}`, summary: `seed ${i}`, start: `DTSTART:${day(i).replace(/-/g, '')}T${String(7 + (i % 10)).padStart(2, '0')}0000Z`,
      end: `DTEND:${day(i).replace(/-/g, '')}T${String(7 + (i % 10)).padStart(2, '0')}3000Z`, extra: i % 15 === 0 ? ['RRULE:FREQ=WEEKLY;COUNT=30'] : [] }));
  }
}
const googlePort = 20000 + Math.floor(Math.random() * 20000);
const google = spawn(process.execPath, ['--import', 'tsx', new URL('../../emulators/google/main.ts', import.meta.url).pathname, '--port', String(googlePort), '--user', 'soak@example.com'], { stdio: ['ignore', 'pipe', 'inherit'] });
children.push(google);
const grant = await new Promise<{ accessToken: string; refreshToken: string }>((resolve, reject) => {
  createInterface({ input: google.stdout! }).on('line', (l) => {
    if (l.startsWith('{')) resolve(JSON.parse(l) as { accessToken: string; refreshToken: string });
  });
  google.once('exit', (c) => reject(new Error(`the Google emulator exited with ${c}`)));
});
const googleUrl = `http://127.0.0.1:${googlePort}`;
/**
 * The soak's own Google client (the other side of the sync): its access token, refreshed as any
 * client refreshes one before its hour is up. Without it, the last minutes of an hour-long soak
 * counted its own 401s ("google change: emulator insert 401") as errors.
 */
let googleAccess = { token: grant.accessToken, until: Date.now() + 50 * 60_000 };
async function googleToken(): Promise<string> {
  if (Date.now() < googleAccess.until) return googleAccess.token;
  const r = await fetch(`${googleUrl}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: grant.refreshToken, client_id: 'soak' }),
  });
  if (!r.ok) throw new Error(`emulator token refresh ${r.status}`);
  const t = (await r.json()) as { access_token: string; expires_in: number };
  googleAccess = { token: t.access_token, until: Date.now() + (t.expires_in - 600) * 1000 };
  return googleAccess.token;
}

// ---- the hub ----
dataDir = await mkdtemp(join(tmpdir(), 'calhub-soak-'));
const store = await Store.open({ dataDir });
await store.migrate();
const redis = new Redis(process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const prefix = `calhub-soak-${randomBytes(4).toString('hex')}`;
const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
const hub = await openHub({
  store, redis, keyring, metrics: createMetrics(), logger: createLogger({ level: 'warn' }),
  config: loadConfig({ CALDAV_ALLOW_PRIVATE_NETWORKS: 'true', GOOGLE_CLIENT_ID: 'soak', GOOGLE_OAUTH_BASE_URL: googleUrl, GOOGLE_API_BASE_URL: googleUrl, SYNC_POLL_INTERVAL_MS: '15000' }),
  engine: { prefix },
});
const app = await buildApp({ hub });
await app.listen({ port: 0, host: '127.0.0.1' });
const api = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

const { tenant, apiKey } = await store.tenants.create('soak');
const t = store.tenant(tenant.id);
const davAccount = await t.accounts.upsert({
  provider: 'caldav', externalId: radicale.username, config: { serverUrl: radicale.homeUrl },
  credentials: keyring.encrypt(JSON.stringify({ username: radicale.username, password: radicale.password })),
});
const davIds = (await t.calendars.upsertMany(davAccount.id, davCals.map((u, i) => ({ providerCalendarId: u, name: `dav${i}`, timeZone: 'UTC', color: null, readOnly: false })))).map((c) => c.id);
const gAccount = await t.accounts.upsert({
  provider: 'google', externalId: 'soak@example.com', config: { baseUrl: googleUrl },
  credentials: keyring.encrypt(JSON.stringify({ accessToken: grant.accessToken, refreshToken: grant.refreshToken, expiresAt: Date.now() + 3_600_000, scope: '', access: 'readwrite', app: 'default' })),
});
const gIds = (await t.calendars.upsertMany(gAccount.id, [{ providerCalendarId: 'primary', name: 'google', timeZone: 'UTC', color: null, readOnly: false }])).map((c) => c.id);
await hub.startWorkers();
for (const id of [...davIds, ...gIds]) await hub.requestPull(tenant.id, id);

// ---- load ----
const counts = { apiWrites: 0, apiErrors: 0, freebusy: 0, davChanges: 0, googleChanges: 0, errors: 0 };
let latencies: number[] = [];
let running = true;
const errorsSeen = new Set<string>();
const note = (what: string, e: unknown) => {
  counts.errors += 1;
  const m = `${what}: ${(e as Error).message}`.slice(0, 200);
  if (!errorsSeen.has(m) && errorsSeen.size < 20) {
    errorsSeen.add(m);
    console.log(`soak: ${m}`);
  }
};
const auth = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
const loop = (every: number, fn: (n: number) => Promise<void>, what: string) => (async () => {
  for (let n = 0; running; n++) {
    await fn(n).catch((e: unknown) => note(what, e));
    await sleep(every);
  }
})();

const hubEvents: string[] = [];
const loops = [
  // API writes: create; edit and delete the older ones, so the calendars stay about the same size.
  loop(300, async (n) => {
    const cal = davIds[n % davIds.length]!;
    if (hubEvents.length > 40 && n % 3 !== 0) {
      const id = hubEvents.shift()!;
      const r = n % 3 === 1
        ? await fetch(`${api}/v1/events/${id}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ title: `edited ${n}` }) })
        : await fetch(`${api}/v1/events/${id}`, { method: 'DELETE', headers: { authorization: auth.authorization } });
      if (r.ok && n % 3 === 1) hubEvents.push(id);
      if (!r.ok && r.status !== 404 && r.status !== 409) counts.apiErrors += 1;
      counts.apiWrites += 1;
      return;
    }
    const start = `${day(n)}T${String(18 + (n % 4)).padStart(2, '0')}:00:00Z`;
    const body = { title: `api ${n}`, start: { dateTime: start, timeZone: 'UTC' }, end: { dateTime: start.replace(/:00:00Z$/, ':30:00Z'), timeZone: 'UTC' }, ...(n % 7 === 0 ? { recurrence: { rrules: ['FREQ=DAILY;COUNT=10'] } } : {}) };
    const r = await fetch(`${api}/v1/calendars/${cal}/events`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
    counts.apiWrites += 1;
    if (r.status === 201) hubEvents.push(((await r.json()) as { id: string }).id);
    else counts.apiErrors += 1;
  }, 'api write'),
  loop(50, async () => {
    const t0 = performance.now();
    const r = await fetch(`${api}/v1/freebusy`, { method: 'POST', headers: auth, body: JSON.stringify({ calendarIds: [...davIds, ...gIds], timeMin: '2026-12-01T00:00:00Z', timeMax: '2027-01-01T00:00:00Z' }) });
    await r.arrayBuffer();
    latencies.push(performance.now() - t0);
    counts.freebusy += 1;
    if (r.status !== 200) throw new Error(`free/busy answered ${r.status}`);
  }, 'free/busy'),
  // Another CalDAV client: a new event, an edit, a delete; the hub finds them by polling and pulls.
  loop(1000, async (n) => {
    const cal = davCals[n % davCals.length]!;
    const uid = `other-${Math.floor(n / 3)}`;
    const url = new URL(`${uid}.ics`, cal).toString();
    if (n % 3 === 2) await davFetch(radicale, url, { method: 'DELETE' });
    else await davFetch(radicale, url, { method: 'PUT', body: icsOf({ uid, summary: `other ${n}`, start: `DTSTART:${day(n).replace(/-/g, '')}T120000Z`, end: 'DTEND:' + `${day(n).replace(/-/g, '')}T130000Z` }) });
    counts.davChanges += 1;
    if (n % 5 === 0) await hub.requestPull(tenant.id, davIds[n % davIds.length]!);
  }, 'caldav change'),
  // Changes on the Google emulator through its API, then a pull as a push notification would ask.
  loop(1000, async (n) => {
    const base = `${googleUrl}/calendar/v3/calendars/primary/events`;
    const h = { authorization: `Bearer ${await googleToken()}`, 'content-type': 'application/json' };
    const start = `${day(n)}T15:00:00Z`;
    const r = await fetch(base, { method: 'POST', headers: h, body: JSON.stringify({ summary: `g ${n}`, start: { dateTime: start }, end: { dateTime: start.replace('15:00', '16:00') } }) });
    if (!r.ok) throw new Error(`emulator insert ${r.status}`);
    const { id } = (await r.json()) as { id: string };
    await fetch(`${base}/${id}`, { method: 'PATCH', headers: h, body: JSON.stringify({ summary: `g ${n} edited` }) });
    if (n % 4 !== 0) await fetch(`${base}/${id}`, { method: 'DELETE', headers: h });
    counts.googleChanges += 1;
    await hub.requestPull(tenant.id, gIds[0]!);
  }, 'google change'),
];

// ---- sampling ----
interface Sample { minute: number; rss: number; heap: number; fbP50: number; fbP99: number; fbN: number; apiWrites: number; davChanges: number; googleChanges: number; fuzz: unknown; warm: boolean }
const samples: Sample[] = [];
const started = Date.now();
const header = 'minute  rss MB  heap MB  fb p50 ms  fb p99 ms  fb n  api writes  dav chg  google chg  fuzz iterations';
console.log(`soak: ${MINUTES} min of mixed load, warm-up ${(WARMUP_MS / 60_000).toFixed(1)} min, RSS sampled every ${SAMPLE_MS / 1000} s; fuzzing ${FUZZ} iterations alongside\n${header}`);
const row = (s: Sample) => `${s.minute.toFixed(1).padStart(6)}  ${mb(s.rss).padStart(6)}  ${mb(s.heap).padStart(7)}  ${s.fbP50.toFixed(1).padStart(9)}  ${s.fbP99.toFixed(1).padStart(9)}  ${String(s.fbN).padStart(4)}  ${String(s.apiWrites).padStart(10)}  ${String(s.davChanges).padStart(7)}  ${String(s.googleChanges).padStart(10)}  ${String(s.fuzz ?? '').padStart(15)}${s.warm ? '  <- after warm-up' : ''}`;
while (Date.now() - started < MINUTES * 60_000) {
  await sleep(SAMPLE_MS);
  const m = process.memoryUsage();
  const warm = samples.every((s) => !s.warm) && Date.now() - started >= WARMUP_MS;
  const s: Sample = { minute: (Date.now() - started) / 60_000, rss: m.rss, heap: m.heapUsed, fbP50: pct(latencies, 50), fbP99: pct(latencies, 99), fbN: latencies.length, ...counts, fuzz: fuzzLast['iterations'], warm };
  latencies = [];
  samples.push(s);
  console.log(row(s));
}
running = false;
await Promise.all(loops);

// ---- verdict ----
const warmSample = samples.find((s) => s.warm);
const last = samples[samples.length - 1]!;
let rssOk = false;
if (warmSample) {
  const change = (last.rss - warmSample.rss) / warmSample.rss;
  rssOk = Math.abs(change) <= RSS_TOLERANCE;
  console.log(`soak: RSS after warm-up ${mb(warmSample.rss)} MB at minute ${warmSample.minute.toFixed(1)}, at the end ${mb(last.rss)} MB (${(change * 100).toFixed(1)}%, bound ±${RSS_TOLERANCE * 100}%): ${rssOk ? 'ok' : 'FAILED'}`);
} else console.log('soak: the run ended before the warm-up did; no RSS verdict (use more --minutes)');
console.log(`soak: load totals ${JSON.stringify(counts)}`);
// A calendar the mass-change guard flagged stops syncing: the rest of the run did not exercise it.
const flagged = await store.db.query<{ name: string; flagged_reason: string }>(`SELECT name, flagged_reason FROM calendars WHERE flagged_reason IS NOT NULL`);
console.log(`soak: calendars flagged by the mass-change guard: ${flagged.length}${flagged.map((c) => ` (${c.name}: ${c.flagged_reason})`).join('')}`);

await app.close();
await hub.close();
// The queue's keys under this run's prefix (obliterating while workers still finish jobs makes BullMQ complain).
const keys = await redis.keys(`${prefix}:*`);
for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
redis.disconnect();
await store.close();
google.kill('SIGTERM');
await radicale.stop();
await rm(dataDir, { recursive: true, force: true });

console.log(`soak: waiting for the fuzzing to reach ${FUZZ} iterations (at ${String(fuzzLast['iterations'] ?? 0)})`);
const fuzzCode = await fuzzExit;
const f = fuzzResult.final;
if (f) {
  console.log(`soak: fuzz ${f.final['iterations']} iterations in ${f.final['seconds']} s (seed ${f.final['seed']}): ${f.final['ok']} parsed, ${f.final['quarantined']} quarantined, ` +
    `${f.final['crashes']} crashes, ${f.final['hangs']} hangs, ${f.final['slow']} over budget; slowest ${f.final['maxMs']} ms of CPU`);
  if (f.crashes.length || f.hangs.length || f.slow.length) console.log(JSON.stringify({ crashes: f.crashes, hangs: f.hangs, slow: f.slow }, null, 1).slice(0, 6000));
} else console.log(`soak: the fuzzing process exited with ${fuzzCode} and no result`);
const fuzzOk = !!f && f.final['crashes'] === 0 && f.final['hangs'] === 0 && f.final['slow'] === 0 && f.final['iterations']! >= FUZZ;
process.exit(rssOk && fuzzOk ? 0 : 1);
