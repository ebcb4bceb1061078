import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeFeed } from './change-feed.ts';

describe('ChangeFeed', () => {
  const ofCal = (c: { scope: string; calendarId?: string }) => c.scope === 'calendar' && c.calendarId === 'cal_a';
  it('wakes a wait at the first change that matches, not at others', async () => {
    const feed = new ChangeFeed();
    const started = performance.now();
    const woke = feed.next(ofCal, 5_000);
    feed.publish({ scope: 'calendar', tenantId: 't', calendarId: 'cal_b' });
    setTimeout(() => feed.publish({ scope: 'calendar', tenantId: 't', calendarId: 'cal_a' }), 20);
    assert.equal(await woke, true);
    assert.ok(performance.now() - started < 1_000);
  });
  it('gives up after its time without a matching change, and a later change finds no stale waiter', async () => {
    const feed = new ChangeFeed();
    assert.equal(await feed.next(ofCal, 20), false);
    feed.publish({ scope: 'calendar', tenantId: 't', calendarId: 'cal_a' });
    assert.equal((feed as unknown as { waiters: Set<unknown> }).waiters.size, 0);
  });
});
