/**
 * A hub launched as `calhub start` launches it (launchHub, role start), in a process of its own
 * (hub-host-child.ts), for tests that time the hub's API thread: in the test's process that thread
 * would share its event loop, and the test runner's async hooks, with the test.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Args {
  createTenant: [name: string];
  upsertAccount: [tenantId: string, spec: { provider: 'caldav'; externalId: string; config: Record<string, unknown>; credentials: string }];
  upsertCalendar: [tenantId: string, accountId: string, spec: { providerCalendarId: string; name: string; timeZone: string; color: null; readOnly: boolean }];
  requestPull: [tenantId: string, calendarId: string];
  synced: [tenantId: string, calendarId: string, events: number];
  memo: [];
  loopStart: [];
  loopStop: [];
}

interface Results {
  createTenant: { id: string; apiKey: string };
  upsertAccount: string;
  upsertCalendar: string;
  requestPull: void;
  synced: boolean;
  memo: { reads: number; changes: number };
  loopStart: void;
  loopStop: { p99: number; max: number };
}

export type HostOp = keyof Args;

export interface HubHost {
  url: string;
  call<K extends HostOp>(op: K, ...args: Args[K]): Promise<Results[K]>;
  stop(): Promise<void>;
}

const READY_MS = 300_000;

export async function startHubHost(env: NodeJS.ProcessEnv): Promise<HubHost> {
  // HUB_HOST_NODE_ARGS='--cpu-prof --cpu-prof-dir=…' profiles the hub's threads (NODE_OPTIONS refuses --cpu-prof).
  const extra = (process.env['HUB_HOST_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const child = fork(fileURLToPath(new URL('./hub-host-child.ts', import.meta.url)), [], { env, execArgv: [...extra, '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let ready: (url: string) => void = () => undefined;
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  const up = new Promise<string>((resolve, reject) => {
    ready = resolve;
    void exited.then((code) => reject(new Error(`the hub process exited with ${code} before it was ready`)));
  });
  child.on('message', (m: { ready: string } | { id: number; value?: unknown; error?: string }) => {
    if ('ready' in m) return ready(m.ready);
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error !== undefined) w?.reject(new Error(m.error));
    else w?.resolve(m.value);
  });
  void exited.then((code) => {
    for (const w of waiting.values()) w.reject(new Error(`the hub process exited with ${code}`));
    waiting.clear();
  });
  // A hub that never says ready fails the test (and is killed) instead of holding the run; the
  // deadline is a hang's, as a cold start under load takes minutes (cli.ts CLI_PROCESS_MS; not
  // imported: that module loads the store).
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`the hub process was not ready within ${READY_MS} ms`))), READY_MS);
  });
  const url = await Promise.race([up, late]).finally(() => clearTimeout(timer));
  let next = 1;
  return {
    url,
    call: (op, ...args) =>
      new Promise((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, op, args });
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
