/* eslint-disable @typescript-eslint/no-explicit-any */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { deltaRound, startTestGraph, timed, type TestGraph } from './test-helpers.ts';

const window = 'startDateTime=2026-10-01T00:00:00Z&endDateTime=2027-01-01T00:00:00Z';

describe('Graph emulator: DELETE /me/calendars/{id}', () => {
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
    return r.json.id as string;
  };
  const notFound = (r: { status: number; json: any }) => {
    assert.equal(r.status, 404);
    assert.equal(r.json.error.code, 'ErrorItemNotFound');
    assert.equal(r.json.error.message, 'The specified object was not found in the store.');
  };

  it('deletes a calendar with its events: 204, gone from /me/calendars, its views 404 ErrorItemNotFound, a second delete 404', async () => {
    const id = await make('Bookings');
    const ev = await g.call('POST', `/me/calendars/${id}/events`, { body: timed('fitting', '2026-11-02T10:00:00', '2026-11-02T11:00:00') });
    assert.equal(ev.status, 201);
    const { deltaLink } = await deltaRound(g, `/me/calendars/${id}/calendarView/delta?${window}`);

    const r = await g.call('DELETE', `/me/calendars/${id}`);
    assert.equal(r.status, 204);
    assert.equal(r.json, null);
    const calendars = (await g.call('GET', '/me/calendars')).json.value.map((c: any) => c.id);
    assert.ok(!calendars.includes(id));
    assert.ok(calendars.includes(g.calendarId));
    notFound(await g.call('GET', `/me/events/${ev.json.id}`));
    notFound(await g.call('GET', `/me/calendars/${id}/calendarView?${window}`));
    notFound(await g.call('GET', deltaLink));
    notFound(await g.call('DELETE', `/me/calendars/${id}`));
  });

  it('refuses the default calendar, by id or as /me/calendar, with 400 ErrorDeleteDistinguishedFolder, and says so in isRemovable', async () => {
    for (const path of [`/me/calendars/${g.calendarId}`, '/me/calendar']) {
      const r = await g.call('DELETE', path);
      assert.equal(r.status, 400);
      assert.equal(r.json.error.code, 'ErrorDeleteDistinguishedFolder');
      assert.equal(r.json.error.message, 'Distinguished folders cannot be deleted.');
      assert.ok(r.json.error.innerError['request-id']);
    }
    const cal = await g.call('GET', `/me/calendars/${g.calendarId}`);
    assert.equal(cal.json.isRemovable, false);
    assert.equal(cal.json.isDefaultCalendar, true);
  });

  it('routes /users/{id}/calendars/{id} the same way and needs Calendars.ReadWrite', async () => {
    const id = await make('Team');
    const readOnly = g.emu.control.issueToken({ userId: g.userId, scopes: ['Calendars.Read'] }).accessToken;
    const refused = await fetch(`${g.emu.url}/v1.0/me/calendars/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${readOnly}` } });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as any).error.code, 'ErrorAccessDenied');
    assert.equal((await g.call('DELETE', `/users/${g.userId}/calendars/${id}`)).status, 204);
  });

  it('tells a subscription on the calendar that its events were deleted, then nothing more; the subscription stays', async () => {
    const bodies: any[] = [];
    const rx = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const token = new URL(req.url!, 'http://x').searchParams.get('validationToken');
      if (token !== null) return void res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
      bodies.push(JSON.parse(Buffer.concat(chunks).toString()));
      res.writeHead(202).end();
    });
    await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
    try {
      const id = await make('Watched');
      const ev = await g.call('POST', `/me/calendars/${id}/events`, { body: timed('watched', '2026-11-03T10:00:00', '2026-11-03T11:00:00') });
      const sub = await g.call('POST', '/subscriptions', {
        body: {
          changeType: 'deleted', notificationUrl: `http://127.0.0.1:${(rx.address() as AddressInfo).port}/hook`,
          resource: `me/calendars/${id}/events`, expirationDateTime: new Date(Date.now() + 3_600_000).toISOString(), clientState: 's',
        },
      });
      assert.equal(sub.status, 201, JSON.stringify(sub.json));
      assert.equal((await g.call('DELETE', `/me/calendars/${id}`)).status, 204);
      await g.emu.control.settle();
      const items = bodies.flatMap((b) => b.value);
      assert.deepEqual(items.map((n: any) => [n.changeType, n.resourceData.id]), [['deleted', ev.json.id]]);
      assert.equal((await g.call('GET', `/subscriptions/${sub.json.id}`)).status, 200);
    } finally {
      rx.closeAllConnections();
      await new Promise<void>((r) => rx.close(() => r()));
    }
  });

  it('control.deleteCalendar does the same out of band', async () => {
    const id = await make('Out of band');
    g.emu.control.deleteCalendar({ userId: g.userId, calendarId: id });
    notFound(await g.call('GET', `/me/calendars/${id}`));
    assert.throws(() => g.emu.control.deleteCalendar({ userId: g.userId, calendarId: g.calendarId }), /Distinguished folders cannot be deleted/);
  });
});
