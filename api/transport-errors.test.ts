/**
 * The OpenAPI document names the answers the server gives before a handler runs: 431 for headers
 * (or a URL) too large on every operation, 414 for a path parameter too long where there is one,
 * 415 for a body that is not JSON where the method takes one. Each is checked against what a
 * server listening on loopback really answers, so the document cannot drift from it.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { routesOf } from './route-list.ts';
import { call, json, startTestApi, type TestApi } from './test-support.ts';

type Doc = { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>> };

describe('414, 415 and 431 in the OpenAPI document', () => {
  let api: TestApi;
  let doc: Doc;
  let port = 0;

  before(async () => {
    api = await startTestApi();
    doc = json<Doc>(await call(api, 'GET', '/openapi.json', { key: null }));
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    port = (api.app.server.address() as { port: number }).port;
  });
  after(() => api.close());

  /** Over a real socket: 431 comes from Node's HTTP parser, which app.inject() never runs. */
  const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    new Promise<{ status: number; code: string }>((resolve, reject) => {
      const lengths = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
      const req = request({ host: '127.0.0.1', port, method, path, headers: { authorization: `Bearer ${api.a.key}`, ...lengths, ...headers } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, code: (JSON.parse(text) as { error: { code: string } }).error.code }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('each operation documents the ones it can get, with the error schema', () => {
    const served = routesOf(api.app).filter((r) => !r.hidden);
    assert.ok(served.length > 40);
    for (const r of served) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      const verb = r.method.toLowerCase();
      const responses = doc.paths[path]![verb]!.responses ?? {};
      const want = ['431', ...(path.includes('{') ? ['414'] : []), ...(['post', 'put', 'patch', 'delete'].includes(verb) ? ['415'] : [])];
      for (const status of want) {
        const schema = responses[status]?.content?.['application/json']?.schema;
        assert.equal(schema?.$ref, '#/components/schemas/Error', `${verb.toUpperCase()} ${path} does not document ${status}`);
      }
    }
  });

  it('the server gives them as documented', async () => {
    assert.deepEqual(await send('GET', `/v1/calendars/${'x'.repeat(101)}`), { status: 414, code: 'URI_TOO_LONG' });
    assert.deepEqual(await send('GET', `/v1/calendars?q=${'x'.repeat(20_000)}`), { status: 431, code: 'HEADERS_TOO_LARGE' }, 'a URL over the limit');
    assert.deepEqual(await send('GET', '/healthz', { 'x-padding': 'y'.repeat(20_000) }), { status: 431, code: 'HEADERS_TOO_LARGE' });
    assert.deepEqual(await send('POST', '/v1/freebusy', { 'content-type': 'text/plain' }, 'busy?'), { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    assert.deepEqual(await send('DELETE', '/v1/rules/rule_x', { 'content-type': 'text/plain' }, 'x'), { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });
});
