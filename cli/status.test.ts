/** `calhub status`'s line about outgoing webhooks (the report itself: api/outbound-webhook-health.test.ts). */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { webhooksLine } from './commands/status.ts';

it('says endpoints by state, messages owed with the oldest, and those parked', () => {
  assert.equal(webhooksLine({ endpoints: [], pending: { active: 0, failing: 0, disabled: 0 }, oldestPendingSeconds: { active: 0, failing: 0 } }), 'Outgoing webhooks: no endpoints');
  assert.equal(
    webhooksLine({ endpoints: [{ state: 'active', n: 3 }, { state: 'failing', n: 1 }, { state: 'disabled_after_failures', n: 1 }], pending: { active: 12, failing: 3, disabled: 4 }, oldestPendingSeconds: { active: 2, failing: 330 } }),
    'Outgoing webhooks: 5 endpoint(s): 3 active, 1 failing, 1 disabled after failures, 0 disabled by their tenant; 12 message(s) owed to active endpoints (oldest 2s), 3 held by failing ones (oldest 5m 30s), 4 parked on disabled ones',
  );
});
