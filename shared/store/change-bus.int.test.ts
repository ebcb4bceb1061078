/**
 * Store writes told across processes over PostgreSQL's LISTEN/NOTIFY (change-bus.ts): to the other
 * stores on the schema and not back to the writer, to no other schema, sent even by a store
 * closed right after its write (a CLI command), and heard again after the listening connection
 * was lost (told as a change of everything), also when it was lost without a word: a hang during
 * which the server dropped it leaves the connection open and silent, so it is checked with a
 * deadline.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { tcpForward } from '../../test/support/tcp-forward.ts';
import { channelOf } from './change-bus.ts';
import { Store } from './store.ts';
import type { StoreChange } from './write-watch.ts';

const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The hung test's DATABASE_QUERY_TIMEOUT_MS: the listening connection's check has this deadline. */
const TIMEOUT_MS = 3000;

describe('store changes told across processes on PostgreSQL', () => {
  const tag = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const [one, other] = [`t_bus_${tag}`, `t_bus2_${tag}`];
  const stores: Store[] = [];
  let admin: pg.Client;

  const open = async (schema: string) => {
    const s = await Store.open({ databaseUrl: PG, schema, shareChanges: true });
    stores.push(s);
    return s;
  };
  /** Listens on a store; `got` holds what it heard. */
  const hear = async (s: Store) => {
    const got: StoreChange[] = [];
    await s.changeBus!.listen((c) => got.push(c));
    return got;
  };
  /** `look` refreshes what `ok` reads, between tries. */
  const until = async (what: string, ok: () => boolean, ms = 3000, look?: () => Promise<void>) => {
    const end = Date.now() + ms;
    await look?.();
    while (!ok()) {
      assert.ok(Date.now() < end, `not within ${ms} ms: ${what}`);
      await new Promise((r) => setTimeout(r, look ? 200 : 10));
      await look?.();
    }
  };
  const calendar = (name: string) => ({ providerCalendarId: name, name, timeZone: 'UTC', color: null, readOnly: false });

  before(async () => {
    admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    const first = await open(one);
    await first.migrate();
    await (await open(other)).migrate();
  });
  after(async () => {
    for (const s of stores) await s.close().catch(() => undefined);
    for (const s of [one, other]) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await admin.end();
  });

  it('tells the other stores on the schema, not the writer and not another schema', async () => {
    const [writer, reader, elsewhere] = [stores[0]!, await open(one), stores[1]!];
    const [mine, theirs, foreign] = [await hear(writer), await hear(reader), await hear(elsewhere)];
    const { tenant } = await writer.tenants.create('bus');
    const t = writer.tenant(tenant.id);
    const account = await t.accounts.upsert({ provider: 'memory', externalId: 'bus@example.com', credentials: 'x' });
    const [cal] = await t.calendars.upsertMany(account.id, [calendar('a')]);
    await until('the reader hears the account and the calendar', () => theirs.some((c) => c.scope === 'calendar'));
    assert.deepEqual(theirs, [
      { scope: 'tenant', tenantId: tenant.id },
      { scope: 'calendar', tenantId: tenant.id, calendarId: cal!.id },
    ]);
    // The reader's own write goes the other way.
    await reader.tenant(tenant.id).accounts.setStatus(account.id, 'disabled', null);
    await until('the writer hears the reader', () => mine.length > 0);
    assert.deepEqual(mine, [{ scope: 'tenant', tenantId: tenant.id }]);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(theirs.length, 2, 'no store hears its own writes');
    assert.deepEqual(foreign, [], 'another schema hears nothing');
  });

  it('a store closed right after its write has still told it', async () => {
    const reader = await open(one);
    const heard = await hear(reader);
    const brief = await Store.open({ databaseUrl: PG, schema: one, shareChanges: true });
    const { tenant } = await brief.tenants.create('brief');
    await brief.tenant(tenant.id).accounts.upsert({ provider: 'memory', externalId: 'brief@example.com', credentials: 'x' });
    await brief.close();
    await until('the change of the closed store arrives', () => heard.some((c) => c.scope === 'tenant' && c.tenantId === tenant.id));
  });

  it('a lost listening connection is told as a change of everything, and listening resumes', async () => {
    // A schema of its own: the only listener on its channel is the one killed here.
    const schema = `t_bus3_${tag}`;
    const reader = await open(schema);
    await reader.migrate();
    const writer = await open(schema);
    const heard = await hear(reader);
    const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'calhub-change-bus' AND query = $1`, [`LISTEN "${channelOf(schema)}"`]);
    try {
      assert.equal(killed.rowCount, 1, 'the listening connection was found');
      await until('the loss is told', () => heard.filter((c) => c.scope === 'all').length >= 2, 5000);
      const { tenant } = await writer.tenants.create('after');
      await writer.tenant(tenant.id).accounts.upsert({ provider: 'memory', externalId: 'after@example.com', credentials: 'x' });
      await until('a write after the loss is heard', () => heard.some((c) => c.scope === 'tenant' && c.tenantId === tenant.id));
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  });

  it('a listening connection gone silent in a hang (its server dropped it meanwhile) is found, listened anew and told as a change of everything', { timeout: 120_000 }, async () => {
    const schema = `t_bus4_${tag}`;
    const writer = await open(schema);
    await writer.migrate();
    const forward = await tcpForward(new URL(PG).hostname, Number(new URL(PG).port || 5432));
    const through = new URL(PG);
    through.hostname = '127.0.0.1';
    through.port = String(forward.port);
    try {
      const reader = await Store.open({ databaseUrl: through.toString(), schema, shareChanges: true, pgTimeouts: { queryMs: TIMEOUT_MS, connectMs: TIMEOUT_MS } });
      stores.push(reader);
      const heard = await hear(reader);
      const told = heard.length;
      forward.hang();
      // The server ends the listening session (a restart, a failover, its own keepalive); its
      // goodbye is lost on the hung path, so the reader's connection stays open and silent.
      const listening = async () =>
        (await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'calhub-change-bus' AND state = 'idle' AND query = $1`, [`LISTEN "${channelOf(schema)}"`])).rows.map((r) => r.pid);
      const [old, ...more] = await listening();
      assert.ok(old !== undefined && more.length === 0, 'the listening connection was found');
      const before = forward.upstreams;
      await admin.query('SELECT pg_terminate_backend($1, 10000)', [old]); // returns once it has ended
      await until('the forwarder saw the server close it', () => forward.upstreams < before, 10_000);
      const missed = await writer.tenants.create('missed');
      await writer.tenant(missed.tenant.id).accounts.upsert({ provider: 'memory', externalId: 'missed@example.com', credentials: 'x' });
      forward.resume();
      // What was written while it was not listening is unknown to it: it hears a change of everything.
      await until('the silent loss is found and told', () => heard.slice(told).some((c) => c.scope === 'all'), 60_000);
      // Listening anew (a new session on the channel): another process's write is heard again.
      let now: number[] = [];
      await until('it listens anew', () => now.some((pid) => pid !== old), 30_000, async () => void (now = await listening()));
      const { tenant } = await writer.tenants.create('after');
      await writer.tenant(tenant.id).accounts.upsert({ provider: 'memory', externalId: 'after-hang@example.com', credentials: 'x' });
      await until('a write after the hang is heard', () => heard.some((c) => c.scope === 'tenant' && c.tenantId === tenant.id), 60_000);
    } finally {
      forward.resume();
      await forward.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  });
});
