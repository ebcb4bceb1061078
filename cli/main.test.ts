/**
 * Exit codes and failures as scripts see them (cli/exit-codes.ts): with --json a failure is one
 * JSON document on stderr and stdout stays empty; a dead Redis is exit 3 within seconds, not a hang.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EXIT } from './exit-codes.ts';
import { API_ERRORS } from '../api/errors.ts';
import { COMMANDS } from './commands/all.ts';
import { SUMMARIES, type CommandName } from './commands/summaries.ts';
import { exitCodeOf, MODULES } from './main.ts';
import { runCaptured } from './run-captured.ts';
import { HubError } from '../shared/errors.ts';
import { KeyRingInUseError } from './key-ring-guard.ts';
import { SchemaNewerError } from '../shared/store/migrate.ts';
import { handedToHub, HOSTABLE_MODULES } from './hostable-commands.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'calhub-main-test-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const run = runCaptured;

/** The one JSON error document among stderr's lines (log lines may precede it). */
function errorDoc(stderr: string): { code: string; message: string; exitCode: number } {
  const docs = stderr.split('\n').flatMap((l) => {
    try {
      const v = JSON.parse(l) as { error?: { code: string; message: string; exitCode: number } };
      return v.error ? [v.error] : [];
    } catch {
      return [];
    }
  });
  assert.equal(docs.length, 1, stderr);
  return docs[0]!;
}

describe('calhub failures and exit codes', () => {
  it('bad usage: exit 2, one JSON error with --json, a line with the help otherwise', async () => {
    const j = await run(['channels', 'list', '--bogus', '--json']);
    assert.equal(j.code, EXIT.USAGE);
    assert.equal(j.stdout, '');
    assert.deepEqual({ ...errorDoc(j.stderr), message: '' }, { code: 'USAGE', message: '', exitCode: 2 });
    const h = await run(['channels', 'list', '--bogus']);
    assert.equal(h.code, EXIT.USAGE);
    assert.match(h.stderr, /^calhub channels list: unknown option --bogus \[USAGE\]$/m);
    assert.match(h.stderr, /Usage: calhub channels list/);
    assert.equal((await run(['no-such-command', '--json'])).code, EXIT.USAGE);
    assert.equal(errorDoc((await run(['no-such-command', '--json'])).stderr).code, 'USAGE');
    // The command named without its flags; a group's name alone lists its commands.
    assert.equal(errorDoc((await run(['tenants', 'bogus', '--json'])).stderr).message, 'unknown command "tenants bogus"');
    const group = await run(['tenants']);
    assert.equal(group.code, EXIT.OK);
    assert.match(group.stdout, /Usage: calhub tenants <command>/);
    assert.match(group.stdout, /tenants create/);
    assert.doesNotMatch(group.stdout, /accounts list/);
  });

  // An outside user: parseArgs' own text ("Unknown option '--tenat'. To specify a positional argument
  // … as in '-- "--tenat"", unbalanced), no suggestion and no [USAGE]; `calhub freebusy --help` exit 0.
  it('bad usage says what is wrong in one line, with the closest right name', async () => {
    const typo = await run(['accounts', 'list', '--tenat', 'ten_1']);
    assert.equal(typo.code, EXIT.USAGE);
    assert.match(typo.stderr, /^calhub accounts list: unknown option --tenat \(did you mean --tenant\?\) \[USAGE\]$/m);
    const missing = await run(['accounts', 'list', '--tenant']);
    assert.equal(missing.code, EXIT.USAGE);
    assert.match(missing.stderr, /^calhub accounts list: option --tenant needs a value \(--tenant <value>\) \[USAGE\]$/m);
    const j = await run(['accounts', 'list', '--tenat', 'ten_1', '--json']);
    assert.deepEqual(errorDoc(j.stderr), { code: 'USAGE', message: 'unknown option --tenat (did you mean --tenant?)', exitCode: 2 });
    const help = await run(['freebusy', '--help']);
    assert.equal(help.code, EXIT.USAGE);
    assert.match(help.stderr, /^calhub: unknown command "freebusy" \[USAGE\]$/m);
    const near = await run(['accounts', 'lst', '--tenant', 'ten_1', '--help']);
    assert.equal(near.code, EXIT.USAGE);
    assert.match(near.stderr, /^calhub: unknown command "accounts lst" \(did you mean "accounts list"\?\) \[USAGE\]$/m);
    assert.equal((await run(['--help'])).code, EXIT.OK);
    assert.equal((await run(['help'])).code, EXIT.OK);
    assert.equal((await run(['tenants', '--help'])).code, EXIT.OK);
  });

  it("a command's help describes its options in one line each", async () => {
    const h = await run(['resync', '--help']);
    assert.equal(h.code, EXIT.OK);
    assert.match(h.stdout, /^ {2}--tenant <value> {2,}the tenant id/m);
    assert.match(h.stdout, /^ {2}--dry-run {2,}print what would change/m);
    for (const name of HOSTABLE_MODULES.flatMap(([, n]) => n)) {
      const r = await run([...name.split(' '), '--help']);
      for (const line of r.stdout.split('Options:\n')[1]!.split('\n').filter((l) => /^ {2}--(tenant|json|help)\b/.test(l))) assert.match(line, /--\S+(?: <value>)?(?:, -h)? {2,}\S/, `${name}: ${line}`);
    }
  });

  it('the overview lists the commands of a group together', () => {
    const names = Object.keys(SUMMARIES);
    const groups = names.map((n) => n.split(' ')[0]);
    for (const g of new Set(groups)) {
      const at = groups.flatMap((x, i) => (x === g ? [i] : []));
      assert.equal(at.at(-1)! - at[0]! + 1, at.length, `${g}: its commands are not listed together`);
    }
  });

  it('an invalid value is exit 2 with its stable code', async () => {
    const j = await run(['channels', 'renew', '--json']);
    assert.equal(j.code, EXIT.USAGE);
    const e = errorDoc(j.stderr);
    assert.equal(e.code, 'VALIDATION_FAILED');
    assert.match(e.message, /--expiring-within/);
    const h = await run(['resync', 'acc_1', '--all']);
    assert.equal(h.code, EXIT.USAGE);
    assert.match(h.stderr, /name exactly one of: an account id, --tenant <id>, --all \[VALIDATION_FAILED\]/);
  });

  // An outside user: `accounts connect google` with no Google app (next to the sandbox) answered
  // PROVIDER_NOT_CONFIGURED with exit 1, and `keys rotate` refused under a running hub exit 1, though
  // the table says configuration is 2: neither ran and failed; both are the settings' to fix.
  it('refusals for the configuration exit 2, as CONFIG_INVALID does', () => {
    assert.equal(exitCodeOf(new HubError('PROVIDER_NOT_CONFIGURED', 'never', 'google has no OAuth app')), EXIT.USAGE);
    assert.equal(exitCodeOf(new KeyRingInUseError('a calhub is running on the data dir')), EXIT.USAGE);
    assert.equal(exitCodeOf(new HubError('CONNECTOR_TRANSIENT', 'backoff', 'a 503')), EXIT.FAILED);
  });

  // RULE_EXISTS, OAUTH_APP_IN_USE, CALENDAR_MIRRORED, … exited 1 while TENANT_NAME_TAKEN and
  // WEBHOOK_ROTATION_IN_PROGRESS exited 2, though all are refusals for a state before anything changed.
  it('every code the API answers 409 is a refusal before anything changed: exit 2', () => {
    const conflicts = API_ERRORS.filter((e) => e.status === 409).map((e) => e.code);
    assert.ok(conflicts.length >= 15, String(conflicts.length));
    for (const code of conflicts) assert.equal(exitCodeOf(new HubError(code, 'never', 'refused')), EXIT.USAGE, code);
  });

  // `serve` and `migrate` on a schema a newer calhub upgraded exited 1, as if something ran and failed.
  it('a schema newer than this calhub is a refusal before anything ran: exit 2', () => {
    assert.equal(exitCodeOf(new SchemaNewerError(['9999_from_the_future.sql'])), EXIT.USAGE);
  });

  // An outside user: `accounts list --tenant ten_nope` printed an empty table with exit 0, so a typo
  // read as "this tenant has nothing"; every command's --tenant is checked in one place (cli/command-run.ts).
  it('a --tenant that names no tenant is exit 2 NOT_FOUND, for every command that takes it', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { CALHUB_DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' });
    try {
      for (const argv of [['accounts', 'list'], ['conflicts', 'list'], ['rules', 'list'], ['runs', 'list']]) {
        const j = await run([...argv, '--tenant', 'ten_nope', '--json']);
        assert.equal(j.code, EXIT.USAGE, `${argv.join(' ')}: ${j.stderr}`);
        assert.equal(j.stdout, '', argv.join(' '));
        assert.deepEqual(errorDoc(j.stderr), { code: 'NOT_FOUND', message: 'no tenant ten_nope', exitCode: 2 });
      }
      const h = await run(['accounts', 'list', '--tenant', 'ten_nope']);
      assert.match(h.stderr, /^calhub accounts list: no tenant ten_nope \[NOT_FOUND\]$/m);
      // Without --tenant, or with one that exists, the list is printed.
      assert.equal((await run(['accounts', 'list', '--json'])).code, EXIT.OK);
      const created = await run(['tenants', 'create', 'acme', '--json']);
      const id = (JSON.parse(created.stdout) as { id: string }).id;
      const ok = await run(['runs', 'list', '--tenant', id, '--json']);
      assert.equal(ok.code, EXIT.OK, ok.stderr);
      assert.equal(ok.stdout.trim(), '[]');
    } finally {
      process.env = saved;
    }
  });

  it('a command that needs the queue exits 3 within seconds when Redis does not answer', async () => {
    const saved = { ...process.env };
    // Port 1 on loopback: nothing listens, the connection is refused and retried forever.
    Object.assign(process.env, { CALHUB_DATA_DIR: dataDir, REDIS_URL: 'redis://:hunter2@127.0.0.1:1', DATABASE_URL: '' });
    try {
      const started = Date.now();
      const j = await run(['queue', 'list', '--json']);
      assert.equal(j.code, EXIT.UNREACHABLE, j.stderr);
      assert.equal(j.stdout, '');
      const e = errorDoc(j.stderr);
      assert.equal(e.code, 'QUEUE_UNREACHABLE');
      assert.match(e.message, /Redis at 127\.0\.0\.1:1 did not answer within 10 s/);
      assert.doesNotMatch(j.stderr, /hunter2/, 'the URL password stays out of the message');
      // The store opens first (PGlite: slow on a loaded machine); the wait for Redis itself is 10 s.
      assert.ok(Date.now() - started < 120_000);
    } finally {
      process.env = saved;
    }
  });
});

describe('calhub command modules', () => {
  it('each command is named once in cli/main.ts, with the module that exports it', async () => {
    const named = MODULES.flatMap(([, names]) => names);
    assert.deepEqual([...named].sort(), COMMANDS.map((c) => c.name).sort());
    for (const [load, names] of MODULES) {
      const exported = new Set((Object.values(await load()).flat() as Array<{ name?: string }>).map((c) => c?.name));
      for (const name of names) assert.ok(exported.has(name), `${name}: not exported by the module cli/main.ts names for it`);
    }
  });

  it('every command a running hub does for a command process is one of the modules the hub side loads', () => {
    const hostable = new Set(HOSTABLE_MODULES.flatMap(([, names]) => names));
    const handed = COMMANDS.map((c) => c.name).filter(handedToHub);
    assert.ok(handed.length >= 30, `only ${handed.length} handed`);
    for (const name of handed) assert.ok(hostable.has(name), name);
    for (const name of ['start', 'status', 'resync', 'accounts connect caldav', 'accounts connect google', 'tenants oauth-app', 'keys rotate', 'migrate']) assert.equal(handedToHub(name), false, name);
  });

  it('the overview lists every command in the order of commands/all.ts, without loading their modules', async () => {
    assert.deepEqual(Object.keys(SUMMARIES), COMMANDS.map((c) => c.name));
    for (const c of COMMANDS) assert.equal(c.summary, SUMMARIES[c.name as CommandName], c.name);
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
      const { main } = await import(${JSON.stringify(new URL('./main.ts', import.meta.url).href)});
      await main(['--help']);
      const { createRequire } = await import('node:module');
      process.stderr.write(String(Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('/node_modules/bullmq/'))));
    `], { encoding: 'utf8', cwd: new URL('..', import.meta.url).pathname });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /accounts connect caldav {2,}Connect a CalDAV account/);
    assert.equal(r.stderr.trim(), 'false', 'the overview loaded the hub (bullmq)');
  });

  it('the help of a command the hub may run loads none of the hub', () => {
    const names = HOSTABLE_MODULES.flatMap(([, n]) => n);
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
      const { main } = await import(${JSON.stringify(new URL('./main.ts', import.meta.url).href)});
      for (const name of ${JSON.stringify(names)}) await main([...name.split(' '), '--help']);
      const { createRequire } = await import('node:module');
      process.stderr.write(String(Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('/node_modules/bullmq/'))));
    `], { encoding: 'utf8', cwd: new URL('..', import.meta.url).pathname });
    assert.equal(r.status, 0, r.stderr);
    for (const name of names) assert.ok(r.stdout.includes(`Usage: calhub ${name}`), name);
    assert.equal(r.stderr.trim(), 'false', 'a command\'s --help loaded the hub (bullmq)');
  });
});
