import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import type { CalendarProgressView } from '../hub/index.ts';
import { ProgressView } from './progress.ts';

function sink(): { out: NodeJS.WriteStream; text: () => string } {
  let buf = '';
  const w = new Writable({ write: (c, _e, cb) => ((buf += String(c)), cb()) });
  return { out: w as unknown as NodeJS.WriteStream, text: () => buf };
}
const row = (state: CalendarProgressView['state'], stored: number, writesLeft = 0): CalendarProgressView => ({ id: 'cal_1', name: 'Work', state, stored, writesLeft, error: null });

test('on a terminal: one bar per calendar redrawn in place; a pull of unknown size never shows as full before it is done', () => {
  const s = sink();
  const p = new ProgressView(s.out, true);
  p.update([row('waiting', 0)]);
  p.update([row('running', 100)]);
  p.update([row('running', 80, 20)]);
  p.update([row('done', 300)]);
  const frames = s.text().split('\x1b[2K').slice(1);
  assert.equal(frames.length, 4);
  assert.match(frames[0]!, /^\[\.{20}\] Work\s+waiting/);
  assert.match(frames[1]!, /^\[\.*###\.*\] Work\s+running\s+100 stored/, 'a moving block, not a filled bar');
  assert.match(frames[2]!, /^\[#{16}\.{4}\] Work\s+running\s+80 stored\s+20 writes left/);
  assert.match(frames[3]!, /^\[#{20}\] Work\s+done\s+300 stored/);
  assert.equal(s.text().match(/\x1b\[1A/g)?.length, 3, 'each redraw moves back over the previous one');
});

test('elsewhere: a plain line only when a calendar changes', () => {
  const s = sink();
  const p = new ProgressView(s.out, false);
  p.update([row('running', 10)]);
  p.update([row('running', 10)]);
  p.update([row('done', 12)]);
  assert.equal(s.text(), 'calhub resync: Work (cal_1): running, 10 stored, 0 writes left\ncalhub resync: Work (cal_1): done, 12 stored, 0 writes left\n');
});

test("a disconnect's copy deletes: one counter redrawn on a terminal, a line per finished calendar elsewhere", async () => {
  const { CopyDeleteView } = await import('./progress.ts');
  const p = (calendarId: string, total: number, deleted: number, failed: number) => ({ calendarId, name: calendarId.toUpperCase(), total, deleted, failed, done: deleted + failed === total });
  const tty = sink();
  const v = new CopyDeleteView(tty.out, true);
  for (const u of [p('a', 2, 0, 0), p('b', 1, 0, 0), p('a', 2, 1, 0), p('b', 1, 0, 1), p('a', 2, 2, 0)]) v.update(u);
  v.end();
  const frames = tty.text().split('\r\x1b[2K').slice(1);
  assert.equal(frames.length, 5);
  assert.equal(frames.at(-1), 'deleting mirror copies in its calendars: 3/3 copies, 2/2 calendars, 1 could not be deleted\n');
  const plain = sink();
  const w = new CopyDeleteView(plain.out, false);
  for (const u of [p('a', 2, 0, 0), p('a', 2, 1, 0), p('a', 2, 2, 0), p('a', 2, 2, 0), p('b', 1, 0, 1)]) w.update(u);
  w.end();
  assert.equal(plain.text(), 'calhub accounts disconnect: A (a): 2 of 2 mirror copies deleted\ncalhub accounts disconnect: B (b): 0 of 1 mirror copies deleted, 1 could NOT be deleted\n');
});
