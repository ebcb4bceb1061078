/** Mirror rules over HTTP: working hours that match nothing are refused. */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import { memoryEnv, type MemoryEnv } from '../sync-engine/test-support/memory-env.ts';
import { openHub } from '../hub/index.ts';
import { buildApp } from './app.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

async function start() {
  env = await memoryEnv({ calendars: 2 });
  const apiKey = await env.store.tenants.createApiKey(env.tenantId);
  const app = await buildApp({ hub: await openHub({ store: env.store, connect: env.deps.connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) }), probes: [] });
  const call = (method: 'GET' | 'POST', url: string, payload?: unknown) => app.inject({ method, url, headers: { authorization: `Bearer ${apiKey}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { app, call, a: env.calendars[0]!, b: env.calendars[1]! };
}

test('working hours that match nothing are refused with 400 WORKING_HOURS_INVALID', async () => {
  const { call, a, b } = await start();
  const rule = (start: string, end: string) => call('POST', '/v1/rules', { sourceCalendarId: a, targetCalendarId: b, mode: 'busy-block', filters: { workingHours: { timeZone: 'Europe/Berlin', start, end } } });
  for (const [start, end, why] of [['09:00', '09:00', /start and end are both 09:00/], ['22:00', '06:00', /end 06:00 is before start 22:00/]] as const) {
    const r = await rule(start, end);
    assert.equal(r.statusCode, 400, r.body);
    const err = (r.json() as { error: { code: string; message: string } }).error;
    assert.equal(err.code, 'WORKING_HOURS_INVALID');
    assert.match(err.message, /^filters\.workingHours: /);
    assert.match(err.message, why);
  }
  assert.equal(((await call('GET', '/v1/rules')).json() as { items: unknown[] }).items.length, 0, 'no rule was made');
  const fine = await rule('09:00', '17:00');
  assert.equal(fine.statusCode, 201, fine.body);
});
