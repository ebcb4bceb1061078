/**
 * The worker process of the P7 simulation (accounts.bench.ts): one hub (openHub on the bench's
 * PostgreSQL schema and Redis prefix) with its sync, webhook and maintenance workers, nothing else.
 * It runs in its own process so process.cpuUsage() is the worker's alone (the emulators stay in the
 * parent). Every provider request the hub makes goes through a counting fetch: per account, per
 * time bucket. The parent drives it over IPC: `pull-all`, `stats`, `stop`.
 */
import { readFileSync } from 'node:fs';
import type { CalendarConnector, ConnectorContext } from '../connectors/index.ts';
import { createConnector } from '../connectors/registry.ts';
import { openHub } from '../hub/open-hub.ts';
import { loadConfig } from '../shared/config/index.ts';
import { createLogger } from '../shared/logger.ts';
import { Store } from '../shared/store/index.ts';

export type WorkerJob = {
  databaseUrl: string;
  schema: string;
  redisUrl: string;
  prefix: string;
  pollMs: number;
  tickMs: number;
  bucketMs: number;
  accountsFile: string;
};
export type SeededAccount = { externalId: string; provider: 'caldav' | 'google' | 'microsoft'; token?: string; serverUrl?: string; username?: string; password?: string; baseUrl?: string };
export type WorkerStats = { cpuUserMs: number; cpuSystemMs: number; rssMb: number; requests: number; perBucket: Record<string, number>; perAccountBucket: Record<string, Record<string, number>> };

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const job = JSON.parse(process.argv[2]!) as WorkerJob;
const seeded = new Map((JSON.parse(readFileSync(job.accountsFile, 'utf8')) as SeededAccount[]).map((a) => [a.externalId, a]));

let requests = 0;
const perBucket = new Map<number, number>();
// provider → bucket → largest count of any one account in it (the quota share needs only the max).
const perAccount = new Map<string, Map<number, number>>();
function counted(accountId: string): typeof fetch {
  const mine = new Map<number, number>();
  perAccount.set(accountId, mine);
  return (input, init) => {
    const b = Math.floor(Date.now() / job.bucketMs);
    requests += 1;
    perBucket.set(b, (perBucket.get(b) ?? 0) + 1);
    mine.set(b, (mine.get(b) ?? 0) + 1);
    return fetch(input, init);
  };
}

const store = await Store.open({ databaseUrl: job.databaseUrl, schema: job.schema });
const connected = new Map<string, { connector: CalendarConnector; ctx: ConnectorContext }>();
const hub = await openHub({
  config: loadConfig({ REDIS_URL: job.redisUrl, REDIS_PREFIX: job.prefix, SYNC_POLL_INTERVAL_MS: String(job.pollMs), LOG_LEVEL: 'error' }),
  store,
  logger: createLogger({ level: 'error' }),
  queue: 'required',
  // Accounts hold emulator grants and one Radicale login, not stored credentials: the factory hands them out.
  connect: async (account) => {
    const hit = connected.get(account.id);
    if (hit) return hit;
    const a = seeded.get(account.externalId);
    if (!a) throw new Error(`unknown bench account ${account.externalId}`);
    const fetchImpl = counted(account.id);
    const connector = a.provider === 'caldav'
      ? await createConnector('caldav', { serverUrl: a.serverUrl, fetch: fetchImpl })
      : await createConnector(a.provider, { baseUrl: a.baseUrl, fetch: fetchImpl });
    const ctx: ConnectorContext = {
      credentials: a.provider === 'caldav' ? { kind: 'basic', username: a.username!, password: a.password! } : { kind: 'oauth', getAccessToken: async () => a.token! },
      signal: new AbortController().signal,
      log: quiet,
      now: () => new Date(),
    };
    const c = { connector, ctx };
    connected.set(account.id, c);
    return c;
  },
});
await hub.startWorkers();
// The tick follows the compressed poll interval (openHub schedules one a minute, for a 5-minute interval).
const [, maintenance] = hub.queues();
await maintenance!.upsertJobScheduler('tick', { every: job.tickMs }, { name: 'tick', opts: { removeOnComplete: 100, removeOnFail: 100, attempts: 1 } });

let cpu0 = process.cpuUsage();
process.on('message', (m: { cmd: string }) => {
  void (async () => {
    if (m.cmd === 'pull-all') {
      // What connecting an account does: one pull per calendar, all at once (a restart looks the same to the scheduler).
      const rows = await store.db.query<{ tenant_id: string; id: string }>('SELECT tenant_id, id FROM calendars');
      for (const r of rows) await hub.requestPull(r.tenant_id, r.id);
      process.send!({ ok: rows.length });
    } else if (m.cmd === 'cpu-reset') {
      cpu0 = process.cpuUsage();
      process.send!({ ok: true });
    } else if (m.cmd === 'stats') {
      const c = process.cpuUsage(cpu0);
      const byAccount: Record<string, Record<string, number>> = {};
      for (const [id, buckets] of perAccount) byAccount[id] = Object.fromEntries(buckets);
      const s: WorkerStats = { cpuUserMs: c.user / 1000, cpuSystemMs: c.system / 1000, rssMb: process.memoryUsage().rss / 2 ** 20, requests, perBucket: Object.fromEntries(perBucket), perAccountBucket: byAccount };
      process.send!(s);
    } else if (m.cmd === 'stop') {
      await hub.close();
      await store.close();
      process.send!({ ok: true });
      process.exit(0);
    }
  })().catch((e: unknown) => {
    process.send!({ error: e instanceof Error ? e.message : String(e) });
  });
});
process.send!({ ready: true });
