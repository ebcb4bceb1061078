import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { CHECK_EVERY_MS, DependencyOutage, isConnectionError, lostJobId, outageLog, quietInStoreOutage, QUIET_MS, RedisOutage, STORE_UNAVAILABLE } from './outage-log.ts';

function recorder() {
  const lines: string[] = [];
  return { lines, log: { error: (_: object, m: string) => lines.push(m), warn: (_: object, m: string) => lines.push(`warn ${m}`), info: (_: object, m: string) => lines.push(m) } };
}

// A 70 s Redis outage wrote ~330 stack traces per worker (an error every ~200 ms).
test('a 70 s outage is one line down, one "still unreachable", one line back', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const { lines, log } = recorder();
  const onError = outageLog(log, 'worker', undefined, new RedisOutage());
  for (let ms = 0; ms < 70_000; ms += 200) {
    onError(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    t.mock.timers.tick(200);
  }
  t.mock.timers.tick(QUIET_MS);
  assert.deepEqual(lines, ['Redis unreachable', 'Redis still unreachable', 'Redis reachable again']);
  onError(new Error('Connection is closed.'));
  assert.equal(lines.at(-1), 'Redis unreachable', 'the next outage is told again');
});

test('an error that is not a lost connection is logged as itself, once a minute per message', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const { lines, log } = recorder();
  const outage = new RedisOutage();
  const onError = outageLog(log, 'sync worker', undefined, outage);
  for (let i = 0; i < 50; i++) {
    onError(new Error('ERR Error running script: @user_script:12: attempt to compare nil with number'));
    onError(new Error("OOM command not allowed when used memory > 'maxmemory'."));
    t.mock.timers.tick(1000);
  }
  assert.equal(outage.down, false, 'not an outage');
  assert.deepEqual(lines, [
    'sync worker: ERR Error running script: @user_script:12: attempt to compare nil with number',
    "sync worker: OOM command not allowed when used memory > 'maxmemory'.",
  ]);
  t.mock.timers.tick(11_000);
  onError(new Error("OOM command not allowed when used memory > 'maxmemory'."));
  assert.equal(lines.length, 3, 'told again after a minute');
});

test('with a ready event, the outage ends when the connection is ready, not after 10 s of quiet', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const { lines, log } = recorder();
  const connection = new EventEmitter();
  const onError = outageLog(log, 'worker', connection, new RedisOutage());
  connection.emit('ready'); // the first connect is no recovery
  onError(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
  t.mock.timers.tick(QUIET_MS * 3); // reconnect attempts backing off: quiet, yet still down
  assert.deepEqual(lines, ['Redis unreachable']);
  connection.emit('ready');
  assert.deepEqual(lines, ['Redis unreachable', 'Redis reachable again']);
});

test('workers of one process share one outage: one line each way, not one per worker', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const { lines, log } = recorder();
  const outage = new RedisOutage();
  const conns = [new EventEmitter(), new EventEmitter(), new EventEmitter()];
  const handlers = ['sync worker', 'maintenance worker', 'webhook worker'].map((w, i) => outageLog(log, w, conns[i], outage));
  for (const h of handlers) h(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
  for (const c of conns) c.emit('ready');
  assert.deepEqual(lines, ['Redis unreachable', 'Redis reachable again']);
});

test('connection errors are told from the rest', () => {
  class MaxRetriesPerRequestError extends Error {}
  assert.ok(isConnectionError(new MaxRetriesPerRequestError('Reached the max retries per request limit (which is 20).')));
  assert.ok(isConnectionError(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' })));
  assert.ok(isConnectionError(new Error('Connection is closed.')));
  assert.ok(!isConnectionError(new Error('ERR Error running script')));
  assert.ok(!isConnectionError(new Error('Missing lock for job 12. moveToFinished')));
});

// A 2-minute PostgreSQL outage: the worker's webhook compose loop wrote ~10 lines a second.
test('a store outage is one line down, one a minute, one back; loops stay quiet, a query error is still heard', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const { lines, log } = recorder();
  const outage = new DependencyOutage('store');
  outage.useLog(log);
  const refused = Object.assign(new Error('database query failed: connection refused at 127.0.0.1:5432'), { code: STORE_UNAVAILABLE });
  for (let ms = 0; ms < 120_000; ms += 100) {
    outage.report(undefined, 'store', refused, true); // the driver, on the failed query
    assert.equal(quietInStoreOutage(new Error('compose', { cause: refused }), 'webhook compose', outage), true);
    t.mock.timers.tick(100);
  }
  outage.back(); // a query went through
  assert.deepEqual(lines, ['store unreachable', 'store still unreachable', 'store reachable again']);
  assert.equal(quietInStoreOutage(Object.assign(new Error('database query failed'), { code: 'STORE_FAILED' }), 'webhook compose', outage), false);
});

// After Redis came back empty, every running job said "could not renew lock" and then "Missing key
// … moveToFinished" as errors; operators went looking for lost pushes the store still held.
test('a job Redis lost is one warning a minute that says nothing is lost, not an error per job', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const { lines, log } = recorder();
  const onError = outageLog(log, 'sync worker', undefined, new RedisOutage());
  onError(new Error('could not renew lock for job 60'));
  onError(new Error('Missing key for job 60. moveToFinished'));
  onError(new Error('Missing lock for job 61. moveToDelayed'));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^warn sync worker: Redis no longer holds job 60 \(expected after Redis restarted without its data/);
  assert.match(lines[0]!, /nothing is lost/);
  t.mock.timers.tick(61_000);
  onError(new Error('Missing key for job 62. moveToFinished'));
  assert.match(lines[1]!, /^warn sync worker: Redis no longer holds job 62 /);
  assert.deepEqual([lostJobId(new Error('Missing key for job 601. moveToFinished')), lostJobId(new Error('could not renew lock for job abc:1')), lostJobId(new Error('Missing key for hash'))], ['601', 'abc:1', null]);
});

// Each request while PostgreSQL hung waited the whole query timeout (30 s) for its own 503.
test('hung: callers know at once; one check at a time, a pause apart, ends it when answered', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const { lines, log } = recorder();
  const outage = new DependencyOutage('store');
  outage.useLog(log);
  let calls = 0;
  let answer: { resolve: () => void; reject: (e: Error) => void } | null = null;
  const check = () => {
    calls += 1;
    return new Promise<void>((resolve, reject) => (answer = { resolve, reject }));
  };
  const settled = () => new Promise((r) => setImmediate(r));
  outage.unanswered('store', new Error('Query read timeout'), check);
  assert.equal(outage.hung, true);
  assert.equal(outage.down, true);
  t.mock.timers.tick(0);
  assert.equal(calls, 1, 'checked at once');
  // More timeouts meanwhile (requests already waiting): still one check in flight.
  outage.unanswered('store', new Error('Query read timeout'), check);
  t.mock.timers.tick(CHECK_EVERY_MS * 5);
  assert.equal(calls, 1, 'one check at a time');
  answer!.reject(new Error('timeout expired'));
  await settled();
  assert.equal(outage.hung, true, 'a failed check ends nothing');
  t.mock.timers.tick(CHECK_EVERY_MS - 1);
  assert.equal(calls, 1, 'a pause after a failed check');
  t.mock.timers.tick(1);
  assert.equal(calls, 2);
  answer!.resolve();
  await settled();
  assert.equal(outage.hung, false);
  assert.equal(outage.down, false);
  assert.deepEqual(lines, ['store unreachable', 'store reachable again']);
  t.mock.timers.tick(CHECK_EVERY_MS * 5);
  assert.equal(calls, 2, 'no checks once it answers');
});

test('hung: a query answered elsewhere ends it too; a withdrawn check is not run again', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const outage = new DependencyOutage('store');
  let calls = 0;
  const check = () => {
    calls += 1;
    return Promise.reject(new Error('timeout expired'));
  };
  outage.unanswered('store', new Error('Query read timeout'), check);
  outage.back();
  assert.equal(outage.hung, false);
  t.mock.timers.tick(CHECK_EVERY_MS * 3);
  assert.equal(calls, 0);
  outage.unanswered('store', new Error('Query read timeout'), check);
  t.mock.timers.tick(0);
  await new Promise((r) => setImmediate(r));
  assert.equal(calls, 1);
  outage.withdraw(check); // its pool closed
  assert.equal(outage.hung, false);
  t.mock.timers.tick(CHECK_EVERY_MS * 3);
  assert.equal(calls, 1);
  // A refusal or a loop re-telling the error is not a hang.
  outage.report(undefined, 'api', new Error('connection refused'), true);
  assert.equal(outage.hung, false);
});
