/**
 * The pacing and log of a provider outage (provider-health.ts) on a clock of its own: 60 calendars
 * failing at one host for 12 minutes, each retried when its wait says.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransientError } from '../connectors/index.ts';
import { PROBE_EVERY_MS, ProviderHealth, RETRY_CAP_MS, type RecoveredCalendar } from './provider-health.ts';

function setup() {
  let now = 1_000_000;
  const lines: Array<{ level: string; msg: string }> = [];
  const log = { error: (_: object, msg: string) => void lines.push({ level: 'error', msg }), warn: (_: object, msg: string) => void lines.push({ level: 'warn', msg }), info: (_: object, msg: string) => void lines.push({ level: 'info', msg }) };
  const recovered: RecoveredCalendar[][] = [];
  const health = new ProviderHealth(log, (_h, cals) => void recovered.push(cals), () => now);
  return { health, lines, recovered, clock: { get: () => now, set: (t: number) => void (now = t) } };
}

const e503 = new TransientError('Google answered 503: backendError');

test('60 calendars failing for 12 minutes: tries grow to the cap, a probe every 30 s, a line a minute', () => {
  const { health, lines, clock } = setup();
  const cals = Array.from({ length: 60 }, (_, i) => `cal${i}`);
  const next = new Map(cals.map((c) => [c, clock.get()]));
  const tries = new Map(cals.map((c) => [c, 0]));
  let firsts = 0;
  const start = clock.get();
  let gaps = 0; // longest time without a try at the host, once every calendar waits long
  let lastTry = start;
  for (let t = start; t < start + 12 * 60_000; t += 500) {
    clock.set(t);
    for (const c of cals) {
      if (next.get(c)! > t) continue;
      tries.set(c, tries.get(c)! + 1);
      const r = health.failed('google', 'ten', c, `job-${c}`, e503);
      if (r.first) firsts += 1;
      next.set(c, t + r.waitMs);
      if (t - start > 5 * 60_000) gaps = Math.max(gaps, t - lastTry);
      lastTry = t;
    }
  }
  const max = Math.max(...tries.values());
  console.log(`12 min, 60 calendars: at most ${max} tries per calendar, ${[...tries.values()].reduce((a, b) => a + b, 0)} in all; longest gap at the host after 5 min: ${gaps} ms`);
  // 1 s doubling: 10 tries reach 512 s capped to 5 min; in 12 minutes at most about 13 (plus probe turns).
  assert.ok(max <= 20, `a calendar was tried ${max} times in 12 minutes`);
  assert.equal(firsts, 60, 'one first failure per calendar');
  const summaries = lines.filter((l) => l.level === 'warn');
  assert.ok(summaries.length >= 9 && summaries.length <= 12, `${summaries.length} summary lines in 12 minutes`);
  assert.match(summaries[0]!.msg, /^google: 60 calendar\(s\) failing \(CONNECTOR_TRANSIENT: Google answered 503: backendError\) since /);
  assert.ok(gaps <= PROBE_EVERY_MS * 1.25 + 500, `${gaps} ms without a try at the host`);
  assert.ok(health.waitFor('cal1') <= RETRY_CAP_MS * 1.25);
});

test('a success at the host retries the others once; one failing on its own keeps its pace', () => {
  const { health, lines, recovered, clock } = setup();
  for (let i = 0; i < 8; i++) {
    health.failed('google', 'ten', 'a', 'ja', e503);
    health.failed('google', 'ten', 'b', 'jb', e503);
  }
  assert.ok(health.waitFor('a') > 20_000 && health.waitFor('b') > 20_000);
  health.succeeded('google', 'c');
  assert.deepEqual(recovered.flat().map((r) => r.calendarId).sort(), ['a', 'b']);
  assert.equal(health.waitFor('a'), 0, 'its next job runs now');
  assert.equal(lines.filter((l) => l.level === 'info').length, 1);
  // b succeeds; a fails again: its streak goes on, and the next success elsewhere does not retry it.
  health.succeeded('google', 'b');
  const r = health.failed('google', 'ten', 'a', 'ja', e503);
  assert.equal(r.first, false);
  // Alone at the host it is the probe: 30 s, not back to 1 s.
  assert.ok(r.waitMs >= PROBE_EVERY_MS * 0.75, `a's wait went back to ${r.waitMs} ms`);
  clock.set(clock.get() + 1000);
  health.succeeded('google', 'c');
  assert.equal(recovered.length, 1, 'retried again on a later success');
  assert.ok(health.waitFor('a') > 0);
  assert.equal(lines.filter((l) => l.level === 'info').length, 1);
});

test('new work may go before the streak\'s next try once per failure, never more', () => {
  const { health } = setup();
  assert.equal(health.earlyTry('cal'), false, 'no streak: nothing to go early of');
  health.failed('google', 'ten', 'cal', 'job-1', e503);
  assert.ok(health.waitFor('cal') > 0);
  assert.equal(health.earlyTry('cal'), true, 'the first change after the failure goes now');
  assert.equal(health.earlyTry('cal'), false, 'a second one waits for the streak');
  health.failed('google', 'ten', 'cal', 'job-1', e503);
  assert.equal(health.earlyTry('cal'), true, 'after the early run failed too, one more, then the wait grows');
  assert.equal(health.earlyTry('cal'), false);
});
