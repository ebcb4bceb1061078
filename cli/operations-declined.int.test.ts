/**
 * Commands handed to a running hub (cli/operations.ts) that it declines or runs with settings
 * other than the command's, through the real operations socket of a hub opened here:
 * - a hub that cannot load the command (a dist/ rebuilt under it) declined, and the command then
 *   ran in its own process with its own settings, even one that reaches the providers;
 * - with a differing network setting, the "done by the calhub running…" note was printed before a
 *   usage error of the same command (which the hub declines, and the command reports itself), and
 *   by every command, also those that do not go by that setting.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { openHub, type Hub } from '../hub/index.ts';
import { loadConfig } from '../shared/config/index.ts';
import { HOSTABLE_MODULES } from './hostable-commands.ts';
import { main } from './main.ts';
import { serveOperations, type OperationsServer } from './operations-server.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'calhub-ops-declined-'));
const saved = { ...process.env };
let hub: Hub;
let server: OperationsServer | null;

before(async () => {
  Object.assign(process.env, { CALHUB_DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'silent' });
  delete process.env.WEBHOOKS_ALLOW_PRIVATE_NETWORKS;
  delete process.env.CALDAV_ALLOW_PRIVATE_NETWORKS;
  for (const k of Object.keys(process.env)) if (/^(GOOGLE|MICROSOFT)_/.test(k)) delete process.env[k];
  hub = await openHub({ config: loadConfig(), queue: 'none', quiet: true });
  server = await serveOperations(hub);
  assert.ok(server, 'the hub serves its operations socket');
});
after(async () => {
  await server?.close();
  await hub?.close();
  process.env = saved;
  rmSync(dataDir, { recursive: true, force: true });
});

/** main() in this process, with stdout and stderr captured and the command's own environment. */
async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const before = { ...process.env };
  Object.assign(process.env, env);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => (typeof chunk === 'string' ? ((stdout += chunk), true) : out(chunk, ...(rest as [])))) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => (typeof chunk === 'string' ? ((stderr += chunk), true) : err(chunk, ...(rest as [])))) as typeof process.stderr.write;
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.env = before;
  }
}

it('a usage error of a command whose network setting differs from the hub\'s comes alone, before any note', async () => {
  const differs = { CALDAV_ALLOW_PRIVATE_NETWORKS: 'true' };
  const bad = await run(['channels', 'renew', '--bogus'], differs);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^calhub channels renew: unknown option --bogus \[USAGE\]/, bad.stderr);
  assert.doesNotMatch(bad.stderr, /done by the calhub running/);
  const help = await run(['channels', 'renew', '--help'], differs);
  assert.equal(help.code, 0);
  assert.equal(help.stderr, '');
  // Run, it is done by the hub, and the note says so once.
  // (No CALHUB_PUBLIC_URL here: it renews nothing, and says so after the note.)
  const good = await run(['channels', 'renew', '--expiring-within', '1h'], differs);
  assert.equal(good.stderr.split('\n')[0], "calhub: done by the calhub running on this data dir, with its settings (this command's CALDAV_ALLOW_PRIVATE_NETWORKS differ)");
  assert.equal(good.stderr.split('done by the calhub').length, 2, good.stderr);
});

// An outside user: every command beside a hub printed the note, `tenants create`, `status` and
// `conflicts list` too, for settings they do not go by; only the commands that use one say so.
it('a command told of differing settings only when it goes by them', async () => {
  const differs = { CALDAV_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' };
  const created = await run(['tenants', 'create', 'acme', '--json'], differs);
  assert.equal(created.stderr, '');
  const id = (JSON.parse(created.stdout) as { id: string }).id;
  for (const argv of [['channels', 'list'], ['tenants', 'list'], ['conflicts', 'list', '--tenant', id]]) {
    const r = await run(argv, differs);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', argv.join(' '));
  }
  const renew = await run(['channels', 'renew', '--expiring-within', '1h'], differs);
  assert.equal(renew.stderr.split('\n')[0], "calhub: done by the calhub running on this data dir, with its settings (this command's CALDAV_ALLOW_PRIVATE_NETWORKS differ)");
});

it('a command that reaches the providers, declined because the hub cannot load it, is refused naming why; one that does not runs here', async () => {
  const i = HOSTABLE_MODULES.findIndex(([, names]) => names.includes('channels renew'));
  const [load, names] = HOSTABLE_MODULES[i]!;
  // The hub's own module list (the command's, cli/command-table.ts, kept its own copy of the entry).
  HOSTABLE_MODULES[i] = [() => Promise.reject(new Error("Cannot find module '/opt/calhub/dist/chunks/channels-1a2b.mjs'")), names];
  try {
    const renew = await run(['channels', 'renew', '--expiring-within', '1h', '--json']);
    assert.equal(renew.code, 2, renew.stderr);
    const doc = JSON.parse(renew.stderr.trim().split('\n').at(-1)!) as { error: { code: string; message: string } };
    assert.equal(doc.error.code, 'CONFIG_INVALID');
    assert.match(doc.error.message, /declined \(this hub cannot load the command: Cannot find module .*channels-1a2b\.mjs'\).*restart the hub/);
    assert.equal(renew.stdout, '', 'nothing was renewed');
    const list = await run(['channels', 'list', '--json']);
    assert.equal(list.code, 0, list.stderr);
  } finally {
    HOSTABLE_MODULES[i] = [load, names];
  }
});

it('`accounts connect google` next to a hub with no Google app is refused by the hub, saying its settings make the flow', async () => {
  const tenant = await run(['tenants', 'create', 'connect-test', '--json']);
  assert.equal(tenant.code, 0, tenant.stderr);
  const { id } = JSON.parse(tenant.stdout) as { id: string };
  // This command's own app is not the one the flow would use: the hub's callback completes it.
  const r = await run(['accounts', 'connect', 'google', '--tenant', id, '--timeout', '30', '--json'], { GOOGLE_CLIENT_ID: 'the-command-s-own-app' });
  assert.equal(r.code, 2, r.stderr);
  const doc = JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { error: { code: string; message: string } };
  assert.equal(doc.error.code, 'PROVIDER_NOT_CONFIGURED');
  assert.match(doc.error.message, /^the calhub running on this data dir does the flow with its settings, and google has no OAuth app/);
});
