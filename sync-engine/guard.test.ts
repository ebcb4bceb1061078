/**
 * The mass-change guard's rule at its edges, with the defaults (docs/errors.md says the same).
 * docs said "more than 20% of a calendar (10 objects or more)" while the code counted 10 removals
 * or more and never guarded calendars under 5 objects: 8 of 10 (80 %) passed, so did deleting the
 * last 4, the classic "the provider says everything is gone".
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DEFAULT_GUARD, guardVerdict } from './guard.ts';

const removing = (known: number, deleted: number, cancelled = 0) => guardVerdict(DEFAULT_GUARD, known, { deleted, cancelled, rewritten: cancelled });
const trips = (known: number, removed: number) => removing(known, removed) !== null;

it('a run removing every object trips it from 3 objects on; calendars of one or two are never guarded', () => {
  assert.equal(trips(1, 1), false);
  assert.equal(trips(2, 2), false, 'both events of a calendar of 2: what a person clearing it does');
  assert.equal(trips(3, 3), true);
  assert.equal(removing(3, 3), 'one run would delete or cancel 3 of 3 objects');
  assert.equal(trips(4, 4), true);
  assert.equal(trips(3, 0), false);
});

it('more than half of a calendar trips it from 5 removals on, at any size', () => {
  assert.equal(trips(10, 8), true, '8 of 10');
  assert.equal(trips(10, 6), true, '6 of 10');
  assert.equal(trips(9, 5), true, '5 of 9');
  assert.equal(trips(10, 5), false, '5 of 10 is half, not more');
  assert.equal(trips(5, 3), false, '3 of 5: a few removals are what a person does');
  assert.equal(trips(7, 4), false, '4 of 7');
  assert.equal(trips(6, 5), true, '5 of 6');
  assert.equal(trips(3, 2), false, '2 of 3');
  assert.equal(trips(7, 2), false, '2 of 7 (the soak)');
  assert.equal(trips(2, 1), false, '1 of 2');
  // Cancelling whole objects removes them as deleting does.
  assert.match(removing(10, 3, 5) ?? '', /delete or cancel 8 of 10/);
  assert.equal(removing(10, 2, 2), null, '4 of 10, cancelled or deleted');
});

it('more than 20% trips it from 10 removals on', () => {
  assert.equal(trips(20, 9), false, '9 of 20: under 10 removals and not half');
  assert.equal(trips(20, 10), true, '10 of 20: half, so by the 20 % share');
  assert.equal(trips(49, 10), true, '10 of 49');
  assert.equal(trips(50, 10), false, '10 of 50 is 20 %, not more');
  assert.equal(trips(50, 11), true, '11 of 50');
  assert.equal(trips(100, 9), false, '9 of 100');
});

it('rewrites trip it only beyond half of the calendar, from 10 on', () => {
  const rewriting = (known: number, n: number) => guardVerdict(DEFAULT_GUARD, known, { deleted: 0, cancelled: 0, rewritten: n });
  assert.equal(rewriting(10, 9), null);
  assert.equal(rewriting(19, 10), 'one run would rewrite 10 of 19 objects');
  assert.equal(rewriting(20, 10), null);
});
