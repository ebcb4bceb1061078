/**
 * Issue 12's noisy neighbour: one tenant creates `FREQ=MINUTELY;COUNT=5000` series as fast as the
 * API lets it (its per-tenant write budget answers 429 beyond its share), while another tenant
 * queries free/busy on its own calendar. The victim's latency is measured alone, then under the
 * attack, in the same process (one hub, one event loop, one PGlite), through the real routes.
 * Goal: the victim's p99 degrades by at most 2×. Before the write budget it rose from 12 to
 * 1,216 ms.
 */
import { call, ev, seed, startTestApi, type StoreThread, type TestApi } from '../api/test-support.ts';
import { startThread } from '../cli/launch/threads.ts';
import { createLogger } from '../shared/logger.ts';
import { busyCost } from '../hub/index.ts';
import { parseEvent } from '../shared/model/index.ts';
import { expandSeries } from '../shared/time/index.ts';
import type { BenchRow } from './bench-row.ts';
import { fmtMs, percentile } from './stats.ts';

/**
 * How long the victim queries, alone and then attacked. Long enough that the write budget's steady
 * rate decides how many series get in, not its burst: with 400 queries (~0.4 s) four series were
 * accepted, and the p99 was the latency of whichever four queries met them.
 */
const PHASE_MS = Number(process.env.CALHUB_BENCH_FAIRNESS_MS ?? 8000);
const PACE_MS = 2.5;
const DAY = 86_400_000;

/**
 * What pricing one of the attacker's writes costs the API thread: the write budget's bound from the
 * rules (hub busyCost), beside the expansion it replaced. Mean of many calls, warm.
 */
function pricing(now: number): { bound: number; expansion: number } {
  const start = new Date(now + DAY);
  const e = parseEvent({ uid: 'price', start: { dateTime: start.toISOString(), timeZone: 'UTC' }, end: { dateTime: new Date(start.getTime() + 60_000).toISOString(), timeZone: 'UTC' }, recurrence: { rrules: ['FREQ=MINUTELY;COUNT=5000'] } });
  const horizon = { start: new Date(now - 365 * DAY), end: new Date(now + 730 * DAY) };
  const mean = (n: number, f: () => unknown) => {
    for (let i = 0; i < Math.ceil(n / 10); i++) f();
    const t = performance.now();
    for (let i = 0; i < n; i++) f();
    return (performance.now() - t) / n;
  };
  return {
    bound: mean(20_000, () => busyCost(e, horizon)),
    expansion: mean(20, () => expandSeries({ master: e, overrides: [], calendarTimeZone: 'UTC', window: horizon }).length),
  };
}

/** The victim's latencies, and those of its first second (when the attacker spends its write burst). */
async function victim(api: TestApi, ms: number): Promise<number[] & { firstSecond: number[] }> {
  const lat = Object.assign([] as number[], { firstSecond: [] as number[] });
  const from = Date.now();
  while (Date.now() - from < ms) {
    const body = { calendarIds: [api.b.calendarId], timeMin: new Date(from).toISOString(), timeMax: new Date(from + 30 * DAY).toISOString() };
    const t = performance.now();
    const r = await call(api, 'POST', '/v1/freebusy', { key: api.b.key, body });
    const took = performance.now() - t;
    lat.push(took);
    if (Date.now() - from < 1000) lat.firstSecond.push(took);
    if (r.statusCode !== 200) throw new Error(`free/busy answered ${r.statusCode}: ${r.body.slice(0, 200)}`);
    // Within the key's rate limit (1,000/s): a client asking 400 times a second.
    if (took < PACE_MS) await new Promise((res) => setTimeout(res, PACE_MS - took));
  }
  return lat;
}

/** The victim alone, then under the attack, on one test API. */
async function attackRound(api: TestApi, now: number) {
  // The victim's calendar: 2,000 meetings over the next 90 days, a tenth weekly series.
  const events = Array.from({ length: 2000 }, (_, i) => {
    const start = new Date(Math.floor((now + (i % 90) * DAY + (8 + (i % 9)) * 3_600_000) / 900_000) * 900_000);
    return ev({ uid: `v-${i}`, start: { dateTime: start.toISOString(), timeZone: 'UTC' }, end: { dateTime: new Date(start.getTime() + 1_800_000).toISOString(), timeZone: 'UTC' }, ...(i % 10 === 0 ? { recurrence: { rrules: ['FREQ=WEEKLY;COUNT=12'] } } : {}) });
  });
  for (let i = 0; i < events.length; i += 250) await seed(api.store, api.b.id, api.b.calendarId, ...events.slice(i, i + 250));
  await victim(api, 500); // warm-up
  const solo = await victim(api, PHASE_MS);

  let stop = false;
  const counts = { accepted: 0, refused: 0 };
  const attacker = (async () => {
    for (let i = 0; !stop; i++) {
      const start = new Date(now + DAY + (i % 500) * 60_000);
      const body = { start: { dateTime: start.toISOString(), timeZone: 'UTC' }, end: { dateTime: new Date(start.getTime() + 60_000).toISOString(), timeZone: 'UTC' }, recurrence: { rrules: ['FREQ=MINUTELY;COUNT=5000'] } };
      const r = await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { key: api.a.key, body });
      if (r.statusCode === 201) counts.accepted++;
      else if (r.statusCode === 429) {
        counts.refused++;
        // A client honouring Retry-After would wait; a hostile one does not: it retries at once.
        await new Promise((res) => setImmediate(res));
      } else throw new Error(`attacker's write answered ${r.statusCode}: ${r.body.slice(0, 200)}`);
    }
  })();
  const attacked = await victim(api, PHASE_MS);
  stop = true;
  await attacker;
  const p99solo = percentile(solo, 99);
  const p99att = percentile(attacked, 99);
  return {
    'alone p50': fmtMs(percentile(solo, 50)),
    'alone p99': fmtMs(p99solo),
    'attacked p50': fmtMs(percentile(attacked, 50)),
    'attacked p99': fmtMs(p99att),
    ratio: `${(p99att / p99solo).toFixed(2)}×`,
    // The old form of this bench: the p99 of the queries that met the write burst, a handful of them.
    'first second p99': fmtMs(percentile(attacked.firstSecond, 99)),
    queries: attacked.length,
    'series accepted': counts.accepted,
    'refused 429': counts.refused,
  };
}

/** `calhub start`'s store thread (cli/launch/store-thread.ts) serving a data dir. */
const storeThread: StoreThread = async (dataDir) => {
  const log = createLogger({ level: 'silent' });
  const thread = await startThread({ entry: new URL('../cli/launch/store-thread.ts', import.meta.url), data: { name: 'store', pretty: false, colorize: false, logLevel: 'silent', dataDir }, env: process.env, log });
  return () => thread.stop();
};

/**
 * Two shapes of the same hub: `calhub start`'s (the target): the API with free/busy's calendars
 * memorised and PGlite in a store thread of its own, as launch.ts opens them; and the tests'
 * in-memory store on the API's thread without the memo, where every free/busy request reads the
 * store behind the writer's transaction.
 */
export async function benchFairness(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [label, startLike] of [['calhub start threads: API with calendar memo, PGlite in its store thread', true], ['in-memory pglite on the API thread, no calendar memo', false]] as const) {
    const api = await startTestApi({}, {}, startLike ? { startLike, storeThread } : {});
    try {
      rows.push({ name: `noisy neighbour: victim free/busy (${label})`, target: 'p99 under attack ≤ 2× alone', metrics: await attackRound(api, Date.now()) });
    } finally {
      await api.close();
    }
  }
  const price = pricing(Date.now());
  rows.push({
    name: 'pricing one attacker write (MINUTELY;COUNT=5000)',
    target: 'a refused write costs µs, not an expansion',
    metrics: { 'bound from the rules': fmtMs(price.bound), 'expansion (before)': fmtMs(price.expansion) },
  });
  return rows;
}
