/** What `calhub` prints for people: names from tenants and providers cannot steer the operator's terminal. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quoted, table, visible } from './output.ts';

test('escape sequences, other controls and bidi overrides are shown as code points; newlines, tabs and other text stay', () => {
  assert.equal(visible('Probe\u0001\u001b[31m cal\u202e'), 'Probe\\u0001\\u001b[31m cal\\u202e');
  assert.equal(visible('over\rwrite\u007f\u009b2J'), 'over\\u000dwrite\\u007f\\u009b2J');
  assert.equal(visible('Ada’s calendar — 会議 😀\n\tnext line'), 'Ada’s calendar — 会議 😀\n\tnext line');
});

test('a table measures its columns after escaping, so they still line up', () => {
  const out = table([['ID', 'NAME', 'ZONE'], ['cal_1', 'A\u001b[2Jb', 'UTC'], ['cal_2', 'plain', 'UTC']]).split('\n');
  assert.equal(out[1], 'cal_1  A\\u001b[2Jb  UTC');
  assert.equal(out[1]!.indexOf('UTC'), out[2]!.indexOf('UTC'));
  assert.ok(!out.join('\n').includes('\u001b'));
});

test('a name with a line break or a tab stays in its row of a table, and on its line in quotes', () => {
  const out = table([['ID', 'NAME', 'ZONE'], ['cal_1', 'Two\nlines\tand tab', 'UTC'], ['cal_2', 'plain', 'UTC']]).split('\n');
  assert.equal(out.length, 3);
  assert.equal(out[1], 'cal_1  Two\\u000alines\\u0009and tab  UTC');
  assert.equal(out[1]!.indexOf('UTC'), out[2]!.indexOf('UTC'));
  assert.equal(quoted('a\r\nb'), '"a\\u000d\\u000ab"');
});
