/**
 * The driver in front of a hung PostgreSQL (a forwarder that stops forwarding): a query, a
 * transaction's statement and a wait for a connection each end within their deadline as
 * STORE_UNAVAILABLE, and a transaction whose statement timed out is not held up again by a
 * ROLLBACK queued behind the unanswered statement (the client is dropped instead). Once a
 * deadline has passed, queries fail at once until the driver's own check is answered.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { isStoreUnreachable } from '../outage-log.ts';
import { tcpForward, type TcpForward } from '../../test/support/tcp-forward.ts';
import type { Db } from './db.ts';
import { openPg } from './pg-driver.ts';

const PG = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const TIMEOUT_MS = 3000;

describe('the PostgreSQL driver against a hung server', { timeout: 120_000 }, () => {
  const schema = `t_pghung_${process.pid}_${randomBytes(3).toString('hex')}`;
  let forward: TcpForward;
  let db: Db;
  before(async () => {
    forward = await tcpForward(PG.hostname, Number(PG.port || 5432));
    const u = new URL(PG);
    u.hostname = '127.0.0.1';
    u.port = String(forward.port);
    db = await openPg({ connectionString: u.toString(), schema, max: 2, queryTimeoutMs: TIMEOUT_MS, connectTimeoutMs: TIMEOUT_MS });
  });
  after(async () => {
    forward?.resume();
    await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db?.close();
    await forward?.close();
  });

  const timed = async (what: string, p: Promise<unknown>) => {
    const t0 = Date.now();
    const e = await p.then(
      () => assert.fail(`${what} answered while the server hung`),
      (x: unknown) => x,
    );
    assert.ok(isStoreUnreachable(e), `${what}: ${String(e)}`);
    return Date.now() - t0;
  };

  /** Once the server answers again, so does the driver, with no restart. */
  const answered = async () => {
    const until = Date.now() + 30_000;
    for (;;) {
      const r = await db.query('SELECT 1 AS one').catch((e: unknown) => e);
      if (Array.isArray(r)) {
        assert.deepEqual(r, [{ one: 1 }]);
        return;
      }
      assert.ok(Date.now() < until, `not back: ${String(r)}`);
      await new Promise((res) => setTimeout(res, 200));
    }
  };

  it('ends each wait within its deadline as the store being unreachable, and works again once the server answers', async () => {
    assert.deepEqual(await db.query('SELECT 1 AS one'), [{ one: 1 }]);
    forward.hang();
    const queryMs = await timed('a query', db.query('SELECT 1'));
    assert.ok(queryMs >= TIMEOUT_MS - 100 && queryMs < TIMEOUT_MS + 1500, `a query failed after ${queryMs} ms`);
    // Known hung now: the next query is not sent, it fails at once, until the driver's check is answered.
    const knownMs = await timed('a query after the timeout', db.query('SELECT 1'));
    assert.ok(knownMs < TIMEOUT_MS / 2, `a query while the server is known hung failed after ${knownMs} ms`);
    forward.resume();
    await answered();
    // Started before the hang's statement: BEGIN went through. Its statement times out once, no ROLLBACK wait after it.
    const txMs = await timed(
      'a transaction',
      db.transaction(async (tx) => {
        forward.hang();
        await tx.query('SELECT 1');
      }),
    );
    assert.ok(txMs < TIMEOUT_MS + 1500, `a transaction failed after ${txMs} ms (a ROLLBACK behind the unanswered statement doubles it)`);
    // More at once than the pool's clients (2): the ones left waiting for a client have a deadline too.
    const many = await Promise.all(Array.from({ length: 5 }, (_, i) => timed(`query ${i}`, db.query('SELECT 1'))));
    for (const ms of many) assert.ok(ms < 2 * TIMEOUT_MS + 3000, `a waiting query failed after ${ms} ms`);
    forward.resume();
    await answered();
    assert.deepEqual(await db.transaction((tx) => tx.query('SELECT 2 AS two')), [{ two: 2 }]);
  });
});
