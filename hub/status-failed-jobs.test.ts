/** Failed jobs said apart: those the next poll takes up again, those that need an operator. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { summarizeFailed } from '../sync-engine/index.ts';
import { failedAttention } from './status.ts';

const push = (attemptsMade: number, failedReason: string) => ({ name: 'push', attemptsMade, attempts: 8, failedReason, data: { calendarId: 'cal_1' } });

it('a calendar job that used up its attempts is retried by the next poll; one stopped early, or a mirror job, needs an operator', () => {
  const s = summarizeFailed(1200, [
    push(8, 'Google answered 503'),
    { ...push(8, 'timeout'), name: 'pull' },
    push(1, 'CONNECTOR_GRANT_REVOKED: invalid_grant'),
    push(1, 'CONNECTOR_GRANT_REVOKED: invalid_grant'),
    { name: 'mirror', attemptsMade: 8, attempts: 8, failedReason: 'boom', data: {} },
  ]);
  assert.deepEqual(s, { total: 1200, sampled: 5, selfRetried: 2, needsOperator: 3, mostCommonReason: { reason: 'CONNECTOR_GRANT_REVOKED', n: 2 } });
  const line = failedAttention(1200, s, 300);
  assert.match(line, /^1200 failed sync job\(s\) \(of the 5 most recent\): 2 used up their retries on a passing error: calhub takes them up again by itself — each calendar's next poll, within 5 min/);
  assert.match(line, /; 3 need an operator \(most common: CONNECTOR_GRANT_REVOKED, 2\): calhub queue list says why/);
});

it('an outage that only used up retries asks nothing of the operator', () => {
  const s = summarizeFailed(2, [push(8, 'Google answered 503'), push(8, 'Google answered 503')]);
  const line = failedAttention(2, s, 300);
  assert.ok(!line.includes('need an operator'), line);
  assert.ok(line.includes('nothing to do'), line);
  assert.equal(failedAttention(3, null, undefined), '3 failed sync job(s): calhub queue list', 'no sample (an older hub): as before');
});
