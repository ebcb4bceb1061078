import { resolve } from 'node:path';
import { ConfigError } from '../errors.ts';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  redisServerBin: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  encryptionKeys: string | null;
  caldavAllowPrivateNetworks: boolean;
  horizon: { pastDays: number; futureDays: number };
  syncStaleRunMs: number;
  syncPollIntervalMs: number;
  /** Base URL of the webhook receivers as providers see it; null: polling only. */
  publicUrl: string | null;
  /** The queue dashboard's password (user `admin`); null: no dashboard. */
  adminPassword: string | null;
  api: ApiConfig;
}

/** HTTP API limits; api/ turns them into its rate limiter, request limits and body limit. */
export interface ApiConfig {
  rateLimitPerSec: number;
  rateLimitBurst: number;
  maxWindowDays: number;
  maxAvailabilityDays: number;
  maxCalendars: number;
  maxBodyBytes: number;
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

/** Never echoed: it is a password. Short ones are refused, the dashboard can retry and delete jobs. */
function adminPassword(env: Env): string | null {
  const raw = value(env, 'CALHUB_ADMIN_PASSWORD');
  if (raw === undefined) return null;
  if (raw.length < 16) throw new ConfigError('CALHUB_ADMIN_PASSWORD', 'a password of at least 16 characters');
  return raw;
}

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
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: value(env, 'HOST') ?? '127.0.0.1',
    dataDir: resolve(value(env, 'CALHUB_DATA_DIR') ?? './.calhub'),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisServerBin: value(env, 'REDIS_SERVER_BIN') ?? 'redis-server',
    logLevel: level as Config['logLevel'],
    encryptionKeys: keys,
    caldavAllowPrivateNetworks: bool(env, 'CALDAV_ALLOW_PRIVATE_NETWORKS', false),
    horizon: { pastDays: int(env, 'CALHUB_HORIZON_PAST_DAYS', 365, 1, 3650), futureDays: int(env, 'CALHUB_HORIZON_FUTURE_DAYS', 730, 30, 3650) },
    syncStaleRunMs: int(env, 'SYNC_STALE_RUN_MS', 600_000, 1000, 86_400_000),
    syncPollIntervalMs: int(env, 'SYNC_POLL_INTERVAL_MS', 300_000, 5_000, 86_400_000),
    publicUrl: publicUrl(env),
    adminPassword: adminPassword(env),
    api: loadApiConfig(env),
  };
}
