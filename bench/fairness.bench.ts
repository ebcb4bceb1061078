/**
 * Issue 12's noisy neighbour: one tenant creates `FREQ=MINUTELY;COUNT=5000` series as fast as the
 * API lets it (its per-tenant write budget answers 429 beyond its share), while another tenant
 * queries free/busy on its own calendar. The victim's latency is measured alone, then under the
 * attack, in the same process (one hub, one event loop, one PGlite), through the real routes.
 * Goal: the victim's p99 degrades by at most 2×. Before the write budget it rose from 12 to
 * 1,216 ms.
 */
import { call, ev, seed, startTestApi, type TestApi } from '../api/test-support.ts';
import type { BenchRow } from './bench-row.ts';
import { fmtMs, percentile } from './stats.ts';

const QUERIES = 400;
const DAY = 86_400_000;

async function victim(api: TestApi, n: number): Promise<number[]> {
  const lat: number[] = [];
  const from = Date.now();
  for (let i = 0; i < n; i++) {
    const body = { calendarIds: [api.b.calendarId], timeMin: new Date(from).toISOString(), timeMax: new Date(from + 30 * DAY).toISOString() };
    const t = performance.now();
    const r = await call(api, 'POST', '/v1/freebusy', { key: api.b.key, body });
    lat.push(performance.now() - t);
    if (r.statusCode !== 200) throw new Error(`free/busy answered ${r.statusCode}: ${r.body.slice(0, 200)}`);
  }
  return lat;
}

export async function benchFairness(): Promise<BenchRow[]> {
  const api = await startTestApi();
  try {
    // The victim's calendar: 2,000 meetings over the next 90 days, a tenth weekly series.
    const now = Date.now();
    const events = Array.from({ length: 2000 }, (_, i) => {
      const start = new Date(Math.floor((now + (i % 90) * DAY + (8 + (i % 9)) * 3_600_000) / 900_000) * 900_000);
      return ev({ uid: `v-${i}`, start: { dateTime: start.toISOString(), timeZone: 'UTC' }, end: { dateTime: new Date(start.getTime() + 1_800_000).toISOString(), timeZone: 'UTC' }, ...(i % 10 === 0 ? { recurrence: { rrules: ['FREQ=WEEKLY;COUNT=12'] } } : {}) });
    });
    for (let i = 0; i < events.length; i += 250) await seed(api.store, api.b.id, api.b.calendarId, ...events.slice(i, i + 250));
    await victim(api, 50); // warm-up
    const solo = await victim(api, QUERIES);

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
    const attacked = await victim(api, QUERIES);
    stop = true;
    await attacker;
    const p99solo = percentile(solo, 99);
    const p99att = percentile(attacked, 99);
    return [
      {
        name: 'noisy neighbour: victim free/busy (pglite)',
        target: 'p99 under attack ≤ 2× alone',
        metrics: {
          'alone p50': fmtMs(percentile(solo, 50)),
          'alone p99': fmtMs(p99solo),
          'attacked p50': fmtMs(percentile(attacked, 50)),
          'attacked p99': fmtMs(p99att),
          ratio: `${(p99att / p99solo).toFixed(2)}×`,
          'series accepted': counts.accepted,
          'refused 429': counts.refused,
        },
      },
    ];
  } finally {
    await api.close();
  }
}
