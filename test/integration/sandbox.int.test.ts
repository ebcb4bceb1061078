/**
 * `calhub start --sandbox` on an empty data dir with no configuration: emulated Google and
 * Microsoft with demo data, a demo tenant whose users were connected through the real OAuth flow
 * and synced, sandbox.json for scripts, and printed curl commands that — run as printed — return
 * the demo users' real free/busy and availability.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { consent } from '../../cli/sandbox/auto-consent.ts';
import { demoMonday, GOOGLE_COLLEAGUE } from '../../cli/sandbox/seed.ts';
import { localToUtcMs } from '../../shared/time/index.ts';
import { BIN, ROOT, stopHub, withSecretsDir } from '../support/cli.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe('calhub start --sandbox', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'calhub-sandbox-'));
  let child: ChildProcess;
  let out = '';

  before(async () => {
    const port = await freePort();
    // No Google or Microsoft configuration at all: the sandbox brings its own.
    const env: NodeJS.ProcessEnv = { ...process.env, CALHUB_DATA_DIR: dataDir, PORT: String(port), REDIS_URL: '', DATABASE_URL: '' };
    for (const k of Object.keys(env)) if (/^(GOOGLE|MICROSOFT)_/.test(k)) delete env[k];
    child = spawn(process.execPath, [BIN, 'start', '--sandbox'], { cwd: ROOT, env: withSecretsDir(env) });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the sandbox did not come up:\n${out}`)), 300_000);
      const onData = (d: Buffer) => {
        out += d;
        if (/\/v1\/availability\n/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('exit', (code) => reject(new Error(`calhub start --sandbox exited with ${code}:\n${out}`)));
    });
  });
  after(async () => {
    if (child) await stopHub(child, join(dataDir, 'sandbox'));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const curlLine = (path: string) => {
    const line = out.split('\n').find((l) => l.startsWith('curl ') && l.endsWith(path));
    assert.ok(line, `no printed curl command for ${path}`);
    return line;
  };
  const runPrinted = (line: string) => JSON.parse(execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' }));

  it('writes sandbox.json: the tenant, its API key, and both demo accounts with their calendars', () => {
    const f = JSON.parse(readFileSync(join(dataDir, 'sandbox.json'), 'utf8'));
    assert.match(f.tenantId, /^ten_/);
    assert.match(f.apiKey, /^chk_/);
    assert.ok(out.includes(f.apiKey), 'the key is printed too');
    assert.deepEqual(f.accounts.map((a: { provider: string }) => a.provider), ['google', 'microsoft']);
    const names = f.accounts.flatMap((a: { calendars: Array<{ name: string }> }) => a.calendars.map((c) => c.name)).sort();
    assert.ok(names.includes('Engineering on-call') && names.includes('Team events'), names.join(', '));
    assert.match(f.connectUrl, /\/connect\?session=cs_/);
    assert.match(f.emulators.google, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(out.includes(`${f.emulators.google}/_emulator/guest-mail`), 'where to see whom a write told is printed');
  });

  it('a booking with a guest and conference=auto, made as the README shows, reaches the Google emulator as an invitation mail and comes back with its Meet link', async () => {
    const f = JSON.parse(readFileSync(join(dataDir, 'sandbox.json'), 'utf8'));
    const calendarId = f.accounts[0].calendars[0].id;
    // Far from the demo week, which the free/busy and availability checks read.
    const at = Date.now() + 90 * 86_400_000;
    const iso = (ms: number) => new Date(ms).toISOString();
    const body = { title: 'Intro call', start: { dateTime: iso(at), timeZone: 'UTC' }, end: { dateTime: iso(at + 1_800_000), timeZone: 'UTC' }, attendees: [{ email: 'jane@acme.test' }] };
    const made = JSON.parse(execFileSync('curl', ['-s', '-H', `authorization: Bearer ${f.apiKey}`, '-H', 'content-type: application/json', '-d', JSON.stringify(body), `${f.apiUrl}/v1/calendars/${calendarId}/events?conference=auto`], { encoding: 'utf8' }));
    assert.match(made.id, /^evt_/, JSON.stringify(made));
    const deadline = Date.now() + 30_000;
    let mail: Array<{ kind: string; to: string }> = [];
    while (Date.now() < deadline) {
      mail = JSON.parse(execFileSync('curl', ['-s', `${f.emulators.google}/_emulator/guest-mail`], { encoding: 'utf8' }));
      if (mail.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.deepEqual(mail.map((m) => [m.kind, m.to]), [['invitation', 'jane@acme.test']]);
    let link: string | null = null;
    while (Date.now() < deadline && !link) {
      link = JSON.parse(execFileSync('curl', ['-s', '-H', `authorization: Bearer ${f.apiKey}`, `${f.apiUrl}/v1/events/${made.id}`], { encoding: 'utf8' })).conferenceUrl;
      if (!link) await new Promise((r) => setTimeout(r, 250));
    }
    assert.match(link ?? '', /^https:\/\/meet\.google\.com\//, 'the Meet link, read back by the push in the sync thread');
  });

  it('the printed free/busy curl returns the demo week: moved and cancelled instances, zones, free time left out', () => {
    const fb = runPrinted(curlLine('/v1/freebusy'));
    const busy: Array<{ start: string; end: string }> = fb.calendars.flatMap((c: { busy: Array<{ start: string; end: string }> }) => c.busy);
    // Spans of one calendar are merged, and the mirror rule adds Lee's busy blocks: cover, not equal.
    const has = (s: number, e: number) => busy.some((b) => Date.parse(b.start) <= s && Date.parse(b.end) >= e);
    const touches = (s: number, e: number) => busy.some((b) => Date.parse(b.start) < e && Date.parse(b.end) > s);
    const monday = demoMonday(new Date());
    const day = (n: number) => new Date(monday.getTime() + n * 86_400_000).toISOString().slice(0, 10);
    const berlin = (n: number, hhmm: string) => localToUtcMs(`${day(n)}T${hhmm}:00`, 'Europe/Berlin');
    assert.ok(has(berlin(2, '16:30'), berlin(2, '17:30')), 'the dentist (Google, Berlin time)');
    assert.ok(has(berlin(3, '15:00'), berlin(3, '16:00')), "Thursday's team sync, moved to 15:00");
    assert.ok(!touches(berlin(3, '10:00'), berlin(3, '11:00')), "Thursday's original 10:00 slot is free");
    const ny = localToUtcMs(`${day(1)}T11:00:00`, 'America/New_York');
    assert.ok(has(ny, ny + 3_600_000), 'the New York call');
    const tokyo = localToUtcMs(`${day(2)}T09:00:00`, 'Asia/Tokyo');
    assert.ok(has(tokyo, tokyo + 3_600_000), 'the Tokyo planning (Microsoft, Windows zone name)');
    assert.ok(!touches(berlin(0, '08:00'), berlin(0, '09:30')), 'focus time is marked free');
  });

  it('the printed availability curl answers common free slots; accounts and the mirror rule are there', () => {
    const av = runPrinted(curlLine('/v1/availability'));
    assert.ok(Array.isArray(av.slots) && av.slots.length > 0, JSON.stringify(av).slice(0, 300));
    const accounts = runPrinted(curlLine('/v1/accounts'));
    assert.deepEqual(accounts.items.map((a: { status: string }) => a.status), ['active', 'active']);
    const key = /API key\s+(chk_\S+)/.exec(out)![1];
    const api = /API\s+(http:\/\/\S+)/.exec(out)![1];
    const rules = JSON.parse(execFileSync('curl', ['-s', '-H', `authorization: Bearer ${key}`, `${api}/v1/rules`], { encoding: 'utf8' }));
    assert.equal(rules.items.length, 1);
  });

  it("`calhub resync --dry-run` against the sandbox plans from its emulators (the hub's provider settings), not from Google and Microsoft", () => {
    const accounts = runPrinted(curlLine('/v1/accounts')).items as Array<{ id: string; provider: string }>;
    const env: NodeJS.ProcessEnv = { ...process.env, CALHUB_DATA_DIR: join(dataDir, 'sandbox'), REDIS_URL: '', DATABASE_URL: '' };
    for (const k of Object.keys(env)) if (/^(GOOGLE|MICROSOFT)_/.test(k)) delete env[k];
    for (const a of accounts) {
      const plan = JSON.parse(execFileSync(process.execPath, [BIN, 'resync', a.id, '--dry-run', '--json'], { cwd: ROOT, env: withSecretsDir(env), encoding: 'utf8' })) as { ok: boolean; calendars: Array<{ error?: string | null }> };
      assert.equal(plan.ok, true, `${a.provider}: ${JSON.stringify(plan).slice(0, 400)}`);
      assert.ok(plan.calendars.length > 0 && plan.calendars.every((c) => !c.error), a.provider);
    }
  });

  // An outside user's second `start --sandbox` on the same data dir emptied the running sandbox's
  // store (its writes answered 500 STORE_FAILED until restarted), then failed on the taken port.
  it('a second `calhub start --sandbox` on the running sandbox\'s data dir is refused and leaves its store alone', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, CALHUB_DATA_DIR: dataDir, PORT: '1', REDIS_URL: '', DATABASE_URL: '' };
    for (const k of Object.keys(env)) if (/^(GOOGLE|MICROSOFT)_/.test(k)) delete env[k];
    const second = spawnSync(process.execPath, [BIN, 'start', '--sandbox'], { cwd: ROOT, env: withSecretsDir(env), encoding: 'utf8', timeout: 120_000 });
    assert.equal(second.status, 2, second.stderr);
    assert.match(second.stderr, /CALHUB_DATA_DIR: expected a data directory no other calhub uses \(process \d+ runs a sandbox here/);
    assert.ok(runPrinted(curlLine('/v1/accounts')).items.length > 0, 'the running sandbox still answers from its store');
  });

  // An outside user: after `accounts enable` the calendars kept ACCOUNT_DISABLED until the next poll (up to 5 min).
  it('`calhub accounts enable` run by the sandbox hub queues a pull of the account\'s calendars', async () => {
    const f = JSON.parse(readFileSync(join(dataDir, 'sandbox.json'), 'utf8')) as { tenantId: string; accounts: Array<{ id: string; provider: string }> };
    const ms = f.accounts.find((a) => a.provider === 'microsoft')!;
    const env: NodeJS.ProcessEnv = { ...process.env, CALHUB_DATA_DIR: join(dataDir, 'sandbox'), REDIS_URL: '', DATABASE_URL: '' };
    for (const k of Object.keys(env)) if (/^(GOOGLE|MICROSOFT)_/.test(k)) delete env[k];
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--tenant', f.tenantId, '--json'], { cwd: ROOT, env: withSecretsDir(env), encoding: 'utf8', timeout: 120_000 });
    assert.equal(run(['accounts', 'disable', ms.id]).status, 0);
    const on = run(['accounts', 'enable', ms.id]);
    assert.equal(on.status, 0, on.stderr);
    const r = JSON.parse(on.stdout) as { status: string; pullsQueued: number };
    assert.equal(r.status, 'active');
    assert.ok(r.pullsQueued > 0, on.stdout);
  });

  // `accounts connect google` next to the sandbox failed PROVIDER_NOT_CONFIGURED: it was never handed
  // to the hub (it waits for a browser), and only the hub has the emulators' OAuth app.
  it("`calhub accounts connect google` next to the sandbox: the hub's app makes the URL, its callback completes the flow, the account is shown", async () => {
    const f = JSON.parse(readFileSync(join(dataDir, 'sandbox.json'), 'utf8')) as { tenantId: string };
    const env: NodeJS.ProcessEnv = { ...process.env, CALHUB_DATA_DIR: join(dataDir, 'sandbox'), REDIS_URL: '', DATABASE_URL: '' };
    for (const k of Object.keys(env)) if (/^(GOOGLE|MICROSOFT)_/.test(k)) delete env[k];
    const cmd = spawn(process.execPath, [BIN, 'accounts', 'connect', 'google', '--tenant', f.tenantId, '--access', 'read', '--json', '--timeout', '120'], { cwd: ROOT, env: withSecretsDir(env) });
    let stdout = '';
    let stderr = '';
    cmd.stdout!.on('data', (d: Buffer) => (stdout += d));
    const exited = new Promise<number>((resolve) => cmd.on('exit', (code) => resolve(code ?? -1)));
    const url = await new Promise<string>((resolve, reject) => {
      cmd.stderr!.on('data', (d: Buffer) => {
        stderr += d;
        const line = stderr.split('\n').find((l) => l.startsWith('http'));
        if (line) resolve(line);
      });
      void exited.then((code) => reject(new Error(`the command exited ${code} before it printed the address:\n${stderr}`)));
    });
    // The person at the emulator's consent page, then the browser following the hub's callback to the command's page.
    const landing = await consent(url, { account: GOOGLE_COLLEAGUE.email, decision: 'allow' });
    const page = await fetch(landing);
    assert.equal(page.status, 200, await page.text());
    assert.equal(await exited, 0, stderr);
    const account = JSON.parse(stdout) as { id: string; provider: string; externalId: string; tenantId: string; calendars: unknown[] };
    assert.deepEqual([account.provider, account.externalId, account.tenantId], ['google', GOOGLE_COLLEAGUE.email, f.tenantId]);
    assert.ok(runPrinted(curlLine('/v1/accounts')).items.some((a: { id: string }) => a.id === account.id), 'the hub holds the account');
  });

  // An outside user's `calhub accounts disconnect` next to the sandbox, with a setting of its own the
  // hub does not share: the hub declined the hand-off, the command ran with its own settings (no
  // emulator addresses), revoked nothing (`failed`), left the emulator's channels live, and exited 0.
  it("commands that reach the providers are done by the sandbox's hub with its settings when only settings they do not depend on differ; another store's are refused", () => {
    const accounts = runPrinted(curlLine('/v1/accounts')).items as Array<{ id: string; provider: string }>;
    const google = accounts.find((a) => a.provider === 'google')!;
    const env: NodeJS.ProcessEnv = { ...process.env, CALHUB_DATA_DIR: join(dataDir, 'sandbox'), REDIS_URL: '', DATABASE_URL: '', WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true', CALDAV_ALLOW_PRIVATE_NETWORKS: 'true' };
    for (const k of Object.keys(env)) if (/^(GOOGLE|MICROSOFT)_/.test(k)) delete env[k];
    const run = (args: string[], more: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: withSecretsDir({ ...env, ...more }), encoding: 'utf8', timeout: 120_000 });
    // Another queue (REDIS_PREFIX): not the hub's work; run here it would reach Google with this process's settings.
    const refused = run(['accounts', 'disconnect', google.id, '--json'], { REDIS_PREFIX: '{elsewhere}' });
    assert.equal(refused.status, 2, refused.stderr);
    assert.equal(JSON.parse(refused.stderr).error.code, 'CONFIG_INVALID');
    assert.match(JSON.parse(refused.stderr).error.message, /REDIS_PREFIX: .*running calhub's value/);
    assert.ok(runPrinted(curlLine('/v1/accounts')).items.some((a: { id: string }) => a.id === google.id), 'nothing was deleted');
    const done = run(['accounts', 'disconnect', google.id, '--json']);
    assert.equal(done.status, 0, done.stderr);
    // Named only where the command goes by it (cli/hostable-commands.ts): a disconnect reaches CalDAV servers, sends no webhook itself.
    assert.match(done.stderr, /done by the calhub running on this data dir, with its settings \(this command's CALDAV_ALLOW_PRIVATE_NETWORKS differ\)/);
    assert.equal(JSON.parse(done.stdout).revoked, 'yes', 'revoked at the emulator, the hub\'s Google');
  });
});
