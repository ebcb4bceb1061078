/**
 * `calhub accounts connect google|microsoft` as an operator runs it with no hub running: the
 * command prints the consent URL, serves calhub's callback address itself, waits for the browser
 * (here: the emulator's consent form filled in by test/support/consent.ts, then the redirects
 * followed), prints the account with its calendars synced, and leaves the tenant's allow-list as
 * it was. A denied consent exits 1 with ACCESS_DENIED. `accounts show`, `accounts disconnect` and
 * `tenants allow-redirect` around it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { BIN, ROOT, calhub, withSecretsDir } from '../support/cli.ts';
import { consent } from '../support/consent.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** Runs `calhub accounts connect …`, hands the URL it prints to `browse`, and returns how it ended. */
function connect(args: string[], env: Record<string, string>, browse: (url: string) => Promise<void>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'accounts', 'connect', ...args], { cwd: ROOT, env: withSecretsDir({ ...process.env, ...env }) });
    let stdout = '';
    let stderr = '';
    let browsing: Promise<void> | null = null;
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    // The URL is on stdout, or on stderr with --json (stdout then holds only the result).
    const look = () => {
      const url = /^(http:\/\/\S+)$/m.exec(stdout + stderr)?.[1];
      if (url && !browsing) browsing = browse(url).catch((e: unknown) => (child.kill('SIGKILL'), reject(e)));
    };
    child.stdout.on('data', (d) => ((stdout += d), look()));
    child.stderr.on('data', (d) => ((stderr += d), look()));
    child.on('error', reject);
    child.on('close', async (code) => {
      clearTimeout(timer);
      await browsing;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A browser: consent at the emulator, then follow calhub's redirects to the command's page. */
const browser = (who: string, decision: 'allow' | 'deny') => async (url: string) => {
  let at = await consent(url, { account: who, decision });
  for (let hop = 0; hop < 3; hop++) {
    const r = await fetch(at, { redirect: 'manual' });
    const next = r.headers.get('location');
    if (!next) {
      assert.equal(r.status, 200, `${at.pathname}: ${await r.text()}`);
      return;
    }
    at = new URL(next, at);
  }
  throw new Error('too many redirects');
};

describe('calhub accounts connect google|microsoft, show, disconnect; tenants allow-redirect', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'calhub-cli-connect-'));
  let google: RunningGoogleEmulator;
  let ms: MicrosoftEmulator;
  let msUser: string;
  let env: Record<string, string>;
  let tenantId = '';
  const EMAIL = 'cli.connect@example.com';

  before(async () => {
    google = await startGoogleEmulator();
    ms = await startMicrosoftEmulator();
    google.control.createUser({ email: EMAIL, timeZone: 'Europe/Berlin' });
    const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    google.control.insertEvent(EMAIL, { summary: 'busy', start: { dateTime: `${day}T09:00:00Z` }, end: { dateTime: `${day}T10:00:00Z` } });
    msUser = ms.control.createUser({ email: 'cli@contoso.test' }).id;
    const port = await freePort();
    ms.control.registerApp({ clientId: 'cli-ms', redirectUris: [`http://127.0.0.1:${port}/oauth/microsoft/callback`] });
    env = {
      CALHUB_DATA_DIR: dataDir, LOG_LEVEL: 'silent', REDIS_URL: '', DATABASE_URL: '', PORT: String(port),
      GOOGLE_CLIENT_ID: 'cli-google', GOOGLE_OAUTH_BASE_URL: google.url, GOOGLE_API_BASE_URL: google.url,
      MICROSOFT_CLIENT_ID: 'cli-ms', MICROSOFT_LOGIN_BASE_URL: ms.url, MICROSOFT_GRAPH_BASE_URL: ms.url,
    };
    tenantId = JSON.parse((await calhub(['tenants', 'create', 'cli-connect', '--json'], env)).stdout).id;
  });
  after(async () => {
    await google.close();
    await ms.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('tenants allow-redirect: adds, refuses plain http off localhost, removes', async () => {
    const bad = await calhub(['tenants', 'allow-redirect', tenantId, 'http://app.example.com/back'], env);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /https/);
    const ok = await calhub(['tenants', 'allow-redirect', tenantId, 'https://app.example.com/back', '--json'], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout), { tenantId, uris: ['https://app.example.com/back'] });
  });

  // An outside user, next to the sandbox (whose Google app only the hub has): exit 1, though the
  // exit-code table says configuration is 2.
  it('accounts connect google with no Google app configured exits 2 with PROVIDER_NOT_CONFIGURED', async () => {
    const r = await calhub(['accounts', 'connect', 'google', '--tenant', tenantId, '--json', '--timeout', '5'], { ...env, GOOGLE_CLIENT_ID: '' });
    assert.equal(r.code, 2, r.stderr);
    const doc = JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { error: { code: string; exitCode: number } };
    assert.deepEqual([doc.error.code, doc.error.exitCode], ['PROVIDER_NOT_CONFIGURED', 2]);
  });

  let accountId = '';
  it('google: prints the URL, waits for the browser, prints the account with its calendars synced; the allow-list is left as it was', async () => {
    const r = await connect(['google', '--tenant', tenantId, '--json', '--timeout', '90'], env, browser(EMAIL, 'allow'));
    assert.equal(r.code, 0, r.stderr);
    const account = JSON.parse(r.stdout);
    accountId = account.id;
    assert.match(accountId, /^acc_/);
    assert.deepEqual([account.provider, account.externalId, account.status, account.tenantId], ['google', EMAIL, 'active', tenantId]);
    assert.equal(account.calendars.length, 1);
    assert.ok(account.calendars[0].lastSuccessAt, 'the first sync ran before the command returned');
    const list = await calhub(['tenants', 'redirects', tenantId, '--json'], env);
    assert.deepEqual(JSON.parse(list.stdout).uris, ['https://app.example.com/back'], 'the loopback redirect was only allowed while the state was made');
  });

  it('reconnect with --account keeps the account id', async () => {
    const r = await connect(['google', '--tenant', tenantId, '--account', accountId, '--json', '--timeout', '90'], env, browser(EMAIL, 'allow'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).id, accountId);
  });

  it('microsoft: a denied consent exits 1 naming ACCESS_DENIED; allowed, the account is connected', async () => {
    const denied = await connect(['microsoft', '--tenant', tenantId, '--timeout', '90'], env, browser(msUser, 'deny'));
    assert.equal(denied.code, 1, denied.stderr);
    assert.match(denied.stderr, /ACCESS_DENIED/);
    assert.match(denied.stdout, /Open this address in a browser/);
    const ok = await connect(['microsoft', '--tenant', tenantId, '--access', 'freebusy', '--json', '--timeout', '90'], env, browser(msUser, 'allow'));
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).externalId, msUser);
  });

  it('accounts show and accounts disconnect; then the account is gone', async () => {
    const show = await calhub(['accounts', 'show', accountId, '--json'], env);
    assert.equal(show.code, 0, show.stderr);
    assert.equal(JSON.parse(show.stdout).calendars[0].stage, 'idle');
    const human = await calhub(['accounts', 'show', accountId], env);
    assert.match(human.stdout, new RegExp(`account ${accountId} \\(google, ${EMAIL}\\)`));
    const off = await calhub(['accounts', 'disconnect', accountId, '--json'], env);
    assert.equal(off.code, 0, off.stderr);
    assert.equal(JSON.parse(off.stdout).revoked, 'yes');
    const gone = await calhub(['accounts', 'show', accountId, '--tenant', tenantId], env);
    assert.equal(gone.code, 2);
    assert.match(gone.stderr, /no account .*NOT_FOUND/);
    for (const r of [show, human, off]) assert.doesNotMatch(r.stdout + r.stderr, /ya29\.|1\/\/emu-|refresh_token/);
  });

  // An outside user's disconnect printed `revoked at the provider: failed` and exited 0: the data was
  // gone, the grant still valid at Google, and a script saw a success.
  it('accounts disconnect whose revocation fails says so on stderr and exits 1; the account is deleted all the same', async () => {
    const email = 'cli.revoke@example.com';
    google.control.createUser({ email, timeZone: 'Europe/Berlin' });
    const r = await connect(['google', '--tenant', tenantId, '--json', '--timeout', '90'], env, browser(email, 'allow'));
    assert.equal(r.code, 0, r.stderr);
    const id = JSON.parse(r.stdout).id as string;
    // Google's token endpoint unreachable for the revocation: nothing listens on port 1.
    const unreachable = { ...env, GOOGLE_OAUTH_BASE_URL: 'http://127.0.0.1:1' };
    const json = await calhub(['accounts', 'disconnect', id, '--json'], unreachable);
    assert.equal(json.code, 1, json.stderr);
    assert.equal(JSON.parse(json.stdout).revoked, 'failed');
    const doc = JSON.parse(json.stderr.trim().split('\n').at(-1)!) as { error: { code: string; message: string; exitCode: number } };
    assert.deepEqual([doc.error.code, doc.error.exitCode], ['REVOCATION_FAILED', 1]);
    assert.match(doc.error.message, /could NOT be revoked at the provider/);
    const gone = await calhub(['accounts', 'show', id, '--tenant', tenantId], env);
    assert.equal(gone.code, 2, 'deleted here all the same');
  });
});
