import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CanonicalEvent } from '../../shared/model/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { managedRedisPids } from '../../shared/managed-redis.ts';
import { Store } from '../../shared/store/index.ts';
import { writeUid } from '../../sync-engine/index.ts';

export const BIN = fileURLToPath(new URL('../../bin/calhub.mjs', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The secrets calhub generates (key, managed Redis password) go to one temporary directory per
 * test process instead of the machine user's ~/.config/calhub, unless a test names its own.
 */
let testSecrets: string | null = null;
export function withSecretsDir(env: Record<string, string | undefined>): Record<string, string | undefined> {
  if (env.CALHUB_SECRETS_DIR) return env;
  if (!testSecrets) {
    const dir = mkdtempSync(join(tmpdir(), 'calhub-test-secrets-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    testSecrets = dir;
  }
  return { ...env, CALHUB_SECRETS_DIR: testSecrets };
}

/**
 * How long a calhub process of a test may take (a command to end, `calhub start` to listen): on a
 * shared 2-core machine under load a cold start took past the 90 s and 120 s these helpers gave,
 * and the tests that met it had raised their own to 180-300 s. Only a hang waits this long.
 */
export const CLI_PROCESS_MS = 300_000;

/** Runs `calhub …` as a user would, in its own process. */
export function calhub(args: string[], env: Record<string, string>, timeoutMs = CLI_PROCESS_MS, stdin = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: withSecretsDir({ ...process.env, ...env }) });
    child.stdin.end(stdin);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let killed = false;
    const timer = setTimeout(() => ((killed = true), child.kill('SIGKILL')), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      // Said, so a test failing on `code: null` shows it was this deadline, not a crash.
      resolve({ code, stdout, stderr: killed ? `${stderr}\n[test helper: calhub ${args[0] ?? ''} killed after ${timeoutMs} ms]` : stderr });
    });
  });
}

/** Calls to calhubInProcess, one after the other: each sets process.env for its run. */
let inProcessTail: Promise<unknown> = Promise.resolve();

/**
 * Runs `calhub …` in this process through cli/main.ts `main` (as cli/main.test.ts does), with `env`
 * over process.env and bin/calhub.mjs's umask for the call: the same exit code, stdout and stderr
 * for ~0.5 s of CPU instead of the ~2 s a process of its own costs on the embedded store (node,
 * module loading and PGlite's wasm each time). For tests of what a command does; a test about the
 * process itself (signals, what it loads, a pipe, the log lines pino writes straight to fd 2) uses
 * calhub(). Calls are serialized: process.env is the process's.
 */
export function calhubInProcess(args: string[], env: Record<string, string>): Promise<CliResult> {
  const run = async (): Promise<CliResult> => {
    const { runCaptured } = await import('../../cli/run-captured.ts');
    const saved = { ...process.env };
    const umask = process.umask(0o077);
    Object.assign(process.env, withSecretsDir(env));
    try {
      return await runCaptured(args);
    } finally {
      process.env = saved;
      process.umask(umask);
    }
  };
  const result = inProcessTail.then(run, run);
  inProcessTail = result.catch(() => undefined);
  return result;
}

/** Starts `calhub start` (or `argv`, such as `npm start`'s wrapper) and resolves once it logs its URL. */
export function startHub(env: Record<string, string>, timeoutMs = CLI_PROCESS_MS, argv = [BIN, 'start']): Promise<{ child: ChildProcess; url: string; log: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, env: withSecretsDir({ ...process.env, PORT: '0', ...env }) });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // a hub that never came up must not keep the test process alive
      reject(new Error(`calhub start did not come up within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d;
      const m = /"url":"(http:\/\/[^"]+)"[^\n]*calhub is listening/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, log: () => out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`calhub start exited with ${code}:\n${out}`)));
  });
}

/**
 * Sends SIGTERM (or `signal`) and waits for the exit code. After `ms` it SIGKILLs the hub (and shuts down the
 * redis-server it manages in `dataDir`, which would otherwise outlive it) and returns null.
 */
export async function stopHub(child: ChildProcess, dataDir?: string, ms = 30_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const code = await exited;
  clearTimeout(timer);
  if (child.signalCode !== 'SIGKILL') return code;
  // The redis-server's own pid; it listens on no TCP port.
  const redisPid = dataDir ? (managedRedisPids(dataDir)?.redis ?? NaN) : NaN;
  if (Number.isInteger(redisPid) && redisPid > 0) {
    try {
      process.kill(redisPid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return null;
}

/** Opens the embedded store of a data dir while no calhub process holds it (PGlite is single-process). */
export async function withStore<T>(dataDir: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open({ dataDir });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A hub-side edit (what an API write does): the stored events of a UID change and an outbox entry is queued. */
export function editInHub(dataDir: string, tenantId: string, calendarId: string, uid: string, edit: (e: CanonicalEvent) => CanonicalEvent): Promise<void> {
  return withStore(dataDir, async (store) => {
    const rows = await store.tenant(tenantId).events.byUid(calendarId, uid);
    if (rows.length === 0) throw new Error(`no event ${uid} in calendar ${calendarId}`);
    const deps = { store, log: createLogger({ level: 'silent' }), connect: () => Promise.reject(new Error('no provider access here')) };
    await writeUid(deps, tenantId, calendarId, uid, rows.map((r) => edit(r.event)));
  });
}

/** Makes the hub forget an object as if its rows were lost: only a full listing brings it back. */
export function forgetInHub(dataDir: string, tenantId: string, calendarId: string, uid: string): Promise<void> {
  return withStore(dataDir, async (store) => {
    const t = store.tenant(tenantId);
    const remoteIds = [...new Set((await t.events.byUid(calendarId, uid)).map((r) => r.remoteId).filter((x): x is string => x !== null))];
    if (remoteIds.length === 0) throw new Error(`no synced event ${uid} in calendar ${calendarId}`);
    await t.transaction(async (tx) => {
      await tx.events.applyRemoteChanges(calendarId, remoteIds.map((remoteId) => ({ kind: 'delete' as const, remoteId })));
      await tx.ledger.delete(calendarId, remoteIds);
    });
  });
}
