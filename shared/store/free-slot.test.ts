/** newlyTaken: the part of a write's busy time it did not hold before (half-open ranges). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newlyTaken } from './free-slot.ts';

const span = (a: string, b: string) => ({ calendarId: 'c', uid: 'u', eventKey: '', status: 'busy', start: new Date(`2026-11-10T${a}:00Z`), end: new Date(`2026-11-10T${b}:00Z`) });
const shown = (spans: Array<{ start: Date; end: Date }>) => spans.map((s) => `${s.start.toISOString().slice(11, 16)}-${s.end.toISOString().slice(11, 16)}`);

test('what was held is cut out; what is new stays, in pieces where needed', () => {
  assert.deepEqual(shown(newlyTaken([span('09:00', '10:00')], [span('09:00', '10:00')])), [], 'a retitle takes nothing new');
  assert.deepEqual(shown(newlyTaken([span('09:30', '10:30')], [span('09:00', '10:00')])), ['10:00-10:30']);
  assert.deepEqual(shown(newlyTaken([span('08:00', '12:00')], [span('11:00', '11:30'), span('09:00', '10:00')])), ['08:00-09:00', '10:00-11:00', '11:30-12:00']);
  assert.deepEqual(shown(newlyTaken([span('09:00', '10:00'), span('14:00', '15:00')], [span('10:00', '14:00')])), ['09:00-10:00', '14:00-15:00'], 'touching is not holding');
  assert.deepEqual(shown(newlyTaken([span('09:00', '10:00')], [])), ['09:00-10:00']);
});
