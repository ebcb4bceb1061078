import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startMicrosoftTestbed, type MicrosoftTestbed } from './test-support.ts';
import { verifyMicrosoftNotifications } from './push.ts';

describe('microsoft connector: push subscriptions against the emulator', () => {
  let t: MicrosoftTestbed;
  let server: Server;
  let address = '';
  const bodies: unknown[] = [];
  before(async () => {
    t = await startMicrosoftTestbed();
    server = createServer(async (req, res) => {
      const token = new URL(req.url!, 'http://x').searchParams.get('validationToken');
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (token !== null) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return void res.end(token);
      }
      bodies.push(JSON.parse(Buffer.concat(chunks).toString()));
      res.writeHead(202);
      res.end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    address = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/microsoft`;
  });
  after(async () => {
    await t.emu.close();
    server.close();
  });

  it('subscribes, receives verified notifications, renews within the cap and unsubscribes', async () => {
    const sub = await t.connector.push.subscribe(t.ctx, t.calendar, { address, secret: 's3cret', ttlSeconds: 8 * 86_400 });
    const cap = Date.now() + 10_080 * 60_000;
    assert.ok(Date.parse(sub.expiresAt) <= cap && Date.parse(sub.expiresAt) > cap - 5 * 60_000, 'eight days are cut to just under the 10,080-minute cap');
    t.emu.control.createEvent({ userId: t.userId, calendarId: t.calendar.providerCalendarId, event: { subject: 'ping', start: { dateTime: '2026-07-01T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-07-01T11:00:00', timeZone: 'UTC' } } });
    await t.emu.control.settle();
    const { accepted, rejected } = verifyMicrosoftNotifications(bodies[0], (id) => (id === sub.id ? sub.secret : null));
    assert.equal(accepted.length, 1);
    assert.equal(rejected.length, 0);
    assert.equal(verifyMicrosoftNotifications(bodies[0], () => 'other').rejected.length, 1, 'a wrong clientState is rejected');
    const renewed = await t.connector.push.renew(t.ctx, t.calendar, sub, { address, ttlSeconds: 3600 });
    assert.ok(Date.parse(renewed.expiresAt) < Date.parse(sub.expiresAt));
    await t.connector.push.unsubscribe(t.ctx, renewed);
    assert.equal(t.emu.control.subscriptions().length, 0);
    await t.connector.push.unsubscribe(t.ctx, renewed);
  });

  it('an http address refused by Graph is an error to retry, not a refused calendar', async () => {
    t.emu.control.setSwitches({ allowHttpPush: false });
    try {
      await assert.rejects(t.connector.push.subscribe(t.ctx, t.calendar, { address, secret: 's', ttlSeconds: 3600 }), (e: Error & { reason?: string }) => /https/.test(e.message) && e.reason !== 'calendarSubscriptionRefused');
    } finally {
      t.emu.control.setSwitches({ allowHttpPush: true });
    }
  });

  it('a refused per-calendar resource: UnsupportedError for another calendar, me/events for the default one', async () => {
    t.emu.control.setSwitches({ refuseCalendarSubscriptions: true });
    try {
      await assert.rejects(t.connector.push.subscribe(t.ctx, t.calendar, { address, secret: 's', ttlSeconds: 3600 }), { code: 'CONNECTOR_UNSUPPORTED', reason: 'calendarSubscriptionRefused' });
      const def = (await fetch(`${t.emu.url}/v1.0/me/calendar`, { headers: { authorization: `Bearer ${t.token()}` } }).then((r) => r.json() as Promise<{ id: string }>));
      const sub = await t.connector.push.subscribe(t.ctx, { ...t.calendar, providerCalendarId: def.id }, { address, secret: 's', ttlSeconds: 3600 });
      assert.equal(sub.resourceId, 'me/events');
      await t.connector.push.unsubscribe(t.ctx, sub);
    } finally {
      t.emu.control.setSwitches({ refuseCalendarSubscriptions: false });
    }
  });
});
