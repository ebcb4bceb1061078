/**
 * Issue 12, "Done when" 3, for the one-process hub: `kill -9` of `calhub start` (embedded PGlite,
 * managed redis-server) while it pulls a large Radicale calendar and has API writes in its outbox.
 * The managed redis-server must die with it (no orphan), the restarted hub must finish the
 * interrupted sync and the pending writes within 30 s of coming up, and afterwards the store and
 * the server hold every event exactly once. (A killed worker process of a split deployment is
 * kill-worker.int.test.ts; the redis-server's own ties to its parent are managed-redis.int.test.ts.)
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Store } from '../../shared/store/index.ts';
import { calhub, startHub, stopHub } from '../support/cli.ts';
import { icsOf, serverObjects } from '../support/dav-content.ts';
import { hasBinary, makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { processAlive } from '../../shared/process-alive.ts';

const ITEMS = Number(process.env['KILL_HUB_ITEMS'] ?? 1500);
const WRITES = 5;
const RESUME_WITHIN_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** redis-server processes whose command line or working directory points into the data dir. */
function redisServersOf(dataDir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (!cmd.startsWith('redis-server') && !cmd.includes('/redis-server')) continue;
      if (cmd.includes(dataDir) || readFileSync(`/proc/${name}/environ`, 'utf8').includes(dataDir)) out.push(Number(name));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

describe('kill -9 of `calhub start` mid-sync', { skip: (!hasBinary('radicale') || !hasBinary('redis-server')) && 'radicale or redis-server is not installed' }, () => {
  let dav: DavServer;
  let dataDir = '';
  let env: Record<string, string> = {};
  let tenantId = '';
  let apiKey = '';
  let calendarId = '';
  let accountId = '';
  let calUrl = '';
  const hubs: Array<Awaited<ReturnType<typeof startHub>>> = [];

  before(async () => {
    dav = await startRadicale();
    calUrl = await makeCalendar(dav, 'big');
    dataDir = await mkdtemp(join(tmpdir(), 'calhub-kill-hub-'));
    env = { CALHUB_DATA_DIR: dataDir, CALDAV_ALLOW_PRIVATE_NETWORKS: 'true', REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'info' };
    const ok = async (args: string[], stdin = '') => {
      const r = await calhub(args, env, 300_000, stdin);
      assert.equal(r.code, 0, `calhub ${args.join(' ')}: ${r.stderr}`);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };
    tenantId = (await ok(['tenants', 'create', 'kill-hub', '--json'])).id as string;
    apiKey = (await ok(['tenants', 'api-keys', 'create', '--tenant', tenantId, '--json'])).apiKey as string;
    const account = await ok(['accounts', 'connect', 'caldav', '--tenant', tenantId, '--url', dav.url, '--username', dav.username, '--password-stdin', '--json'], `${dav.password}\n`);
    accountId = account.id as string;
    calendarId = (account.calendars as Array<{ id: string; name: string }>).find((c) => c.name === 'big')!.id;
    // Seeded straight into Radicale's storage (a PUT each would take minutes): the hub has not
    // seen any of it, so its next pull lists and fetches them all.
    const dir = join(dav.storageDir, 'collection-root', dav.username, 'big');
    await mkdir(dir, { recursive: true });
    for (let i = 0; i < ITEMS; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const hour = String(6 + (i % 12)).padStart(2, '0');
      await writeFile(join(dir, `seed-${i}.ics`), icsOf({ uid: `seed-${i}@kill-hub`, summary: `seed ${i} ${'x'.repeat(200)}`, start: `DTSTART:202612${day}T${hour}0000Z`, end: `DTEND:202612${day}T${hour}3000Z` }));
    }
  });

  after(async () => {
    for (const h of hubs) await stopHub(h.child, dataDir).catch(() => null);
    await dav?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(`the restarted hub finishes the interrupted sync and the pending writes within ${RESUME_WITHIN_MS / 1000} s; no orphan redis-server, nothing lost or doubled`, { timeout: 600_000 }, async (t) => {
    const first = await startHub(env);
    hubs.push(first);
    let store = await Store.open({ dataDir });
    const stage = async () => (await store.tenant(tenantId).calendars.get(calendarId))?.syncStage;
    const count = async () => (await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE calendar_id = $1', [calendarId]))[0]!.n;

    const resync = await calhub(['resync', accountId], env, 120_000);
    assert.equal(resync.code, 0, resync.stderr);
    const until = Date.now() + 120_000;
    while ((await stage()) !== 'running') {
      assert.ok(Date.now() < until, `the pull never started:\n${first.log().slice(-3000)}`);
      await sleep(20);
    }
    // Hub-side writes while the pull runs: they sit in the outbox (pushes wait for the calendar).
    const titles: string[] = [];
    for (let i = 0; i < WRITES; i++) {
      const title = `api write ${i}`;
      const r = await fetch(`${first.url}/v1/calendars/${calendarId}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title, start: { dateTime: `2026-12-0${1 + i}T19:00:00Z`, timeZone: 'UTC' }, end: { dateTime: `2026-12-0${1 + i}T20:00:00Z`, timeZone: 'UTC' } }),
      });
      assert.equal(r.status, 201, await r.text());
      titles.push(title);
    }
    // Kill once part of the pull is committed: the restarted hub must continue, not double it.
    const partial = Date.now();
    while ((await count()) <= WRITES && (await stage()) === 'running' && Date.now() - partial < 60_000) await sleep(20);
    const atKill = { stage: await stage(), events: await count() };
    const [held] = await store.db.query<{ owner: string | null }>('SELECT stage_owner AS owner FROM calendars WHERE id = $1', [calendarId]);
    const deadOwner = held!.owner;
    const [pending] = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE calendar_id = $1', [calendarId]);
    const pidLine = readFileSync(join(dataDir, 'run', 'redis.pid'), 'utf8').trim().split(/\s+/).map(Number);
    const redisPid = pidLine[0]!;
    assert.ok(processAlive(redisPid), 'the managed redis-server runs');
    assert.ok(redisServersOf(dataDir).includes(redisPid), 'the orphan check below can see this data dir\'s redis-server');

    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    hubs.splice(hubs.indexOf(first), 1);
    await store.close().catch(() => {});
    t.diagnostic(`killed with the calendar ${atKill.stage}, ${atKill.events - WRITES} of ${ITEMS} pulled events stored, ${pending!.n} writes in the outbox`);
    assert.equal(atKill.stage, 'running', 'the kill hit a running sync');
    assert.ok(atKill.events > WRITES && atKill.events < ITEMS + WRITES, `the kill came after part of the pull was committed, before its end (${atKill.events - WRITES} of ${ITEMS})`);

    // The managed redis-server dies with its calhub: no orphan keeps the AOF directory.
    const killedAt = Date.now();
    while (processAlive(redisPid) && Date.now() - killedAt < 15_000) await sleep(100);
    const redisGoneMs = Date.now() - killedAt;
    assert.equal(processAlive(redisPid), false, `redis-server ${redisPid} outlived its calhub by 15 s`);
    assert.deepEqual(redisServersOf(dataDir), [], 'no redis-server of this data dir is left');

    const restartAt = Date.now();
    const second = await startHub(env);
    hubs.push(second);
    const upAt = Date.now();
    const startMs = upAt - restartAt;
    store = await Store.open({ dataDir });
    let last = { events: 0, outbox: -1, stage: '' as string | undefined };
    let resumeMs: number | null = null;
    while (Date.now() - upAt < 180_000) {
      const [o] = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE calendar_id = $1', [calendarId]);
      const [run] = await store.db.query<{ owner: string | null }>('SELECT stage_owner AS owner FROM calendars WHERE id = $1', [calendarId]);
      last = { events: await count(), outbox: o!.n, stage: await stage() };
      // Resumed: a run of the new process holds the calendar, or the work moved on.
      if (resumeMs === null && ((last.stage === 'running' && run!.owner !== deadOwner) || last.events > atKill.events || last.outbox < pending!.n)) resumeMs = Date.now() - upAt;
      if (last.events === ITEMS + WRITES && last.outbox === 0 && last.stage !== 'running') break;
      await sleep(100);
    }
    const doneMs = Date.now() - upAt;
    const summary = `kill-hub: killed mid-pull at ${atKill.events - WRITES}/${ITEMS} pulled events with ${pending!.n} writes pending; redis-server gone ${redisGoneMs} ms after the kill; ` +
      `restart took ${startMs} ms; the sync resumed ${resumeMs} ms after the restart and was done after ${doneMs} ms (${JSON.stringify(last)})`;
    console.log(summary);
    t.diagnostic(summary);
    assert.equal(last.events, ITEMS + WRITES, `${summary}\n${second.log().slice(-3000)}`);
    assert.equal(last.outbox, 0, summary);
    assert.notEqual(last.stage, 'running', summary);
    assert.ok(resumeMs !== null && resumeMs <= RESUME_WITHIN_MS, summary);

    // Exactly once, in the store and on the server.
    const rows = await store.tenant(tenantId).events.list(calendarId);
    const uids = rows.map((r) => r.event.uid);
    assert.deepEqual(uids.filter((u, i) => uids.indexOf(u) !== i), [], 'a UID stored twice');
    const stored = rows.map((r) => r.event.title ?? '');
    for (const title of titles) assert.equal(stored.filter((x) => x === title).length, 1, title);
    await store.close();
    const onServer = await serverObjects(dav, calUrl);
    const serverUids = onServer.flatMap((o) => o.events.map((e) => e.uid));
    assert.equal(serverUids.length, ITEMS + WRITES, 'the server holds every event once');
    assert.equal(new Set(serverUids).size, serverUids.length, 'a UID twice on the server');
    for (const title of titles) assert.equal(onServer.filter((o) => o.events.some((e) => e.title === title)).length, 1, `${title} on the server`);

    const code = await stopHub(second.child, dataDir);
    hubs.splice(hubs.indexOf(second), 1);
    assert.equal(code, 0, 'the restarted hub stops cleanly');
    const stoppedAt = Date.now();
    while (redisServersOf(dataDir).length > 0 && Date.now() - stoppedAt < 10_000) await sleep(100);
    assert.deepEqual(redisServersOf(dataDir), [], 'no redis-server left after a clean stop');
    assert.ok(!existsSync(join(dataDir, 'run', 'redis.pid')) || !processAlive(Number(readFileSync(join(dataDir, 'run', 'redis.pid'), 'utf8').split(/\s+/)[0])));
  });
});
