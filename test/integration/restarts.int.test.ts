/**
 * Issue 18's reliability rows: a Redis restart and a PostgreSQL restart while `calhub start` pulls a
 * large Radicale calendar with API writes in its outbox. Redis: the managed redis-server is killed
 * (-9) and the hub starts it again on its socket. PostgreSQL: a cluster of the test's own (Debian's
 * initdb / pg_ctl in a temp dir on a free port, never the machine's shared one) is restarted with
 * `pg_ctl restart -m immediate` (a crash, no shutdown checkpoint). Afterwards the store and the
 * server must hold every event exactly once, and the writes must have reached the server once.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Store } from '../../shared/store/index.ts';
import { calhub, startHub, stopHub } from '../support/cli.ts';
import { icsOf, serverObjects } from '../support/dav-content.ts';
import { hasBinary, makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { freePort } from '../support/free-port.ts';

const ITEMS = Number(process.env['RESTART_ITEMS'] ?? 800);
const WRITES = 5;
const PG_BIN = '/usr/lib/postgresql/15/bin';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const asPostgres = (cmd: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, cmd), ...args], { stdio: 'pipe', timeout: 120_000 });

/** A PostgreSQL cluster of this test's own; runs as the postgres user (initdb refuses root). */
async function startOwnPostgres(): Promise<{ url: string; restart(): void; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'calhub-own-pg-'));
  chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const data = join(dir, 'data');
  const port = await freePort();
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  asPostgres('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => void asPostgres('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-m', 'immediate', '-w', 'restart']),
    async stop() {
      try {
        asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

type Fault = 'redis' | 'postgres';

describe('restarts of Redis and PostgreSQL during syncs', { skip: (!hasBinary('radicale') || !hasBinary('redis-server') || !existsSync(join(PG_BIN, 'initdb'))) && 'radicale, redis-server or PostgreSQL 15 binaries missing' }, () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => null);
  });

  for (const fault of ['redis', 'postgres'] as Fault[]) {
    it(`${fault} restarted mid-pull with writes pending: every event once in the store and on the server`, { timeout: 900_000 }, async (t) => {
      const dav: DavServer = await startRadicale();
      cleanups.push(() => dav.stop());
      const calUrl = await makeCalendar(dav, 'big');
      const dataDir = await mkdtemp(join(tmpdir(), `calhub-restart-${fault}-`));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      // Both runs use a PostgreSQL of their own, so the test can watch the store while the hub runs.
      const pg = await startOwnPostgres();
      cleanups.push(() => pg.stop());
      const env = { CALHUB_DATA_DIR: dataDir, CALDAV_ALLOW_PRIVATE_NETWORKS: 'true', REDIS_URL: '', DATABASE_URL: pg.url, LOG_LEVEL: 'info', CALHUB_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}` };
      const ok = async (args: string[], stdin = '') => {
        const r = await calhub(args, env, 300_000, stdin);
        assert.equal(r.code, 0, `calhub ${args.join(' ')}: ${r.stderr}`);
        return JSON.parse(r.stdout || '{}') as Record<string, unknown>;
      };
      await ok(['migrate', '--json']);
      const tenantId = (await ok(['tenants', 'create', `restart-${fault}`, '--json'])).id as string;
      const apiKey = (await ok(['tenants', 'api-keys', 'create', '--tenant', tenantId, '--json'])).apiKey as string;
      const account = await ok(['accounts', 'connect', 'caldav', '--tenant', tenantId, '--url', dav.url, '--username', dav.username, '--password-stdin', '--json'], `${dav.password}\n`);
      const calendarId = (account.calendars as Array<{ id: string; name: string }>).find((c) => c.name === 'big')!.id;
      // Seeded into Radicale's storage: the hub's next pull lists and fetches them all.
      const dir = join(dav.storageDir, 'collection-root', dav.username, 'big');
      await mkdir(dir, { recursive: true });
      for (let i = 0; i < ITEMS; i++) {
        const day = String(1 + (i % 28)).padStart(2, '0');
        await writeFile(join(dir, `seed-${i}.ics`), icsOf({ uid: `seed-${i}@restart`, summary: `seed ${i}`, start: `DTSTART:202612${day}T${String(6 + (i % 12)).padStart(2, '0')}0000Z`, end: `DTEND:202612${day}T${String(6 + (i % 12)).padStart(2, '0')}3000Z` }));
      }

      const hub = await startHub(env);
      cleanups.push(() => stopHub(hub.child, dataDir));
      let reader = await Store.open({ databaseUrl: pg.url });
      // Our own connection dies with a PostgreSQL restart too: reopen it on an error.
      const q = async <T,>(sql: string, params: unknown[]): Promise<T[]> => {
        for (let i = 0; ; i++) {
          try {
            return await reader.db.query<T & Record<string, unknown>>(sql, params);
          } catch (e) {
            if (i > 20) throw e;
            await reader.close().catch(() => null);
            await sleep(500);
            reader = await Store.open({ databaseUrl: pg.url }).catch(() => reader);
          }
        }
      };
      const stage = async () => (await q<{ s: string }>('SELECT sync_stage AS s FROM calendars WHERE id = $1', [calendarId]))[0]?.s;
      const count = async () => (await q<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE calendar_id = $1', [calendarId]))[0]?.n ?? 0;

      assert.equal((await calhub(['resync', accountId(account)], env, 120_000)).code, 0);
      const titles: string[] = [];
      for (let i = 0; i < WRITES; i++) {
        const title = `api write ${i}`;
        const r = await fetch(`${hub.url}/v1/calendars/${calendarId}/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title, start: { dateTime: `2026-12-0${1 + i}T19:00:00Z`, timeZone: 'UTC' }, end: { dateTime: `2026-12-0${1 + i}T20:00:00Z`, timeZone: 'UTC' } }),
        });
        assert.equal(r.status, 201, await r.text());
        titles.push(title);
      }
      // Restart once part of the pull is committed, before its end.
      const started = Date.now();
      while ((await count()) <= WRITES + 50 && Date.now() - started < 120_000) await sleep(20);
      const before = { stage: await stage(), events: await count() };
      if (fault === 'redis') {
        const redisPid = Number(readFileSync(join(dataDir, 'run', 'redis.pid'), 'utf8').trim().split(/\s+/)[0]);
        process.kill(redisPid, 'SIGKILL');
      } else {
        pg.restart();
      }
      t.diagnostic(`${fault} restarted ${Date.now() - started} ms after the writes (calendar ${before.stage}, ${before.events - WRITES} of ${ITEMS} pulled events stored)`);

      // Settled: the pull done and the outbox empty, or the hub gave up.
      const settledBy = Date.now() + 240_000;
      const serverTitles = async () => (await serverObjects(dav, calUrl)).flatMap((o) => o.events.map((e) => e.title ?? ''));
      while (Date.now() < settledBy) {
        if (hub.child.exitCode !== null) break;
        const onServer = await serverTitles();
        if (titles.every((x) => onServer.includes(x)) && (await count()) === ITEMS + WRITES && (await stage()) !== 'running') break;
        await sleep(500);
      }
      // A late duplicate write could only come from a write still in the outbox (its answer lost,
      // tried again): wait until the calendar's outbox stays empty instead of a fixed 3 s.
      const outbox = async () => (await q<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE calendar_id = $1', [calendarId]))[0]?.n ?? 0;
      for (let calm = 0, until = Date.now() + 30_000; calm < 2 && Date.now() < until && hub.child.exitCode === null; await sleep(250)) calm = (await outbox()) === 0 ? calm + 1 : 0;
      const alive = hub.child.exitCode === null;
      await reader.close();
      await stopHub(hub.child, dataDir);
      const store = await Store.open({ databaseUrl: pg.url });
      const rows = await store.tenant(tenantId).events.list(calendarId);
      await store.close();
      const uids = rows.map((r) => r.event.uid);
      const stored = rows.map((r) => r.event.title ?? '');
      const onServer = await serverObjects(dav, calUrl);
      const serverUids = onServer.flatMap((o) => o.events.map((e) => e.uid));
      const lost = ITEMS + WRITES - new Set(uids).size + titles.filter((x) => !onServer.some((o) => o.events.some((e) => e.title === x))).length;
      const doubled = uids.length - new Set(uids).size + serverUids.length - new Set(serverUids).size;
      const summary = `restart-${fault}: hub alive after the restart: ${alive}; store ${rows.length} rows (${new Set(uids).size} UIDs), server ${serverUids.length} objects; lost ${lost}, duplicated ${doubled}`;
      console.log(summary);
      t.diagnostic(summary);
      assert.ok(alive, `${summary}\n${hub.log().slice(-3000)}`);
      assert.equal(new Set(uids).size, ITEMS + WRITES, summary);
      assert.equal(doubled, 0, summary);
      for (const title of titles) {
        assert.equal(stored.filter((x) => x === title).length, 1, title);
        assert.equal(onServer.filter((o) => o.events.some((e) => e.title === title)).length, 1, `${title} on the server`);
      }
    });
  }
});

const accountId = (account: Record<string, unknown>) => account.id as string;
