import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { ConfigError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { loadConfig } from './config.ts';
import { VARIABLES } from './variables.ts';

const root = new URL('../../', import.meta.url);

test('defaults need no configuration', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.databaseUrl, null);
  assert.match(c.dataDir, /\.calhub$/);
});

test('a bad variable names itself and the expected form, without echoing secrets', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && /PORT: expected an integer/.test(e.message));
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://u:hunter2@h/db' }), (e: unknown) => e instanceof ConfigError && !e.message.includes('hunter2') && /DATABASE_URL/.test(e.message));
  assert.throws(() => loadConfig({ CALDAV_ALLOW_PRIVATE_NETWORKS: 'maybe' }), /CALDAV_ALLOW_PRIVATE_NETWORKS/);
  assert.throws(() => loadConfig({ CALHUB_ENCRYPTION_KEYS: 'k1:short' }), /CALHUB_ENCRYPTION_KEYS/);
});

test('CALDAV_REQUEST_DEADLINE_MS: 60 s by default, 1 s to 1 h, a bad value names the variable and the range', () => {
  assert.equal(loadConfig({}).caldavRequestDeadlineMs, 60_000);
  assert.equal(loadConfig({ CALDAV_REQUEST_DEADLINE_MS: '600000' }).caldavRequestDeadlineMs, 600_000);
  for (const bad of ['10 minutes', '999', '3600001', '1500.5', '-60000']) {
    assert.throws(() => loadConfig({ CALDAV_REQUEST_DEADLINE_MS: bad }), (e: unknown) => e instanceof ConfigError && e.message === `CALDAV_REQUEST_DEADLINE_MS: expected an integer from 1000 to 3600000, got "${bad}"`, bad);
  }
});

test('API limits: defaults, and a bad value names its variable', () => {
  assert.deepEqual(loadConfig({}).api, { rateLimitPerSec: 1000, rateLimitBurst: 2000, maxWindowDays: 93, maxAvailabilityDays: 62, maxCalendars: 50, maxBodyBytes: 1_048_576, logRequests: false, writeOccurrencesPerSec: 2000, writeOccurrencesBurst: 20_000, storeRetryAfterS: 5, freeBusyStaleMaxS: 60, keyCacheS: 10, horizon: { pastDays: 365, futureDays: 730 } });
  const set = loadConfig({ API_RATE_LIMIT_PER_SEC: '5000', API_MAX_CALENDARS: '200', API_MAX_BODY_BYTES: '65536', API_STORE_RETRY_AFTER_S: '30', API_FREEBUSY_STALE_MAX_S: '0', API_KEY_CACHE_S: '60' }).api;
  assert.deepEqual([set.rateLimitPerSec, set.maxCalendars, set.maxBodyBytes, set.storeRetryAfterS, set.freeBusyStaleMaxS, set.keyCacheS], [5000, 200, 65536, 30, 0, 60]);
  for (const [name, bad] of [['API_RATE_LIMIT_PER_SEC', '0'], ['API_RATE_LIMIT_BURST', '1.5'], ['API_MAX_WINDOW_DAYS', 'a month'], ['API_MAX_AVAILABILITY_DAYS', '-1'], ['API_MAX_CALENDARS', '201'], ['API_MAX_BODY_BYTES', '10'], ['API_STORE_RETRY_AFTER_S', '0'], ['API_FREEBUSY_STALE_MAX_S', '-1'], ['API_KEY_CACHE_S', '0']]) {
    assert.throws(() => loadConfig({ [name!]: bad }), (e: unknown) => e instanceof ConfigError && e.message.startsWith(`${name}: expected an integer`), name);
  }
});

test('REDIS_HEARTBEAT_INTERVAL_MS and _DEADLINE_MS: 5 s and 2 s by default, a bad value names the variable and the range', () => {
  assert.deepEqual(loadConfig({}).redisHeartbeat, { everyMs: 5000, deadlineMs: 2000 });
  assert.deepEqual(loadConfig({ REDIS_HEARTBEAT_INTERVAL_MS: '2000', REDIS_HEARTBEAT_DEADLINE_MS: '5000' }).redisHeartbeat, { everyMs: 2000, deadlineMs: 5000 });
  for (const bad of ['0', '499', '600001', '2.5', '2 s', '-1000']) {
    assert.throws(() => loadConfig({ REDIS_HEARTBEAT_INTERVAL_MS: bad }), (e: unknown) => e instanceof ConfigError && e.message === `REDIS_HEARTBEAT_INTERVAL_MS: expected an integer from 500 to 600000, got "${bad}"`, bad);
  }
  for (const bad of ['0', '99', '600001', '1e3x', 'soon']) {
    assert.throws(() => loadConfig({ REDIS_HEARTBEAT_DEADLINE_MS: bad }), (e: unknown) => e instanceof ConfigError && e.message === `REDIS_HEARTBEAT_DEADLINE_MS: expected an integer from 100 to 600000, got "${bad}"`, bad);
  }
});

test('DATABASE_QUERY_TIMEOUT_MS (30 s, 0: none) and DATABASE_CONNECT_TIMEOUT_MS (10 s): a bad value names the variable and the range', () => {
  assert.deepEqual(loadConfig({}).databaseTimeouts, { queryMs: 30_000, connectMs: 10_000 });
  assert.deepEqual(loadConfig({ DATABASE_QUERY_TIMEOUT_MS: '0', DATABASE_CONNECT_TIMEOUT_MS: '2500' }).databaseTimeouts, { queryMs: 0, connectMs: 2500 });
  for (const bad of ['-1', '999', '3600001', '1.5', 'never']) {
    assert.throws(() => loadConfig({ DATABASE_QUERY_TIMEOUT_MS: bad }), (e: unknown) => e instanceof ConfigError && e.message === `DATABASE_QUERY_TIMEOUT_MS: expected 0 (no limit) or an integer from 1000 to 3600000, got "${bad}"`, bad);
  }
  for (const bad of ['0', '999', '600001', 'ten']) {
    assert.throws(() => loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: bad }), (e: unknown) => e instanceof ConfigError && e.message === `DATABASE_CONNECT_TIMEOUT_MS: expected an integer from 1000 to 600000, got "${bad}"`, bad);
  }
});

test('CALHUB_PUBLIC_URL: https, or http on loopback in development or in the sandbox when CALHUB_PUBLIC_URL_ALLOW_HTTP says so', () => {
  const http = (u: string, allow?: string) => () => loadConfig({ CALHUB_PUBLIC_URL: u, ...(allow ? { CALHUB_PUBLIC_URL_ALLOW_HTTP: allow } : {}) });
  assert.throws(http('http://hub.example.com'), (e: unknown) => e instanceof ConfigError && /CALHUB_PUBLIC_URL: expected an https:\/\/ URL: Google and Microsoft refuse plain http/.test(e.message));
  assert.throws(http('http://127.0.0.1:3000'), /CALHUB_PUBLIC_URL_ALLOW_HTTP=loopback/, 'loopback needs saying too');
  assert.throws(http('http://hub.example.com', 'loopback'), /loopback host/);
  for (const u of ['http://127.0.0.1:3000', 'http://localhost:3000', 'http://[::1]:3000']) assert.equal(http(u, 'loopback')().publicUrl, u);
  assert.equal(http('http://calhub.sandbox.test:3000', 'sandbox')().publicUrl, 'http://calhub.sandbox.test:3000');
  assert.throws(http('https://hub.example.com', 'always'), /CALHUB_PUBLIC_URL_ALLOW_HTTP: expected one of never, loopback, sandbox/);
});

test('CALHUB_PUBLIC_URL: an optional https base URL for notification addresses, never echoed back', () => {
  assert.equal(loadConfig({}).publicUrl, null);
  assert.equal(loadConfig({ CALHUB_PUBLIC_URL: 'https://hub.example.com/calhub/' }).publicUrl, 'https://hub.example.com/calhub');
  for (const bad of ['hub.example.com', 'ftp://hub.example.com', 'https://u:hunter2@hub.example.com', 'https://hub.example.com/?x=1', 'https://hub.example.com/#f']) {
    assert.throws(() => loadConfig({ CALHUB_PUBLIC_URL: bad }), (e: unknown) => e instanceof ConfigError && /CALHUB_PUBLIC_URL/.test(e.message) && !e.message.includes('hunter2'), bad);
  }
});

test('CALHUB_ENCRYPTION_KEYS is required with DATABASE_URL (only the embedded default generates a key)', () => {
  assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://h/db' }), (e: unknown) => e instanceof ConfigError && /^CALHUB_ENCRYPTION_KEYS: expected a key ring whenever DATABASE_URL is set/.test(e.message));
  const keys = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://h/db', CALHUB_ENCRYPTION_KEYS: keys }).encryptionKeys, keys);
  assert.equal(loadConfig({}).encryptionKeys, null);
});

test('provider apps: unset means the real providers; base URLs are origins without a trailing slash', () => {
  const o = loadConfig({}).oauth;
  assert.deepEqual([o.google.clientId, o.google.authBaseUrl, o.microsoft.tenant, o.stateTtlMs], [null, null, 'common', 600_000]);
  const set = loadConfig({ GOOGLE_CLIENT_ID: 'g', GOOGLE_OAUTH_BASE_URL: 'http://127.0.0.1:9/', MICROSOFT_TENANT: 'contoso.onmicrosoft.com' }).oauth;
  assert.deepEqual([set.google.clientId, set.google.authBaseUrl, set.microsoft.tenant], ['g', 'http://127.0.0.1:9', 'contoso.onmicrosoft.com']);
  assert.throws(() => loadConfig({ MICROSOFT_TENANT: 'a/b' }), /MICROSOFT_TENANT/);
  assert.throws(() => loadConfig({ GOOGLE_API_BASE_URL: 'ftp://x' }), /GOOGLE_API_BASE_URL/);
});

test('documented defaults are the ones the code uses', () => {
  const api = loadConfig({}).api;
  const byName: Record<string, number> = {
    API_RATE_LIMIT_PER_SEC: api.rateLimitPerSec,
    API_RATE_LIMIT_BURST: api.rateLimitBurst,
    API_MAX_WINDOW_DAYS: api.maxWindowDays,
    API_MAX_AVAILABILITY_DAYS: api.maxAvailabilityDays,
    API_MAX_CALENDARS: api.maxCalendars,
    API_MAX_BODY_BYTES: api.maxBodyBytes,
    REDIS_HEARTBEAT_INTERVAL_MS: loadConfig({}).redisHeartbeat.everyMs,
    REDIS_HEARTBEAT_DEADLINE_MS: loadConfig({}).redisHeartbeat.deadlineMs,
    DATABASE_QUERY_TIMEOUT_MS: loadConfig({}).databaseTimeouts.queryMs,
    DATABASE_CONNECT_TIMEOUT_MS: loadConfig({}).databaseTimeouts.connectMs,
  };
  for (const [name, value] of Object.entries(byName)) assert.equal(VARIABLES.find((v) => v.name === name)?.default, String(value), name);
});

test('README and .env.example list every variable', () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const example = readFileSync(new URL('.env.example', root), 'utf8');
  for (const v of VARIABLES) {
    assert.ok(readme.includes(`\`${v.name}\``), `README does not document ${v.name}`);
    assert.match(example, new RegExp(`^#? ?${v.name}=`, 'm'), `.env.example does not list ${v.name}`);
  }
});

test('every variable the code reads is declared', () => {
  const src = ['config.ts'].map((f) => readFileSync(new URL(f, import.meta.url), 'utf8')).join('\n');
  const read = [...src.matchAll(/'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!).filter((n) => n.length > 3 && !['UTC'].includes(n));
  for (const name of read) assert.ok(VARIABLES.some((v) => v.name === name), `${name} is read but not declared`);
});

test('logs never contain secrets', () => {
  let out = '';
  const sink = new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) });
  const log = createLogger({ destination: sink as never, level: 'debug' });
  log.info({ password: 'p4ss-secret', account: { credentials: 'cred-secret', nested: { token: 'tok-secret' } }, headers: { authorization: 'Bearer hdr-secret' } }, 'connecting');
  log.error({ err: new Error('GET https://alice:pw-secret@dav.example/ failed; Authorization: Bearer abc.def-secret') }, 'failed');
  log.info('key chk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA was used');
  for (const s of ['p4ss-secret', 'cred-secret', 'tok-secret', 'hdr-secret', 'pw-secret', 'def-secret', 'chk_AAAA']) assert.ok(!out.includes(s), `${s} leaked: ${out}`);
  assert.match(out, /\[redacted\]/);
});

test('Redis: one (REDIS_URL) or a cluster (REDIS_CLUSTER_NODES), and a key prefix that a cluster can run scripts under', () => {
  const d = loadConfig({});
  assert.deepEqual([d.redisUrl, d.redisClusterNodes, d.redisPrefix], [null, null, '{calhub}']);
  const c = loadConfig({ REDIS_CLUSTER_NODES: 'redis://:hunter2@10.0.0.1:7000, redis://10.0.0.2:7001' });
  assert.deepEqual(c.redisClusterNodes, ['redis://:hunter2@10.0.0.1:7000', 'redis://10.0.0.2:7001']);
  const bad = (env: Record<string, string>, re: RegExp) =>
    assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && re.test(e.message) && !e.message.includes('hunter2'), JSON.stringify(env));
  bad({ REDIS_URL: 'redis://h:6379', REDIS_CLUSTER_NODES: 'redis://h:7000' }, /^REDIS_CLUSTER_NODES: expected unset when REDIS_URL is set/);
  bad({ REDIS_CLUSTER_NODES: 'h:7000' }, /^REDIS_CLUSTER_NODES: expected comma-separated redis:\/\//);
  bad({ REDIS_CLUSTER_NODES: 'redis://:hunter2@h:7000/3' }, /no database number/);
  bad({ REDIS_CLUSTER_NODES: 'redis://h:7000', REDIS_PREFIX: 'calhub' }, /^REDIS_PREFIX: expected a hash tag such as \{calhub\}/);
  bad({ REDIS_CLUSTER_NODES: 'redis://h:7000', REDIS_PREFIX: '{}calhub' }, /^REDIS_PREFIX: expected a hash tag/);
  bad({ REDIS_PREFIX: 'cal hub' }, /^REDIS_PREFIX: expected 1 to 64 letters/);
  // One Redis needs no tag: an existing deployment may keep its old keys with REDIS_PREFIX=calhub.
  assert.equal(loadConfig({ REDIS_URL: 'redis://h:6379', REDIS_PREFIX: 'calhub' }).redisPrefix, 'calhub');
  assert.equal(loadConfig({ REDIS_CLUSTER_NODES: 'rediss://h:7000', REDIS_PREFIX: 'prod{calhub}' }).redisPrefix, 'prod{calhub}');
});

test('GOOGLE_/MICROSOFT_RETIRED_CLIENTS: client-id:secret entries (a bare id is a public client), the current client left out, a bad one refused without echoing a secret', () => {
  assert.deepEqual(loadConfig({}).oauth.retiredClients, { google: [], microsoft: [] });
  const c = loadConfig({ GOOGLE_CLIENT_ID: 'now.apps', GOOGLE_RETIRED_CLIENTS: ' old-1.apps:GOCSPX-s3cr:et , public-2.apps,now.apps:x,old-1.apps:dup', MICROSOFT_RETIRED_CLIENTS: '1111-2222:ms~secret' });
  assert.deepEqual(c.oauth.retiredClients.google, [{ clientId: 'old-1.apps', clientSecret: 'GOCSPX-s3cr:et' }, { clientId: 'public-2.apps', clientSecret: null }]);
  assert.deepEqual(c.oauth.retiredClients.microsoft, [{ clientId: '1111-2222', clientSecret: 'ms~secret' }]);
  for (const bad of ['old:hunter2 withspace', 'old:', ':hunter2', 'a:hunter2,,b']) {
    assert.throws(() => loadConfig({ GOOGLE_RETIRED_CLIENTS: bad }), (e: unknown) => e instanceof ConfigError && /^GOOGLE_RETIRED_CLIENTS: expected comma-separated client-id:client-secret/.test(e.message) && !e.message.includes('hunter2'), bad);
  }
  for (const name of ['GOOGLE_RETIRED_CLIENTS', 'MICROSOFT_RETIRED_CLIENTS']) assert.equal(VARIABLES.find((v) => v.name === name)?.secret, true, name);
});

// `calhub start` logged two info lines per request (5,411 each after 5,400 requests), `serve` none:
// both follow API_LOG_REQUESTS now, off by default.
test('request logging is one setting, off by default', () => {
  assert.equal(loadConfig({}).api.logRequests, false);
  assert.equal(loadConfig({ API_LOG_REQUESTS: 'true' }).api.logRequests, true);
});

test('outbound webhook delivery slots are settings: per process, per endpoint, per tenant (default half)', () => {
  assert.deepEqual(loadConfig({}).webhookSlots, { concurrency: 16, perEndpoint: 4, perTenant: 8 });
  assert.deepEqual(loadConfig({ WEBHOOKS_DELIVERY_CONCURRENCY: '40', WEBHOOKS_ENDPOINT_CONCURRENCY: '2' }).webhookSlots, { concurrency: 40, perEndpoint: 2, perTenant: 20 });
  assert.deepEqual(loadConfig({ WEBHOOKS_DELIVERY_CONCURRENCY: '1', WEBHOOKS_TENANT_CONCURRENCY: '1' }).webhookSlots, { concurrency: 1, perEndpoint: 4, perTenant: 1 });
  for (const [name, bad] of [['WEBHOOKS_DELIVERY_CONCURRENCY', '0'], ['WEBHOOKS_ENDPOINT_CONCURRENCY', 'many'], ['WEBHOOKS_TENANT_CONCURRENCY', '1.5']]) {
    assert.throws(() => loadConfig({ [name!]: bad }), (e: Error) => e.message.includes(name!), `${name}=${bad}`);
  }
});
