import { resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { DEFAULT_REDIS_PREFIX, hasHashTag } from '../redis-keys.ts';
import { defaultSecretsDir } from '../secrets-dir.ts';

export interface Config {
  port: number;
  /** WORKER_METRICS_PORT: `calhub worker`'s /metrics and /healthz listener; null: none. */
  workerMetricsPort: number | null;
  /** CALHUB_SANDBOX_GOOGLE_PORT / _MICROSOFT_PORT: where `start --sandbox` runs its emulators; 0: any free port. */
  sandboxPorts: { google: number; microsoft: number };
  host: string;
  dataDir: string;
  /** The generated encryption key and managed Redis password (shared/secrets-dir.ts). */
  secretsDir: string;
  databaseUrl: string | null;
  /**
   * DATABASE_QUERY_TIMEOUT_MS, DATABASE_CONNECT_TIMEOUT_MS: on PostgreSQL, how long a query may go
   * unanswered (0: no limit) and a connection may take, before the store counts as unreachable.
   */
  databaseTimeouts: { queryMs: number; connectMs: number };
  /** REDIS_HEARTBEAT_INTERVAL_MS, REDIS_HEARTBEAT_DEADLINE_MS: the PING that tells a hung Redis (hub/redis-heartbeat.ts). */
  redisHeartbeat: { everyMs: number; deadlineMs: number };
  redisUrl: string | null;
  /** REDIS_CLUSTER_NODES: seed nodes of a Redis Cluster (redis:// or rediss:// URLs); null: one Redis. */
  redisClusterNodes: string[] | null;
  /** Every Redis key calhub writes starts with this; it carries a hash tag so a cluster keeps them in one slot. */
  redisPrefix: string;
  redisServerBin: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  encryptionKeys: string | null;
  caldavAllowPrivateNetworks: boolean;
  /**
   * CALDAV_REQUEST_DEADLINE_MS: how long a CalDAV request may wait for its headers and first
   * bytes; a body that keeps flowing earns more (connectors/caldav/deadline.ts).
   */
  caldavRequestDeadlineMs: number;
  /** Outbound webhooks may reach loopback/private addresses and plain http (development, tests). */
  webhooksAllowPrivateNetworks: boolean;
  /**
   * Outbound webhook attempts in flight per worker process: in all, to one endpoint, for one tenant
   * (hub/webhooks-out/slots.ts). Per process: N workers allow N times as many.
   */
  webhookSlots: { concurrency: number; perEndpoint: number; perTenant: number };
  horizon: { pastDays: number; futureDays: number };
  syncStaleRunMs: number;
  /** Longest one sync run may take before it is cut off and rescheduled. */
  syncRunBudgetMs: number;
  /** Concurrent sync runs per CalDAV server and per account, across all workers. */
  syncMaxRunsPerHost: number;
  syncMaxRunsPerAccount: number;
  syncMaxRunsPerTenant: number;
  /** CALHUB_THREAD_NICE: how far below the API thread `calhub start`'s sync and store threads run. */
  threadNice: number;
  heapGrowthPercent: number;
  syncPollIntervalMs: number;
  /** How often each account's calendar list is read again (calendars added, renamed, removed at the provider). */
  calendarListIntervalMs: number;
  /** False: calendars shared with an account to read are first recorded with their sync off. */
  syncSharedCalendars: boolean;
  /** A calendar left out of its account's list is removed when a listing at least this much later still leaves it out. */
  calendarGoneAfterMs: number;
  /** Base URL of the webhook receivers as providers see it; null: polling only. */
  publicUrl: string | null;
  /** The queue dashboard's password (user `admin`); null: no dashboard. */
  adminPassword: string | null;
  api: ApiConfig;
  oauth: OAuthConfig;
}

/** One provider's OAuth app and origins; null origins mean the real provider. */
export interface OAuthAppConfig {
  clientId: string | null;
  clientSecret: string | null;
  /** Identity origin (authorize/token/revoke); the emulators serve it on their own origin. */
  authBaseUrl: string | null;
  /** Calendar API origin (Google Calendar API, Microsoft Graph). */
  apiBaseUrl: string | null;
}

/** A hub-wide client replaced in GOOGLE_/MICROSOFT_CLIENT_ID, kept for the grants it issued. */
export interface RetiredClient {
  clientId: string;
  clientSecret: string | null;
}

export interface OAuthConfig {
  google: OAuthAppConfig;
  microsoft: OAuthAppConfig & { tenant: string };
  /**
   * GOOGLE_RETIRED_CLIENTS, MICROSOFT_RETIRED_CLIENTS: clients the hub-wide app was replaced from.
   * A refresh token works only with the client that issued it, so grants naming one of these keep
   * refreshing (and are revoked) through it; new connections never use them.
   */
  retiredClients: { google: RetiredClient[]; microsoft: RetiredClient[] };
  /** How long an authorize URL (its state) stays usable. */
  stateTtlMs: number;
}

/** HTTP API limits; api/ turns them into its rate limiter, request limits and body limit. */
export interface ApiConfig {
  rateLimitPerSec: number;
  rateLimitBurst: number;
  maxWindowDays: number;
  maxAvailabilityDays: number;
  maxCalendars: number;
  maxBodyBytes: number;
  /** Fastify's two info lines per request (received, completed): off unless API_LOG_REQUESTS, in start and serve alike. */
  logRequests: boolean;
  /** Per-tenant budget of occurrences written series may materialize (see api/write-budget.ts). */
  writeOccurrencesPerSec: number;
  writeOccurrencesBurst: number;
  /** API_STORE_RETRY_AFTER_S: the Retry-After of 503 STORE_UNAVAILABLE answers. */
  storeRetryAfterS: number;
  /** API_FREEBUSY_STALE_MAX_S: during a store outage, free/busy and availability answer from the cache when the store confirmed it at most this long ago; 0: never. */
  freeBusyStaleMaxS: number;
  /** API_KEY_CACHE_S: how long a verified API key is honoured without asking the store again (a revoked key is refused within this). */
  keyCacheS: number;
  /** The busy index horizon (CALHUB_HORIZON_*), which the write budget counts occurrences over. */
  horizon: { pastDays: number; futureDays: number };
}

type Env = Record<string, string | undefined>;

const value = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v === '' ? undefined : v;
};

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(name, `an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = value(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `true or false, got "${raw}"`);
}

/** Never echoes a URL back: it may hold a password. */
function url(env: Env, name: string, schemes: string[]): string | null {
  const raw = value(env, name);
  if (raw === undefined) return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(name, `a URL starting with ${schemes.join(' or ')}`);
  }
  if (!schemes.includes(u.protocol)) throw new ConfigError(name, `a URL starting with ${schemes.join(' or ')}, got ${u.protocol}//…`);
  return raw;
}

/**
 * One Redis (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES), never both; and the key prefix.
 * BullMQ's and calhub's own Lua scripts touch several keys at once, which a cluster allows only
 * within one hash slot: the prefix's `{tag}` puts every key of a deployment in the same slot.
 */
function redisTarget(env: Env): Pick<Config, 'redisUrl' | 'redisClusterNodes' | 'redisPrefix'> {
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const rawNodes = value(env, 'REDIS_CLUSTER_NODES');
  let redisClusterNodes: string[] | null = null;
  if (rawNodes !== undefined) {
    if (redisUrl !== null) throw new ConfigError('REDIS_CLUSTER_NODES', 'unset when REDIS_URL is set: REDIS_URL names one Redis, REDIS_CLUSTER_NODES a cluster');
    const want = 'comma-separated redis://host:port or rediss://host:port URLs of cluster nodes (credentials on the first one apply to all)';
    redisClusterNodes = rawNodes.split(',').map((n) => n.trim());
    for (const n of redisClusterNodes) {
      let u: URL;
      try {
        u = new URL(n);
      } catch {
        throw new ConfigError('REDIS_CLUSTER_NODES', want);
      }
      if (!['redis:', 'rediss:'].includes(u.protocol) || !u.hostname || (u.pathname !== '' && u.pathname !== '/')) throw new ConfigError('REDIS_CLUSTER_NODES', `${want}; no database number (a cluster has only db 0)`);
    }
  }
  const redisPrefix = value(env, 'REDIS_PREFIX') ?? DEFAULT_REDIS_PREFIX;
  if (!/^[A-Za-z0-9_.:{}-]{1,64}$/.test(redisPrefix)) throw new ConfigError('REDIS_PREFIX', `1 to 64 letters, digits or _ . : - { }, got "${redisPrefix}"`);
  if (redisClusterNodes && !hasHashTag(redisPrefix)) {
    throw new ConfigError('REDIS_PREFIX', `a hash tag such as {calhub} when REDIS_CLUSTER_NODES is set (a cluster runs multi-key scripts only within one slot), got "${redisPrefix}"`);
  }
  return { redisUrl, redisClusterNodes, redisPrefix };
}

/** 0 (no limit) or at least 1 s: a query timeout under a second would fail ordinary work on a busy server. */
function databaseTimeouts(env: Env): Config['databaseTimeouts'] {
  const raw = value(env, 'DATABASE_QUERY_TIMEOUT_MS');
  const queryMs = raw === undefined ? 30_000 : Number(raw);
  if (!Number.isInteger(queryMs) || (queryMs !== 0 && (queryMs < 1000 || queryMs > 3_600_000))) throw new ConfigError('DATABASE_QUERY_TIMEOUT_MS', `0 (no limit) or an integer from 1000 to 3600000, got "${raw}"`);
  return { queryMs, connectMs: int(env, 'DATABASE_CONNECT_TIMEOUT_MS', 10_000, 1000, 600_000) };
}

/**
 * The deadline may exceed the interval (one PING is in flight at a time; beats meanwhile are
 * skipped), but not be under 100 ms, which a loaded but healthy Redis misses.
 */
function redisHeartbeatOf(env: Env): Config['redisHeartbeat'] {
  return { everyMs: int(env, 'REDIS_HEARTBEAT_INTERVAL_MS', 5000, 500, 600_000), deadlineMs: int(env, 'REDIS_HEARTBEAT_DEADLINE_MS', 2000, 100, 600_000) };
}

const HTTP_PUBLIC_URL = ['never', 'loopback', 'sandbox'] as const;

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * A base URL that notification addresses are built on: no credentials, query or fragment
 * (providers would carry them into every notification), no trailing slash. https only: Google and
 * Graph refuse plain http push addresses (provider-facts §E B.6, A.7), so an http URL would only
 * fail later, channel by channel. CALHUB_PUBLIC_URL_ALLOW_HTTP says when http is meant: `loopback`
 * (development against local emulators) or `sandbox` (the emulators accept http there).
 */
function publicUrl(env: Env): string | null {
  const allow = value(env, 'CALHUB_PUBLIC_URL_ALLOW_HTTP') ?? 'never';
  if (!(HTTP_PUBLIC_URL as readonly string[]).includes(allow)) throw new ConfigError('CALHUB_PUBLIC_URL_ALLOW_HTTP', `one of ${HTTP_PUBLIC_URL.join(', ')}, got "${allow}"`);
  const raw = url(env, 'CALHUB_PUBLIC_URL', ['https:', 'http:']);
  if (raw === null) return null;
  const u = new URL(raw);
  if (u.username || u.password || u.search || u.hash) throw new ConfigError('CALHUB_PUBLIC_URL', 'a base URL without credentials, query or fragment');
  if (u.protocol === 'http:' && allow !== 'sandbox' && !(allow === 'loopback' && isLoopback(u.hostname))) {
    throw new ConfigError(
      'CALHUB_PUBLIC_URL',
      allow === 'loopback'
        ? 'an https:// URL, or http:// on a loopback host (localhost, 127.0.0.1, [::1]) with CALHUB_PUBLIC_URL_ALLOW_HTTP=loopback; got http:// on another host'
        : 'an https:// URL: Google and Microsoft refuse plain http push addresses (for local development on loopback set CALHUB_PUBLIC_URL_ALLOW_HTTP=loopback, for the sandbox =sandbox)',
    );
  }
  return raw.replace(/\/+$/, '');
}

function webhookSlotsOf(env: Env): Config['webhookSlots'] {
  const concurrency = int(env, 'WEBHOOKS_DELIVERY_CONCURRENCY', 16, 1, 1000);
  // Half by default: one tenant's hanging receivers leave the other half to everyone else.
  return { concurrency, perEndpoint: int(env, 'WEBHOOKS_ENDPOINT_CONCURRENCY', 4, 1, 1000), perTenant: int(env, 'WEBHOOKS_TENANT_CONCURRENCY', Math.max(1, Math.floor(concurrency / 2)), 1, 1000) };
}

const horizonOf = (env: Env) => ({ pastDays: int(env, 'CALHUB_HORIZON_PAST_DAYS', 365, 1, 3650), futureDays: int(env, 'CALHUB_HORIZON_FUTURE_DAYS', 730, 30, 3650) });

/** Never echoed: it is a password. Short ones are refused, the dashboard can retry and delete jobs. */
function adminPassword(env: Env): string | null {
  const raw = value(env, 'CALHUB_ADMIN_PASSWORD');
  if (raw === undefined) return null;
  if (raw.length < 16) throw new ConfigError('CALHUB_ADMIN_PASSWORD', 'a password of at least 16 characters');
  return raw;
}

/**
 * At least 1 s; at most an hour, past which a worker is held longer than any run budget is useful
 * for (a run's budget, SYNC_RUN_BUDGET_MS, still ends it sooner when shorter).
 */
export const caldavRequestDeadlineMs = (env: Env = process.env): number => int(env, 'CALDAV_REQUEST_DEADLINE_MS', 60_000, 1000, 3_600_000);
/** CALHUB_HEAP_GROWTH_PERCENT: how far past its live size V8 lets a heap grow before a full collection (0: V8's own choice). */
export const heapGrowthPercent = (env: Env = process.env): number => int(env, 'CALHUB_HEAP_GROWTH_PERCENT', 50, 0, 400);

/** The API variables alone, so the API can read them without validating unrelated ones. */
export function loadApiConfig(env: Env = process.env): ApiConfig {
  return {
    rateLimitPerSec: int(env, 'API_RATE_LIMIT_PER_SEC', 1000, 1, 1_000_000),
    rateLimitBurst: int(env, 'API_RATE_LIMIT_BURST', 2000, 1, 10_000_000),
    maxWindowDays: int(env, 'API_MAX_WINDOW_DAYS', 93, 1, 3650),
    maxAvailabilityDays: int(env, 'API_MAX_AVAILABILITY_DAYS', 62, 1, 3650),
    // 200 is the schema's cap on one id list; a larger total could never be sent by calendar id.
    maxCalendars: int(env, 'API_MAX_CALENDARS', 50, 1, 200),
    maxBodyBytes: int(env, 'API_MAX_BODY_BYTES', 1_048_576, 1024, 104_857_600),
    logRequests: bool(env, 'API_LOG_REQUESTS', false),
    writeOccurrencesPerSec: int(env, 'API_WRITE_OCCURRENCES_PER_SEC', 2000, 1, 10_000_000),
    writeOccurrencesBurst: int(env, 'API_WRITE_OCCURRENCES_BURST', 20_000, 5000, 100_000_000),
    storeRetryAfterS: int(env, 'API_STORE_RETRY_AFTER_S', 5, 1, 3600),
    freeBusyStaleMaxS: int(env, 'API_FREEBUSY_STALE_MAX_S', 60, 0, 86_400),
    keyCacheS: int(env, 'API_KEY_CACHE_S', 10, 1, 3600),
    horizon: horizonOf(env),
  };
}

/**
 * `client-id:client-secret` entries, comma-separated; a bare `client-id` is a public client (no
 * secret). Never echoes a value: the secrets are in it. The current client id listed again is left
 * out (GOOGLE_CLIENT_ID and its secret serve it).
 */
function retiredClients(env: Env, name: string, current: string | null): RetiredClient[] {
  const raw = value(env, name);
  if (raw === undefined) return [];
  const out: RetiredClient[] = [];
  for (const entry of raw.split(',').map((e) => e.trim())) {
    const colon = entry.indexOf(':');
    const clientId = colon < 0 ? entry : entry.slice(0, colon);
    const clientSecret = colon < 0 ? null : entry.slice(colon + 1);
    if (!/^[\x21-\x7e]{1,512}$/.test(clientId) || (clientSecret !== null && !/^[\x21-\x7e]{1,512}$/.test(clientSecret))) {
      throw new ConfigError(name, 'comma-separated client-id:client-secret entries (a bare client-id for a public client), each part 1–512 printable characters without spaces; a secret with a comma cannot be listed');
    }
    if (clientId === current || out.some((c) => c.clientId === clientId)) continue;
    out.push({ clientId, clientSecret });
  }
  return out;
}

function oauthConfig(env: Env): OAuthConfig {
  const base = (name: string) => url(env, name, ['https:', 'http:'])?.replace(/\/+$/, '') ?? null;
  const tenant = value(env, 'MICROSOFT_TENANT') ?? 'common';
  if (!/^[A-Za-z0-9.-]+$/.test(tenant)) throw new ConfigError('MICROSOFT_TENANT', 'common, organizations, consumers, a tenant id or a domain');
  return {
    google: {
      clientId: value(env, 'GOOGLE_CLIENT_ID') ?? null,
      clientSecret: value(env, 'GOOGLE_CLIENT_SECRET') ?? null,
      authBaseUrl: base('GOOGLE_OAUTH_BASE_URL'),
      apiBaseUrl: base('GOOGLE_API_BASE_URL'),
    },
    microsoft: {
      clientId: value(env, 'MICROSOFT_CLIENT_ID') ?? null,
      clientSecret: value(env, 'MICROSOFT_CLIENT_SECRET') ?? null,
      tenant,
      authBaseUrl: base('MICROSOFT_LOGIN_BASE_URL'),
      apiBaseUrl: base('MICROSOFT_GRAPH_BASE_URL'),
    },
    retiredClients: {
      google: retiredClients(env, 'GOOGLE_RETIRED_CLIENTS', value(env, 'GOOGLE_CLIENT_ID') ?? null),
      microsoft: retiredClients(env, 'MICROSOFT_RETIRED_CLIENTS', value(env, 'MICROSOFT_CLIENT_ID') ?? null),
    },
    stateTtlMs: int(env, 'OAUTH_STATE_TTL_SECONDS', 600, 60, 3600) * 1000,
  };
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and validates the whole configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const level = value(env, 'LOG_LEVEL') ?? 'info';
  if (!(LEVELS as readonly string[]).includes(level)) throw new ConfigError('LOG_LEVEL', `one of ${LEVELS.join(', ')}, got "${level}"`);
  const keys = value(env, 'CALHUB_ENCRYPTION_KEYS') ?? null;
  if (keys !== null) {
    for (const entry of keys.split(',')) {
      const [kid, b64] = entry.split(':');
      if (!kid || !b64 || Buffer.from(b64, 'base64').length !== 32) {
        throw new ConfigError('CALHUB_ENCRYPTION_KEYS', 'comma-separated kid:base64 entries of 32-byte keys');
      }
    }
  }
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  // The generated key lives in one machine's data dir; servers and workers sharing a PostgreSQL
  // would each make their own and fail to read each other's secrets. So: configured, or nothing.
  if (databaseUrl !== null && keys === null) {
    throw new ConfigError('CALHUB_ENCRYPTION_KEYS', 'a key ring whenever DATABASE_URL is set (every process must share it); generate one with: echo "k1:$(openssl rand -base64 32)"');
  }
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    workerMetricsPort: value(env, 'WORKER_METRICS_PORT') === undefined ? null : int(env, 'WORKER_METRICS_PORT', 0, 0, 65535),
    sandboxPorts: { google: int(env, 'CALHUB_SANDBOX_GOOGLE_PORT', 0, 0, 65535), microsoft: int(env, 'CALHUB_SANDBOX_MICROSOFT_PORT', 0, 0, 65535) },
    host: value(env, 'HOST') ?? '127.0.0.1',
    dataDir: resolve(value(env, 'CALHUB_DATA_DIR') ?? './.calhub'),
    secretsDir: resolve(value(env, 'CALHUB_SECRETS_DIR') ?? defaultSecretsDir(env)),
    databaseUrl,
    databaseTimeouts: databaseTimeouts(env),
    redisHeartbeat: redisHeartbeatOf(env),
    ...redisTarget(env),
    redisServerBin: value(env, 'REDIS_SERVER_BIN') ?? 'redis-server',
    logLevel: level as Config['logLevel'],
    encryptionKeys: keys,
    caldavAllowPrivateNetworks: bool(env, 'CALDAV_ALLOW_PRIVATE_NETWORKS', false),
    caldavRequestDeadlineMs: caldavRequestDeadlineMs(env),
    webhooksAllowPrivateNetworks: bool(env, 'WEBHOOKS_ALLOW_PRIVATE_NETWORKS', false),
    webhookSlots: webhookSlotsOf(env),
    horizon: horizonOf(env),
    syncStaleRunMs: int(env, 'SYNC_STALE_RUN_MS', 30_000, 1000, 86_400_000),
    syncRunBudgetMs: int(env, 'SYNC_RUN_BUDGET_MS', 300_000, 1000, 86_400_000),
    syncMaxRunsPerHost: int(env, 'SYNC_MAX_RUNS_PER_HOST', 2, 1, 10_000),
    syncMaxRunsPerAccount: int(env, 'SYNC_MAX_RUNS_PER_ACCOUNT', 2, 1, 10_000),
    syncMaxRunsPerTenant: int(env, 'SYNC_MAX_RUNS_PER_TENANT', 3, 1, 10_000),
    threadNice: int(env, 'CALHUB_THREAD_NICE', 10, 0, 19),
    heapGrowthPercent: heapGrowthPercent(env),
    syncPollIntervalMs: int(env, 'SYNC_POLL_INTERVAL_MS', 300_000, 5_000, 86_400_000),
    calendarListIntervalMs: int(env, 'CALENDAR_LIST_INTERVAL_MS', 3_600_000, 60_000, 7 * 86_400_000),
    syncSharedCalendars: bool(env, 'CALHUB_SYNC_SHARED_CALENDARS', true),
    calendarGoneAfterMs: int(env, 'CALENDAR_GONE_AFTER_MS', 300_000, 0, 7 * 86_400_000),
    publicUrl: publicUrl(env),
    adminPassword: adminPassword(env),
    api: loadApiConfig(env),
    oauth: oauthConfig(env),
  };
}
