/** What `calhub status` says of delayed sync jobs (the queue read itself: hub/status-delays.int.test.ts). */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { summarizeDelayed, whyDelayed } from './job-delay.ts';

const at = (iso: string) => Date.parse(iso);

it("a delay noted before the job's last run is stale: the job failed since and is retrying", () => {
  const stale = { nextTryAt: at('2026-12-07T07:00:05Z'), data: { delay: { reason: 'CONNECTOR_RATE_LIMITED: 429', until: '2026-12-07T06:59:00Z', count: 1 } }, attemptsMade: 2, failedReason: 'Microsoft Graph answered 503', processedOn: at('2026-12-07T06:59:01Z') };
  assert.deepEqual(whyDelayed(stale), { retrying: true, reason: 'failed, retrying: Microsoft Graph answered 503' });
  const current = { ...stale, data: { delay: { ...stale.data.delay, until: '2026-12-07T07:01:00Z' } } };
  assert.deepEqual(whyDelayed(current), { retrying: false, reason: 'CONNECTOR_RATE_LIMITED' }, 'delayed again after the failure: the delay is why');
  assert.deepEqual(whyDelayed({ nextTryAt: 0, data: {}, attemptsMade: 0 }), { retrying: false, reason: 'delayed (no reason noted)' });
});

it('counts by reason, the soonest next try, and keeps the queue total when only some were read', () => {
  const job = (reason: string, next: string) => ({ nextTryAt: at(next), data: { delay: { reason, until: next, count: 1 } }, attemptsMade: 0, processedOn: at(next) - 5000 });
  const s = summarizeDelayed(40, [job('over its run budget (300000 ms) with nothing committed; backing off', '2026-12-07T07:00:09Z'), job('CONNECTOR_RATE_LIMITED: a', '2026-12-07T07:00:03Z'), job('CONNECTOR_RATE_LIMITED: b', '2026-12-07T07:00:07Z')]);
  assert.deepEqual(s, { total: 40, sampled: 3, retrying: 0, mostCommonReason: { reason: 'CONNECTOR_RATE_LIMITED', n: 2 }, mostCommonFailure: null, nextTryAt: '2026-12-07T07:00:03.000Z', listCommand: 'calhub queue list --state delayed' });
});

it("names the failure behind the waits: jobs waiting on a slot or a host's share after failing count by their last failure", () => {
  const next = '2026-12-07T07:00:05Z';
  const waiting = (reason: string, failedReason?: string) => ({ nextTryAt: at(next), data: { delay: { reason, until: next, count: 3 } }, attemptsMade: failedReason ? 2 : 0, failedReason, processedOn: at(next) - 5000 });
  const refused = 'CONNECTOR_TRANSIENT: CalDAV request failed: connect ECONNREFUSED 127.0.0.1:5232';
  const s = summarizeDelayed(5, [
    waiting('another run of this calendar holds its sync slot', refused),
    waiting('another run of this calendar holds its sync slot', refused),
    waiting('another run of this calendar holds its sync slot'),
    waiting('waiting for a worker share of its provider host or account', refused),
    { nextTryAt: at(next), data: {}, attemptsMade: 1, failedReason: refused, processedOn: at(next) - 5000 },
  ]);
  assert.deepEqual(s.mostCommonReason, { reason: 'another run of this calendar holds its sync slot', n: 3 }, 'what they wait on');
  assert.deepEqual(s.mostCommonFailure, { reason: 'CONNECTOR_TRANSIENT', n: 4 }, 'why: the outage an operator can act on');
});
