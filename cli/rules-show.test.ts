/** `calhub rules show`: when the rule was last checked, and what it last changed (a run with nothing to do is most runs). */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { showText } from './commands/rules.ts';

const rule = {
  id: 'rule_1', sourceCalendarId: 'cal_a', targetCalendarId: 'cal_b', config: { mode: 'busy-block' }, state: 'active' as const, pausedCode: null, pausedReason: null,
  copies: 3, createdAt: '2026-12-01T08:00:00.000Z', lastRun: null, lastChange: null,
};
const run = (at: string, n: [number, number, number], error: { code: string; message: string } | null = null) => ({ at, created: n[0], updated: n[1], deleted: n[2], error });
const lines = (text: string) => text.split('\n').filter((l) => /^last /.test(l));

it('a rule that never ran says so', () => {
  assert.deepEqual(lines(showText(rule)), ['last checked: never', 'last change: never']);
});

it('a run with nothing to do is the last check; the last change stays the run that made the copies', () => {
  const text = showText({ ...rule, lastRun: run('2026-12-06T10:00:00.000Z', [0, 0, 0]), lastChange: { at: '2026-12-05T09:00:00.000Z', created: 3, updated: 0, deleted: 0 } });
  assert.deepEqual(lines(text), ['last checked: 2026-12-06T10:00:00.000Z, ok', 'last change: 2026-12-05T09:00:00.000Z: 3 created, 0 updated, 0 deleted']);
});

it('runs that never changed a copy: checked, no change yet', () => {
  assert.deepEqual(lines(showText({ ...rule, copies: 0, lastRun: run('2026-12-06T10:00:00.000Z', [0, 0, 0]) })), ['last checked: 2026-12-06T10:00:00.000Z, ok', 'last change: none yet']);
});

it('a failed run shows failed with its code and message, and the earlier change', () => {
  const text = showText({ ...rule, lastRun: run('2026-12-06T11:00:00.000Z', [0, 0, 0], { code: 'CONNECTOR_TRANSIENT', message: 'provider answered 503' }), lastChange: { at: '2026-12-05T09:00:00.000Z', created: 1, updated: 2, deleted: 1 } });
  assert.deepEqual(lines(text), [
    'last checked: 2026-12-06T11:00:00.000Z, failed',
    'last error: CONNECTOR_TRANSIENT: provider answered 503',
    'last change: 2026-12-05T09:00:00.000Z: 1 created, 2 updated, 1 deleted',
  ]);
});
