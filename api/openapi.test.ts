import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routesOf } from './route-list.ts';
import { call, json, startTestApi, type TestApi } from './test-support.ts';

type Op = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>; security?: unknown[]; requestBody?: unknown; summary?: string };
type Doc = { openapi: string; paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, unknown> } };

describe('OpenAPI document', () => {
  let api: TestApi;
  let doc: Doc;

  before(async () => {
    api = await startTestApi();
    doc = json<Doc>(await call(api, 'GET', '/openapi.json', { key: null }));
  });
  after(() => api.close());

  // Fastify's `:id` is OpenAPI's `{id}`.
  const served = () => routesOf(api.app).filter((r) => !r.hidden).map((r) => ({ verb: r.method.toLowerCase(), path: r.url.replace(/:(\w+)/g, '{$1}') }));

  it('lists exactly the routes the app serves (conflicts, rules and health included)', () => {
    assert.equal(doc.openapi, '3.1.0');
    const inDoc = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((verb) => `${verb.toUpperCase()} ${p}`)).sort();
    const routes = served().map((r) => `${r.verb.toUpperCase()} ${r.path}`).sort();
    assert.deepEqual(inDoc, routes);
    for (const want of ['GET /v1/conflicts', 'POST /v1/conflicts/{id}/resolve', 'GET /v1/rules', 'POST /v1/rules', 'DELETE /v1/rules/{id}', 'GET /healthz', 'GET /readyz', 'GET /metrics']) {
      assert.ok(routes.includes(want), `${want} is not served`);
    }
  });

  it('every operation has a summary and a schema for its success answer; /v1 ones document auth, errors and bodies', () => {
    for (const { verb, path } of served()) {
      const name = `${verb.toUpperCase()} ${path}`;
      const op = doc.paths[path]![verb]!;
      assert.ok(op.summary, `${name} has no summary`);
      const ok = Object.entries(op.responses ?? {}).filter(([status]) => /^2/.test(status));
      assert.ok(ok.length > 0, `${name} documents no success answer`);
      for (const [status, r] of ok) {
        if (status === '204') continue;
        const schemas = Object.values(r.content ?? {}).map((c) => c.schema);
        assert.ok(schemas.length > 0 && schemas.every(Boolean), `${name} ${status} has no response schema`);
      }
      if (!path.startsWith('/v1/')) continue;
      assert.deepEqual(op.security, [{ apiKey: [] }], `${name} security`);
      for (const status of ['400', '401', '404', '429', '500']) assert.ok(op.responses?.[status], `${name} does not document ${status}`);
      if (verb === 'post' || verb === 'patch') assert.ok(op.requestBody, `${name} has no body schema`);
    }
  });

  it('uses only $refs it defines, and serves a docs page', async () => {
    assert.ok(doc.components.schemas.Error, 'the error schema is a component');
    for (const m of JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)) {
      const name = m[1]!.replace('#/components/schemas/', '');
      assert.ok(doc.components.schemas[name], `dangling $ref ${m[1]}`);
    }
    const page = await call(api, 'GET', '/docs/', { key: null });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /swagger/i);
  });

  it('health answers match their schemas: /metrics stays Prometheus text', async () => {
    const metrics = await call(api, 'GET', '/metrics', { key: null });
    assert.equal(metrics.statusCode, 200);
    assert.match(String(metrics.headers['content-type']), /^text\/plain/);
    assert.match(metrics.body, /^# HELP /m);
    assert.deepEqual(json(await call(api, 'GET', '/healthz', { key: null })), { status: 'ok' });
    assert.deepEqual(json(await call(api, 'GET', '/readyz', { key: null })), { status: 'ready', checks: { store: 'ok' } });
  });
});
