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

test('API limits: defaults, and a bad value names its variable', () => {
  assert.deepEqual(loadConfig({}).api, { rateLimitPerSec: 1000, rateLimitBurst: 2000, maxWindowDays: 93, maxAvailabilityDays: 62, maxCalendars: 50, maxBodyBytes: 1_048_576 });
  const set = loadConfig({ API_RATE_LIMIT_PER_SEC: '5000', API_MAX_CALENDARS: '200', API_MAX_BODY_BYTES: '65536' }).api;
  assert.deepEqual([set.rateLimitPerSec, set.maxCalendars, set.maxBodyBytes], [5000, 200, 65536]);
  for (const [name, bad] of [['API_RATE_LIMIT_PER_SEC', '0'], ['API_RATE_LIMIT_BURST', '1.5'], ['API_MAX_WINDOW_DAYS', 'a month'], ['API_MAX_AVAILABILITY_DAYS', '-1'], ['API_MAX_CALENDARS', '201'], ['API_MAX_BODY_BYTES', '10']]) {
    assert.throws(() => loadConfig({ [name!]: bad }), (e: unknown) => e instanceof ConfigError && e.message.startsWith(`${name}: expected an integer`), name);
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

test('documented defaults are the ones the code uses', () => {
  const api = loadConfig({}).api;
  const byName: Record<string, number> = {
    API_RATE_LIMIT_PER_SEC: api.rateLimitPerSec,
    API_RATE_LIMIT_BURST: api.rateLimitBurst,
    API_MAX_WINDOW_DAYS: api.maxWindowDays,
    API_MAX_AVAILABILITY_DAYS: api.maxAvailabilityDays,
    API_MAX_CALENDARS: api.maxCalendars,
    API_MAX_BODY_BYTES: api.maxBodyBytes,
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
