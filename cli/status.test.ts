/** `calhub status`'s line about outgoing webhooks (the report itself: api/outbound-webhook-health.test.ts). */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { delayedLine, webhooksLine } from './commands/status.ts';

it('says endpoints by state, messages owed with the oldest, and those parked', () => {
  assert.equal(webhooksLine({ endpoints: [], pending: { active: 0, failing: 0, disabled: 0 }, oldestPendingSeconds: { active: 0, failing: 0 } }), 'Outgoing webhooks: no endpoints');
  assert.equal(
    webhooksLine({ endpoints: [{ state: 'active', n: 3 }, { state: 'failing', n: 1 }, { state: 'disabled_after_failures', n: 1 }], pending: { active: 12, failing: 3, disabled: 4 }, oldestPendingSeconds: { active: 2, failing: 330 } }),
    'Outgoing webhooks: 5 endpoint(s): 3 active, 1 failing, 1 disabled after failures, 0 disabled by their tenant; 12 message(s) owed to active endpoints (oldest 2s), 3 held by failing ones (oldest 5m 30s), 4 parked on disabled ones',
  );
});

it('says how many sync jobs are delayed or retrying, why most of them wait, and when the next goes', () => {
  const now = Date.parse('2026-12-07T07:00:00Z');
  const d = { total: 250, sampled: 100, retrying: 7, mostCommonReason: { reason: 'CONNECTOR_RATE_LIMITED', n: 80 }, nextTryAt: '2026-12-07T07:01:30Z', listCommand: 'calhub queue list --state delayed' };
  assert.equal(delayedLine(d, now), 'Sync jobs delayed or retrying: 250 (of the 100 soonest: 7 failed and retrying); most common: CONNECTOR_RATE_LIMITED (80); next try in 1m 30s: calhub queue list --state delayed');
  assert.equal(delayedLine({ ...d, total: 3, sampled: 3, nextTryAt: '2026-12-07T06:59:00Z' }, now), 'Sync jobs delayed or retrying: 3 (7 failed and retrying); most common: CONNECTOR_RATE_LIMITED (80); next try due now: calhub queue list --state delayed');
  assert.equal(delayedLine(null), null, 'no Redis: the table says so');
  assert.equal(delayedLine(undefined), null, 'a running hub of an older version');
});
