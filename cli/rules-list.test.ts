/**
 * `calhub rules list`: when each rule was last checked and, apart from it, when it last changed a
 * copy (the one LAST RUN column showed the last run, an idle check most of the time, so a rule that
 * made its copies an hour ago read as having done nothing); how many copies the target refuses,
 * and why under the table.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { listText, showText } from './commands/rules.ts';

const rule = {
  id: 'rule_1', sourceCalendarId: 'cal_a', targetCalendarId: 'cal_b', config: { mode: 'busy-block' }, state: 'active' as const, pausedCode: null, pausedReason: null,
  copies: 3, createdAt: '2026-12-01T08:00:00.000Z', lastRun: null, lastChange: null, refusals: [],
};
const run = (at: string, error: { code: string; message: string } | null = null) => ({ at, created: 0, updated: 0, deleted: 0, error });
const columns = (text: string) => {
  const [head, ...rows] = text.split('\n');
  const starts = [...head!.matchAll(/\S+( \S+)*/g)].map((m) => [m[0], m.index!] as const);
  return rows.filter((r) => r.startsWith('rule_')).map((r) => Object.fromEntries(starts.map(([name, at], i) => [name, r.slice(at, starts[i + 1]?.[1] ?? undefined).trim()])));
};

it('shows the last check and the last change apart', () => {
  const text = listText([{ ...rule, lastRun: run('2026-12-06T10:00:00.000Z'), lastChange: { at: '2026-12-05T09:00:00.000Z', created: 3, updated: 0, deleted: 1 } }]);
  const [row] = columns(text);
  assert.equal(row!['LAST CHECKED'], '2026-12-06T10:00:00.000Z');
  assert.equal(row!['LAST CHANGE'], '2026-12-05T09:00:00.000Z +3 ~0 -1');
  assert.equal(row!.REFUSED, '0');
});

it('a failed check names its code; a rule checked but never changing a copy says none yet; one never run says never', () => {
  const text = listText([
    { ...rule, lastRun: run('2026-12-06T11:00:00.000Z', { code: 'CONNECTOR_TRANSIENT', message: 'provider answered 503' }) },
    { ...rule, id: 'rule_2' },
  ]);
  const [failed, never] = columns(text);
  assert.equal(failed!['LAST CHECKED'], '2026-12-06T11:00:00.000Z failed CONNECTOR_TRANSIENT');
  assert.equal(failed!['LAST CHANGE'], 'none yet');
  assert.equal(never!['LAST CHECKED'], 'never');
  assert.equal(never!['LAST CHANGE'], 'never');
});

it('refused copies are counted in the table and explained under it, and in rules show', () => {
  const refusals = [{ code: 'PROVIDER_CANNOT_RESTORE', calendarId: 'cal_b', copies: 2, times: 7, firstAt: '2026-12-06T09:00:00.000Z', lastAt: '2026-12-06T12:00:00.000Z', message: 'the provider has no occurrence at 2026-12-14T14:00:00Z any more' }];
  const text = listText([{ ...rule, refusals }]);
  assert.equal(columns(text)[0]!.REFUSED, '2');
  assert.match(text, /^rule rule_1: 2 copies refused by calendar cal_b's provider \(PROVIDER_CANNOT_RESTORE, 7 times since 2026-12-06T09:00:00.000Z, last 2026-12-06T12:00:00.000Z\): the provider has no occurrence/m);
  assert.match(showText({ ...rule, refusals }), /^refused: 2 copies refused by calendar cal_b's provider \(PROVIDER_CANNOT_RESTORE, 7 times/m);
});

it('across tenants each row names its tenant, by id and name', () => {
  const text = listText([{ ...rule, tenantId: 'ten_a' }, { ...rule, id: 'rule_2', tenantId: 'ten_b' }], { ten_a: 'Acme' });
  const [a, b] = columns(text);
  assert.equal(a!.TENANT, 'ten_a (Acme)');
  assert.equal(b!.TENANT, 'ten_b');
  assert.ok(!('TENANT' in columns(listText([rule]))[0]!), 'one tenant\'s list has no TENANT column');
});
