/** A Graph calendar's colour: the picked hexColor, else the theme's fixed shade (calendar-color.ts). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { calendarColorOf } from './calendar-color.ts';
import { startMicrosoftTestbed, type MicrosoftTestbed } from './test-support.ts';

describe('microsoft calendar colour', () => {
  let t: MicrosoftTestbed;
  before(async () => {
    t = await startMicrosoftTestbed();
  });
  after(() => t.emu.close());
  const colorOf = async (id: string) => (await t.connector.listCalendars(t.ctx)).find((c) => c.providerCalendarId === id)?.color;

  it('a calendar recoloured by theme only (hexColor empty) reads as the theme\'s shade; a picked colour as itself; auto as none', async () => {
    const made = t.emu.control.createCalendar({ userId: t.userId, name: 'Team' });
    assert.equal(await colorOf(made.id), null, 'auto: the client chooses');
    t.emu.control.pickCalendarColor({ userId: t.userId, calendarId: made.id, color: 'lightBlue' });
    assert.equal(await colorOf(made.id), '#add8e6');
    t.emu.control.pickCalendarColor({ userId: t.userId, calendarId: made.id, color: 'lightRed', hexColor: '#E74856' });
    assert.equal(await colorOf(made.id), '#E74856');
  });

  it('every theme has a shade but auto and maxColor; an unknown value is none', () => {
    for (const color of ['lightBlue', 'lightGreen', 'lightOrange', 'lightGray', 'lightYellow', 'lightTeal', 'lightPink', 'lightBrown', 'lightRed']) {
      assert.match(calendarColorOf({ color, hexColor: '' }) ?? '', /^#[0-9a-f]{6}$/, color);
    }
    for (const color of ['auto', 'maxColor', 'toString', 'purple', null, undefined]) assert.equal(calendarColorOf({ color, hexColor: '' }), null, String(color));
  });
});
