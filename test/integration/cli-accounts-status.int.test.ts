/** `calhub accounts disable|enable`: an operator switches an account off and on; a revoked one must be reconnected. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { calhub, withStore } from '../support/cli.ts';

describe('calhub accounts disable|enable', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'calhub-acc-status-'));
  const env = { CALHUB_DATA_DIR: dataDir, LOG_LEVEL: 'silent', REDIS_URL: '', DATABASE_URL: '' };
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('disables and enables an account, refuses to enable one that needs reauth, and names unknown ids', async () => {
    const { id: tenantId } = JSON.parse((await calhub(['tenants', 'create', 'ops', '--json'], env)).stdout) as { id: string };
    const accountId = await withStore(dataDir, async (s) => (await s.tenant(tenantId).accounts.upsert({ provider: 'memory', externalId: 'someone' })).id);
    const status = () => withStore(dataDir, async (s) => (await s.tenant(tenantId).accounts.get(accountId))!.status);

    const off = await calhub(['accounts', 'disable', accountId, '--tenant', tenantId, '--json'], env);
    assert.equal(off.code, 0, off.stderr);
    assert.deepEqual(JSON.parse(off.stdout), { id: accountId, status: 'disabled', statusReason: 'disabled by an operator', pullsQueued: 0 });
    assert.equal(await status(), 'disabled');
    assert.equal((await calhub(['accounts', 'enable', accountId, '--tenant', tenantId], env)).code, 0);
    assert.equal(await status(), 'active');

    await withStore(dataDir, (s) => s.tenant(tenantId).accounts.setStatus(accountId, 'needs_reauth', 'invalid_grant'));
    const refused = await calhub(['accounts', 'enable', accountId, '--tenant', tenantId], env);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /reconnected/);
    // Disabling it first was a way around that (found by an outside user): it came back active.
    assert.equal((await calhub(['accounts', 'disable', accountId, '--tenant', tenantId], env)).code, 0);
    const back = await calhub(['accounts', 'enable', accountId, '--tenant', tenantId], env);
    assert.equal(back.code, 0, back.stderr);
    assert.match(back.stdout, /is needs_reauth \(invalid_grant\): reconnect it/);
    assert.deepEqual(await withStore(dataDir, async (s) => { const a = (await s.tenant(tenantId).accounts.get(accountId))!; return [a.status, a.statusReason]; }), ['needs_reauth', 'invalid_grant']);
    const unknown = await calhub(['accounts', 'disable', 'acc_nope', '--tenant', tenantId], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /acc_nope/);
    assert.equal((await calhub(['accounts', 'disable', accountId, '--tenant', 'ten_other'], env)).code, 2, 'another tenant cannot see it');
  });
});
