/**
 * Starts real CalDAV servers (Radicale, Xandikos) on 127.0.0.1 with temporary storage, for
 * integration tests and benchmarks. Each call gets its own port and directory; `stop()` kills
 * the process and removes the directory, and so does this process's exit if nothing did before.
 * A run killed outright (SIGKILL, a dead terminal) cannot: the next start removes what it left
 * (dav-leftovers.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { recordOwner, removeLeftovers } from './dav-leftovers.ts';
import { freePort } from './free-port.ts';

export interface DavServer {
  /** Server root, e.g. http://127.0.0.1:5232/ */
  url: string;
  /** The principal's calendar home (Radicale: /<user>/, Xandikos: /user/calendars/). */
  homeUrl: string;
  username: string;
  password: string;
  /** Radicale: folder holding the collections on disk (for seeding); Xandikos: the data root. */
  storageDir: string;
  kind: 'radicale' | 'xandikos';
  /** The server's process id. */
  pid?: number;
  stop(): Promise<void>;
}

export function hasBinary(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

async function waitForPort(port: number, child: ChildProcess, output: () => string, ms = 20000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not listen on ${port} within ${ms} ms: ${output()}`);
}

function launch(cmd: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => { out = (out + d.toString()).slice(-4000); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => out };
}

/** Servers not stopped yet, killed at this process's exit: a test or a soak that failed before its stop() must not leave them running. */
const running = new Map<ChildProcess, string>();
let exitHook = false;

/** A fresh folder `<parent>/<prefix>…` owned by this process, after removing those of owners that are gone. */
async function serverDir(parent: string, prefix: string): Promise<string> {
  removeLeftovers(parent, prefix);
  const dir = await mkdtemp(path.join(parent, prefix));
  recordOwner(dir, { owner: process.pid });
  return dir;
}

function track(child: ChildProcess, dir: string): void {
  if (child.pid) recordOwner(dir, { owner: process.pid, server: child.pid });
  running.set(child, dir);
  child.once('exit', () => running.delete(child));
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const [c, d] of running) {
      c.kill('SIGKILL');
      rmSync(d, { recursive: true, force: true });
    }
  });
  // A signal's default action skips 'exit' handlers: the test runner stopping this file (a SIGTERM
  // to `npm test`) left its Radicale running. Exiting on the signal runs them.
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129]] as const) {
    if (process.listenerCount(signal) === 0) process.once(signal, () => process.exit(code));
  }
}

async function stopServer(child: ChildProcess, dir: string): Promise<void> {
  await kill(child);
  running.delete(child);
  await rm(dir, { recursive: true, force: true });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => { child.kill('SIGKILL'); }, 3000);
    child.once('exit', () => { clearTimeout(t); resolve(); });
    child.kill('SIGTERM');
  });
}

export interface RadicaleOptions {
  /** Called with the collections folder before the server starts (seed files directly). */
  seed?: (collectionsDir: string, username: string) => Promise<void>;
  /**
   * Keep its storage in memory (/dev/shm) where there is one. Radicale writes and fsyncs a cache
   * file and its folder for every item on the first read of a collection; beside a hub writing to
   * the same disk those syncs wait on the hub's writes, which a server on its own machine would not.
   */
  memoryDisk?: boolean;
  /**
   * Run it through nice(1) at this niceness. A negative one needs root (CAP_SYS_NICE); without it
   * nice warns and the server runs at the caller's: read what it got with niceOf(pid).
   */
  nice?: number;
}

/** The niceness a process runs at, from /proc (null where there is none). */
export function niceOf(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // stat(5): niceness is field 19, the 17th after the command's closing parenthesis.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  } catch {
    return null;
  }
}

export async function startRadicale(opts: RadicaleOptions = {}): Promise<DavServer> {
  if (!hasBinary('radicale')) throw new Error('radicale is not installed (apt-get install radicale)');
  const shm = existsSync('/dev/shm');
  const parent = opts.memoryDisk && shm ? '/dev/shm' : os.tmpdir();
  // A killed run may have used the other place.
  if (shm && parent !== '/dev/shm') removeLeftovers('/dev/shm', 'calhub-radicale-');
  const dir = await serverDir(parent, 'calhub-radicale-');
  const port = await freePort();
  const username = 'alice';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const collections = path.join(dir, 'collections');
  await writeFile(path.join(dir, 'users'), `${username}:${password}\n`);
  await writeFile(
    path.join(dir, 'config'),
    [
      '[server]', `hosts = 127.0.0.1:${port}`,
      '[auth]', 'type = htpasswd', `htpasswd_filename = ${path.join(dir, 'users')}`, 'htpasswd_encryption = plain', 'delay = 0',
      '[rights]', 'type = owner_only',
      '[storage]', `filesystem_folder = ${collections}`,
      '[web]', 'type = none',
      '[logging]', 'level = warning',
      '',
    ].join('\n'),
  );
  if (opts.seed) await opts.seed(collections, username);
  const args = ['--config', path.join(dir, 'config')];
  // nice(1) execs the server: the pid is the server's either way.
  const { child, output } = opts.nice !== undefined && existsSync('/usr/bin/nice') ? launch('/usr/bin/nice', ['-n', String(opts.nice), 'radicale', ...args]) : launch('radicale', args);
  track(child, dir);
  try {
    await waitForPort(port, child, output);
  } catch (e) {
    await stopServer(child, dir);
    throw e;
  }
  const url = `http://127.0.0.1:${port}/`;
  return {
    url, homeUrl: `${url}${username}/`, username, password, storageDir: collections, kind: 'radicale', pid: child.pid,
    stop: () => stopServer(child, dir),
  };
}

export async function startXandikos(): Promise<DavServer> {
  if (!hasBinary('xandikos')) throw new Error('xandikos is not installed (apt-get install xandikos)');
  const dir = await serverDir(os.tmpdir(), 'calhub-xandikos-');
  // Its data root one level down, so that the owner file is not among what it serves.
  const data = path.join(dir, 'data');
  const port = await freePort();
  const { child, output } = launch('xandikos', ['--defaults', '-d', data, '-l', '127.0.0.1', '-p', String(port)]);
  track(child, dir);
  try {
    await waitForPort(port, child, output);
  } catch (e) {
    await stopServer(child, dir);
    throw e;
  }
  const url = `http://127.0.0.1:${port}/`;
  // Xandikos has no authentication of its own; credentials are accepted and ignored.
  return {
    url, homeUrl: `${url}user/calendars/`, username: 'user', password: 'unused', storageDir: data, kind: 'xandikos',
    stop: () => stopServer(child, dir),
  };
}

/** The servers a CalDAV integration test runs against, by the name its titles use. */
export const DAV_SERVERS = [
  { name: 'Radicale', binary: 'radicale', start: (): Promise<DavServer> => startRadicale() },
  { name: 'Xandikos', binary: 'xandikos', start: startXandikos },
] as const;
export type DavServerKind = (typeof DAV_SERVERS)[number];

/** node:test's `skip` for a server that is not installed: false, or the reason. */
export function skipUnlessInstalled(server: Pick<DavServerKind, 'name' | 'binary'>): false | string {
  return !hasBinary(server.binary) && `${server.name} is not installed`;
}

/** Creates a calendar collection (MKCALENDAR) under the server's home; returns its URL. */
export async function makeCalendar(server: DavServer, name: string): Promise<string> {
  const url = `${server.homeUrl}${encodeURIComponent(name)}/`;
  const body =
    '<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">' +
    `<D:set><D:prop><D:displayname>${name}</D:displayname></D:prop></D:set></C:mkcalendar>`;
  const res = await fetch(url, { method: 'MKCALENDAR', headers: { ...authHeader(server), 'content-type': 'application/xml' }, body });
  if (!res.ok) throw new Error(`MKCALENDAR ${url} → ${res.status} ${await res.text()}`);
  return url;
}

export function authHeader(server: Pick<DavServer, 'username' | 'password'>): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${server.username}:${server.password}`).toString('base64')}` };
}
