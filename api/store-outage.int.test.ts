/**
 * A PostgreSQL outage as the API sees it: every request answered 500 STORE_FAILED and logged a
 * stack at level 50, every readiness probe a warning. Now it is 503 STORE_UNAVAILABLE with
 * Retry-After, and the process logs one "store unreachable" and one "store reachable again".
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storeOutage } from '../shared/outage-log.ts';
import { tcpForward, type TcpForward } from '../test/support/tcp-forward.ts';
import { loadApiConfig } from '../shared/config/index.ts';
import { call, json, PG_ENV, startTestApi, type TestApi } from './test-support.ts';

const PG = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');

describe('the API during a store outage', () => {
  let api: TestApi;
  let forward: TcpForward;
  const saved = process.env[PG_ENV];
  before(async () => {
    forward = await tcpForward(PG.hostname, Number(PG.port || 5432));
    const u = new URL(PG);
    u.hostname = '127.0.0.1';
    u.port = String(forward.port);
    process.env[PG_ENV] = u.toString();
    api = await startTestApi({ config: loadApiConfig({ API_STORE_RETRY_AFTER_S: '7' }) });
  });
  after(async () => {
    await forward?.restore();
    await api?.close();
    await forward?.close();
    if (saved === undefined) delete process.env[PG_ENV];
    else process.env[PG_ENV] = saved;
  });

  it('answers 503 STORE_UNAVAILABLE with Retry-After, logs the outage once and its end with how long', async () => {
    assert.equal((await call(api, 'GET', '/v1/accounts', { key: api.a.key })).statusCode, 200);
    const before = api.logs.length;
    await forward.cut();
    for (let i = 0; i < 5; i++) {
      const r = await call(api, 'GET', '/v1/accounts', { key: api.a.key });
      assert.equal(r.statusCode, 503, r.body);
      assert.equal(json<{ error: { code: string } }>(r).error.code, 'STORE_UNAVAILABLE');
      assert.equal(r.headers['retry-after'], '7', 'API_STORE_RETRY_AFTER_S');
      await call(api, 'GET', '/readyz');
    }
    assert.equal(storeOutage.down, true);
    const metrics = (await call(api, 'GET', '/metrics')).body;
    assert.match(metrics, /^calhub_dependency_up\{dependency="store"\} 0$/m);
    assert.match(metrics, /^calhub_http_requests_total\{method="GET",route="\/v1\/accounts",status="503"\} 5$/m);
    await forward.restore();
    assert.equal((await call(api, 'GET', '/v1/accounts', { key: api.a.key })).statusCode, 200);
    assert.equal(storeOutage.down, false);
    assert.match((await call(api, 'GET', '/metrics')).body, /^calhub_dependency_up\{dependency="store"\} 1$/m);
    const lines = api.logs.slice(before).map((l) => JSON.parse(l) as { level: number; msg: string; downForS?: number; err?: unknown });
    assert.deepEqual(lines.map((l) => l.msg).filter((m) => /store|readiness/.test(m)), ['store unreachable', 'store reachable again'], JSON.stringify(lines));
    assert.equal(typeof lines.find((l) => l.msg === 'store reachable again')?.downForS, 'number');
    assert.ok(!lines.some((l) => l.err), 'no stack while the outage is known');
  });
});
