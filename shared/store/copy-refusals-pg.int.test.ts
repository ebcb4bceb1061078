/**
 * The refusals of mirror copies (migration 0073) as GET /v1/rules and calhub rules list/show read
 * them, on a PostgreSQL server as on PGlite: count and sum come back as numbers (a server's bigint
 * is text to the driver), the latest message is the latest refusal's, a rule's rows are its own.
 * Run on both, so a statement only one of them takes shows here.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { Store } from './store.ts';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `t_refusals_${process.pid}_${Date.now().toString(36)}`;

function refusalsContract(name: string, open: () => Promise<Store>): void {
  describe(`copy refusals by rule (${name})`, () => {
    it('counts copies and times by calendar and code, keeps the latest message, leaves other tenants and rules out', async () => {
      const store = await open();
      try {
        await store.migrate();
        const made = async (tenant: string) => {
          const tenantId = (await store.tenants.create(tenant)).tenant.id;
          const t = store.tenant(tenantId);
          const acc = await t.accounts.upsert({ provider: 'memory', externalId: `${tenant}@example.com` });
          const [src, dst, other] = await t.calendars.upsertMany(acc.id, ['src', 'dst', 'other'].map((p) => ({ providerCalendarId: p, name: p, timeZone: 'UTC', color: null, readOnly: false })));
          const rule = (await t.mirror.create(src!.id, dst!.id, { mode: 'busy-block' }))!;
          const second = (await t.mirror.create(src!.id, other!.id, { mode: 'busy-block' }))!;
          return { t, dst: dst!.id, other: other!.id, rule: rule.id, second: second.id };
        };
        const a = await made(`refusals-a-${Date.now()}`);
        const b = await made(`refusals-b-${Date.now()}`);
        // Refusals come seconds apart in a push; here they would share a clock tick (PGlite's now()
        // can repeat within a millisecond), and "the latest message" is the one with the latest time.
        const refuse = async (x: typeof a, calendarId: string, ruleId: string, uid: string, code: string, message: string, occurrence = '') => {
          await x.t.refusals.record(calendarId, { ruleId, uid, occurrence, code, message });
          await new Promise((r) => setTimeout(r, 5));
        };
        await refuse(a, a.dst, a.rule, 'copy-1', 'CONNECTOR_UNSUPPORTED', 'first');
        await refuse(a, a.dst, a.rule, 'copy-1', 'CONNECTOR_UNSUPPORTED', 'again');
        await refuse(a, a.dst, a.rule, 'copy-2', 'CONNECTOR_UNSUPPORTED', 'the latest');
        await refuse(a, a.dst, a.rule, 'copy-3', 'CONNECTOR_UNSUPPORTED', 'one occurrence', '2026-12-08T09:00:00Z');
        await refuse(a, a.dst, a.rule, 'copy-4', 'CONNECTOR_INVALID_DATA', 'bad data');
        await refuse(a, a.other, a.second, 'copy-5', 'CONNECTOR_UNSUPPORTED', 'the second rule');
        await refuse(b, b.dst, b.rule, 'copy-1', 'CONNECTOR_UNSUPPORTED', 'another tenant');
        // A rule of another tenant named by id: nothing recorded (the rule is not this tenant's).
        await refuse(a, a.dst, b.rule, 'copy-9', 'CONNECTOR_UNSUPPORTED', 'not mine');

        const byRule = await a.t.refusals.byRule([a.rule, a.second, b.rule]);
        assert.deepEqual([...byRule.keys()], [a.rule, a.second].sort());
        const mine = byRule.get(a.rule)!;
        assert.deepEqual(mine.map((r) => [r.calendarId, r.code, r.copies, r.times, r.message]), [
          [a.dst, 'CONNECTOR_INVALID_DATA', 1, 1, 'bad data'],
          [a.dst, 'CONNECTOR_UNSUPPORTED', 3, 4, 'one occurrence'],
        ]);
        for (const r of mine) {
          assert.equal(typeof r.copies, 'number');
          assert.ok(Date.parse(r.firstAt) <= Date.parse(r.lastAt), `${r.firstAt} <= ${r.lastAt}`);
          assert.match(r.lastAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        }
        assert.deepEqual(byRule.get(a.second)!.map((r) => [r.calendarId, r.copies, r.message]), [[a.other, 1, 'the second rule']]);
        assert.deepEqual([...(await b.t.refusals.byRule([b.rule])).get(b.rule)!.map((r) => r.message)], ['another tenant']);
        assert.deepEqual(await a.t.refusals.byRule([]), new Map());

        // A write of copy-3 that got through but for the occurrence refused again keeps that one.
        await a.t.refusals.clear(a.dst, 'copy-3', { keep: ['2026-12-08T09:00:00Z'] });
        await a.t.refusals.clear(a.dst, 'copy-1');
        assert.deepEqual([...(await a.t.refusals.uidsIn(a.dst))].sort(), ['copy-2', 'copy-3', 'copy-4']);
        assert.deepEqual((await a.t.refusals.byRule([a.rule])).get(a.rule)!.map((r) => [r.code, r.copies, r.times]), [['CONNECTOR_INVALID_DATA', 1, 1], ['CONNECTOR_UNSUPPORTED', 2, 2]]);
      } finally {
        await store.close();
      }
    });
  });
}

refusalsContract('PGlite', () => Store.open({ dataDir: null }));
refusalsContract('PostgreSQL server', () => Store.open({ databaseUrl: url, schema }));

after(async () => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});
