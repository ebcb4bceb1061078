/**
 * A CalDAV collection deleted and made again (empty) at the same address. Radicale's sync token of
 * an empty collection with no history is always the same, and calhub's own writes do not move the
 * cursor: a cursor taken from the empty collection before calhub wrote to it names the re-made
 * collection too, so an incremental listing said "nothing changed" and the gone events stayed for
 * good. A calendar that was missing (listed again) or whose pull failed NOT_FOUND is listed in
 * full when it comes back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { refreshCalendarList, unflagCalendar } from '../../hub/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { inSyncRun, MassChangeError, pullCalendar, pushCalendar, settle } from '../../sync-engine/index.ts';
import { authHeader, makeCalendar, type DavServer } from '../support/dav-servers.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { apiOver } from '../support/api-over.ts';
import { startProviders, type Providers } from '../support/providers.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';

type Reply = { id: string; providerCalendarId: string; calendarList: { missing: Array<{ id: string }>; updated: Array<{ id: string }> } };

const slot = (title: string, h: number) => ({ title, start: { dateTime: `2026-12-14T${h}:00:00Z`, timeZone: 'UTC' }, end: { dateTime: `2026-12-14T${h + 1}:00:00Z`, timeZone: 'UTC' } });

describe('a CalDAV calendar deleted and made again at the same address', () => {
  let p: Providers;
  before(async () => (p = await startProviders({ xandikos: true })));
  after(() => p.stop());

  /** A calendar made through the hub, pulled while empty, then events pushed to it (no pull after). */
  async function withTwoPushed(dav: DavServer, env: ModelEnv, call: (m: string, u: string, b?: unknown) => Promise<{ status: number; json: Reply }>, titles = ['One', 'Two']) {
    const account = (await p.store.tenant(env.tenantId).accounts.list())[0]!;
    const made = await call('POST', `/v1/accounts/${account.id}/calendars`, { name: `Bookings ${Math.random().toString(36).slice(2, 6)}` });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const cal = made.json;
    await settle(env.deps, env.tenantId, [cal.id]);
    for (const [i, title] of titles.entries()) assert.equal((await call('POST', `/v1/calendars/${cal.id}/events`, slot(title, 10 + i))).status, 201);
    await inSyncRun(p.store, env.tenantId, cal.id, { owner: 'test-push' }, (fence) => pushCalendar(env.deps, env.tenantId, cal.id, 'push-only', fence));
    assert.equal((await p.store.tenant(env.tenantId).events.list(cal.id)).length, titles.length);
    const remake = async () => {
      assert.ok((await fetch(cal.providerCalendarId, { method: 'DELETE', headers: authHeader(dav) })).ok);
      return () => makeCalendar(dav, decodeURIComponent(new URL(cal.providerCalendarId).pathname.split('/').filter(Boolean).pop()!));
    };
    return { account, cal, remake };
  }

  for (const [name, server] of [['Radicale', () => p.radicale], ['Xandikos', () => p.xandikos!]] as const) {
    it(`${name}: listed again after it was missing, it is listed in full and the gone events go`, async () => {
      const dav = server();
      const env = await davModelEnv(dav, p.store);
      const config = { ...loadConfig({}), calendarGoneAfterMs: 3_600_000 };
      const { app, call, hub } = await apiOver<Reply>({ ...env }, env.deps.connect, { config });
      const { account, cal, remake } = await withTwoPushed(dav, env, call);
      const make = await remake();
      // Only the calendar list is read in between (the maintenance step): no pull finds it gone.
      const gone = await refreshCalendarList(hub, env.tenantId, account.id);
      assert.ok(gone.missing.some((c) => c.id === cal.id), JSON.stringify(gone));
      await make();
      const back = await refreshCalendarList(hub, env.tenantId, account.id);
      assert.ok(back.updated.some((c) => c.id === cal.id), JSON.stringify(back));
      const pulled = await inSyncRun(p.store, env.tenantId, cal.id, { owner: 'test-pull' }, (fence) => pullCalendar(env.deps, env.tenantId, cal.id, { fence }));
      assert.equal(pulled.fullListing, true, 'a calendar back from missing is listed in full');
      assert.deepEqual(await p.store.tenant(env.tenantId).events.list(cal.id), []);
      await app.close();
    });

    it(`${name}: a pull that found it gone (NOT_FOUND), then finds it again, lists it in full`, async () => {
      const dav = server();
      const env = await davModelEnv(dav, p.store);
      const { app, call } = await apiOver<Reply>({ ...env }, env.deps.connect);
      const { cal, remake } = await withTwoPushed(dav, env, call);
      const make = await remake();
      await assert.rejects(settle(env.deps, env.tenantId, [cal.id]), (e: Error & { code?: string }) => e.code === 'CONNECTOR_NOT_FOUND');
      await make();
      const r = await settle(env.deps, env.tenantId, [cal.id]);
      assert.deepEqual(r.fullListings, [cal.id]);
      assert.deepEqual(await p.store.tenant(env.tenantId).events.list(cal.id), []);
      await app.close();
    });
  }

  it('Radicale: re-made empty while 3 events were known, it is flagged saying so (nothing deleted); one unflag lists it in full and deletes them', async () => {
    const dav = p.radicale;
    const env = await davModelEnv(dav, p.store);
    env.deps.guard = { maxDeleteShare: 0.2, minObjects: 3 };
    const config = { ...loadConfig({}), calendarGoneAfterMs: 3_600_000 };
    const { app, call, hub } = await apiOver<Reply>({ ...env }, env.deps.connect, { config });
    const { account, cal, remake } = await withTwoPushed(dav, env, call, ['One', 'Two', 'Three']);
    // The events were pulled once (the ledger knows them), as a calendar in use has been.
    await settle(env.deps, env.tenantId, [cal.id]);
    const make = await remake();
    assert.ok((await refreshCalendarList(hub, env.tenantId, account.id)).missing.some((c) => c.id === cal.id));
    await make();
    assert.ok((await refreshCalendarList(hub, env.tenantId, account.id)).updated.some((c) => c.id === cal.id));
    const t = p.store.tenant(env.tenantId);
    const pull = () => inSyncRun(p.store, env.tenantId, cal.id, { owner: 'test-pull' }, (fence) => pullCalendar(env.deps, env.tenantId, cal.id, { fence }));
    await assert.rejects(pull(), MassChangeError);
    const reason = (await t.sync.settings(cal.id))!.flaggedReason ?? '';
    assert.match(reason, /^the calendar was deleted and re-created at the provider \(a calendar list left it out, then listed it again\): 3 known event\(s\) are gone from it/, reason);
    assert.equal((await t.events.list(cal.id)).length, 3, 'nothing was deleted');
    const approved = await unflagCalendar(hub, env.tenantId, cal.id);
    assert.equal(approved.allowance?.removed, 3);
    const r = await pull();
    assert.equal(r.fullListing, true, 'the run after the unflag lists in full again');
    assert.equal(r.deleted, 3);
    assert.deepEqual(await t.events.list(cal.id), []);
    assert.equal((await t.cursor.state(cal.id))!.resetReason, null);
    await app.close();
  });
});
