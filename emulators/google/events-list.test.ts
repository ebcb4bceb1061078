import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEnv, timed, type TestEnv } from './test-support.ts';

describe('google emulator: events.list parameters', () => {
  let env: TestEnv;
  before(async () => {
    env = await startEnv();
    for (let i = 0; i < 260; i++) {
      const d = String(1 + (i % 28)).padStart(2, '0');
      env.emu.control.insertEvent(env.calId, timed(`2026-02-${d}T10:00:00+01:00`, `2026-02-${d}T11:00:00+01:00`, { summary: `e${i}` }));
    }
  });
  after(() => env.emu.close());

  it('maxResults defaults to 250; nextPageToken until the last page, which alone has nextSyncToken', async () => {
    const first = await env.events();
    assert.equal(first.json.items.length, 250);
    assert.ok(first.json.nextPageToken);
    assert.equal(first.json.nextSyncToken, undefined);
    const last = await env.events({ pageToken: first.json.nextPageToken });
    assert.equal(last.json.items.length, 10);
    assert.equal(last.json.nextPageToken, undefined);
    assert.ok(last.json.nextSyncToken);
    assert.equal(first.json.kind, 'calendar#events');
    assert.equal(first.json.timeZone, 'Europe/Berlin');
  });

  it('maxResults above 2500 is capped; 0 is a 400', async () => {
    assert.equal((await env.events({ maxResults: '5000' })).json.items.length, 260);
    assert.equal((await env.events({ maxResults: '0' })).status, 400);
  });

  it('empty pages still carry nextPageToken and the listing completes', async () => {
    env.emu.control.setPaging({ emptyPageEvery: 2 });
    const ids: string[] = [];
    let token: string | undefined;
    let empties = 0;
    for (let i = 0; i < 100; i++) {
      const r = await env.events({ maxResults: '50', ...(token ? { pageToken: token } : {}) });
      if (r.json.items.length === 0 && r.json.nextPageToken) empties += 1;
      ids.push(...r.json.items.map((e: { id: string }) => e.id));
      token = r.json.nextPageToken;
      if (!token) {
        assert.ok(r.json.nextSyncToken);
        break;
      }
    }
    env.emu.control.setPaging({ emptyPageEvery: 0 });
    assert.ok(empties > 0);
    assert.equal(new Set(ids).size, 260);
  });

  it('a page token from another query is rejected', async () => {
    const first = await env.events({ maxResults: '10' });
    assert.equal((await env.events({ maxResults: '10', q: 'e1', pageToken: first.json.nextPageToken })).status, 400);
  });

  it('timeMin is exclusive for the end, timeMax exclusive for the start (overlap)', async () => {
    const ev = env.emu.control.insertEvent(env.calId, timed('2026-05-01T10:00:00+02:00', '2026-05-01T11:00:00+02:00', { summary: 'window' }));
    const ids = async (q: Record<string, string>) => (await env.events(q)).json.items.map((e: { id: string }) => e.id);
    assert.ok(!(await ids({ timeMin: '2026-05-01T11:00:00+02:00' })).includes(ev.id), 'ends exactly at timeMin');
    assert.ok((await ids({ timeMin: '2026-05-01T10:59:00+02:00', timeMax: '2026-05-02T00:00:00Z' })).includes(ev.id));
    assert.ok(!(await ids({ timeMin: '2026-04-01T00:00:00Z', timeMax: '2026-05-01T10:00:00+02:00' })).includes(ev.id), 'starts exactly at timeMax');
  });

  it('timeMin without offset is 400; an empty range is 400 timeRangeEmpty', async () => {
    assert.equal((await env.events({ timeMin: '2026-05-01T10:00:00' })).status, 400);
    const r = await env.events({ timeMin: '2026-05-02T00:00:00Z', timeMax: '2026-05-01T00:00:00Z' });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.errors[0].reason, 'timeRangeEmpty');
  });

  it('orderBy=startTime needs singleEvents=true', async () => {
    assert.equal((await env.events({ orderBy: 'startTime' })).status, 400);
    const r = await env.events({ orderBy: 'startTime', singleEvents: 'true', maxResults: '2500' });
    assert.equal(r.status, 200);
    const starts = r.json.items.map((e: { start: { dateTime: string } }) => Date.parse(e.start.dateTime));
    assert.deepEqual(starts, [...starts].sort((a: number, b: number) => a - b));
  });

  it('updatedMin returns changes including deletions; too long ago is 410 updatedMinTooLongAgo', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const gone = env.emu.control.insertEvent(env.calId, timed('2026-06-01T10:00:00Z', '2026-06-01T11:00:00Z'));
    env.emu.control.deleteEvent(env.calId, gone.id);
    const r = await env.events({ updatedMin: since, maxResults: '2500' });
    const item = r.json.items.find((e: { id: string }) => e.id === gone.id);
    assert.equal(item?.status, 'cancelled');
    const old = await env.events({ updatedMin: '2020-01-01T00:00:00Z' });
    assert.equal(old.status, 410);
    assert.equal(old.json.error.errors[0].reason, 'updatedMinTooLongAgo');
  });

  it('iCalUID and privateExtendedProperty filter the listing', async () => {
    const tagged = env.emu.control.insertEvent(env.calId, timed('2026-07-01T10:00:00Z', '2026-07-01T11:00:00Z', { iCalUID: 'tagged@x', extendedProperties: { private: { calhubTenant: 't1' } } }));
    assert.deepEqual((await env.events({ iCalUID: 'tagged@x' })).json.items.map((e: { id: string }) => e.id), [tagged.id]);
    assert.deepEqual((await env.events({ privateExtendedProperty: 'calhubTenant=t1' })).json.items.map((e: { id: string }) => e.id), [tagged.id]);
    assert.equal((await env.events({ privateExtendedProperty: ['calhubTenant=t1', 'other=x'] })).json.items.length, 0);
  });
});
