/**
 * The process hub-host.ts forks: one hub launched the way `calhub start` launches it, in a process
 * whose event loop runs nothing else (no test runner: node:test's async hooks track every promise
 * of the process, which made each garbage collection on the API thread slower). The parent drives
 * it with the few store and queue calls a test needs, over IPC.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { launchHub } from '../../cli/launch/launch.ts';
import { listedAccount } from '../../shared/test-support.ts';
import type { HostOp } from './hub-host.ts';

const running = await launchHub({ role: 'start', port: 0, env: process.env });
const { store } = running.hub;
const loop = monitorEventLoopDelay({ resolution: 5 });

const ops: Record<HostOp, (...args: never[]) => Promise<unknown>> = {
  createTenant: async (name: string) => {
    const { tenant, apiKey } = await store.tenants.create(name);
    return { id: tenant.id, apiKey };
  },
  // Marked listed, as a connect leaves it: else this hub's own sweep lists it again mid-test.
  upsertAccount: async (tenantId: string, spec: Parameters<ReturnType<typeof store.tenant>['accounts']['upsert']>[0]) => (await listedAccount(store.tenant(tenantId), spec)).account.id,
  upsertCalendar: async (tenantId: string, accountId: string, spec: Parameters<ReturnType<typeof store.tenant>['calendars']['upsertMany']>[1][number]) =>
    (await store.tenant(tenantId).calendars.upsertMany(accountId, [spec]))[0]!.id,
  requestPull: async (tenantId: string, calendarId: string) => {
    await running.hub.requestPull(tenantId, calendarId);
  },
  // The stage first: one row by key; the count only once it is idle (counting every poll was the
  // heaviest query on the embedded store during a run, competing with the syncs being timed).
  synced: async (tenantId: string, calendarId: string, events: number) => {
    if ((await store.tenant(tenantId).calendars.get(calendarId))?.syncStage !== 'idle') return false;
    const [row] = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE calendar_id = $1', [calendarId]);
    return row!.n >= events;
  },
  memo: async () => ({ reads: running.hub.calendarMemo?.reads ?? 0, changes: running.hub.calendarMemo?.changes ?? 0 }),
  loopStart: async () => {
    loop.reset();
    loop.enable();
  },
  loopStop: async () => {
    loop.disable();
    return { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
  },
};

process.on('message', (m: { id: number; op: HostOp; args: unknown[] }) => {
  const op = ops[m.op] as (...args: unknown[]) => Promise<unknown>;
  op(...m.args).then(
    (value) => process.send?.({ id: m.id, value }),
    (e: unknown) => process.send?.({ id: m.id, error: (e as Error).message }),
  );
});
let stopping = false;
const stop = async () => {
  // SIGTERM and the IPC channel's end both come when the test stops it: close once.
  if (stopping) return;
  stopping = true;
  await running.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('disconnect', () => void stop());
void running.crashed.then((e) => {
  console.error(`the hub crashed: ${e.message}`);
  process.exit(1);
});
process.send?.({ ready: running.url });
