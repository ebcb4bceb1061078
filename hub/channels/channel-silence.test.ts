import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSilent, silenceAllowanceMs } from './channel-silence.ts';

const H = 3_600_000;
const now = new Date('2026-12-02T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const channel = (o: Partial<Parameters<typeof isSilent>[0]> = {}) => ({ status: 'active', silentSince: null, lastNotificationAt: ago(2 * H), createdAt: ago(100 * H), recentChanges: 720, ...o });

describe('channel silence', () => {
  it('allows three usual gaps between changes, never less than an hour', () => {
    assert.equal(silenceAllowanceMs(30), 3 * 24 * H); // one change a day
    assert.equal(silenceAllowanceMs(720 * 10), H); // ten an hour: the floor
    assert.equal(silenceAllowanceMs(0), Number.POSITIVE_INFINITY);
  });

  it('flags an active channel quiet for longer than its allowance, once', () => {
    assert.equal(isSilent(channel({ recentChanges: 720, lastNotificationAt: ago(2 * H) }), now), false); // allowance 3 h
    assert.equal(isSilent(channel({ recentChanges: 720, lastNotificationAt: ago(4 * H) }), now), true);
    assert.equal(isSilent(channel({ lastNotificationAt: ago(4 * H), silentSince: ago(H) }), now), false, 'already flagged');
    assert.equal(isSilent(channel({ lastNotificationAt: ago(4 * H), status: 'polling' }), now), false, 'no channel to be silent');
  });

  it('counts from the channel row when no notification ever came; a dormant calendar is never silent', () => {
    assert.equal(isSilent(channel({ lastNotificationAt: null, createdAt: ago(5 * H) }), now), true);
    assert.equal(isSilent(channel({ lastNotificationAt: ago(1000 * H), recentChanges: 0 }), now), false);
  });
});
