import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEnv, timed, type TestEnv } from './test-support.ts';

async function drain(env: TestEnv, base: Record<string, string>) {
  const items: Array<Record<string, unknown>> = [];
  let pageToken: string | undefined;
  for (;;) {
    const r = await env.events({ ...base, ...(pageToken ? { pageToken } : {}) });
    assert.equal(r.status, 200, r.text);
    items.push(...r.json.items);
    if (r.json.nextSyncToken) return { items, syncToken: r.json.nextSyncToken as string };
    pageToken = r.json.nextPageToken;
  }
}

describe('google emulator: incremental sync', () => {
  let env: TestEnv;
  let token = '';
  const ids: string[] = [];
  before(async () => {
    env = await startEnv();
    for (let i = 0; i < 5; i++) ids.push(env.emu.control.insertEvent(env.calId, timed(`2026-03-0${i + 1}T09:00:00Z`, `2026-03-0${i + 1}T10:00:00Z`, { summary: `s${i}` })).id);
    token = (await drain(env, {})).syncToken;
  });
  after(() => env.emu.close());

  it('returns only what changed; deleted events carry only the guaranteed fields', async () => {
    env.emu.control.patchEvent(env.calId, ids[0]!, { summary: 'renamed' });
    env.emu.control.deleteEvent(env.calId, ids[1]!);
    const r = await drain(env, { syncToken: token });
    token = r.syncToken;
    assert.deepEqual(r.items.map((e) => e.id).sort(), [ids[0], ids[1]].sort());
    const deleted = r.items.find((e) => e.id === ids[1])!;
    assert.deepEqual(Object.keys(deleted).sort(), ['etag', 'id', 'kind', 'status']);
    assert.equal(deleted.status, 'cancelled');
  });

  it('an unchanged calendar gives an empty page with a new sync token', async () => {
    const r = await drain(env, { syncToken: token });
    assert.equal(r.items.length, 0);
    token = r.syncToken;
  });

  it('every parameter incompatible with syncToken is a 400, and so is showDeleted=false', async () => {
    for (const [k, v] of [['iCalUID', 'x'], ['orderBy', 'updated'], ['privateExtendedProperty', 'a=b'], ['q', 'x'], ['sharedExtendedProperty', 'a=b'], ['timeMin', '2026-01-01T00:00:00Z'], ['timeMax', '2026-01-01T00:00:00Z'], ['updatedMin', new Date().toISOString()]]) {
      const r = await env.events({ syncToken: token, [k!]: v! });
      assert.equal(r.status, 400, `${k} with syncToken`);
      assert.equal(r.json.error.code, 400);
    }
    assert.equal((await env.events({ syncToken: token, showDeleted: 'false' })).status, 400);
    assert.equal((await env.events({ syncToken: token, showDeleted: 'true' })).status, 200);
    assert.equal((await env.events({ syncToken: token, singleEvents: 'true' })).status, 200, 'singleEvents is compatible');
  });

  it('paged incremental sync repeats the same syncToken with pageToken; changes during paging come next time', async () => {
    for (const id of ids.slice(2)) env.emu.control.patchEvent(env.calId, id, { summary: 'bulk' });
    const p1 = await env.events({ syncToken: token, maxResults: '2' });
    assert.ok(p1.json.nextPageToken);
    assert.equal(p1.json.nextSyncToken, undefined);
    env.emu.control.patchEvent(env.calId, ids[0]!, { summary: 'during paging' });
    let r = p1;
    while (r.json.nextPageToken) r = await env.events({ syncToken: token, maxResults: '2', pageToken: r.json.nextPageToken });
    const next = await drain(env, { syncToken: r.json.nextSyncToken });
    assert.ok(next.items.some((e) => e.id === ids[0] && e.summary === 'during paging'));
    token = next.syncToken;
  });

  it('an expired sync token is 410 fullSyncRequired', async () => {
    env.emu.control.expireSyncTokens(env.calId);
    const r = await env.events({ syncToken: token });
    assert.equal(r.status, 410);
    assert.deepEqual(r.json.error.errors[0], {
      domain: 'calendar',
      reason: 'fullSyncRequired',
      message: 'Sync token is no longer valid, a full sync is required.',
      locationType: 'parameter',
      location: 'syncToken',
    });
  });

  it('a full listing without showDeleted leaves deleted events out; showDeleted=true includes them', async () => {
    const full = await drain(env, {});
    assert.ok(!full.items.some((e) => e.id === ids[1]));
    const withDeleted = await drain(env, { showDeleted: 'true' });
    assert.equal(withDeleted.items.find((e) => e.id === ids[1])?.status, 'cancelled');
  });
});
