/** The outcome label of an outgoing webhook attempt (calhub_outbound_webhook_attempts_total): a closed set. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { OUTBOUND_WEBHOOK_OUTCOMES } from '../../shared/metrics.ts';
import { attemptOutcome } from './dispatcher.ts';

it('labels each attempt by what the receiver answered, never by a status code or an endpoint', () => {
  const r = (ok: boolean, status: number | null, unreadable?: boolean) => ({ ok, status, error: ok ? null : 'x', latencyMs: 1, ...(unreadable ? { unreadable } : {}) });
  const cases: Array<[ReturnType<typeof r>, string]> = [
    [r(true, 204), 'delivered'],
    [r(false, 410), 'http_4xx'],
    [r(false, 503), 'http_5xx'],
    [r(false, 302), 'http_other'],
    [r(false, null), 'no_answer'],
    [r(false, null, true), 'secret_unreadable'],
  ];
  for (const [result, want] of cases) assert.equal(attemptOutcome(result), want, JSON.stringify(result));
  assert.deepEqual(new Set(cases.map(([, o]) => o)), new Set(OUTBOUND_WEBHOOK_OUTCOMES));
});
