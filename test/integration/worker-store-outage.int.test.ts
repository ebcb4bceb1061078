/**
 * A worker's loops (webhook compose and sweep, maintenance ticks, the channel supervisor, the sync
 * and maintenance queue workers) against a real PostgreSQL outage: the connection cut by a TCP
 * forwarder while they run. The process logs the outage once and its end once, and none of the
 * loops adds a line of its own per tick (unit tests pinned each loop; this runs them all for real).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { openHub, type Hub } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { tcpForward, type TcpForward } from '../support/tcp-forward.ts';

const PG = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SCHEMA = `t_wso_${process.pid}_${randomBytes(3).toString('hex')}`;

describe('the worker loops during a store outage', () => {
  let forward: TcpForward;
  let store: Store;
  let hub: Hub;
  let dataDir: string;
  const logs: string[] = [];
  before(async () => {
    forward = await tcpForward(PG.hostname, Number(PG.port || 5432));
    const u = new URL(PG);
    u.hostname = '127.0.0.1';
    u.port = String(forward.port);
    store = await Store.open({ databaseUrl: u.toString(), schema: SCHEMA });
    await store.migrate();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'calhub-wso-'));
    // The shortest poll interval makes the maintenance tick (the channel supervisor's sweep among its
    // steps) every 2.5 s instead of every 60 s: with the default it never ticked during the outage.
    const config = loadConfig({ REDIS_URL: REDIS, REDIS_PREFIX: `{calhub-test-${randomBytes(4).toString('hex')}}`, CALHUB_DATA_DIR: dataDir, LOG_LEVEL: 'info', SYNC_POLL_INTERVAL_MS: '5000' });
    const destination = new Writable({ write: (chunk, _enc, cb) => (logs.push(String(chunk)), cb()) });
    hub = await openHub({ config, store, logger: createLogger({ level: 'info', destination }), keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`), queue: 'required', redisAnswerWithinMs: 10_000 });
    await hub.startWorkers();
  });
  after(async () => {
    await forward?.restore();
    await hub?.close();
    await store?.db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await store?.close();
    await forward?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs one store unreachable and one reachable again, and nothing per tick', async () => {
    await new Promise((r) => setTimeout(r, 2000)); // the loops run a few rounds against a working store
    const from = logs.length;
    await forward.cut();
    // Long enough for every loop to fail a few rounds: the sweep (~10/s), the maintenance tick (2.5 s), the supervisor.
    await new Promise((r) => setTimeout(r, 6_000));
    await forward.restore();
    const parse = () => logs.slice(from).map((l) => JSON.parse(l) as { level: number; msg: string; err?: unknown });
    for (const until = Date.now() + 30_000; !parse().some((l) => l.msg === 'store reachable again'); ) {
      assert.ok(Date.now() < until, `the store outage never ended in the log: ${JSON.stringify(parse().map((l) => l.msg))}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 1000));
    const lines = parse();
    assert.deepEqual(lines.filter((l) => /store/.test(l.msg)).map((l) => l.msg), ['store unreachable', 'store reachable again'], JSON.stringify(lines.map((l) => l.msg)));
    const loud = lines.filter((l) => l.level >= 40 && l.msg !== 'store unreachable');
    assert.deepEqual(loud.map((l) => l.msg), [], 'no warning or error of a loop\'s own during the outage');
  });
});
