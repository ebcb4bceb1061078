import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestGraph, timed, type TestGraph } from './test-helpers.ts';

describe('Graph emulator: throttling, faults and the control API', () => {
  let g: TestGraph;
  before(async () => {
    g = await startTestGraph();
  });
  beforeEach(() => g.emu.control.clearFaults());
  after(async () => {
    await g.emu.close();
  });

  it('answers the 5th concurrent request of a mailbox with 429 MailboxConcurrency', async () => {
    // Long enough that all five are in flight together even on a busy machine.
    g.emu.control.setLatency({ ms: 1000 });
    const rs = await Promise.all(Array.from({ length: 5 }, () => g.call('GET', '/me/calendars')));
    const statuses = rs.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 200, 429]);
    const throttled = rs.find((r) => r.status === 429)!;
    assert.equal(throttled.json.error.code, 'ApplicationThrottled');
    assert.match(throttled.json.error.message, /MailboxConcurrency/);
    assert.equal(throttled.headers.get('retry-after'), '1', 'calendar 429s carry Retry-After (§E B.7)');
  });

  it('injects 429 with and without Retry-After, and 503', async () => {
    g.emu.control.injectFault({ status: 429, retryAfter: 12 });
    const a = await g.call('GET', '/me/calendars');
    assert.equal(a.status, 429);
    assert.equal(a.headers.get('retry-after'), '12');
    assert.equal(a.json.error.code, 'TooManyRequests');
    g.emu.control.injectFault({ status: 429 });
    assert.equal((await g.call('GET', '/me/calendars')).headers.get('retry-after'), null);
    g.emu.control.injectFault({ status: 503, retryAfter: 3, count: 2 });
    assert.equal((await g.call('GET', '/me/calendars')).json.error.code, 'serviceNotAvailable');
    assert.equal((await g.call('GET', '/me/calendars')).status, 503);
    assert.equal((await g.call('GET', '/me/calendars')).status, 200, 'the fault was used up');
  });

  it('a pathPrefix matches with or without /v1.0 (both name the same requests)', async () => {
    for (const prefix of ['/v1.0/me/calendars', '/me/calendars']) {
      g.emu.control.injectFault({ status: 503, pathPrefix: prefix });
      assert.equal((await g.call('GET', '/me/events')).status, 200, `${prefix}: another path passes`);
      assert.equal((await g.call('GET', '/me/calendars')).status, 503, `${prefix} fires`);
    }
  });

  it('faults can target a method, and dropResponse applies the write but cuts the answer', async () => {
    const subjects = async () => (await g.call('GET', '/me/events')).json.value.map((e: { subject: string }) => e.subject);
    g.emu.control.injectFault({ status: 500, method: 'POST' });
    assert.equal((await g.call('GET', '/me/events')).status, 200);
    assert.equal((await g.call('POST', '/me/events', { body: timed('refused', '2026-04-01T09:00:00', '2026-04-01T10:00:00') })).status, 500);
    g.emu.control.injectFault({ status: 200, method: 'POST', dropResponse: true });
    await assert.rejects(g.call('POST', '/me/events', { body: timed('lost answer', '2026-04-02T09:00:00', '2026-04-02T10:00:00') }));
    const after = await subjects();
    assert.ok(after.includes('lost answer'), 'the dropped request took effect');
    assert.ok(!after.includes('refused'));
  });

  it('a 2xx fault with delayMs answers normally, late (the request done, its answer after a later one)', async () => {
    g.emu.control.injectFault({ status: 200, method: 'POST', pathPrefix: '/me/calendars', delayMs: 1500 });
    const order: string[] = [];
    const cal = encodeURIComponent(g.calendarId);
    const delayed = g.call('POST', `/me/calendars/${cal}/events`, { body: timed('delayed', '2026-04-04T09:00:00', '2026-04-04T10:00:00') }).then((r) => (order.push('delayed'), r));
    const quick = g.call('GET', '/me/events').then((r) => (order.push('quick'), r));
    const [d] = await Promise.all([delayed, quick]);
    assert.equal(d.status, 201, 'the normal answer, not an error-shaped 200');
    assert.ok(typeof d.json.id === 'string' && d.json.subject === 'delayed');
    assert.deepEqual(order, ['quick', 'delayed'], 'the faulted request answered after one sent later');
  });

  it('a 2xx fault with emptyBody carries the request out and answers without a body', async () => {
    g.emu.control.injectFault({ status: 200, method: 'POST', emptyBody: true });
    const r = await g.call('POST', '/me/events', { body: timed('no body', '2026-04-05T09:00:00', '2026-04-05T10:00:00') });
    assert.equal(r.status, 200);
    assert.equal(r.json, null);
    const subjects = (await g.call('GET', '/me/events')).json.value.map((e: { subject: string }) => e.subject);
    assert.ok(subjects.includes('no body'));
  });

  it('limits requests per 10 minutes per mailbox with Retry-After', async () => {
    g.emu.control.setLimits({ requestsPer10Min: 2 });
    try {
      const rs = [];
      for (let i = 0; i < 4; i++) rs.push(await g.call('GET', '/me/calendars'));
      const limited = rs.find((r) => r.status === 429);
      assert.ok(limited, 'no request was limited');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
    } finally {
      g.emu.control.setLimits({ requestsPer10Min: 10_000 });
    }
  });

  it('answers 403 to a write with a read-only token', async () => {
    const ro = g.emu.control.issueToken({ userId: g.userId, scopes: ['Calendars.Read'] });
    const res = await fetch(`${g.emu.url}/v1.0/me/events`, { method: 'POST', headers: { authorization: `Bearer ${ro.accessToken}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 403);
  });

  it('exposes the control API over HTTP and logs the requests it received', async () => {
    const res = await fetch(`${g.emu.url}/_emulator/createCalendar`, { method: 'POST', body: JSON.stringify({ userId: g.userId, name: 'via http' }) });
    assert.equal(res.status, 200);
    const cal = (await res.json()) as { result: { id: string } };
    g.emu.control.clearRequests();
    await g.call('GET', `/me/calendars/${cal.result.id}`, { headers: { Prefer: 'IdType="ImmutableId"' } });
    const log = g.emu.control.requests();
    assert.equal(log.length, 1);
    assert.equal(log[0]!.prefer, 'IdType="ImmutableId"');
    assert.equal(log[0]!.status, 200);
  });
});
