/**
 * Observability of a running hub (issue 14): every metric the Grafana dashboard and the alert rules
 * name is exported by `calhub start`; promtool accepts the rules; Debian's Prometheus scrapes the
 * hub on loopback and a sync metric comes back through its HTTP API; the queue dashboard at
 * /admin/queues answers 401 without the admin credential and shows the queues with it, in
 * headless Chromium.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { BIN, calhub, ROOT, startHub, stopHub, withSecretsDir } from '../support/cli.ts';
import { putEvent } from '../support/dav-content.ts';
import { hasBinary, makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { freePort } from '../support/free-port.ts';

const ADMIN_PASSWORD = 'correct-horse-battery-staple';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let server: DavServer;
let dataDir: string;
let hub: Awaited<ReturnType<typeof startHub>>;
let accountId: string;

/** Metric families an expression names: `calhub_x_bucket` belongs to the histogram `calhub_x`. */
function metricNames(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\bcalhub_[a-z0-9_]+/g)) names.add(m[0].replace(/_(bucket|sum|count)$/, ''));
  return [...names].sort();
}

before(async () => {
  server = await startRadicale();
  const work = await makeCalendar(server, 'Work');
  await putEvent(server, work, { uid: 'obs-1@test', summary: 'Observed', start: 'DTSTART:20261210T100000Z', end: 'DTEND:20261210T110000Z' });
  dataDir = await mkdtemp(join(tmpdir(), 'calhub-observability-'));
  const env = { CALHUB_DATA_DIR: dataDir, CALDAV_ALLOW_PRIVATE_NETWORKS: 'true', REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'info', CALHUB_ADMIN_PASSWORD: ADMIN_PASSWORD, CALHUB_CALDAV_PASSWORD: server.password };
  // Generous timeouts: this machine is shared, and a cold PGlite start is slow under load.
  const t = await calhub(['tenants', 'create', 'observed', '--json'], env, 300_000);
  assert.equal(t.code, 0, t.stderr);
  const tenantId = (JSON.parse(t.stdout) as { id: string }).id;
  const c = await calhub(['accounts', 'connect', 'caldav', '--tenant', tenantId, '--url', server.url, '--username', server.username, '--json'], env, 300_000);
  assert.equal(c.code, 0, c.stderr);
  accountId = (JSON.parse(c.stdout) as { id: string }).id;
  hub = await startHub(env, 300_000);
  // A sync through the hub's queue and worker, so the sync series carry samples.
  const r = await calhub(['resync', accountId, '--wait', '--json'], env, 300_000);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { mode: string }).mode, 'queue');
});

after(async () => {
  if (hub) await stopHub(hub.child, dataDir);
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('metrics, dashboard and alert rules', () => {
  it('every metric the dashboard and the rules name is exported by the running hub', async () => {
    const exposition = await (await fetch(`${hub.url}/metrics`)).text();
    const exported = new Set([...exposition.matchAll(/^# TYPE (calhub_[a-z0-9_]+) /gm)].map((m) => m[1]!));
    const dashboard = await readFile(join(ROOT, 'deploy/grafana/calhub.json'), 'utf8');
    const rules = await readFile(join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8');
    const exprs = (JSON.parse(dashboard) as { panels: Array<{ targets?: Array<{ expr: string }> }> }).panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    const named = metricNames(`${exprs.join('\n')}\n${rules}`);
    assert.ok(named.length >= 15, `the dashboard and rules name ${named.length} metrics`);
    assert.deepEqual(named.filter((n) => !exported.has(n)), [], 'named but not exported');
    assert.match(exposition, /^calhub_sync_runs_total\{provider="caldav",job="pull",outcome="ok"\} [1-9]/m);
    assert.match(exposition, /^calhub_provider_requests_total\{provider="caldav",status="ok"\} [1-9]/m);
    assert.match(exposition, /^calhub_accounts\{provider="caldav",status="active"\} 1$/m);
    // Bounded labels: no account, calendar or tenant ids in any series.
    assert.doesNotMatch(exposition, /(acc|cal|ten)_[A-Za-z0-9]{8,}/);
  });

  it('promtool accepts the alert rules', () => {
    assert.ok(hasBinary('promtool'), "promtool is missing: install Debian's prometheus package (scripts/ensure-services.mjs does)");
    const r = spawnSync('promtool', ['check', 'rules', join(ROOT, 'deploy/prometheus/alerts.yml')], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /SUCCESS: 11 rules found/);
  });
});

describe('Prometheus against the hub', () => {
  let prom: ChildProcess | null = null;
  let promDir = '';
  after(async () => {
    if (prom && prom.exitCode === null) {
      const exited = new Promise((r) => prom!.once('exit', r));
      prom.kill('SIGTERM');
      await exited;
    }
    if (promDir) await rm(promDir, { recursive: true, force: true });
  });

  it('scrapes the hub on loopback; a sync metric and the loaded rules come back through its HTTP API', async () => {
    assert.ok(hasBinary('prometheus'), "prometheus is missing: install Debian's prometheus package (scripts/ensure-services.mjs does)");
    promDir = await mkdtemp(join(tmpdir(), 'calhub-prometheus-'));
    const port = await freePort();
    const target = new URL(hub.url).host;
    await writeFile(
      join(promDir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: ['${join(ROOT, 'deploy/prometheus/alerts.yml')}']`,
        'scrape_configs:',
        "  - job_name: calhub",
        `    static_configs: [{ targets: ['${target}'] }]`,
        '',
      ].join('\n'),
    );
    let log = '';
    prom = spawn('prometheus', [`--config.file=${join(promDir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(promDir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    prom.stdout!.on('data', (d) => (log = (log + d).slice(-4000)));
    prom.stderr!.on('data', (d) => (log = (log + d).slice(-4000)));
    const api = `http://127.0.0.1:${port}/api/v1`;
    const query = encodeURIComponent('sum(calhub_sync_runs_total{provider="caldav",outcome="ok"})');
    let value: number | null = null;
    for (let i = 0; i < 120 && value === null; i++) {
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(prom.exitCode, null, `prometheus exited:\n${log}`);
      const body = (await fetch(`${api}/query?query=${query}`).then((r) => r.json()).catch(() => null)) as { data?: { result?: Array<{ value: [number, string] }> } } | null;
      const v = body?.data?.result?.[0]?.value[1];
      if (v !== undefined) value = Number(v);
    }
    assert.ok(value !== null && value >= 1, `no sync metric came back from Prometheus:\n${log}`);
    const targets = (await (await fetch(`${api}/targets`)).json()) as { data: { activeTargets: Array<{ health: string; scrapeUrl: string }> } };
    assert.deepEqual(targets.data.activeTargets.map((t) => [t.scrapeUrl, t.health]), [[`${hub.url}/metrics`, 'up']]);
    const rules = (await (await fetch(`${api}/rules`)).json()) as { data: { groups: Array<{ rules: Array<{ name: string; health: string }> }> } };
    const loaded = rules.data.groups.flatMap((g) => g.rules);
    assert.equal(loaded.length, 11);
    for (let i = 0; i < 20 && loaded.some((r) => r.health !== 'ok'); i++) await new Promise((r) => setTimeout(r, 500));
    const again = (await (await fetch(`${api}/rules`)).json()) as typeof rules;
    assert.deepEqual(again.data.groups.flatMap((g) => g.rules).filter((r) => r.health !== 'ok').map((r) => r.name), [], 'every rule evaluates');
  });
});

describe('the queue dashboard', () => {
  it('answers 401 without the admin credential and shows the queues with it (headless Chromium)', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    try {
      // Headless Chromium ends a challenged navigation it has no credentials for as
      // ERR_INVALID_AUTH_CREDENTIALS, and shows the 401 after a wrong one; either way it saw a 401.
      const refused = async (credentials?: { username: string; password: string }) => {
        const page = await (await browser.newContext(credentials ? { httpCredentials: credentials } : {})).newPage();
        const seen: Array<{ status: number; challenge: string | undefined }> = [];
        page.on('response', (r) => seen.push({ status: r.status(), challenge: r.headers()['www-authenticate'] }));
        const answer = await page.goto(`${hub.url}/admin/queues`).catch((e: Error) => e);
        if (answer instanceof Error) assert.match(answer.message, /ERR_INVALID_AUTH_CREDENTIALS/);
        else assert.equal(answer?.status(), 401);
        // Nothing under the prefix answered anything but the challenge: no page, no queue data.
        assert.ok(seen.length > 0 && seen.every((r) => r.status === 401 && /^Basic /.test(r.challenge ?? '')), JSON.stringify(seen));
      };
      await refused();
      await refused({ username: 'admin', password: 'not-the-password-at-all' });
      const basic = (user: string, pw: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}` });
      assert.equal((await fetch(`${hub.url}/admin/queues`, { headers: basic('root', ADMIN_PASSWORD) })).status, 401);
      // The dashboard's JSON API is behind the same credential, not only its page.
      assert.equal((await fetch(`${hub.url}/admin/queues/api/queues`)).status, 401);

      const admin = await browser.newContext({ httpCredentials: { username: 'admin', password: ADMIN_PASSWORD } });
      const page = await admin.newPage();
      const ok = await page.goto(`${hub.url}/admin/queues`);
      assert.equal(ok?.status(), 200);
      await page.getByText('calhub-sync').first().waitFor({ timeout: 30_000 });
      await page.getByText('calhub-maintenance').first().waitFor({ timeout: 30_000 });
      assert.match(await page.title(), /calhub queues/);
    } finally {
      await browser.close();
    }
  });

  it('is not served when no admin password is configured (a `calhub serve` next to the hub, without one)', async () => {
    const serve = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env: withSecretsDir({ ...process.env, CALHUB_DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '', PORT: '0', LOG_LEVEL: 'info', CALHUB_ADMIN_PASSWORD: '' }) });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`calhub serve did not come up:\n${out}`)), 60_000);
        const onData = (d: Buffer) => {
          out += d;
          const m = /"url":"(http:\/\/[^"]+)"[^\n]*calhub is listening/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        };
        serve.stdout.on('data', onData);
        serve.stderr.on('data', onData);
      });
      assert.equal((await fetch(`${url}/admin/queues`)).status, 404);
      assert.equal((await fetch(`${url}/admin/queues`, { headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` } })).status, 404);
      assert.equal((await fetch(`${url}/healthz`)).status, 200, 'the API itself is up');
    } finally {
      await stopHub(serve);
    }
  });
});
