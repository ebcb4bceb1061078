/**
 * The threads of `calhub start`, seen from the main thread (the HTTP API). Each thread runs one
 * part of the hub (thread-main.ts is its side of this protocol): it says `ready` once it serves,
 * or `failed` with the error that stopped it; it answers `call`s (the sync thread's metrics);
 * `stop` closes it cleanly. A thread that exits on its own has crashed: `crashed` resolves, and
 * the launcher takes the whole hub down, as an uncaught error did when everything ran on one
 * thread (a supervisor such as systemd restarts it).
 *
 * Nothing secret goes into workerData: a thread reads its configuration (and the secrets it
 * names: key file, managed Redis password) from its environment and the secrets dir itself.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { HubError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';

export type ThreadName = 'store' | 'sync';

/** What a thread starts with: plain, non-secret data (the entry module is added by startThread). */
export interface ThreadData {
  name: ThreadName;
  /** The thread's log lines are pretty (the main thread's stdout is a terminal), and coloured. */
  pretty: boolean;
  colorize: boolean;
  /** Nice steps below the thread that started it (CALHUB_THREAD_NICE). */
  nice?: number;
  [key: string]: unknown;
}

export type ToThread = { type: 'stop' } | { type: 'call'; id: number; name: string };
export type FromThread =
  | { type: 'ready' }
  | { type: 'failed'; error: ErrorData }
  | { type: 'reply'; id: number; value?: unknown; error?: ErrorData }
  | { type: 'stopped' };

/** An error as it crosses to another thread: what the CLI prints and maps to an exit code. */
export interface ErrorData {
  name: string;
  message: string;
  code?: string;
  retry?: string;
}

export function errorData(e: unknown): ErrorData {
  const err = e instanceof Error ? e : new Error(String(e));
  const { code, retry } = err as { code?: unknown; retry?: unknown };
  return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}), ...(typeof retry === 'string' ? { retry } : {}) };
}

function errorOf(d: ErrorData, thread: ThreadName): Error {
  if (d.code && d.retry) {
    const e = new HubError(d.code, d.retry as HubError['retry'], d.message);
    e.name = d.name;
    return e;
  }
  const e = new Error(`the ${thread} thread failed: ${d.message}`);
  e.name = d.name;
  return e;
}

export interface HubThread {
  readonly name: ThreadName;
  readonly threadId: number;
  /** Asks the thread for a value (its handlers); rejects after `timeoutMs`. */
  call<T>(name: string, timeoutMs?: number): Promise<T>;
  /** Closes the thread's part of the hub; terminates it if it has not finished within `ms`. */
  stop(ms?: number): Promise<void>;
  /** Resolves with the reason when the thread ends without being stopped. */
  readonly crashed: Promise<Error>;
}

const BOOT = new URL('./thread-boot.mjs', import.meta.url);

export async function startThread(o: { entry: URL; data: ThreadData; env: NodeJS.ProcessEnv; log: Logger; limits?: ResourceLimits }): Promise<HubThread> {
  const name = o.data.name;
  const worker = new Worker(BOOT, { workerData: { ...o.data, entry: o.entry.href }, env: { ...o.env }, ...(o.limits ? { resourceLimits: o.limits } : {}) });
  let stopping = false;
  let exited = false;
  let nextId = 1;
  const calls = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  let onReady: { resolve(): void; reject(e: Error): void } | null = null;
  let onStopped: (() => void) | null = null;
  let crash: (e: Error) => void = () => undefined;
  const crashed = new Promise<Error>((resolve) => (crash = resolve));
  let lastError: Error | null = null;

  worker.on('message', (m: FromThread) => {
    if (m.type === 'ready') onReady?.resolve();
    else if (m.type === 'failed') onReady?.reject(errorOf(m.error, name));
    else if (m.type === 'stopped') onStopped?.();
    else if (m.type === 'reply') {
      const c = calls.get(m.id);
      calls.delete(m.id);
      if (m.error) c?.reject(errorOf(m.error, name));
      else c?.resolve(m.value);
    }
  });
  // An uncaught error in the thread: it ends the thread (the 'exit' below follows).
  worker.on('error', (e) => {
    lastError = e;
    o.log.fatal({ err: e, thread: name }, `the ${name} thread failed`);
  });
  worker.on('exit', (code) => {
    exited = true;
    for (const c of calls.values()) c.reject(new Error(`the ${name} thread exited`));
    calls.clear();
    onStopped?.();
    const e = lastError ?? new Error(`the ${name} thread exited with code ${code}`);
    onReady?.reject(e);
    if (!stopping) crash(e);
  });

  await new Promise<void>((resolve, reject) => (onReady = { resolve, reject }));
  onReady = null;

  return {
    name,
    threadId: worker.threadId,
    crashed,
    call<T>(what: string, timeoutMs = 5000): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          calls.delete(id);
          reject(new Error(`the ${name} thread did not answer ${what} within ${timeoutMs} ms`));
        }, timeoutMs);
        timer.unref();
        calls.set(id, { resolve: (v) => (clearTimeout(timer), resolve(v as T)), reject: (e) => (clearTimeout(timer), reject(e)) });
        worker.postMessage({ type: 'call', id, name: what } satisfies ToThread);
      });
    },
    async stop(ms = 15_000): Promise<void> {
      if (stopping || exited) return;
      stopping = true;
      const done = new Promise<void>((resolve) => (onStopped = resolve));
      worker.postMessage({ type: 'stop' } satisfies ToThread);
      const timer = setTimeout(() => {
        o.log.warn({ thread: name }, `the ${name} thread did not stop within ${ms / 1000} s; terminating it`);
        void worker.terminate();
      }, ms);
      await done;
      clearTimeout(timer);
      // The thread exits right after it said `stopped`; wait for it, so its handles are gone too.
      if (!exited) await new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    },
  };
}
