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
