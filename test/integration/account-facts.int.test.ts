/**
 * What a product learns of a connected account: each calendar's `primary` (the provider's own
 * primary/default flag) and the account's `email`, on the Google and Graph emulators and on
 * Radicale (which names no default calendar and no mailto: address).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { refreshCalendarList } from '../../hub/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { composeWebhooks } from '../../shared/store/index.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { apiOver } from '../support/api-over.ts';
import { makeCalendar } from '../support/dav-servers.ts';
import { startProviders, type Providers } from '../support/providers.ts';

type Cal = { id: string; providerCalendarId: string; name: string; primary: boolean };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read loosely in assertions
type Reply = any;

describe('account email and primary calendar', () => {
  let p: Providers;
  before(async () => (p = await startProviders()));
  after(() => p.stop());

  it("Google: a listing marks the primary calendar and fills an older account's email from its id", async () => {
    const env = await googleModelEnv(p.google, p.store);
    const { hub, app, call } = await apiOver<Reply>(env);
    try {
      const account = (await p.store.tenant(env.tenantId).accounts.list())[0]!;
      assert.equal((await call('GET', `/v1/accounts/${account.id}`)).json.email, null, 'an account from before: no email yet');
      await refreshCalendarList(hub, env.tenantId, account.id, { pull: false });
      assert.equal((await call('GET', `/v1/accounts/${account.id}`)).json.email, account.externalId);
      const cals: Cal[] = (await call('GET', `/v1/calendars?accountId=${account.id}`)).json.items;
      assert.deepEqual(cals.filter((c) => c.primary).map((c) => c.providerCalendarId), [account.externalId]);
      assert.equal(cals.filter((c) => !c.primary).length, 3);
    } finally {
      await app.close();
      await hub.close();
    }
  });

  it('Microsoft: the default calendar is primary; the mailbox address kept at connect is the email', async () => {
    const env = await microsoftModelEnv(p.ms, p.store);
    const { hub, app, call } = await apiOver<Reply>(env);
    try {
      const t = p.store.tenant(env.tenantId);
      const account = (await t.accounts.list())[0]!;
      // As connect keeps it (oauth identify: /me mail, else userPrincipalName).
      await t.accounts.upsert({ provider: 'microsoft', externalId: account.externalId, config: { email: account.externalId } });
      await refreshCalendarList(hub, env.tenantId, account.id, { pull: false });
      assert.equal((await call('GET', `/v1/accounts/${account.id}`)).json.email, account.externalId);
      const cals: Cal[] = (await call('GET', `/v1/calendars?accountId=${account.id}`)).json.items;
      assert.deepEqual(cals.filter((c) => c.primary).map((c) => c.id), [env.calendars[0]], 'the mailbox default (isDefaultCalendar) only');
      const shown = (await call('GET', `/v1/calendars/${env.calendars[0]}`)).json;
      assert.equal(shown.primary, true);
    } finally {
      await app.close();
      await hub.close();
    }
  });

  it('Radicale: no default named, so no calendar is primary; the email given at connect, else null', async () => {
    const { tenant } = await p.store.tenants.create(`facts-${Math.random().toString(36).slice(2, 8)}`);
    const { hub, app, call } = await apiOver<Reply>({ store: p.store, tenantId: tenant.id, deps: { connect: async () => { throw new Error('unused'); } } }, undefined, { config: loadConfig({ CALDAV_ALLOW_PRIVATE_NETWORKS: 'true' }) });
    try {
      const dav = p.radicale;
      await makeCalendar(dav, `facts-${tenant.id.slice(-6)}`);
      // Stored directly: POST /v1/webhooks refuses an address that does not resolve, and nothing is sent here.
      await p.store.tenant(tenant.id).webhooks.create({ url: 'https://example.com/hook', eventTypes: ['account.connected', 'calendar.created'], encryptedSecret: 'x' });
      const given = await call('POST', '/v1/accounts/caldav', { url: dav.homeUrl, username: dav.username, password: dav.password, email: 'alice.owner@example.com' });
      assert.equal(given.status, 201, JSON.stringify(given.json));
      assert.equal(given.json.email, 'alice.owner@example.com');
      assert.ok(given.json.calendars.length > 0 && given.json.calendars.every((c: Cal) => c.primary === false), JSON.stringify(given.json.calendars));
      const shown = (await call('GET', `/v1/accounts/${given.json.id}`)).json;
      assert.equal(shown.email, 'alice.owner@example.com');
      const cals: Cal[] = (await call('GET', `/v1/calendars?accountId=${given.json.id}`)).json.items;
      assert.ok(cals.every((c) => c.primary === false));
      // A reconnect without --email keeps the one given.
      const again = await call('POST', '/v1/accounts/caldav', { url: dav.homeUrl, username: dav.username, password: dav.password });
      assert.deepEqual([again.json.id, again.json.email], [given.json.id, 'alice.owner@example.com']);
      // The webhooks say the same: account.connected (twice: the reconnect found it connected) with the email, calendar.created with primary false.
      await composeWebhooks(p.store.db, { now: new Date() });
      const sent = await p.store.db.query<{ type: string; payload: Reply }>('SELECT type, payload FROM webhook_messages WHERE tenant_id = $1 ORDER BY seq', [tenant.id]);
      const connected = sent.filter((m) => m.type === 'account.connected').map((m) => m.payload.data);
      assert.deepEqual(connected.map((d) => [d.accountId, d.email, d.alreadyConnected]), [[given.json.id, 'alice.owner@example.com', false], [given.json.id, 'alice.owner@example.com', true]]);
      const created = sent.filter((m) => m.type === 'calendar.created');
      assert.ok(created.length > 0 && created.every((m) => m.payload.data.calendar.primary === false), JSON.stringify(created));
    } finally {
      await app.close();
      await hub.close();
    }
  });
});
