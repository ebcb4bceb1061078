/**
 * `calhub resync` when things go wrong, against a real Radicale reached through a proxy the test
 * can stop (the server is gone: connections are refused) or make refuse writes (403). A failed
 * sync or a refused write must exit 1, name the error, and stay visible in `accounts list`, in
 * this process and through the queue of a running hub. Also: `--full` really lists everything.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { calhub, editInHub, forgetInHub, startHub, stopHub, withStore, type CliResult } from '../support/cli.ts';
import { putEvent, serverObjects, type SeedEvent } from '../support/dav-content.ts';
import { makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { forwardTo } from '../support/forward.ts';

const review: SeedEvent = { uid: 'review-1@other-client', summary: 'Review', start: 'DTSTART:20261211T100000Z', end: 'DTEND:20261211T110000Z' };
const dentist: SeedEvent = { uid: 'dentist-1@other-client', summary: 'Dentist', start: 'DTSTART:20261210T140000Z', end: 'DTEND:20261210T150000Z' };

interface CalendarReport {
  id: string;
  name: string;
  outcome: string;
  error: string | null;
  stage: string;
  lastError: string | null;
  failedWrites: number;
  writeErrors: string[];
  events: number;
  fullListing: boolean | null;
}
interface Report {
  mode: string;
  ok: boolean;
  full: boolean;
  calendars: CalendarReport[];
}
interface AccountRow {
  id: string;
  errors: Array<{ calendarId: string; name: string; error: string }>;
}

/** Forwards to Radicale; `stop()` closes the port like a stopped server, `refuseWrites` answers PUT/DELETE with 403. */
async function flakyProxy(target: string) {
  let refuseWrites = false;
  const server = http.createServer((req, res) => {
    if (refuseWrites && (req.method === 'PUT' || req.method === 'DELETE')) {
      req.resume();
      res.writeHead(403, { 'content-type': 'text/plain' }).end('writes are not allowed');
      return;
    }
    forwardTo(target, req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    setRefuseWrites: (on: boolean) => void (refuseWrites = on),
    stop: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
    start: () => new Promise<void>((r) => server.listen(port, '127.0.0.1', r)),
  };
}

let server: DavServer;
let proxy: Awaited<ReturnType<typeof flakyProxy>>;
let dataDir: string;
let env: Record<string, string>;
let workUrl: string;
const outputs: CliResult[] = [];

async function run(args: string[]): Promise<CliResult> {
  const r = await calhub(args, env);
  outputs.push(r);
  return r;
}

async function resync(...flags: string[]): Promise<{ r: CliResult; report: Report; work: CalendarReport }> {
  const r = await run(['resync', accountId, '--wait', '--json', ...flags]);
  assert.ok(r.stdout.trim().startsWith('{'), `no JSON report (exit ${r.code}): ${r.stderr}`);
  const report = JSON.parse(r.stdout) as Report;
  return { r, report, work: report.calendars.find((c) => c.name === 'Work')! };
}

async function accountErrors(): Promise<AccountRow['errors']> {
  const l = await run(['accounts', 'list', '--json']);
  assert.equal(l.code, 0, l.stderr);
  return (JSON.parse(l.stdout) as AccountRow[]).find((a) => a.id === accountId)!.errors;
}

let tenantId = '';
let accountId = '';
let workId = '';

before(async () => {
  server = await startRadicale();
  workUrl = await makeCalendar(server, 'Work');
  await putEvent(server, workUrl, review);
  await putEvent(server, workUrl, dentist);
  proxy = await flakyProxy(server.url);
  dataDir = await mkdtemp(join(tmpdir(), 'calhub-cli-failures-'));
  // The password travels in the environment, never in argv (issue 18).
  env = { CALHUB_DATA_DIR: dataDir, CALDAV_ALLOW_PRIVATE_NETWORKS: 'true', REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'info', CALHUB_CALDAV_PASSWORD: server.password };
  const t = await run(['tenants', 'create', 'failures', '--json']);
  assert.equal(t.code, 0, t.stderr);
  tenantId = (JSON.parse(t.stdout) as { id: string }).id;
  const c = await run(['accounts', 'connect', 'caldav', '--tenant', tenantId, '--url', proxy.url, '--username', server.username, '--json']);
  assert.equal(c.code, 0, c.stderr);
  const connected = JSON.parse(c.stdout) as { id: string; calendars: Array<{ id: string; name: string }> };
  accountId = connected.id;
  workId = connected.calendars.find((x) => x.name === 'Work')!.id;
});

after(async () => {
  await proxy?.stop().catch(() => undefined);
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('calhub resync reports failures', () => {
  it('--full lists every item: it brings back an object the hub lost, which an incremental sync cannot see', async () => {
    const first = await resync();
    assert.equal(first.r.code, 0, first.r.stderr);
    assert.equal(first.work.events, 2);
    await forgetInHub(dataDir, tenantId, workId, dentist.uid);

    const incremental = await resync();
    assert.equal(incremental.r.code, 0, incremental.r.stderr);
    assert.deepEqual([incremental.work.fullListing, incremental.work.events], [false, 1], 'nothing changed on the server, so a delta sync sees nothing');

    const full = await resync('--full');
    assert.equal(full.r.code, 0, full.r.stderr);
    assert.equal(full.report.full, true);
    assert.deepEqual([full.work.fullListing, full.work.events, full.work.outcome], [true, 2, 'ok']);
  });

  it('a stopped server: exit 1, the error on stderr and in the report, the calendar marked failed, and accounts list shows it', async () => {
    await proxy.stop();
    const { r, report, work } = await resync();
    assert.equal(r.code, 1, r.stderr);
    assert.equal(report.mode, 'in-process');
    assert.equal(report.ok, false);
    assert.deepEqual([work.outcome, work.stage], ['failed', 'failed']);
    assert.match(work.lastError ?? '', /^CONNECTOR_TRANSIENT: /);
    assert.match(work.error ?? '', /CONNECTOR_TRANSIENT/);
    assert.match(r.stderr, new RegExp(`calendar "Work" \\(${workId}\\): .*CONNECTOR_TRANSIENT`));

    const errors = await accountErrors();
    assert.deepEqual(errors.map((e) => [e.calendarId, e.name]), [[workId, 'Work']]);
    assert.match(errors[0]!.error, /^sync failed: CONNECTOR_TRANSIENT/);
    const human = await run(['accounts', 'list']);
    assert.match(human.stdout, /Work: sync failed: CONNECTOR_TRANSIENT/);
  });

  it('a stopped server through the queue of a running hub: --wait ends at the first failure with exit 1', async () => {
    const hub = await startHub(env);
    try {
      const started = Date.now();
      const { r, report, work } = await resync();
      assert.equal(r.code, 1, `${r.stderr}\n${hub.log()}`);
      assert.equal(report.mode, 'queue');
      assert.deepEqual([work.outcome, work.stage], ['failed', 'failed']);
      assert.match(work.error ?? '', /CONNECTOR_TRANSIENT/);
      assert.ok(Date.now() - started < 60_000, 'resync --wait sat through the retries');
    } finally {
      assert.equal(await stopHub(hub.child, dataDir), 0, hub.log().slice(-3000));
    }
  });

  it('once the server is back, resync succeeds and the error is cleared', async () => {
    await proxy.start();
    const { r, work } = await resync();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([work.outcome, work.stage, work.lastError, work.error], ['ok', 'idle', null, null]);
    assert.deepEqual(await accountErrors(), []);
  });

  it('a write the server refuses: exit 1 in this process and through the queue; once allowed it reaches the server', async () => {
    proxy.setRefuseWrites(true);
    await editInHub(dataDir, tenantId, workId, review.uid, (e) => ({ ...e, title: 'Review (moved)' }));
    const local = await resync();
    assert.equal(local.r.code, 1, local.r.stderr);
    assert.equal(local.work.stage, 'idle', 'the sync itself worked');
    assert.deepEqual([local.work.outcome, local.work.failedWrites], ['failed', 1]);
    assert.match(local.work.writeErrors[0] ?? '', /permission denied .*403/);
    assert.match(local.r.stderr, /1 local change\(s\) refused by the provider: permission denied/);
    assert.match((await accountErrors())[0]?.error ?? '', /refused by the provider/);

    const hub = await startHub(env);
    try {
      const queued = await resync();
      assert.equal(queued.r.code, 1, `${queued.r.stderr}\n${hub.log()}`);
      assert.equal(queued.report.mode, 'queue');
      assert.deepEqual([queued.work.outcome, queued.work.failedWrites], ['failed', 1]);
    } finally {
      assert.equal(await stopHub(hub.child, dataDir), 0, hub.log().slice(-3000));
    }

    proxy.setRefuseWrites(false);
    const fixed = await resync();
    assert.equal(fixed.r.code, 0, fixed.r.stderr);
    assert.deepEqual([fixed.work.outcome, fixed.work.failedWrites], ['ok', 0]);
    const titles = (await serverObjects(server, workUrl)).flatMap((o) => o.events.map((e) => e.title)).sort();
    assert.deepEqual(titles, ['Dentist', 'Review (moved)']);
    await withStore(dataDir, async (store) => {
      assert.deepEqual(await store.db.query('SELECT uid FROM outbox'), [], 'the outbox drained');
    });
  });

  it('never prints the password', () => {
    for (const o of outputs) assert.ok(!`${o.stdout}${o.stderr}`.includes(server.password), 'the password reached the output');
  });
});
