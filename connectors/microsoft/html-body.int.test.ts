/**
 * An Outlook body is HTML; the connector reads it as text (`Prefer: outlook.body-content-type="text"`)
 * and every update wrote that text back as the body, so a change of the title alone replaced the
 * formatted body with its plain rendering. The body now goes only when the description changed.
 * Against the Graph emulator, whose stored body is read without the text preference (Graph answers
 * HTML then, itembody.md / the Prefer header).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMicrosoftTestbed, type MicrosoftTestbed } from './test-support.ts';

const HTML = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><p>Agenda: <b>budget</b></p><ul><li>Q3</li></ul></body></html>';
const at = (day: string, h: number) => ({ dateTime: `2027-04-${day}T${String(h).padStart(2, '0')}:00:00`, timeZone: 'UTC' });

describe('microsoft connector: an HTML body survives a write that does not change it', () => {
  let t: MicrosoftTestbed;
  before(async () => {
    t = await startMicrosoftTestbed({ timeZone: 'UTC' });
  });
  after(async () => t?.emu.close());

  /** The body Graph holds, as Graph answers without the text preference. */
  const storedBody = async (id: string) => {
    const r = await fetch(`${t.emu.url}/v1.0/me/events/${encodeURIComponent(id)}?$select=body`, { headers: { authorization: `Bearer ${t.token()}` } });
    return ((await r.json()) as { body: { contentType: string; content: string } }).body;
  };
  const outlookEvent = (extra: Record<string, unknown> = {}) =>
    t.emu.control.createEvent({ userId: t.userId, calendarId: t.calendar.providerCalendarId, event: { subject: 'Planning', body: { contentType: 'html', content: HTML }, start: at('05', 9), end: at('05', 10), ...extra } as never });

  it('a title change keeps the HTML body; a description change writes the new text', async () => {
    const made = outlookEvent();
    const read = await t.connector.getObject(t.ctx, t.calendar, made.immutableId);
    assert.match(read.events[0]!.description ?? '', /Agenda: budget/, 'read as text');
    const renamed = await t.connector.putObject(t.ctx, t.calendar, { remoteId: read.remoteId, events: [{ ...read.events[0]!, title: 'Planning (moved)' }] }, { ifMatch: read.version! });
    assert.deepEqual(await storedBody(made.immutableId), { contentType: 'html', content: HTML });
    assert.equal(renamed.events[0]!.title, 'Planning (moved)');
    await t.connector.putObject(t.ctx, t.calendar, { remoteId: read.remoteId, events: [{ ...renamed.events[0]!, description: 'New agenda' }] }, { ifMatch: renamed.version! });
    assert.match((await storedBody(made.immutableId)).content, /New agenda/);
  });

  it('a changed description replaces the HTML body with its text, which reads back exactly and is not written again', async () => {
    const made = outlookEvent({ subject: 'Review' });
    const read = await t.connector.getObject(t.ctx, t.calendar, made.immutableId);
    const description = 'Costs & budget <draft>\n\n- Q3 plan\n- Q4';
    await t.connector.putObject(t.ctx, t.calendar, { remoteId: read.remoteId, events: [{ ...read.events[0]!, description }] }, { ifMatch: read.version! });
    const stored = await storedBody(made.immutableId);
    assert.doesNotMatch(stored.content, /<b>|<ul>|<li>/, "Outlook's formatting is gone: the description is text, and Graph replaces a body whole");
    const again = await t.connector.getObject(t.ctx, t.calendar, made.immutableId);
    assert.equal(again.events[0]!.description, description, 'written as text, it reads back as written (no converter between)');
    const patches = () => t.emu.control.requests().filter((r) => r.method === 'PATCH').length;
    const before = patches();
    await t.connector.putObject(t.ctx, t.calendar, { remoteId: again.remoteId, events: [{ ...again.events[0]!, title: 'Review (2)' }] }, { ifMatch: again.version! });
    assert.equal(patches(), before + 1);
    assert.deepEqual(await storedBody(made.immutableId), stored, 'a title edit after it leaves the body as it is');
  });

  it('an HTML body arrives as its text: entities decoded, paragraphs, breaks and list items on their own lines', async () => {
    const html = '<html><head><style>p{margin:0}</style></head><body><p>Costs &amp; budget &lt;draft&gt;</p>\n<ul><li>Q3&nbsp;plan</li><li>Caf&eacute; &#8211; &#x263A;</li></ul><div>line one<br>line two</div></body></html>';
    const made = outlookEvent({ subject: 'Entities', body: { contentType: 'html', content: html } });
    const read = await t.connector.getObject(t.ctx, t.calendar, made.immutableId);
    assert.equal(read.events[0]!.description, 'Costs & budget <draft>\n\nQ3\u00a0plan\nCaf\u00e9 \u2013 \u263a\n\nline one\nline two');
  });

  it("an occurrence's first write keeps the series' HTML body", async () => {
    const made = outlookEvent({ subject: 'Weekly', recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, range: { type: 'numbered', startDate: '2027-04-05', numberOfOccurrences: 3 } } });
    const series = await t.connector.getObject(t.ctx, t.calendar, made.immutableId);
    const m = series.events[0]!;
    const moved = { ...m, recurrence: null, originalStart: { dateTime: '2027-04-12T09:00:00Z', timeZone: 'UTC' }, start: { dateTime: '2027-04-12T11:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2027-04-12T12:00:00Z', timeZone: 'UTC' }, title: 'Weekly (later)', providerEventId: null };
    const ex = await t.connector.putObject(t.ctx, t.calendar, { remoteId: null, events: [moved] }, { ifNoneMatch: '*' });
    assert.deepEqual(await storedBody(ex.remoteId), { contentType: 'html', content: HTML });
    // And a later write of the same exception, the title only again.
    await t.connector.putObject(t.ctx, t.calendar, { remoteId: ex.remoteId, events: [{ ...ex.events[0]!, title: 'Weekly (later still)' }], current: ex.events }, { ifMatch: ex.version! });
    assert.deepEqual(await storedBody(ex.remoteId), { contentType: 'html', content: HTML });
  });
});
