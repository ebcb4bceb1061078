/**
 * The silence check's usual rate comes from provider changes only (migration 0096): the hub's own
 * writes and rewrites of event rows must not shorten a quiet channel's allowance.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listChannelViews, Store, type ChannelView } from '../../shared/store/index.ts';
import { isSilent, silenceAllowanceMs } from './channel-silence.ts';

const H = 3_600_000;

describe('channel silence: usual rate from provider changes', () => {
  let store: Store;
  let tenantId = '';
  let n = 0;
  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    tenantId = (await store.tenants.create('silence-rate')).tenant.id;
  });
  after(async () => store?.close());

  /** A calendar with a live channel last notified five hours ago. */
  async function calendar(): Promise<string> {
    const t = store.tenant(tenantId);
    const acc = await t.accounts.upsert({ provider: 'google', externalId: `a${++n}@example.com` });
    const [cal] = await t.calendars.upsertMany(acc.id, [{ providerCalendarId: `c${n}`, name: 'c', timeZone: 'UTC', color: null, readOnly: false }]);
    await store.db.query(
      `INSERT INTO push_channels (calendar_id, tenant_id, account_id, provider, provider_calendar_id, status, channel_id, last_notification_at, created_at)
       VALUES ($1, $2, $3, 'google', $4, 'active', $5, now() - interval '5 hours', now() - interval '40 days')`,
      [cal!.id, tenantId, acc.id, `c${n}`, `ch-${n}`],
    );
    return cal!.id;
  }
  const view = async (id: string): Promise<ChannelView> => (await listChannelViews(store.db, tenantId)).find((v) => v.calendarId === id)!;
  const providerChanges = async (id: string, count: number) => {
    for (let i = 0; i < count; i++) await store.tenant(tenantId).calendars.noteProviderChange(id);
  };
  /** Rows the hub writes and rewrites (copies it pushed, scrubs, re-expansions): fresh updated_at, no provider change. */
  const hubRewrites = async (id: string, count: number) => {
    await store.db.query(
      `INSERT INTO events (id, tenant_id, calendar_id, uid, data, content_hash)
       SELECT $1 || '-' || g, $2, $1, 'u' || g, '{}'::jsonb, 'h' FROM generate_series(1, $3::int) g`,
      [id, tenantId, count],
    );
    await store.db.query(`UPDATE events SET content_hash = 'h2', updated_at = now() WHERE calendar_id = $1`, [id]);
  };

  it('hub rewrites of many rows do not make a quiet channel silent', async () => {
    const id = await calendar();
    await providerChanges(id, 30); // about one a day: three days of quiet are usual
    await hubRewrites(id, 2000);
    const v = await view(id);
    assert.ok(Math.abs(v.recentChanges - 30) < 0.01, `provider changes only: ${v.recentChanges}`);
    assert.equal(isSilent(v, new Date()), false, 'five hours of quiet on a calendar that changes once a day');

    const quietOnly = await calendar();
    await hubRewrites(quietOnly, 2000);
    assert.equal((await view(quietOnly)).recentChanges, 0, 'no provider change: no usual rate');
    assert.equal(isSilent(await view(quietOnly), new Date()), false);
  });

  it('a real provider change rate gives the expected allowance, decaying over 30 days', async () => {
    const id = await calendar();
    await providerChanges(id, 720); // one an hour: three hours of quiet are usual
    let v = await view(id);
    assert.ok(Math.abs(silenceAllowanceMs(v.recentChanges) - 3 * H) < 60_000, `allowance ${silenceAllowanceMs(v.recentChanges)}`);
    assert.equal(isSilent(v, new Date()), true, 'five hours without a notification: silent');

    // Thirty days on, the count has decayed by e; the next change adds one to what is left.
    await store.db.query(`UPDATE calendars SET provider_changed_at = provider_changed_at - interval '30 days' WHERE id = $1`, [id]);
    v = await view(id);
    assert.ok(Math.abs(v.recentChanges - 720 / Math.E) < 0.1, `decayed: ${v.recentChanges}`);
    await providerChanges(id, 1);
    assert.ok(Math.abs((await view(id)).recentChanges - (720 / Math.E + 1)) < 0.1);

    // Years without a change: nothing left, and no underflow.
    await store.db.query(`UPDATE calendars SET provider_changed_at = now() - interval '100 years' WHERE id = $1`, [id]);
    assert.ok((await view(id)).recentChanges < 1e-100);
    await providerChanges(id, 1);
    assert.ok(Math.abs((await view(id)).recentChanges - 1) < 1e-6);
  });
});
