/** Per-account request budgets on a real Redis: bursts pass, steady traffic is paced, accounts are apart. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { MemoryBackend, MemoryConnector } from '../connectors/memory/index.ts';
import { RateLimitedError } from '../connectors/index.ts';
import { BUDGETS, RequestBudget } from './budget.ts';

const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
after(() => redis.disconnect());
const prefix = `calhub-test-${randomBytes(4).toString('hex')}`;
const budget = () => new RequestBudget(redis, prefix);

describe('request budgets', () => {
  it('a full bucket lets a burst through, then asks to wait about one token interval', async () => {
    const b = budget();
    const { burst, rate } = BUDGETS.google!;
    // Tokens refill while the burst is taken (slowly, on a loaded machine): count the free takes
    // until the first wait, and allow exactly the refill of the elapsed time on top of the burst.
    const started = Date.now();
    let free = 0;
    let wait = 0;
    while ((wait = await b.take('acc-1', 'google')) === 0) free++;
    const refill = Math.ceil(((Date.now() - started) * rate) / 1000);
    assert.ok(free >= burst && free <= burst + refill, `${free} free takes; burst ${burst}, refill ${refill}`);
    assert.ok(wait > 0 && wait <= Math.ceil(1000 / rate), `wait ${wait}`);
    assert.equal(await b.take('acc-2', 'google'), 0, 'another account has its own bucket');
  });

  it('steady traffic through a wrapped connector is paced at the budget rate', async () => {
    const b = budget();
    const backend = new MemoryBackend();
    const cal = backend.addCalendar({ id: 'c', name: 'c' });
    const ctx = { credentials: { kind: 'none' as const }, signal: new AbortController().signal, log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date() };
    const { connector } = b.wrap({ connector: new MemoryConnector(backend), ctx }, 'acc-3', 'caldav');
    const { burst, rate } = BUDGETS.caldav!;
    const started = Date.now();
    const extra = 5;
    for (let i = 0; i < burst + extra; i++) await connector.listChanges(ctx, { providerCalendarId: cal, timeZone: 'UTC' }, null);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= ((extra - 1) * 1000) / rate, `${burst + extra} calls took ${elapsed} ms; the budget allows ${rate}/s after a burst of ${burst}`);
  });

  it('a long wait is not slept in the worker: it becomes a rate-limited error that delays the job', async () => {
    const b = budget();
    const backend = new MemoryBackend();
    const cal = backend.addCalendar({ id: 'c', name: 'c' });
    const ctx = { credentials: { kind: 'none' as const }, signal: new AbortController().signal, log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date() };
    // A bucket 20 tokens in debt (as a busy account's would be) needs seconds to refill.
    await redis.hset(`${prefix}:budget:acc-4`, 'tokens', -20, 'ts', Date.now());
    const { connector } = b.wrap({ connector: new MemoryConnector(backend), ctx }, 'acc-4', 'google');
    await assert.rejects(connector.listChanges(ctx, { providerCalendarId: cal, timeZone: 'UTC' }, null), (e: unknown) => e instanceof RateLimitedError && (e.retryAfterMs ?? 0) > 2000);
  });
});
