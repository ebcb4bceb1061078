/**
 * What an outside developer met integrating the API: the OpenAPI document and the server agree
 * (path limits, required body fields, Retry-After, webhook.test), rate limits are visible before
 * they are hit, and small answers say what happened (resync of a revoked account, a re-enabled
 * webhook's state, a wrong method on a known path).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_PATH_PARAM_LENGTH } from './schemas.ts';
import { call, json, startTestApi, type TestApi } from './test-support.ts';

type Schema = { type?: unknown; required?: string[]; properties?: Record<string, unknown> };
type Response = { headers?: Record<string, { schema?: { type?: string } }> };
type Op = { parameters?: Array<{ in: string; name: string; schema?: { maxLength?: number } }>; requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> }; responses?: Record<string, Response> };
type Doc = { paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, Schema & { properties?: { type?: { const?: string } } }> } };
type Err = { error: { code: string; message: string } };

describe('API contract', () => {
  let api: TestApi;
  let doc: Doc;
  const ops = () => Object.entries(doc.paths).flatMap(([path, byVerb]) => Object.entries(byVerb).map(([verb, op]) => ({ path, verb, op })));

  before(async () => {
    api = await startTestApi();
    doc = json<Doc>(await call(api, 'GET', '/openapi.json', { key: null }));
  });
  after(() => api.close());

  it('path parameters declare the length the server takes: one longer is 414, one at the limit reaches the route', async () => {
    for (const { path, verb, op } of ops()) {
      for (const p of (op.parameters ?? []).filter((x) => x.in === 'path' && x.name !== 'provider')) {
        // An occurrence key is shorter still (64); none may promise more than the router takes.
        if (p.name === 'key') assert.ok(p.schema!.maxLength! <= MAX_PATH_PARAM_LENGTH, `${verb} ${path} {key}`);
        else assert.equal(p.schema?.maxLength, MAX_PATH_PARAM_LENGTH, `${verb} ${path} {${p.name}}`);
      }
    }
    const over = await call(api, 'GET', `/v1/calendars/${'c'.repeat(MAX_PATH_PARAM_LENGTH + 1)}`);
    assert.equal(over.statusCode, 414);
    assert.equal(json<Err>(over).error.message, `a path parameter is longer than ${MAX_PATH_PARAM_LENGTH} characters`);
    assert.equal((await call(api, 'GET', `/v1/calendars/${'c'.repeat(MAX_PATH_PARAM_LENGTH)}`)).statusCode, 404);
  });

  it('a body the server needs declares its required fields; the event create body requires start and end; a body-less resync is documented optional', async () => {
    for (const { path, verb, op } of ops()) {
      const body = op.requestBody;
      // PATCH bodies name what changes: any one field (minProperties: 1).
      if (!body?.required || (verb !== 'post' && verb !== 'put')) continue;
      const schema = Object.values(body.content ?? {})[0]?.schema;
      assert.ok(schema?.required?.length, `${verb} ${path}: a required body with no required field (send it empty: does the server take it?)`);
    }
    const create = doc.paths['/v1/calendars/{id}/events']!.post!.requestBody!.content!['application/json']!.schema!;
    assert.deepEqual(create.required, ['start', 'end']);
    const r = await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body: { title: 'no times' } });
    assert.equal(r.statusCode, 400);
    assert.equal(doc.paths['/v1/accounts/{id}/resync']!.post!.requestBody!.required, false);
  });

  it('429 declares Retry-After and the rate-limit fields; every /v1 operation declares 503 with Retry-After', () => {
    for (const { path, verb, op } of ops()) {
      if (!path.startsWith('/v1/')) continue;
      const name = `${verb} ${path}`;
      assert.ok(op.responses?.['429']?.headers?.['Retry-After'], `${name} 429 Retry-After`);
      assert.ok(op.responses?.['503']?.headers?.['Retry-After'], `${name} 503 Retry-After`);
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        if (!/^2/.test(status) && status !== '429') continue;
        for (const h of ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy']) assert.ok(r.headers?.[h], `${name} ${status} ${h}`);
      }
    }
  });

  it('webhook.test has a payload schema', () => {
    const test = doc.components.schemas.Webhook_webhook_test;
    assert.ok(test, 'Webhook_webhook_test');
    assert.equal(JSON.stringify(test.properties?.type).includes('"webhook.test"'), true);
    assert.deepEqual((test.properties as { data?: Schema }).data?.required, ['tenantId', 'endpointId']);
  });

  it('answers carry RateLimit-* from the same count that decides 429', async () => {
    const limited = await startTestApi({ rateLimit: { perSecond: 1, burst: 3 } });
    try {
      const seen: Array<[number, string | undefined]> = [];
      for (let i = 0; i < 4; i++) {
        const r = await call(limited, 'GET', '/v1/accounts', { key: limited.a.key });
        seen.push([r.statusCode, r.headers['ratelimit-remaining'] as string | undefined]);
        assert.equal(r.headers['ratelimit-limit'], '3');
        assert.equal(r.headers['ratelimit-policy'], '3;w=3');
        assert.ok(Number(r.headers['ratelimit-reset']) >= 1);
      }
      assert.deepEqual(seen, [[200, '2'], [200, '1'], [200, '0'], [429, '0']]);
      assert.equal((await call(limited, 'GET', '/healthz', { key: null })).headers['ratelimit-limit'], undefined, 'only /v1 answers');
    } finally {
      await limited.close();
    }
  });

  it('resync of an account whose grant was revoked is 409 ACCOUNT_NEEDS_REAUTH naming how to reconnect; nothing queued', async () => {
    await api.store.db.query(`UPDATE accounts SET status = 'needs_reauth', status_reason = 'invalid_grant' WHERE id = $1`, [api.a.accountId]);
    try {
      const r = await call(api, 'POST', `/v1/accounts/${api.a.accountId}/resync`);
      assert.equal(r.statusCode, 409, r.body);
      assert.equal(json<Err>(r).error.code, 'ACCOUNT_NEEDS_REAUTH');
      assert.match(json<Err>(r).error.message, /POST \/v1\/connect\/sessions/);
      assert.match(json<Err>(r).error.message, new RegExp(api.a.accountId));
    } finally {
      await api.store.db.query(`UPDATE accounts SET status = 'active', status_reason = NULL WHERE id = $1`, [api.a.accountId]);
    }
  });

  it('PATCH enabled=true of a failing endpoint answers its state after the change', async () => {
    const made = await call(api, 'POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/contract', events: ['event.created'] } });
    const id = json<{ id: string }>(made).id;
    await api.store.db.query(`UPDATE webhook_endpoints SET failures = 2, failing_since = now(), retry_at = now() + interval '1 hour' WHERE id = $1`, [id]);
    assert.equal(json<{ health: { state: string } }>(await call(api, 'GET', `/v1/webhooks/${id}`)).health.state, 'failing');
    const r = await call(api, 'PATCH', `/v1/webhooks/${id}`, { body: { enabled: true } });
    assert.equal(r.statusCode, 200, r.body);
    const health = json<{ health: { state: string; failingSince: string | null; nextRetryAt: string | null } }>(r).health;
    assert.deepEqual([health.state, health.failingSince, health.nextRetryAt], ['healthy', null, null]);
    assert.equal(json<{ health: { state: string } }>(await call(api, 'GET', `/v1/webhooks/${id}`)).health.state, 'healthy');
  });

  it('a wrong method on a served path is 405 METHOD_NOT_ALLOWED with Allow; an unknown path stays 404; without a key still 401', async () => {
    const r = await call(api, 'DELETE', '/v1/calendars');
    assert.equal(r.statusCode, 405, r.body);
    assert.equal(json<Err>(r).error.code, 'METHOD_NOT_ALLOWED');
    assert.equal(r.headers.allow, 'GET, HEAD');
    const ev = await call(api, 'PUT', '/v1/events/evt_x/occurrences/2026-11-10T09:00:00Z');
    assert.equal(ev.statusCode, 405);
    assert.equal(ev.headers.allow, 'DELETE, GET, HEAD, PATCH');
    assert.equal((await call(api, 'DELETE', '/v1/nothing-here')).statusCode, 404);
    assert.equal((await call(api, 'DELETE', '/v1/calendars', { key: null })).statusCode, 401);
  });
});
