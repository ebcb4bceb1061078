/**
 * A tenant's zone for a Xandikos calendar, end to end: Xandikos refuses calendar-timezone, so its
 * collections state no zone and their all-day and floating events were held on UTC days. Chosen
 * America/Los_Angeles, the pulled events block Los Angeles days, through a pull and a calendar
 * listing read again; `null` goes back to UTC.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { refreshCalendarList } from '../../hub/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { apiOver, type ApiOver } from '../support/api-over.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { authHeader, skipUnlessInstalled, startXandikos, type DavServer } from '../support/dav-servers.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { openTestStore } from '../support/test-store.ts';

type Reply = {
  timeZone: string; timeZoneChosen: boolean; providerTimeZone: string; providerCalendarId: string;
  calendars: Array<{ busy: Array<{ start: string; end: string }> }>;
};

const ICS = (uid: string, lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//calhub tests//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20261201T000000Z', ...lines, 'SUMMARY:' + uid, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
const norm = (iso: string) => new Date(iso).toISOString().replace('.000Z', 'Z');

describe('Xandikos: a chosen calendar zone, end to end', { skip: skipUnlessInstalled({ name: 'Xandikos', binary: 'xandikos' }) }, () => {
  let store: Store;
  let dav: DavServer;
  let env: ModelEnv;
  let api: ApiOver<Reply>;
  let calId: string;

  before(async () => {
    store = await openTestStore();
    await store.migrate();
    dav = await startXandikos();
    env = await davModelEnv(dav, store);
    api = await apiOver<Reply>(env);
    calId = env.calendars[0]!;
    const cal = (await store.tenant(env.tenantId).calendars.get(calId))!;
    const put = async (name: string, body: string) => {
      const r = await fetch(new URL(`${name}.ics`, new URL(cal.providerCalendarId, dav.homeUrl)), { method: 'PUT', headers: { ...authHeader(dav), 'content-type': 'text/calendar' }, body });
      assert.ok(r.ok, `PUT ${name}: ${r.status}`);
    };
    await put('offsite', ICS('offsite', ['DTSTART;VALUE=DATE:20261224', 'DTEND;VALUE=DATE:20261226']));
    await put('floating', ICS('floating', ['DTSTART:20261228T090000', 'DTEND:20261228T100000']));
    // The calendar as Xandikos lists it (no calendar-timezone), then its events pulled.
    await refreshCalendarList(api.hub, env.tenantId, (await store.tenant(env.tenantId).calendars.get(calId))!.accountId);
    await settle(env.deps, env.tenantId, [calId]);
  });
  after(async () => {
    await api?.app.close();
    await store?.close();
    await dav?.stop();
  });

  const busy = async () => {
    const r = await api.call('POST', '/v1/freebusy', { calendarIds: [calId], timeMin: '2026-12-23T00:00:00Z', timeMax: '2026-12-30T00:00:00Z' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    return r.json.calendars[0]!.busy.map((b) => [norm(b.start), norm(b.end)]);
  };
  const shown = async () => {
    const r = await api.call('GET', `/v1/calendars/${calId}`);
    return [r.json.timeZone, r.json.timeZoneChosen, r.json.providerTimeZone];
  };

  it('as Xandikos states no zone, the all-day and floating events block UTC days', async () => {
    assert.deepEqual(await shown(), ['UTC', false, 'UTC']);
    assert.deepEqual(await busy(), [['2026-12-24T00:00:00Z', '2026-12-26T00:00:00Z'], ['2026-12-28T09:00:00Z', '2026-12-28T10:00:00Z']]);
  });

  it('America/Los_Angeles chosen: they block Los Angeles days, through a pull and a listing read again', async () => {
    const r = await api.call('PATCH', `/v1/calendars/${calId}`, { timeZone: 'America/Los_Angeles' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const la = [['2026-12-24T08:00:00Z', '2026-12-26T08:00:00Z'], ['2026-12-28T17:00:00Z', '2026-12-28T18:00:00Z']];
    assert.deepEqual(await busy(), la);
    await refreshCalendarList(api.hub, env.tenantId, (await store.tenant(env.tenantId).calendars.get(calId))!.accountId);
    await settle(env.deps, env.tenantId, [calId]);
    assert.deepEqual(await shown(), ['America/Los_Angeles', true, 'UTC']);
    assert.deepEqual(await busy(), la);
  });

  it('default (null) goes back to UTC days', async () => {
    const r = await api.call('PATCH', `/v1/calendars/${calId}`, { timeZone: null });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(await shown(), ['UTC', false, 'UTC']);
    assert.deepEqual(await busy(), [['2026-12-24T00:00:00Z', '2026-12-26T00:00:00Z'], ['2026-12-28T09:00:00Z', '2026-12-28T10:00:00Z']]);
  });
});
