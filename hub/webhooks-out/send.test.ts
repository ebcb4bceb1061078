/**
 * A failed attempt keeps what the answer was, never what it said: its status, media type and size;
 * a redirect's target without its query. A receiver's answer can echo what it was sent or carry
 * its own secrets.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { MAX_RESPONSE_BYTES, sendWebhook } from './send.ts';

describe('sendWebhook: failed answers without their text', () => {
  let server: http.Server;
  let base: string;

  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/json') res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end('{"token":"sk_live_SECRET"}');
        else if (req.url === '/empty') res.writeHead(502).end();
        else if (req.url === '/big') {
          // Chunked, no length: only its first 4 KB are read.
          res.writeHead(500, { 'content-type': 'text/html' });
          res.end(`<pre>password=SECRET ${'x'.repeat(3 * MAX_RESPONSE_BYTES)}</pre>`);
        } else if (req.url === '/moved') res.writeHead(302, { location: 'https://login.example.com/cb?code=SECRET#frag' }).end('go there: SECRET');
        else res.writeHead(401, { 'content-type': 'text/plain;secret=SECRET' }).end('no SECRET');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const send = (path: string) => sendWebhook(`${base}${path}`, {}, '{"x":1}', { allowPrivateNetworks: true });

  it('keeps the status, the media type and the size', async () => {
    const json = await send('/json');
    assert.deepEqual([json.ok, json.status, json.error], [false, 500, `HTTP 500: application/json, ${'{"token":"sk_live_SECRET"}'.length} bytes`]);
    assert.equal((await send('/empty')).error, 'HTTP 502');
    assert.equal((await send('/big')).error, `HTTP 500: text/html, ${MAX_RESPONSE_BYTES} or more bytes`);
    assert.equal((await send('/other')).error, `HTTP 401: text/plain, ${'no SECRET'.length} bytes`);
  });

  it('a redirect names where it pointed without query or fragment', async () => {
    assert.equal((await send('/moved')).error, 'redirect (HTTP 302) to https://login.example.com/cb not followed');
  });

  it('never the text', async () => {
    for (const p of ['/json', '/empty', '/big', '/moved', '/other']) assert.doesNotMatch(JSON.stringify(await send(p)), /SECRET/, p);
  });
});
