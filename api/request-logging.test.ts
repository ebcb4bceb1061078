/** API_LOG_REQUESTS switches Fastify's per-request lines, and building the API warns of nothing deprecated. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../shared/config/index.ts';
import { startTestApi } from './test-support.ts';

// Registered before any app is built: Fastify emits each deprecation once per process, on the first build.
const warnings: Error[] = [];
process.on('warning', (w) => warnings.push(w));

async function requestLines(env: Record<string, string>): Promise<string[]> {
  const api = await startTestApi({ config: loadConfig(env).api });
  try {
    const r = await api.app.inject({ method: 'GET', url: '/v1/calendars', headers: { authorization: `Bearer ${api.a.key}` } });
    assert.equal(r.statusCode, 200, r.body);
    return api.logs.filter((l) => /"msg":"(incoming request|request completed)"/.test(l));
  } finally {
    await api.close();
  }
}

test('request lines are logged only with API_LOG_REQUESTS=true', async () => {
  assert.deepEqual(await requestLines({}), []);
  const lines = await requestLines({ API_LOG_REQUESTS: 'true' });
  assert.equal(lines.length, 2, lines.join(''));
  assert.match(lines[1]!, /"statusCode":200/);
  assert.doesNotMatch(lines.join(''), /Bearer/, 'the API key is not logged');
});

test('building the API emits no deprecation warning', async () => {
  await requestLines({});
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(warnings.map((w) => `${(w as { code?: string }).code}: ${w.message}`), []);
});
