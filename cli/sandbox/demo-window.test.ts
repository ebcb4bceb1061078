/**
 * The sandbox's printed free/busy and availability examples ask about a week ahead: on a Sunday
 * they asked about the week then ending (an outside user on 2026-12-06 got timeMin 2026-11-30), and
 * availability found almost nothing. The seed fills the week the examples ask about.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { demoWindow } from './sandbox.ts';
import { demoMonday } from './seed.ts';

const DAY = 86_400_000;

it('the example window starts today or at the demo week, spans seven days, and the seeded week lies in it', () => {
  for (let d = 0; d < 14; d++) {
    const now = new Date(Date.UTC(2026, 10, 30, 15, 30) + d * DAY); // Monday 2026-11-30 onwards, mid-afternoon
    const w = demoWindow(now);
    const min = Date.parse(w.timeMin);
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    assert.ok(min >= today, `${now.toISOString()}: the window starts before today (${w.timeMin})`);
    assert.ok(min - today < 7 * DAY, `${now.toISOString()}: the window starts a week or more ahead`);
    assert.equal(Date.parse(w.timeMax) - min, 7 * DAY);
    const monday = demoMonday(now).getTime();
    assert.equal(new Date(monday).getUTCDay(), 1, 'the seeded week starts on a Monday');
    // Most of the seeded week (Monday to Friday) is inside the window: at most Monday is past.
    assert.ok(min <= monday + DAY && monday + 5 * DAY <= Date.parse(w.timeMax), `${now.toISOString()}: ${w.timeMin} misses the seeded week of ${new Date(monday).toISOString()}`);
  }
  assert.deepEqual(demoWindow(new Date('2026-12-06T12:00:00Z')), { timeMin: '2026-12-07T00:00:00.000Z', timeMax: '2026-12-14T00:00:00.000Z' });
  assert.deepEqual(demoWindow(new Date('2026-12-08T12:00:00Z')), { timeMin: '2026-12-08T00:00:00.000Z', timeMax: '2026-12-15T00:00:00.000Z' });
});
