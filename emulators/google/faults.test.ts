import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEnv, type TestEnv } from './test-support.ts';

describe('google emulator: faults and the control API', () => {
  let env: TestEnv;
  const list = () => env.call('/calendar/v3/users/me/calendarList');
  before(async () => (env = await startEnv()));
  after(() => env.emu.close());

  it('429 with Retry-After, in Google error shape', async () => {
    env.emu.control.injectFault({ status: 429, retryAfter: 7 });
    const r = await list();
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '7');
    assert.deepEqual(r.json.error.errors[0], { domain: 'usageLimits', reason: 'rateLimitExceeded', message: 'Rate Limit Exceeded' });
    assert.equal((await list()).status, 200, 'a fault fires once by default');
  });

  it('403 rateLimitExceeded and userRateLimitExceeded without Retry-After', async () => {
    env.emu.control.injectFault({ status: 403, reason: 'rateLimitExceeded' });
    env.emu.control.injectFault({ status: 403, reason: 'userRateLimitExceeded' });
    const a = await list();
    const b = await list();
    assert.equal(a.json.error.errors[0].reason, 'rateLimitExceeded');
    assert.equal(b.json.error.errors[0].reason, 'userRateLimitExceeded');
    assert.equal(a.headers.get('retry-after'), null);
  });

  it('5xx faults repeat for their count, then stop', async () => {
    env.emu.control.injectFault({ status: 503, count: 2 });
    assert.deepEqual([(await list()).status, (await list()).status, (await list()).status], [503, 503, 200]);
  });

  it('a pathPrefix matches with or without /calendar/v3 (both name the same requests)', async () => {
    for (const prefix of ['/calendar/v3/users/me/calendarList', '/users/me/calendarList']) {
      env.emu.control.injectFault({ status: 503, pathPrefix: prefix });
      assert.equal((await env.events()).status, 200, `${prefix}: another path passes`);
      assert.equal((await list()).status, 503, `${prefix} fires`);
    }
  });

  it('a calendar id in a pathPrefix matches plain or percent-encoded', async () => {
    const cal = (await list()).json.items[0].id as string;
    assert.ok(cal.includes('@'), `a calendar id with an @: ${cal}`);
    for (const prefix of [`/calendars/${cal}/events`, `/calendars/${encodeURIComponent(cal)}/events`]) {
      env.emu.control.injectFault({ status: 503, pathPrefix: prefix });
      assert.equal((await env.call(`/calendar/v3/calendars/${encodeURIComponent(cal)}/events`)).status, 503, `${prefix} fires`);
    }
  });

  it('faults can target one path and method', async () => {
    env.emu.control.injectFault({ status: 500, pathPrefix: '/calendar/v3/calendars/', method: 'GET' });
    assert.equal((await list()).status, 200);
    assert.equal((await env.events()).status, 500);
  });

  it('dropResponse carries the write out, then cuts the connection before answering', async () => {
    env.emu.control.injectFault({ status: 200, method: 'POST', dropResponse: true });
    const body = { summary: 'lost answer', start: { dateTime: '2026-02-01T10:00:00Z' }, end: { dateTime: '2026-02-01T11:00:00Z' } };
    await assert.rejects(env.call('/calendar/v3/calendars/primary/events', { method: 'POST', body }));
    const r = await env.events();
    assert.deepEqual(r.json.items.map((e: { summary: string }) => e.summary).filter((s: string) => s === 'lost answer'), ['lost answer']);
  });

  it('the request log records requests with the Authorization header redacted', async () => {
    env.emu.control.clearRequests();
    await list();
    const [req] = env.emu.control.requests();
    assert.equal(req?.path, '/calendar/v3/users/me/calendarList');
    assert.equal(req?.headers.authorization, 'REDACTED');
    assert.equal(req?.status, 200);
  });

  it('the HTTP control API mirrors the in-process one', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${env.emu.url}/_emulator${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await post('/users', { email: 'http@example.com', timeZone: 'UTC' });
    const grant = (await (await post('/grants', { email: 'http@example.com' })).json()) as { accessToken: string };
    const ev = (await (await post('/calendars/http%40example.com/events', { start: { date: '2026-01-01' }, end: { date: '2026-01-02' }, summary: 'via http' })).json()) as { id: string };
    const r = await env.call('/calendar/v3/calendars/primary/events', { token: grant.accessToken });
    assert.deepEqual(r.json.items.map((e: { id: string }) => e.id), [ev.id]);
    await post('/faults', { status: 502 });
    assert.equal((await env.call('/calendar/v3/calendars/primary/events', { token: grant.accessToken })).status, 502);
    const stored = (await (await fetch(`${env.emu.url}/_emulator/calendars/http%40example.com/events`)).json()) as Array<{ event: { summary: string } }>;
    assert.equal(stored[0]?.event.summary, 'via http');
  });
});
