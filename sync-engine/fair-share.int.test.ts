/**
 * Per-tenant shares (issue 12): a tenant whose accounts are each within their host's and account's
 * share still cannot take more than `perTenant` runs, so another tenant's job finds a worker slot.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { FairShare } from './fair-share.ts';

describe('fair shares of the workers', () => {
  const redis = new Redis(process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const prefix = `calhub-share-${randomBytes(4).toString('hex')}`;
  after(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('a tenant holds at most perTenant runs across its accounts and hosts; other tenants still get theirs', async () => {
    const shares = new FairShare(redis, prefix, { perHost: 2, perAccount: 2, perTenant: 3, leaseMs: 15_000 });
    const a = await Promise.all([1, 2, 3].map((i) => shares.acquire(`run-a${i}`, { host: `slow${i}.example:443`, accountId: `acc-a${i}`, tenantId: 'attacker' })));
    assert.ok(a.every((l) => l !== null), 'three runs on three accounts and hosts');
    assert.equal(await shares.acquire('run-a4', { host: 'slow4.example:443', accountId: 'acc-a4', tenantId: 'attacker' }), null, 'a fourth run of the same tenant waits');
    const b = await shares.acquire('run-b1', { host: 'radicale.example:443', accountId: 'acc-b1', tenantId: 'victim' });
    assert.ok(b, "the other tenant's run is not held back");
    // The refused attempt left no lease behind on its account or host.
    assert.equal(await redis.zcard(`${prefix}:share:account:acc-a4`), 0);
    assert.equal(await redis.zcard(`${prefix}:share:host:slow4.example:443`), 0);
    await a[0]!.release();
    const again = await shares.acquire('run-a4', { host: 'slow4.example:443', accountId: 'acc-a4', tenantId: 'attacker' });
    assert.ok(again, 'a released run frees the tenant a slot');
    for (const l of [...a.slice(1), b, again]) await l!.release();
    // Without perTenant (the engine's option unset) there is no tenant limit.
    const open = new FairShare(redis, `${prefix}-open`, { perHost: 2, perAccount: 2, leaseMs: 15_000 });
    const many = await Promise.all([1, 2, 3, 4, 5].map((i) => open.acquire(`r${i}`, { host: `h${i}`, accountId: `a${i}`, tenantId: 't' })));
    assert.ok(many.every((l) => l !== null));
    for (const l of many) await l!.release();
  });
});
