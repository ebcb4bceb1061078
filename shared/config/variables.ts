/**
 * Every environment variable calhub reads, in one place: README's configuration table and
 * .env.example are checked against this list by config.test.ts.
 */
export interface Variable {
  name: string;
  default: string | null;
  description: string;
  secret?: boolean;
}

export const VARIABLES: Variable[] = [
  { name: 'PORT', default: '3000', description: 'HTTP port of the API (healthz, readyz, metrics, v1).' },
  { name: 'WORKER_METRICS_PORT', default: null, description: "HTTP port of `calhub worker`'s own listener: `/metrics` (its sync runs, queue depth and the rest; no other process exports a worker's sync metrics) and `/healthz`, on HOST. Unset: no listener (two workers on one host each need their own port); 0: any free port." },
  { name: 'CALHUB_SANDBOX_GOOGLE_PORT', default: '0', description: "Port of `calhub start --sandbox`'s emulated Google (on 127.0.0.1); 0: any free port. A port in use is refused naming it." },
  { name: 'CALHUB_SANDBOX_MICROSOFT_PORT', default: '0', description: "Port of `calhub start --sandbox`'s emulated Microsoft 365 (on 127.0.0.1); 0: any free port. A port in use is refused naming it." },
  { name: 'HOST', default: '127.0.0.1', description: 'Interface the API binds to; 0.0.0.0 to serve other hosts.' },
  { name: 'CALHUB_DATA_DIR', default: './.calhub', description: 'Embedded database (PGlite), managed Redis data and sockets.' },
  { name: 'DATABASE_URL', default: null, description: 'postgres://… to use a PostgreSQL server instead of the embedded PGlite.', secret: true },
  { name: 'REDIS_URL', default: null, description: 'redis://… of an existing Redis; unset: `calhub start` runs a local redis-server.', secret: true },
  { name: 'REDIS_CLUSTER_NODES', default: null, description: 'A Redis Cluster instead of one Redis: comma-separated `redis://[user:pass@]host:port` seed nodes (rediss:// for TLS; the first one\'s credentials apply to all). Not together with REDIS_URL.', secret: true },
  { name: 'REDIS_PREFIX', default: '{calhub}', description: 'Start of every Redis key calhub writes (queues, budgets, rate limits); deployments sharing a Redis use different ones. With a cluster it must hold a hash tag `{…}`, which keeps all keys in one slot for the multi-key scripts.' },
  { name: 'REDIS_SERVER_BIN', default: 'redis-server', description: 'The redis-server binary used when REDIS_URL is unset.' },
  { name: 'LOG_LEVEL', default: 'info', description: 'pino level: fatal, error, warn, info, debug, trace, silent.' },
  { name: 'CALHUB_ENCRYPTION_KEYS', default: null, description: 'Key ring for secrets at rest: `kid:base64-32-bytes[,kid:…]`, first is current. Required with `DATABASE_URL` (every serve and worker must share one ring; unset, the process refuses to start: config error, exit 2); generate one with `echo "k1:$(openssl rand -base64 32)"`. Only without `DATABASE_URL` (one machine, the embedded store): unset, a key is generated once into `<CALHUB_SECRETS_DIR>/keys` (a `keys` file an older version left in CALHUB_DATA_DIR is still read there, with a warning).', secret: true },
  { name: 'CALHUB_SECRETS_DIR', default: '$XDG_CONFIG_HOME/calhub or ~/.config/calhub', description: 'Directory (0700) of the secrets calhub generates: the encryption key `keys` and the managed Redis password `redis-password` (files 0600). Keep it outside CALHUB_DATA_DIR, so a copy of the data dir cannot decrypt its secrets; inside it, calhub warns at start.' },
  { name: 'CALDAV_ALLOW_PRIVATE_NETWORKS', default: 'false', description: 'Allow CalDAV servers on private, loopback or link-local addresses (SSRF guard off).' },
  { name: 'CALDAV_REQUEST_DEADLINE_MS', default: '60000', description: 'Time in ms a CalDAV request may take to its headers and first bytes, and in all when its body does not flow; an answer that keeps arriving at 64 KiB/s on average earns more, so a large listing is not cut, while a server dripping bytes is (1000 to 3600000). Raise it for a server that builds its whole answer before sending any (Radicale with tens of thousands of items in a calendar).' },
  { name: 'WEBHOOKS_ALLOW_PRIVATE_NETWORKS', default: 'false', description: 'Allow outbound webhook endpoints on loopback, private or link-local addresses, and plain http:// (development and tests only).' },
  { name: 'CALHUB_HORIZON_PAST_DAYS', default: '365', description: 'How far back the busy index reaches.' },
  { name: 'CALHUB_HORIZON_FUTURE_DAYS', default: '730', description: 'How far ahead the busy index reaches (extended daily).' },
  { name: 'CALHUB_PUBLIC_URL', default: null, description: 'Public https:// base URL providers reach the webhook receivers at (`<url>/webhooks/google`, `<url>/webhooks/microsoft`); unset: no push channels, polling only.' },
  { name: 'CALHUB_PUBLIC_URL_ALLOW_HTTP', default: 'never', description: 'When CALHUB_PUBLIC_URL may be plain http://: `never` (providers refuse http push addresses), `loopback` (development: localhost, 127.0.0.1, [::1] only), `sandbox` (the local emulators, which accept http).' },
  { name: 'CALHUB_ADMIN_PASSWORD', default: null, description: 'Turns on the queue dashboard at /admin/queues, behind HTTP Basic credentials `admin:<this>` (at least 16 characters); unset: no dashboard.', secret: true },
  { name: 'SYNC_POLL_INTERVAL_MS', default: '300000', description: 'Backstop: each calendar is pulled about once per interval, at its own fixed phase within it so calendars synced together are not polled together (CalDAV polling; missed push notifications).' },
  { name: 'CALHUB_SYNC_SHARED_CALENDARS', default: 'true', description: "`false`: a calendar shared with an account to read (a colleague's, holidays, birthdays: reader or freeBusyReader access) is recorded with its sync off when calhub first sees it (at connect or in a later calendar-list reading), so calhub keeps no copy of it; `calhub calendars sync <id> on` or PATCH `syncEnabled` switches one on. Calendars already recorded keep their setting." },
  { name: 'CALENDAR_LIST_INTERVAL_MS', default: '3600000', description: "Each account's calendar list is read again about once per interval, at the account's own phase: calendars added at the provider start syncing, renamed ones take the new name, removed ones go (see CALENDAR_GONE_AFTER_MS). `resync` of an account reads it at once." },
  { name: 'CALENDAR_GONE_AFTER_MS', default: '300000', description: "A calendar its account's list leaves out is marked missing, read again after this long, and removed from calhub with its events when that listing still leaves it out (a calendar whose sync finds it gone at the provider makes its account's list due). One partial answer never deletes a calendar; an empty list, or (Google, Microsoft 365: they always list the primary) one naming none of the known calendars, removes nothing." },
  { name: 'SYNC_STALE_RUN_MS', default: '30000', description: 'A sync run silent this long is presumed dead and its calendar freed (a live run proves it is alive every 5 s).' },
  { name: 'SYNC_RUN_BUDGET_MS', default: '300000', description: 'Longest one sync run may take: then its provider requests are aborted and it keeps what it committed; a run that committed work goes on a second later, one that committed nothing is rescheduled with backoff (15 s doubling to 5 min).' },
  { name: 'SYNC_MAX_RUNS_PER_HOST', default: '2', description: 'Sync runs one CalDAV server may have at once across all workers, so a slow server holds only its share of them.' },
  { name: 'SYNC_MAX_RUNS_PER_ACCOUNT', default: '2', description: 'Sync runs one account may have at once across all workers.' },
  { name: 'SYNC_MAX_RUNS_PER_TENANT', default: '3', description: "Sync runs one tenant may have at once across all workers; below a worker's 4 slots, other tenants always find one." },
  { name: 'CALHUB_HEAP_GROWTH_PERCENT', default: '50', description: "How far (in percent) past its live size V8 lets each of the hub's heaps grow before a full collection: V8's own choice let a long sync's heap grow to ~4× what it kept alive, so RSS grew with the calendar (a 100,000-event initial sync on PostgreSQL: peak 296–300 MB with 0, 192–200 MB with 50, no slower). Lower saves memory for more collection work; 0: V8's own choice." },
  { name: 'CALHUB_THREAD_NICE', default: '10', description: "Nice steps (0 to 19) below its API thread at which `calhub start` runs its sync and store threads (Linux): where the hub's work fills the cores, API requests get one first. 0: the same priority." },
  { name: 'API_RATE_LIMIT_PER_SEC', default: '1000', description: 'Requests per second one API key may make, counted across all `calhub serve` processes through Redis (per process when there is no Redis, or while it does not answer); more answer 429 RATE_LIMITED.' },
  { name: 'API_RATE_LIMIT_BURST', default: '2000', description: 'Requests one API key may send at once after a quiet spell (the token bucket size).' },
  { name: 'API_MAX_WINDOW_DAYS', default: '93', description: 'Longest free/busy and event-listing window in days; longer answer 400 WINDOW_TOO_LARGE.' },
  { name: 'API_MAX_AVAILABILITY_DAYS', default: '62', description: 'Longest availability window in days; longer answer 400 WINDOW_TOO_LARGE.' },
  { name: 'API_MAX_CALENDARS', default: '50', description: 'Calendars one free/busy or availability request may cover, counting those of named accounts (at most 200); more answer 400 TOO_MANY_CALENDARS.' },
  { name: 'API_WRITE_OCCURRENCES_PER_SEC', default: '2000', description: 'Occurrences per second one tenant\'s event writes may add to or remove from the busy index, across all API processes like API_RATE_LIMIT_PER_SEC (a recurring event costs its occurrences over the horizon, at most 100,000, what the busy index expands, and at most API_WRITE_OCCURRENCES_BURST; any other write costs 1); more answer 429 WRITE_BUDGET_EXCEEDED.' },
  { name: 'API_WRITE_OCCURRENCES_BURST', default: '20000', description: 'Occurrences one tenant\'s event writes may cost at once after a quiet spell (at least 5,000); a write costing more takes the whole burst.' },
  { name: 'API_MAX_BODY_BYTES', default: '1048576', description: 'Largest request body in bytes; larger answer 413 PAYLOAD_TOO_LARGE.' },
  { name: 'API_LOG_REQUESTS', default: 'false', description: 'true: log two info lines per HTTP request (received; completed with status and time), in start and serve alike. Off by default: at thousands of requests a second they drown the rest.' },
  { name: 'GOOGLE_CLIENT_ID', default: null, description: 'OAuth client id of your Google Cloud app (Calendar API enabled); unset: Google accounts cannot be connected unless a tenant brings its own app.' },
  { name: 'GOOGLE_CLIENT_SECRET', default: null, description: 'That app\'s client secret.', secret: true },
  { name: 'GOOGLE_RETIRED_CLIENTS', default: null, description: 'Google OAuth clients GOOGLE_CLIENT_ID was changed from, as `client-id:client-secret` (comma-separated; a bare `client-id` for a public client). A refresh token works only with the client that issued it: accounts connected through a listed client keep refreshing, and are revoked, through it; new connections use GOOGLE_CLIENT_ID. An account whose client is neither configured nor listed fails with AUTH_CLIENT_REJECTED, and `calhub status` / `calhub accounts list` name it: list its client here or have its user reconnect.', secret: true },
  { name: 'GOOGLE_OAUTH_BASE_URL', default: null, description: 'Origin serving /o/oauth2/v2/auth, /token and /revoke instead of Google\'s (an emulator).' },
  { name: 'GOOGLE_API_BASE_URL', default: null, description: 'Google Calendar API origin instead of https://www.googleapis.com (an emulator).' },
  { name: 'MICROSOFT_CLIENT_ID', default: null, description: 'Application (client) id of your Microsoft Entra app registration; unset: Microsoft accounts cannot be connected unless a tenant brings its own app.' },
  { name: 'MICROSOFT_CLIENT_SECRET', default: null, description: 'That app\'s client secret.', secret: true },
  { name: 'MICROSOFT_RETIRED_CLIENTS', default: null, description: 'Microsoft app registrations MICROSOFT_CLIENT_ID was changed from, as `client-id:client-secret` (comma-separated; a bare `client-id` for a public client), kept for the accounts connected through them, as GOOGLE_RETIRED_CLIENTS.', secret: true },
  { name: 'MICROSOFT_TENANT', default: 'common', description: 'Sign-in audience: common, organizations, consumers, or one directory\'s id or domain.' },
  { name: 'MICROSOFT_LOGIN_BASE_URL', default: null, description: 'Identity origin instead of https://login.microsoftonline.com (an emulator).' },
  { name: 'MICROSOFT_GRAPH_BASE_URL', default: null, description: 'Microsoft Graph origin instead of https://graph.microsoft.com (an emulator).' },
  { name: 'OAUTH_STATE_TTL_SECONDS', default: '600', description: 'How long an authorize URL stays usable; later callbacks answer error=STATE_EXPIRED.' },
];
