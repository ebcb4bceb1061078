/** Issue 18: body limits before reading, replay by message number, per-channel rate, and every error in the documented shape. */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/index.ts';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import { Store } from '../shared/store/index.ts';
import { hashSecret } from '../shared/channel-secret.ts';
import { openHub } from '../hub/index.ts';
import { webhookRoutes } from './index.ts';

/** Writes raw bytes and returns the first response (status and body) or "timeout". */
function rawHttp(port: number, head: string, body = '', ms = 3000): Promise<{ status: number; body: string } | 'timeout'> {
  return new Promise((resolve) => {
    let out = '';
    const s = net.connect(port, '127.0.0.1', () => s.write(head + body));
    const done = () => {
      clearTimeout(timer);
      s.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(out);
      const i = out.indexOf('\r\n\r\n');
      resolve(m ? { status: Number(m[1]), body: out.slice(i + 4) } : 'timeout');
    };
    const timer = setTimeout(done, ms);
    s.on('data', (d) => {
      out += d;
      const len = /content-length: (\d+)/i.exec(out);
      const i = out.indexOf('\r\n\r\n');
      if (i >= 0 && len && out.length - i - 4 >= Number(len[1])) done();
    });
    s.on('error', () => undefined);
    s.on('close', done);
  });
}

const shape = (r: { status: number; body: string } | 'timeout', status: number, code: string) => {
  assert.notEqual(r, 'timeout', `no answer (expected ${status})`);
  if (r === 'timeout') return;
  assert.equal(r.status, status, r.body);
  const b = JSON.parse(r.body) as { error?: { code?: string; message?: string } };
  assert.equal(b.error?.code, code, r.body);
  assert.equal(typeof b.error?.message, 'string');
};

describe('webhook and API hardening', () => {
  let store: Store;
  let app: FastifyInstance;
  let port = 0;
  let key = '';
  const pulls: string[] = [];
  const calIds: string[] = [];

  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    const { tenant, apiKey } = await store.tenants.create('hooks');
    key = apiKey;
    const t = store.tenant(tenant.id);
    const acc = await t.accounts.upsert({ provider: 'google', externalId: 'x@example.test' });
    const cals = await t.calendars.upsertMany(acc.id, ['a', 'b', 'c'].map((id) => ({ providerCalendarId: id, name: id, timeZone: 'UTC', color: null, readOnly: false })));
    await t.channels.trackAccount(acc.id, new Date());
    for (const [i, c] of cals.entries()) {
      calIds.push(c.id);
      await t.channels.saveActive(c.id, { channelId: `ch-${i}`, resourceId: null, secretHash: hashSecret(`tok-${i}`), address: 'https://hub.example/webhooks/google', expiresAt: new Date(Date.now() + 3_600_000), nextCheckAt: new Date(Date.now() + 3_000_000) });
    }
    const hub = await openHub({ store, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
    const webhooks = { store, requestPull: async (_t: string, c: string) => void pulls.push(c), channelRate: { perSecond: 1, burst: 5 } };
    app = await buildApp({ hub, probes: [], plugins: [async (a) => void (await a.register(webhookRoutes, webhooks))] });
    port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port);
  });
  after(async () => {
    await app?.close();
    await store?.close();
  });

  const google = (channel: string, token: string, n: number, extra = '') =>
    `POST /webhooks/google HTTP/1.1\r\nHost: x\r\nX-Goog-Channel-Id: ${channel}\r\nX-Goog-Channel-Token: ${token}\r\nX-Goog-Resource-State: exists\r\nX-Goog-Message-Number: ${n}\r\n${extra}`;

  it('a huge body is answered 413 at once, without reading it', async () => {
    for (const size of [10 * 1024 * 1024, 200 * 1024 * 1024]) {
      const r = await rawHttp(port, `${google('ch-0', 'tok-0', 1)}Content-Type: application/octet-stream\r\nContent-Length: ${size}\r\n\r\n`, 'x'.repeat(1024));
      shape(r, 413, 'WEBHOOK_INVALID_REQUEST');
    }
    // Streamed without a length: refused once past the limit.
    const chunk = `1000\r\n${'y'.repeat(4096)}\r\n`;
    shape(await rawHttp(port, `${google('ch-0', 'tok-0', 1)}Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n`, chunk.repeat(4)), 413, 'WEBHOOK_INVALID_REQUEST');
    const graph = await rawHttp(port, `POST /webhooks/microsoft HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`, '{"value":[');
    shape(graph, 413, 'WEBHOOK_INVALID_REQUEST');
    assert.deepEqual(pulls, []);
  });

  const status = async (p: Promise<{ status: number; body: string } | 'timeout'>) => {
    const r = await p;
    return r === 'timeout' ? 0 : r.status;
  };

  it('a replayed Google notification (same or lower message number) is refused; numbers may skip', async () => {
    const before = pulls.length;
    assert.equal(await status(rawHttp(port, `${google('ch-1', 'tok-1', 10)}\r\n`)), 200);
    shape(await rawHttp(port, `${google('ch-1', 'tok-1', 10)}\r\n`), 409, 'WEBHOOK_REPLAYED');
    shape(await rawHttp(port, `${google('ch-1', 'tok-1', 7)}\r\n`), 409, 'WEBHOOK_REPLAYED');
    assert.equal(await status(rawHttp(port, `${google('ch-1', 'tok-1', 23)}\r\n`)), 200, 'not sequential, but higher');
    assert.equal(pulls.length - before, 2);
  });

  it("a forged first message number far above 1 does not become the channel's mark; the real numbers after it are taken", async () => {
    const before = pulls.length;
    // Google's first message is the sync handshake, number 1 (A.7): no mark yet is no licence for any number.
    shape(await rawHttp(port, `${google('ch-2', 'tok-2', 1_000_000_000)}\r\n`), 400, 'WEBHOOK_INVALID_REQUEST');
    assert.equal(pulls.length - before, 1, 'the token was right: the pull still runs');
    assert.equal(await status(rawHttp(port, `${google('ch-2', 'tok-2', 2)}\r\n`)), 200, 'not a replay of the forged number');
    assert.equal(await status(rawHttp(port, `${google('ch-2', 'tok-2', 4)}\r\n`)), 200);
    shape(await rawHttp(port, `${google('ch-2', 'tok-2', 4)}\r\n`), 409, 'WEBHOOK_REPLAYED');
  });

  it('each channel has its own rate; a flood on one gets 429 with Retry-After, the other still passes', async () => {
    const pullsOf = (cal: string) => pulls.filter((c) => c === cal).length;
    const before = pullsOf(calIds[0]!);
    const codes: number[] = [];
    const floodStarted = Date.now();
    for (let n = 100; n < 112; n++) codes.push(await status(rawHttp(port, `${google('ch-0', 'tok-0', n)}\r\n`)));
    assert.ok(codes.filter((c) => c === 200).length <= 6, codes.join());
    assert.ok(codes.includes(429), codes.join());
    shape(await rawHttp(port, `${google('ch-0', 'tok-0', 500)}\r\n`), 429, 'WEBHOOK_RATE_LIMITED');
    const floodMs = Date.now() - floodStarted;
    assert.equal(await status(rawHttp(port, `${google('ch-1', 'tok-1', 1000)}\r\n`)), 200);
    // Neither provider retries a 429: the refused notifications still owe one pull, run once the channel has a token again.
    const accepted = codes.filter((c) => c === 200).length;
    const deadline = Date.now() + 5000;
    while (pullsOf(calIds[0]!) - before < accepted + 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1500));
    // One owed pull per second of flood at most (the rate here is 1/s), at least one after it.
    const owed = pullsOf(calIds[0]!) - before - accepted;
    assert.ok(owed >= 1 && owed <= 1 + Math.ceil(floodMs / 1000), `${owed} owed pulls after a ${floodMs} ms flood`);
  });

  it('every API error has the documented shape: 431, 414, bad URL, 415 for text/plain', async () => {
    shape(await rawHttp(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`), 431, 'HEADERS_TOO_LARGE');
    shape(await rawHttp(port, `GET /v1/events/${'a'.repeat(300)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n\r\n`), 414, 'URI_TOO_LONG');
    shape(await rawHttp(port, `GET /v1/events/%E0%A4%A HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n\r\n`), 400, 'INVALID_REQUEST');
    shape(await rawHttp(port, `POST /v1/freebusy HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n`, 'hi'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    shape(await rawHttp(port, 'GARBAGE\r\n\r\n'), 400, 'INVALID_REQUEST');
    // Graph's validation handshake still works with text/plain.
    const v = await rawHttp(port, 'POST /webhooks/microsoft?validationToken=abc HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n');
    assert.deepEqual(v === 'timeout' ? v : [v.status, v.body], [200, 'abc']);
  });
});
