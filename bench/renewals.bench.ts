/**
 * P7's push half (issue 15): how the channel supervisor's provider calls (create, renew or
 * replace, stop) spread over time for BENCH_CHANNELS calendars (default 10,000: half on the Google
 * emulator, half on the Graph emulator, one account each), over BENCH_DAYS simulated days (default
 * 21, three lifetimes of a 7-day channel). The real ChannelSupervisor runs its maintenance step once
 * per simulated minute against a PostgreSQL schema; the emulators' clocks are moved forward with
 * it, so channels expire and renew on the providers' own terms. A loopback receiver answers Graph's
 * validation and Google's handshakes. Half-way the supervisor is replaced by a new one (a restart:
 * same database, fresh process state) to show whether a restart brings the renewals forward.
 *
 * Reports: how long creating every channel took and its peak per minute (the onboarding burst, capped
 * by the sweep's batch), then for the steady days: mean and peak provider calls per minute and per
 * hour, peak-to-mean, the calls in the hour after the restart against the mean hour, and the largest
 * number of calls one account made in a minute (its quota share).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import type { ConnectorContext } from '../connectors/index.ts';
import { createConnector } from '../connectors/registry.ts';
import { startGoogleEmulator } from '../emulators/google/index.ts';
import { startMicrosoftEmulator } from '../emulators/microsoft/index.ts';
import { ChannelSupervisor } from '../hub/channels/supervisor.ts';
import { createLogger } from '../shared/logger.ts';
import { Store } from '../shared/store/index.ts';
import type { BenchRow } from './bench-row.ts';

const N = Number(process.env.BENCH_CHANNELS ?? 10_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 21);
const MINUTE = 60_000;
/** Google's per-user quota (provider-facts A.9) and Graph's per app + mailbox (B.7), per minute. */
const QUOTA_PER_MIN: Record<string, number> = { google: 600, microsoft: 1_000 };

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function startReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('validationToken');
    req.resume();
    if (token !== null) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(token);
      return;
    }
    res.writeHead(202).end();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export async function benchRenewals(): Promise<BenchRow[]> {
  const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_renewals_${process.pid}_${randomBytes(3).toString('hex')}`;
  const store = await Store.open({ databaseUrl: pgUrl, schema }).catch(() => null);
  if (!store) throw new Error(`PostgreSQL unreachable at ${pgUrl}`);
  const google = await startGoogleEmulator({ allowHttpPush: true });
  const graph = await startMicrosoftEmulator({ switches: { allowHttpPush: true } });
  const receiver = await startReceiver();
  try {
    await store.migrate();
    let simNow = Date.now();
    const minuteOf = () => Math.floor(simNow / MINUTE);
    const perMinute = new Map<number, number>();
    const perAccountMinute = new Map<string, Map<number, number>>();
    const counted = (accountId: string): typeof fetch => {
      const mine = new Map<number, number>();
      perAccountMinute.set(accountId, mine);
      return (input, init) => {
        const m = minuteOf();
        perMinute.set(m, (perMinute.get(m) ?? 0) + 1);
        mine.set(m, (mine.get(m) ?? 0) + 1);
        return fetch(input, init);
      };
    };

    // Accounts as a connect would leave them: one calendar each, ten tenants.
    type Seed = { provider: 'google' | 'microsoft'; externalId: string; calendar: string; token: () => string };
    const seeds: Seed[] = [];
    for (let i = 0; i < N; i++) {
      if (i % 2 === 0) {
        const email = `ch-${i}@bench.test`;
        google.control.createUser({ email, timeZone: 'UTC' });
        // Google's access tokens expire on the emulator's clock, which runs ahead: issue one per simulated half hour.
        let token = '';
        let issued = -Infinity;
        seeds.push({ provider: 'google', externalId: email, calendar: email, token: () => (simNow - issued > 30 * MINUTE ? ((issued = simNow), (token = google.control.issueGrant({ email }).accessToken)) : token) });
      } else {
        const user = graph.control.createUser({ email: `ch-${i}@bench.test`, timeZone: 'UTC' });
        const token = graph.control.issueToken({ userId: user.id }).accessToken;
        seeds.push({ provider: 'microsoft', externalId: `graph-${user.email}`, calendar: user.calendarId, token: () => token });
      }
    }
    const tenants = await Promise.all(Array.from({ length: 10 }, (_, k) => store.tenants.create(`renew-${k}`)));
    const byExternal = new Map(seeds.map((s) => [s.externalId, s]));
    for (let i = 0; i < seeds.length; i += 50) {
      await Promise.all(seeds.slice(i, i + 50).map(async (s, k) => {
        const t = store.tenant(tenants[(i + k) % 10]!.tenant.id);
        const account = await t.accounts.upsert({ provider: s.provider, externalId: s.externalId });
        await t.calendars.upsertMany(account.id, [{ providerCalendarId: s.calendar, name: s.externalId, timeZone: 'UTC', color: null, readOnly: false }]);
      }));
    }

    const connected = new Map<string, { connector: Awaited<ReturnType<typeof createConnector>>; ctx: ConnectorContext }>();
    const supervisor = () => new ChannelSupervisor({
      store,
      publicUrl: receiver.url,
      log: createLogger({ level: 'silent' }),
      requestPull: async () => undefined,
      now: () => new Date(simNow),
      connect: async (account) => {
        const hit = connected.get(account.id);
        if (hit) return hit as never;
        const s = byExternal.get(account.externalId)!;
        const c = {
          connector: await createConnector(s.provider, { baseUrl: s.provider === 'google' ? google.url : graph.url, fetch: counted(account.id) }),
          ctx: { credentials: { kind: 'oauth' as const, getAccessToken: async () => s.token() }, signal: new AbortController().signal, log: quiet, now: () => new Date(simNow) },
        };
        connected.set(account.id, c);
        return c as never;
      },
    });

    const start = minuteOf();
    const wallStart = performance.now();
    let sup = supervisor();
    let allActiveAt: number | null = null;
    let restartMinute = 0;
    const failed = { n: 0 };
    const total = DAYS * 24 * 60;
    const end = start + total;
    const restartAt = start + Math.floor(total / 2);
    const nextDue = async () => {
      const [r] = await store.db.query<{ at: Date | null }>(`SELECT min(next_check_at) AS at FROM push_channels`);
      return r?.at ? Math.floor(r.at.getTime() / MINUTE) + 1 : end;
    };
    const advance = (toMinute: number) => {
      const ms = (toMinute - minuteOf()) * MINUTE;
      simNow += ms;
      google.control.advanceClock(ms);
      graph.control.advanceClock(ms);
    };
    // The maintenance tick runs once a minute; a minute in which no row is due would claim nothing,
    // so the clock jumps to the next due row (or the restart) instead of sweeping empty minutes.
    while (minuteOf() < end) {
      const next = allActiveAt === null ? minuteOf() + 1 : Math.min(await nextDue(), end);
      if (!restartMinute && next >= restartAt) {
        advance(restartAt);
        sup = supervisor();
        restartMinute = restartAt;
        if (next === restartAt) continue;
      }
      advance(next);
      if (minuteOf() >= end) break;
      const r = await sup.sweep();
      failed.n += r.failed ?? 0;
      if (allActiveAt === null && (r.created ?? 0) === 0) {
        const active = Number((await store.db.query<{ n: string }>(`SELECT count(*) AS n FROM push_channels WHERE status = 'active'`))[0]!.n);
        if (active >= N) allActiveAt = minuteOf();
      }
    }
    const wallS = (performance.now() - wallStart) / 1000;
    if (allActiveAt === null) throw new Error('not every channel was created');

    const minutes = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => perMinute.get(from + k) ?? 0);
    const onboarding = minutes(start, allActiveAt + 1);
    // Steady: from the end of onboarding, whole hours.
    const steady = minutes(allActiveAt + 1, start + total + 1);
    const hours = Array.from({ length: Math.floor(steady.length / 60) }, (_, h) => sum(steady.slice(h * 60, h * 60 + 60)));
    const meanMin = sum(steady) / steady.length;
    const meanHour = sum(hours) / hours.length;
    const afterRestart = sum(minutes(restartMinute, restartMinute + 60));
    const providerOf = new Map((await store.db.query<{ id: string; provider: string }>('SELECT id, provider FROM accounts')).map((r) => [r.id, r.provider]));
    const maxPerMin: Record<string, number> = { google: 0, microsoft: 0 };
    for (const [id, per] of perAccountMinute) {
      const p = providerOf.get(id)!;
      for (const n of per.values()) maxPerMin[p] = Math.max(maxPerMin[p]!, n);
    }
    const label = `${N} calendars, ${DAYS} simulated days`;
    console.log(`renewals bench: load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; ${wallS.toFixed(0)} s wall; failed passes ${failed.n}; busiest hours: ${[...hours].sort((a, b) => b - a).slice(0, 5).join(' ')}`);
    return [
      {
        name: `P7 push channels, onboarding (${label})`, target: '-',
        metrics: { 'minutes to create all': onboarding.length, 'peak calls/min': Math.max(...onboarding), 'calls': sum(onboarding) },
      },
      {
        name: `P7 push channel upkeep, steady (${label})`, target: 'no thundering herd',
        metrics: {
          'mean calls/min': meanMin.toFixed(2), 'peak calls/min': Math.max(...steady), 'mean calls/hour': meanHour.toFixed(0), 'peak calls/hour': Math.max(...hours),
          'peak/mean (hours)': (Math.max(...hours) / meanHour).toFixed(2), 'hour after restart': afterRestart, 'failed passes': failed.n,
        },
      },
      {
        name: `P7 push channels, quota (${label})`, target: '≤ 50% per account',
        metrics: {
          google: `${((maxPerMin.google! / QUOTA_PER_MIN.google!) * 100).toFixed(2)}% (${maxPerMin.google}/min of 600)`,
          graph: `${((maxPerMin.microsoft! / QUOTA_PER_MIN.microsoft!) * 100).toFixed(2)}% (${maxPerMin.microsoft}/min of 1,000)`,
        },
      },
    ];
  } finally {
    await receiver.close();
    await google.close();
    await graph.close();
    await store.db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await store.close();
  }
}
