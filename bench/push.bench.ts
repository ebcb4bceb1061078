/**
 * Push targets P5 and P6 against the Google emulator and a real hub (store, sync engine on Redis,
 * the webhook receiver over HTTP, the channel supervisor):
 * - P5 acknowledgement: genuine channel notifications sent open-loop at 2,000/s by a child process
 *   (api-load.ts), latency counted from when each was due;
 * - P5 burst: pull rounds caused by 10,000 notifications for one calendar;
 * - P6 propagation: a change made in the emulator until the busy query behind the free/busy API
 *   (store.busy) shows it, through notification → receiver → pull → store.
 * Needs Redis (TEST_REDIS_URL or 127.0.0.1:6379).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ConnectorContext } from '../connectors/index.ts';
import { createConnector } from '../connectors/registry.ts';
import { startGoogleEmulator } from '../emulators/google/index.ts';
import { disconnectRedis, startHub, until } from '../webhooks/test-support/hub.ts';
import type { BenchRow } from './bench-row.ts';
import { fmtMs, percentile } from './stats.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const RATE = 2000;
const SECONDS = 5;
const BURST = 10_000;
const CHANGES = 40;

type Load = { count: number; non2xx: number; errors: number; rps: number; p50: number; p99: number; max: number };

/** Genuine notifications: each with the next message number (a repeated number is refused as a replay). */
let messageNumber = 1_000;
async function drive(url: string, headers: Record<string, string>, rate: number, seconds: number, connections: number): Promise<Load> {
  const script = new URL('./api-load.ts', import.meta.url).pathname;
  const job = { url, body: '', headers, rate, seconds, connections, counterHeader: 'x-goog-message-number', counterFrom: messageNumber };
  messageNumber += Math.round(rate * seconds) + 1;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, JSON.stringify(job)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Load;
}

export async function benchPush(): Promise<BenchRow[]> {
  const emu = await startGoogleEmulator({ allowHttpPush: true });
  const email = 'bench@example.com';
  emu.control.createUser({ email, timeZone: 'UTC' });
  const calId = emu.control.createCalendar({ ownerEmail: email, summary: 'bench', timeZone: 'UTC' }).id;
  const { accessToken } = emu.control.issueGrant({ email });
  const ctx: ConnectorContext = { credentials: { kind: 'oauth', getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
  // P5 measures the receiver at 2,000/s on one channel; the per-channel rate limit (10/s by default) would answer most with 429.
  const channelRate = { perSecond: 1e6, burst: 1e6 };
  const hub = await startHub({ provider: 'google', externalId: email, providerCalendarId: calId, connector: await createConnector('google', { baseUrl: emu.url }), ctx, channelRate });
  try {
    await hub.supervisor.sweep();
    await hub.idle();
    const [ch] = emu.control.channels();
    if (!ch?.token) throw new Error('no channel was created');
    const headers = {
      'x-goog-channel-id': ch.id, 'x-goog-channel-token': ch.token, 'x-goog-resource-id': ch.resourceId,
      'x-goog-resource-state': 'exists',
    };
    const hook = `${hub.url}/webhooks/google`;

    // P6 first, on a quiet hub: emulator change → busy visible in the store's free/busy query.
    const lags: number[] = [];
    const t = hub.store.tenant(hub.tenantId);
    for (let i = 0; i < CHANGES; i++) {
      const start = new Date(Date.UTC(2027, 0, 4 + i, 9));
      const end = new Date(start.getTime() + 3600_000);
      const began = performance.now();
      emu.control.insertEvent(calId, { summary: `p6 ${i}`, start: { dateTime: start.toISOString() }, end: { dateTime: end.toISOString() } });
      await until(async () => (await t.busy([hub.calendarId], start, end)).length > 0, 10_000, `change ${i} visible in free/busy`);
      lags.push(performance.now() - began);
    }
    await hub.idle();

    // P5 acknowledgement at 2,000/s.
    const ack = await drive(hook, headers, RATE, SECONDS, 64);
    await hub.idle();

    // P5 burst: 10,000 notifications for one calendar as fast as they go.
    const before = hub.counts.listings;
    const burst = await drive(hook, headers, BURST, 1, 128);
    await hub.idle();
    const pulls = hub.counts.listings - before;

    return [
      { name: 'push ack @2000/s (google receiver)', target: 'P5 p99 ≤ 50 ms', metrics: { p50: fmtMs(ack.p50), p99: fmtMs(ack.p99), max: fmtMs(ack.max), rps: Math.round(ack.rps), acked: ack.count, failed: ack.non2xx + ack.errors } },
      { name: 'push burst 10,000 on one calendar', target: 'P5 ≤ 2 pulls', metrics: { pulls, acked: burst.count, failed: burst.non2xx + burst.errors } },
      { name: 'change propagation (emulator → free/busy)', target: 'P6 p50 ≤ 500 ms, p99 ≤ 2 s', metrics: { p50: fmtMs(percentile(lags, 50)), p99: fmtMs(percentile(lags, 99)), changes: CHANGES } },
    ];
  } finally {
    await hub.close();
    await emu.close();
    disconnectRedis();
  }
}
