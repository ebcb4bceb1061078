/* eslint-disable @typescript-eslint/no-explicit-any */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestGraph, type TestGraph } from './test-helpers.ts';

describe('Graph emulator: PATCH /me/calendars/{id}', () => {
  let g: TestGraph;
  before(async () => {
    g = await startTestGraph();
  });
  after(async () => {
    await g.emu.close();
  });
  const make = async (name: string) => {
    const r = await g.call('POST', '/me/calendars', { body: { name } });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    return r.json;
  };
  const names = async () => (await g.call('GET', '/me/calendars?$top=100')).json.value.map((c: any) => c.name);

  it('renames: 200 with the rendered calendar and a new changeKey; the list shows the new name', async () => {
    const made = await make('Bookings');
    const r = await g.call('PATCH', `/me/calendars/${made.id}`, { body: { name: 'Appointments' } });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual({ ...r.json, changeKey: undefined, name: undefined }, { ...made, changeKey: undefined, name: undefined });
    assert.equal(r.json.name, 'Appointments');
    assert.notEqual(r.json.changeKey, made.changeKey);
    assert.deepEqual((await g.call('GET', `/me/calendars/${made.id}`)).json, r.json);
    assert.ok((await names()).includes('Appointments'));
    assert.ok(!(await names()).includes('Bookings'));
  });

  it('renames the default calendar, as /me/calendar or by id (the calendar-update example)', async () => {
    const r = await g.call('PATCH', '/me/calendar', { body: { name: 'Social events' } });
    assert.equal(r.status, 200);
    assert.equal(r.json.isDefaultCalendar, true);
    assert.equal(r.json.id, g.calendarId);
    assert.equal((await g.call('PATCH', `/me/calendars/${g.calendarId}`, { body: { name: 'Calendar' } })).json.name, 'Calendar');
  });

  it('a name another calendar has, in any case, is 409 ErrorFolderExists; its own name in another case is fine', async () => {
    const a = await make('Alpha');
    await make('Beta');
    const r = await g.call('PATCH', `/me/calendars/${a.id}`, { body: { name: 'BETA' } });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'ErrorFolderExists');
    assert.equal(r.json.error.message, 'A folder with the specified name already exists.');
    assert.equal((await g.call('PATCH', `/me/calendars/${a.id}`, { body: { name: 'ALPHA' } })).json.name, 'ALPHA');
  });

  it('an unknown id is 404 ErrorItemNotFound; an empty name 400; a calendar the mailbox cannot edit 403', async () => {
    const gone = await g.call('PATCH', '/me/calendars/AAMkCAnothing', { body: { name: 'x' } });
    assert.equal(gone.status, 404);
    assert.equal(gone.json.error.code, 'ErrorItemNotFound');
    const c = await make('Named');
    for (const name of ['', ' ', 5]) assert.equal((await g.call('PATCH', `/me/calendars/${c.id}`, { body: { name } })).status, 400);
    const shared = g.emu.control.createCalendar({ userId: g.userId, name: 'Boss', canEdit: false });
    const refused = await g.call('PATCH', `/me/calendars/${shared.id}`, { body: { name: 'Mine' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error.code, 'ErrorAccessDenied');
    assert.ok((await names()).includes('Boss'));
  });

  it('color takes a calendarColor; read-only properties and isDefaultCalendar are ignored; unknown ones are 400', async () => {
    const c = await make('Hues');
    const r = await g.call('PATCH', `/me/calendars/${c.id}`, { body: { color: 'lightTeal', isDefaultCalendar: true, canEdit: false, owner: { address: 'x@example.com' } } });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.color, 'lightTeal');
    assert.equal(r.json.isDefaultCalendar, false);
    assert.equal(r.json.canEdit, true);
    assert.equal(r.json.owner.address, c.owner.address);
    assert.equal((await g.call('PATCH', `/me/calendars/${c.id}`, { body: { color: 'plaid' } })).status, 400);
    const unknown = await g.call('PATCH', `/me/calendars/${c.id}`, { body: { title: 'x' } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.error.code, 'RequestBodyRead');
    assert.match(unknown.json.error.message, /The property 'title' does not exist on type 'microsoft.graph.calendar'/);
  });

  it('needs Calendars.ReadWrite', async () => {
    const c = await make('Scoped');
    const readOnly = g.emu.control.issueToken({ userId: g.userId, scopes: ['Calendars.Read'] }).accessToken;
    const refused = await fetch(`${g.emu.url}/v1.0/me/calendars/${c.id}`, {
      method: 'PATCH', headers: { authorization: `Bearer ${readOnly}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x' }),
    });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as any).error.code, 'ErrorAccessDenied');
  });

  it('hexColor is empty until the user picks a colour; a PATCH of color changes the theme only', async () => {
    const c = await make('Shades');
    assert.deepEqual([c.color, c.hexColor], ['auto', '']);
    const themed = await g.call('PATCH', `/me/calendars/${c.id}`, { body: { color: 'lightGreen' } });
    assert.deepEqual([themed.json.color, themed.json.hexColor], ['lightGreen', ''], 'never explicitly set: empty (calendar.md)');
    g.emu.control.pickCalendarColor({ userId: g.userId, calendarId: c.id, color: 'lightRed', hexColor: '#E74856' });
    const picked = (await g.call('GET', `/me/calendars/${c.id}`)).json;
    assert.deepEqual([picked.color, picked.hexColor], ['lightRed', '#E74856']);
    assert.notEqual(picked.changeKey, themed.json.changeKey);
    assert.equal((await g.call('PATCH', `/me/calendars/${c.id}`, { body: { hexColor: '#000000' } })).json.hexColor, '#E74856', 'read-only');
  });

  // calendar-update.md: properties left out "maintain their previous values or be recalculated
  // based on changes to other property values". A picked shade of the old theme survived a new
  // theme, so the calendar read as its old colour (calendarColorOf prefers hexColor).
  it('a new theme, by PATCH or in Outlook, does not keep the shade picked for the old one', async () => {
    const c = await make('Shades again');
    g.emu.control.pickCalendarColor({ userId: g.userId, calendarId: c.id, color: 'lightRed', hexColor: '#E74856' });
    const themed = await g.call('PATCH', `/me/calendars/${c.id}`, { body: { color: 'lightGreen' } });
    assert.deepEqual([themed.json.color, themed.json.hexColor], ['lightGreen', '']);
    const same = await g.call('PATCH', `/me/calendars/${c.id}`, { body: { name: 'Shades kept' } });
    assert.equal(same.json.color, 'lightGreen');
    g.emu.control.pickCalendarColor({ userId: g.userId, calendarId: c.id, color: 'lightRed', hexColor: '#E74856' });
    assert.equal((await g.call('PATCH', `/me/calendars/${c.id}`, { body: { color: 'lightRed' } })).json.hexColor, '#E74856', 'the same theme keeps its shade');
    g.emu.control.pickCalendarColor({ userId: g.userId, calendarId: c.id, color: 'lightBlue' });
    assert.equal((await g.call('GET', `/me/calendars/${c.id}`)).json.hexColor, '', 'a theme picked in Outlook');
  });
});
