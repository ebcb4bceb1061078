/**
 * ORGANIZER of a meeting calhub creates on a CalDAV calendar (RFC 5545 §3.8.4.3: required once a
 * VEVENT has attendees). Radicale 3.1 answers calendar-user-address-set with the principal path
 * and Xandikos 0.2 with nothing, so with a login that is no email address calhub knew no address
 * and wrote the meeting without ORGANIZER. An email given at connect is used now; with none
 * known at all, a meeting with attendees and no organizer is refused before it is queued.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import { openHub, type Hub } from '../../hub/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { settle } from '../../sync-engine/index.ts';
import { createCaldavConnector } from '../../connectors/caldav/index.ts';
import { UnsupportedError } from '../../connectors/index.ts';
import { parseEvent } from '../../shared/model/index.ts';
import { davContext } from '../support/caldav-harness.ts';
import { makeCalendar, startRadicale, startXandikos, type DavServer } from '../support/dav-servers.ts';
import { serverObjects } from '../support/dav-content.ts';
import { openTestStore } from '../support/test-store.ts';

const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
const meeting = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  start: { dateTime: `${day}T10:00:00Z`, timeZone: 'UTC' },
  end: { dateTime: `${day}T11:00:00Z`, timeZone: 'UTC' },
  attendees: [{ email: 'carol@example.com' }],
  ...extra,
});

for (const kind of ['Radicale', 'Xandikos'] as const) {
  describe(`ORGANIZER on meetings calhub creates (${kind}, a login that is no email address)`, () => {
    let dav: DavServer;
    let hub: Hub;
    let app: FastifyInstance;
    before(async () => {
      dav = kind === 'Radicale' ? await startRadicale() : await startXandikos();
      const store = await openTestStore();
      await store.migrate();
      hub = await openHub({ store, config: loadConfig({ CALDAV_ALLOW_PRIVATE_NETWORKS: 'true' }), logger: createLogger({ level: 'silent' }) });
      app = await buildApp({ hub, probes: [] });
    });
    after(async () => {
      await app?.close();
      await hub?.close();
      await hub?.store.close();
      await dav?.stop();
    });

    async function tenantWith(calName: string, extra: Record<string, unknown>) {
      const calUrl = await makeCalendar(dav, calName);
      const { tenant, apiKey } = await hub.store.tenants.create(`org-${calName}`);
      const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => {
        const r = await app.inject({ method, url, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
        return { status: r.statusCode, json: JSON.parse(r.body) };
      };
      const made = await api('POST', '/v1/accounts/caldav', { url: dav.homeUrl, username: dav.username, password: dav.password, ...extra });
      assert.equal(made.status, 201, JSON.stringify(made.json));
      const cal = (made.json.calendars as Array<{ id: string; name: string }>).find((c) => c.name === calName)!;
      const onServer = async () => {
        await settle(hub.deps, tenant.id, [cal.id]);
        return (await serverObjects(dav, calUrl)).map((o) => o.lines.join('\n'));
      };
      return { api, cal: cal.id, onServer };
    }

    it('an email given at connect is the ORGANIZER of a meeting created through the API', async () => {
      assert.ok(!dav.username.includes('@'));
      const { api, cal, onServer } = await tenantWith('given', { email: 'Alice.Owner@example.com' });
      const r = await api('POST', `/v1/calendars/${cal}/events`, meeting('Planning'));
      assert.equal(r.status, 201, JSON.stringify(r.json));
      // The create's answer is what is written, not `organizer: null` until the next pull.
      assert.equal(r.json.organizer?.email?.toLowerCase(), 'alice.owner@example.com', JSON.stringify(r.json.organizer));
      const [raw] = await onServer();
      assert.match(raw!, /^ORGANIZER[^:\n]*:mailto:alice\.owner@example\.com$/im, raw);
      const read = await api('GET', `/v1/events/${r.json.id}`);
      assert.deepEqual(read.json.organizer, r.json.organizer, 'a read after the push and pull says the same');
    });

    it('with no address known: a meeting without organizer is 400 ORGANIZER_UNKNOWN, nothing written; one naming its organizer, or without attendees, is written', async () => {
      const { api, cal, onServer } = await tenantWith('unknown', {});
      const refused = await api('POST', `/v1/calendars/${cal}/events`, meeting('No organizer'));
      assert.equal(refused.status, 400, JSON.stringify(refused.json));
      assert.equal(refused.json.error.code, 'ORGANIZER_UNKNOWN');
      assert.match(refused.json.error.message, /email/);
      assert.deepEqual(await onServer(), [], 'nothing written');
      const named = await api('POST', `/v1/calendars/${cal}/events`, meeting('Named', { organizer: { email: 'boss@example.com' } }));
      assert.equal(named.status, 201, JSON.stringify(named.json));
      const alone = await api('POST', `/v1/calendars/${cal}/events`, meeting('Alone', { attendees: [] }));
      assert.equal(alone.status, 201, JSON.stringify(alone.json));
      const written = await onServer();
      assert.equal(written.length, 2);
      assert.ok(written.some((raw) => /^ORGANIZER[^:\n]*:mailto:boss@example\.com$/im.test(raw)), written.join('\n---\n'));
      // Giving the first attendees to an event without organizer is the same meeting made later.
      const later = await api('PATCH', `/v1/events/${alone.json.id}`, { attendees: [{ email: 'carol@example.com' }] });
      assert.equal(later.status, 400, JSON.stringify(later.json));
      assert.equal(later.json.error.code, 'ORGANIZER_UNKNOWN');
    });

    it('the push refuses the meeting too (accounts connected before `email`), and writes it with an email in the connector config', async () => {
      const calUrl = await makeCalendar(dav, 'push');
      const cal = { providerCalendarId: calUrl, timeZone: 'UTC' };
      const event = parseEvent({ ...meeting('Pushed'), uid: `pushed-${kind}` });
      const legacy = createCaldavConnector({ serverUrl: dav.homeUrl, fetch });
      await assert.rejects(legacy.putObject(davContext(dav), cal, { remoteId: null, events: [event] }, { ifNoneMatch: '*' }), UnsupportedError);
      assert.deepEqual(await serverObjects(dav, calUrl), [], 'nothing written');
      const given = createCaldavConnector({ serverUrl: dav.homeUrl, fetch, email: 'owner@example.com' });
      const put = await given.putObject(davContext(dav), cal, { remoteId: null, events: [event] }, { ifNoneMatch: '*' });
      assert.equal(put.events[0]!.organizer?.email, 'owner@example.com');
    });

    it('an invalid email at connect is a 400, nothing stored', async () => {
      const { tenant, apiKey } = await hub.store.tenants.create('org-bad');
      const r = await app.inject({ method: 'POST', url: '/v1/accounts/caldav', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, payload: JSON.stringify({ url: dav.homeUrl, username: dav.username, password: dav.password, email: 'not an address' }) });
      assert.equal(r.statusCode, 400, r.body);
      assert.equal((await hub.store.tenant(tenant.id).accounts.list()).length, 0);
    });
  });
}
