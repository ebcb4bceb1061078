/**
 * `calhub webhooks …` against a running hub (`calhub start` on PostgreSQL with its managed Redis):
 * an endpoint created from the CLI receives, from the hub's dispatcher, the event.created of a
 * change made on Radicale, signed so that a separate receiver process verifies it with the
 * `standardwebhooks` library; `test`, `deliveries`, `update --disable|--enable`, `rotate-secret`
 * (the new secret signs), `replay --since` (same webhook-id again), `test` with the hub stopped (sent
 * from the CLI, and saying so) and `delete`, each as a table and
 * as `--json`, and a bad event type refused with exit 2.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Store } from '../../shared/store/index.ts';
import { calhub, startHub, stopHub, type CliResult } from '../support/cli.ts';
import { putEvent } from '../support/dav-content.ts';
import { makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { startReceiver, type Receiver } from '../support/webhook-receiver.ts';
import { freePort } from '../support/free-port.ts';

const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `t_cliwh_${process.pid}_${randomBytes(3).toString('hex')}`;
const SLOW = 300_000;

let dav: DavServer;
let calUrl = '';
let dataDir = '';
let env: Record<string, string>;
let hub: Awaited<ReturnType<typeof startHub>>;
let store: Store;
let receiver: Receiver;
let tenantId = '';
let accountId = '';

const run = (args: string[]): Promise<CliResult> => calhub(args, env, SLOW);
async function json<T>(args: string[]): Promise<T> {
  const r = await run([...args, '--tenant', tenantId, '--json']);
  assert.equal(r.code, 0, `calhub ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
async function text(args: string[]): Promise<string> {
  const r = await run([...args, '--tenant', tenantId]);
  assert.equal(r.code, 0, `calhub ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  dav = await startRadicale();
  calUrl = await makeCalendar(dav, 'Hooks');
  receiver = await startReceiver();
  dataDir = await mkdtemp(join(tmpdir(), 'calhub-cli-webhooks-'));
  const port = await freePort();
  const databaseUrl = `${PG}?options=${encodeURIComponent(`-c search_path=${SCHEMA},public`)}`;
  store = await Store.open({ databaseUrl, schema: SCHEMA });
  await store.migrate();
  env = {
    CALHUB_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, REDIS_URL: '', CALHUB_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    CALDAV_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true', PORT: String(port), LOG_LEVEL: 'info',
  };
  tenantId = (await store.tenants.create('hooks')).tenant.id;
  const c = await calhub(['accounts', 'connect', 'caldav', '--tenant', tenantId, '--url', dav.url, '--username', dav.username, '--json'], { ...env, CALHUB_CALDAV_PASSWORD: dav.password }, SLOW);
  assert.equal(c.code, 0, c.stderr);
  accountId = (JSON.parse(c.stdout) as { id: string }).id;
  hub = await startHub(env, SLOW);
});

after(async () => {
  if (hub) await stopHub(hub.child, dataDir);
  await receiver?.close();
  await store?.db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
  await store?.close();
  await dav?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('calhub webhooks against a running hub', () => {
  let endpointId = '';
  let since = '';

  it('create refuses an unknown event type (exit 2, naming it), then registers the endpoint and shows the secret once', async () => {
    const bad = await run(['webhooks', 'create', '--tenant', tenantId, '--url', receiver.url, '--events', 'event.created,event.exploded']);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /event\.exploded/);
    const made = await json<{ id: string; secret: string; url: string }>(['webhooks', 'create', '--url', receiver.url, '--events', '*', '--description', 'cli test']);
    assert.match(made.secret, /^whsec_/);
    endpointId = made.id;
    await receiver.control({ secrets: [made.secret] });
    const listed = await text(['webhooks', 'list']);
    assert.match(listed, /ENDPOINT\s+URL\s+EVENTS\s+STATUS/);
    assert.ok(listed.includes(endpointId) && listed.includes(receiver.url) && !listed.includes(made.secret), listed);
    const asJson = await json<Array<{ id: string; status: string }>>(['webhooks', 'list']);
    assert.deepEqual(asJson.map((e) => [e.id, e.status]), [[endpointId, 'active']]);
  });

  it('test sends a signed webhook.test the receiver verifies', async () => {
    const out = await text(['webhooks', 'test', endpointId]);
    assert.match(out, /^delivered msg_\S+: HTTP 2\d\d in \d+ ms\nsent by the running `calhub start`, the process that also delivers/);
    await receiver.waitFor((a) => a.some((x) => x.type === 'webhook.test'), 30_000, 'webhook.test');
  });

  it('a change on Radicale arrives as event.created from the hub, and deliveries lists it as delivered', async () => {
    since = new Date(Date.now() - 1000).toISOString();
    await putEvent(dav, calUrl, { uid: 'hook-1@cli', summary: 'Hooked', start: 'DTSTART:20261210T090000Z', end: 'DTEND:20261210T100000Z' });
    assert.equal((await run(['resync', accountId])).code, 0);
    const got = await receiver.waitFor((a) => a.some((x) => x.type === 'event.created' && x.payload.data.event?.uid === 'hook-1@cli'), SLOW, 'event.created of hook-1');
    const created = got.find((x) => x.type === 'event.created')!;
    assert.equal(created.payload.data.accountId, accountId);
    const log = await json<Array<{ messageId: string; type: string; status: string; attempts: number; lastStatus: number }>>(['webhooks', 'deliveries', endpointId]);
    const row = log.find((l) => l.messageId === created.id);
    assert.ok(row, `the delivery log has ${created.id}: ${JSON.stringify(log)}`);
    assert.equal(row.status, 'delivered');
    assert.ok(row.lastStatus >= 200 && row.lastStatus < 300);
    const table = await text(['webhooks', 'deliveries', endpointId]);
    assert.match(table, /MESSAGE\s+TYPE\s+STATUS\s+ATTEMPTS\s+HTTP\s+MS\s+NEXT RETRY\s+ERROR/);
    assert.match(table, new RegExp(`${created.id}\\s+event\\.created\\s+delivered`));
  });

  it('update --disable and --enable show in the listing', async () => {
    const off = await json<{ status: string }>(['webhooks', 'update', endpointId, '--disable']);
    assert.equal(off.status, 'disabled');
    assert.match(await text(['webhooks', 'list']), /disabled/);
    const on = await json<{ status: string }>(['webhooks', 'update', endpointId, '--enable']);
    assert.equal(on.status, 'active');
  });

  it('rotate-secret prints a new secret that signs from then on', async () => {
    const r = await json<{ secret: string; previousSecretValidUntil: string }>(['webhooks', 'rotate-secret', endpointId]);
    assert.match(r.secret, /^whsec_/);
    assert.ok(Date.parse(r.previousSecretValidUntil) > Date.now() + 23 * 3_600_000, 'the old secret keeps signing for 24 h');
    await receiver.control({ secrets: [r.secret], reset: true });
    const sent = await json<{ ok: boolean; messageId: string }>(['webhooks', 'test', endpointId]);
    assert.equal(sent.ok, true);
    await receiver.waitFor((a) => a.some((x) => x.id === sent.messageId), 30_000, 'a test message under the new secret');
  });

  it('replay --since sends the backlog again under the same webhook-ids', async () => {
    const before = (await receiver.state()).accepted.filter((x) => x.type === 'event.created').length;
    assert.equal(before, 0, 'the receiver was reset');
    const r = await json<{ messages: number }>(['webhooks', 'replay', endpointId, '--since', since]);
    assert.ok(r.messages >= 1, JSON.stringify(r));
    const got = await receiver.waitFor((a) => a.some((x) => x.type === 'event.created' && x.payload.data.event?.uid === 'hook-1@cli'), SLOW, 'the replayed event.created');
    const log = await json<Array<{ messageId: string; type: string }>>(['webhooks', 'deliveries', endpointId]);
    assert.ok(log.some((l) => l.messageId === got.find((x) => x.type === 'event.created')!.id), 'the replay carries the original webhook-id');
  });

  it('test without a running hub says it was sent from the CLI process, not the one that delivers', async () => {
    await stopHub(hub.child, dataDir);
    const out = await text(['webhooks', 'test', endpointId]);
    assert.match(out, /^delivered msg_\S+: HTTP 2\d\d in \d+ ms\nsent from this CLI process: deliveries are sent by `calhub worker` \(or `calhub start`\), whose trust store \(NODE_EXTRA_CA_CERTS\)/);
    assert.equal((await json<{ sentFrom: string }>(['webhooks', 'test', endpointId])).sentFrom, 'cli');
  });

  it('delete removes the endpoint', async () => {
    const out = await text(['webhooks', 'delete', endpointId]);
    assert.match(out, new RegExp(endpointId));
    assert.deepEqual(await json<unknown[]>(['webhooks', 'list']), []);
    const gone = await run(['webhooks', 'test', endpointId, '--tenant', tenantId]);
    assert.equal(gone.code, 2, gone.stderr);
  });
});
