import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keepsWaiting } from './coalesced-wait.ts';

const until = (ms: number) => new Date(ms).toISOString();

describe('new work coalesced into a delayed job', () => {
  it('runs now when the job backs off after a failure', () => {
    assert.equal(keepsWaiting({ data: {}, attemptsMade: 5, processedOn: 1_000 }), null);
  });
  it("keeps a wait the provider asked for (a rate limit's Retry-After, a run too slow to commit anything)", () => {
    assert.match(keepsWaiting({ data: { delay: { reason: 'CONNECTOR_RATE_LIMITED: slow down', until: until(9_000), count: 1 } }, attemptsMade: 0, processedOn: 1_000 }) ?? '', /provider asked/);
    assert.match(keepsWaiting({ data: { delay: { reason: 'over its run budget (300000 ms) with nothing committed; backing off', until: until(9_000), count: 1 } }, attemptsMade: 0, processedOn: 1_000 }) ?? '', /provider asked/);
  });
  it('does not keep a rate limit noted before the job ran again (it failed since, for another reason)', () => {
    assert.equal(keepsWaiting({ data: { delay: { reason: 'CONNECTOR_RATE_LIMITED: x', until: until(500), count: 1 } }, attemptsMade: 2, processedOn: 1_000 }), null);
  });
  it('after an early run that failed, waits out a whole backoff step before running early again', () => {
    assert.match(keepsWaiting({ data: { hurriedAt: 3 }, attemptsMade: 3 }) ?? '', /already/, 'a burst of changes: one early run');
    assert.match(keepsWaiting({ data: { hurriedAt: 3 }, attemptsMade: 4 }) ?? '', /already/, 'the early run failed: its backoff step is waited out');
    assert.equal(keepsWaiting({ data: { hurriedAt: 3 }, attemptsMade: 5 }), null);
  });
  it('cuts a share or slot wait short', () => {
    assert.equal(keepsWaiting({ data: { delay: { reason: 'another run of this calendar holds its sync slot', until: until(9_000), count: 1 } }, attemptsMade: 0, processedOn: 1_000 }), null);
  });
});
