import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outageLog, QUIET_MS } from './outage-log.ts';

// A 70 s Redis outage wrote ~330 stack traces per worker (an error every ~200 ms).
test('a 70 s outage is one line down, one "still unreachable", one line back', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const lines: string[] = [];
  const log = { error: (_: object, m: string) => lines.push(m), info: (_: object, m: string) => lines.push(m) };
  const onError = outageLog(log, 'worker');
  for (let ms = 0; ms < 70_000; ms += 200) {
    onError(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    t.mock.timers.tick(200);
  }
  t.mock.timers.tick(QUIET_MS);
  assert.deepEqual(lines, ['worker: Redis unreachable', 'worker: Redis still unreachable', 'worker: Redis reachable again']);
  onError(new Error('again'));
  assert.equal(lines.at(-1), 'worker: Redis unreachable', 'the next outage is told again');
});
