#!/usr/bin/env node
// `npm start` and `npm test` on a fresh clone: install the npm packages when they are missing or
// stale, and the Debian packages the command needs (redis-server; radicale, xandikos, prometheus
// with its promtool, and chromium for the browser tests)
// when apt-get can run without a password prompt; builds dist/ when it is stale. Then run the
// command. Plain Node; the build uses esbuild from the npm packages.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const [command, ...rest] = process.argv.slice(2);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts }).status ?? 1;
const has = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;

function ensureNpmPackages() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && (statSync(marker).mtimeMs >= statSync(lock).mtimeMs || installedMatchesLock(marker, lock))) return;
  console.error('calhub: installing npm packages (npm ci)…');
  if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) process.exit(1);
}

// A lockfile newer than the install is not always a changed one: a fresh checkout or a git
// worktree (whose node_modules may be a link to another checkout's) writes it anew. Comparing
// what npm recorded as installed keeps `npm ci` from emptying a shared node_modules for nothing.
function installedMatchesLock(marker, lock) {
  try {
    const want = JSON.parse(readFileSync(lock, 'utf8')).packages ?? {};
    const have = JSON.parse(readFileSync(marker, 'utf8')).packages ?? {};
    for (const [path, pkg] of Object.entries(want)) {
      if (path === '') continue;
      // Optional packages for other platforms (esbuild's) are never installed.
      if (!have[path]) { if (pkg.optional) continue; return false; }
      if (have[path].version !== pkg.version || have[path].integrity !== pkg.integrity) return false;
    }
    return Object.keys(have).every((path) => path in want);
  } catch {
    return false;
  }
}

/** Installs what is missing; returns the packages it installed. */
function ensureDebian(packages) {
  const missing = packages.filter(([bin]) => !has(bin)).map(([, pkg]) => pkg);
  if (missing.length === 0 || !has('apt-get')) return [];
  const root = process.getuid?.() === 0;
  const sudo = root ? [] : spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0 ? ['sudo', '-n'] : null;
  if (!sudo) {
    console.error(`calhub: missing Debian packages: ${missing.join(' ')} (install with: sudo apt-get install -y ${missing.join(' ')})`);
    return [];
  }
  console.error(`calhub: installing Debian packages: ${missing.join(' ')}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const [cmd, ...pre] = sudo.length ? sudo : ['apt-get'];
  const apt = sudo.length ? [...pre, 'apt-get'] : [];
  if (run(cmd, [...apt, 'install', '-y', '-qq', ...missing], { env }) !== 0) {
    run(cmd, [...apt, 'update', '-qq'], { env });
    run(cmd, [...apt, 'install', '-y', '-qq', ...missing], { env });
  }
  return missing.filter((pkg) => packages.some(([bin, p]) => p === pkg && has(bin)));
}

// A PostgreSQL we just installed gets what the tests expect: trust auth on loopback and a
// database `test`. A server that was already there is never reconfigured.
function configureFreshPostgres() {
  const sh = (cmd) => spawnSync('sh', ['-c', cmd], { stdio: 'inherit' }).status === 0;
  const version = spawnSync('sh', ['-c', 'ls /etc/postgresql | head -1'], { encoding: 'utf8' }).stdout.trim();
  if (!version) return;
  const hba = `/etc/postgresql/${version}/main/pg_hba.conf`;
  const sudo = process.getuid?.() === 0 ? '' : 'sudo -n ';
  console.error(`calhub: configuring the new PostgreSQL ${version} for the tests (trust on loopback, database test)…`);
  sh(`${sudo}sh -c "printf 'host all all 127.0.0.1/32 trust\\nhost all all ::1/128 trust\\n' | cat - ${hba} > ${hba}.calhub && mv ${hba}.calhub ${hba} && chown postgres:postgres ${hba}"`);
  sh(`${sudo}pg_ctlcluster --skip-systemctl-redirect ${version} main restart || ${sudo}pg_ctlcluster --skip-systemctl-redirect ${version} main start`);
  sh(`psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='test'" | grep -q 1 || createdb -h 127.0.0.1 -U postgres test`);
}

// dist/ (scripts/build.mjs): commands and the hub's threads start without tsx. Quiet when fresh;
// should it fail, calhub runs from its sources as before.
function ensureBuild() {
  if (run(process.execPath, [join(root, 'scripts/build.mjs')]) !== 0) console.error('calhub: the build failed; running from the TypeScript sources');
}

// The hub (or the test runner) runs as our child and must not outlive `npm start` (`npm test`): a signal sent to this process is
// passed on, and so is the death of our parent. npm 11 does not pass a SIGTERM on to its script;
// it exits, its shell with it, and this process is left to init. A terminal's Ctrl-C reaches the
// whole process group, so the hub may hear one signal twice; it takes a repeat within a second as
// the same request (cli/commands/start.ts).
function runForwardingSignals(cmd, args, env) {
  const child = spawn(cmd, args, { stdio: 'inherit', cwd: root, env });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  const parent = process.ppid;
  const orphaned = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(orphaned);
    child.kill('SIGTERM');
  }, 500);
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? os.constants.signals[signal] : 1)));
}

ensureNpmPackages();
ensureBuild();
if (command === 'start') {
  if (!process.env.REDIS_URL) ensureDebian([['redis-server', 'redis-server']]);
  // glibc gives each thread that meets contention a malloc arena of its own (up to 8 a core) and
  // hands little of it back; the hub's three threads and V8's helpers spread over many. Two arenas
  // cost no measured speed and keep the idle hub smaller (issue 15). glibc reads it once, at
  // process start, so it is set here; an operator's own value wins.
  const env = { MALLOC_ARENA_MAX: '2', ...process.env };
  runForwardingSignals(process.execPath, [join(root, 'bin/calhub.mjs'), 'start', ...rest], env);
} else if (command === 'test') {
  const installed = ensureDebian([['redis-server', 'redis-server'], ['radicale', 'radicale'], ['xandikos', 'xandikos'], ['prometheus', 'prometheus'], ['chromium', 'chromium'], ['pg_ctlcluster', 'postgresql']]);
  if (installed.includes('postgresql')) configureFreshPostgres();
  // Forwarded like the hub's: a SIGTERM to `npm test` (a CI timeout) ends the runner and its tests, not only npm.
  runForwardingSignals(process.execPath, [join(root, 'scripts/run-tests.mjs'), ...rest], process.env);
} else {
  console.error('usage: node scripts/bootstrap.mjs start|test [args]');
  process.exit(2);
}
