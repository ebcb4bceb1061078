/**
 * What each command does, in one line, in the order `calhub --help` lists them. Kept apart from
 * the commands' modules, which import the hub: the overview loaded all of them (and so every
 * package the hub uses) to print these lines, 0.7 s of CPU. Each command takes its own from here;
 * cli/main.test.ts checks the list against commands/all.ts.
 */
export const SUMMARIES = {
  'start':
    'Run the whole hub in one process (API, sync worker and embedded store in threads of their own), with embedded PGlite and a managed redis-server by default; --sandbox: with emulated Google and Microsoft and a connected demo tenant',
  'serve':
    'Run only the HTTP API (production: several behind a load balancer); needs REDIS_URL or a running start',
  'worker':
    'Run only the background worker: sync jobs (pull, push, mirror), polling and maintenance',
  'status':
    'One screen of the deployment: store and Redis, workers, queue depths, sync jobs delayed or retrying, accounts by status, failing calendars, channels expiring soon (default within 24h; the 10 soonest, --all for every one), rules with refused copies, the oldest unsynced calendar. Exits 3 if the store or Redis cannot be reached',
  'migrate':
    'Apply pending database migrations (start, serve and worker also do this)',
  'keys rotate':
    'Re-encrypt every stored secret with the newest key of CALHUB_ENCRYPTION_KEYS (the first), or, without it, with a new key added first to the generated keys file (stop the hub first); older keys still decrypt until this reports none left on them',
  'tenants create':
    'Create a tenant and print its API key (shown once; stored hashed)',
  'tenants list':
    'List tenants',
  'tenants allow-redirect':
    "Put a redirect URI on the tenant's allow-list for connections (exact match; https, or http for localhost); --remove takes it off",
  'tenants oauth-app':
    "Show, set or remove the tenant's own OAuth app (its own quota), or rotate the secret of a replaced client kept for its accounts (--retired-client-id); the secret is read from stdin, a file or CALHUB_OAUTH_CLIENT_SECRET, never argv",
  'tenants redirects':
    "The tenant's redirect-URI allow-list",
  'tenants api-keys list':
    "List a tenant's API keys: id, the non-secret prefix, created, revoked (never the key)",
  'tenants api-keys create':
    'Create another API key for a tenant (shown once; stored hashed), e.g. to rotate keys',
  'tenants api-keys revoke':
    'Revoke an API key: refused from then on (an API process may accept it up to 10 s longer from its cache)',
  'accounts connect caldav':
    'Connect a CalDAV account (iCloud, Fastmail, Nextcloud, Radicale, …): discover its calendars; the password is encrypted at rest',
  'accounts connect google':
    'Connect a Google account: prints the consent URL, waits for the browser to come back, prints the account (--account: reconnect it). Access is read unless --access readwrite (writes, mirroring) or freebusy',
  'accounts connect microsoft':
    'Connect a Microsoft 365 / Outlook account: prints the consent URL, waits for the browser to come back, prints the account (--account: reconnect it). Access is read unless --access readwrite (writes, mirroring) or freebusy',
  'accounts list':
    'List connected accounts, their status, and calendars whose syncs or writes are failing; --json --with-total prints {items, total, truncated} instead of the bare array, so a --limit page tells the count of all',
  'accounts show':
    "One account: provider, status and why, and each calendar's sync stage, last success and problem",
  'accounts disconnect':
    'Disconnect an account: revoke the grant at the provider, stop its push channels, delete it and everything synced from it',
  'accounts disable':
    'Stop syncing an account: its jobs fail with ACCOUNT_DISABLED and polling skips it; its data stays',
  'accounts enable':
    'Let a disabled account sync again and queue a pull of its calendars (reconnecting an account also does this); one that needed reauth when it was disabled goes back to needs_reauth, with its reason',
  'resync':
    "Sync accounts' calendars now (through the queue when a worker runs, else in this process). --full lists every item instead of asking for changes; --dry-run prints what the next sync would create, update and delete on each side and writes nothing; --wait returns when the syncs and their writes are done, with progress on stderr. Exits 1 if a sync or a write failed",
  'rules create':
    'Create a mirror rule copying events from one calendar to another (busy blocks or full copies)',
  'rules list':
    "List mirror rules: one tenant's, or every tenant's with a TENANT column",
  'rules show':
    'Show a mirror rule: its state (paused, and why), its config and how many copies it holds',
  'rules pause':
    'Pause a mirror rule: it writes no copies and keeps those it made until resumed',
  'rules resume':
    'Resume a paused mirror rule: its copies are brought up to date',
  'rules update':
    "Change a mirror rule's filters (each flag given replaces that filter; the others stay): its next pass adds the copies they now let through and removes those they leave out",
  'rules delete':
    'Delete a mirror rule and the copies it made (says how many are gone from their provider and how many are left there, their delete waiting or parked after 3 refusals)',
  'conflicts list':
    'List recorded conflicts (base, both sides, outcome); --open shows only parked ones',
  'conflicts resolve':
    "Resolve a parked conflict (see conflicts list --open): --take local or remote decides the fields in conflict; each side's other changes are kept, and the result is written to the provider. --if-free (--if-free-calendars, --if-free-accounts: comma-separated ids) takes the hub's side only if its time is still free (else SLOT_TAKEN, nothing written, still parked); --send-updates none|externalOnly|all says whom the provider tells (default: the provider's own), as the API's query",
  'calendars create':
    "Create a calendar in a connected account at its provider (Google, Microsoft 365, CalDAV), with its own time zone where the provider keeps one; it syncs like the account's others",
  'calendars delete':
    'Delete a calendar at its provider and in calhub, with its events and the mirror rules naming it (--yes to confirm); the primary or default calendar and calendars the account does not own are refused',
  'calendars rename':
    'Rename a calendar at its provider and in calhub; a calendar shared with the account is refused (only its owner renames it)',
  'calendars busy':
    "Choose whether a calendar counts when free/busy or availability names its account: counts, ignored, or default (the account's own and writable calendars count, ones shared with it to read do not)",
  'calendars zone':
    "Choose the time zone calhub reads a calendar's all-day and floating times in (an IANA or Windows name), for a provider that states none or the wrong one (a CalDAV collection without calendar-timezone, every Xandikos collection); default: the provider's zone again. Nothing is written to the provider",
  'calendars sync':
    "Switch a calendar's sync off (calhub stops syncing it and removes its copy: events, busy time, push channel; the provider keeps everything) or on again (synced from the start); refused while mirror rules name it or local changes wait to be written, parked deletes included (--drop-parked-deletes: switch off anyway, leaving those events at the provider)",
  'calendars policy':
    'Show or set how a calendar settles conflicts: --conflict for both sides editing the same field (manual parks it for `calhub conflicts resolve`), --delete for a delete on one side against an edit on the other',
  'calendars unflag':
    'Clear the mass-change guard flag of a calendar after checking it, so its syncs resume: the change the guard stopped is approved for the next sync (as many removals and rewrites, once)',
  'calendars quarantine':
    'List the items of a calendar set aside because they cannot be stored: remote id, reason code, message, first and last seen',
  'calendars writes':
    "List a calendar's local changes not yet written to its provider: UID, pending / failing / parked, refusals, whom it tells (sendUpdates), the provider's last answer",
  'runs list':
    'Sync runs that wrote to providers (the write journal), newest first: writes created, updated and deleted at the provider, the calendars written to, first and last write',
  'runs revert':
    "Undo what a run wrote, where it still stands: each field the run changed goes back if it still holds the run's value, the run's new events are deleted if unchanged, its deletions undone if nothing came back since; what changed or was deleted since stays and is listed as skipped (through the outbox)",
  'queue list':
    'Sync jobs by state (default: failed), with why each failed; needs REDIS_URL or a running start',
  'queue retry':
    'Replay failed sync jobs (after fixing what failed them, e.g. a reconnected account); they re-read their state when they run',
  'webhooks create':
    'Register an endpoint for signed webhooks; prints its signing secret once',
  'webhooks list':
    'List webhook endpoints: status, health (failing since, next retry, last error), messages owed, why any was disabled',
  'webhooks show':
    'One webhook endpoint: its events, status, health (failing since, failures, next retry, last error) and messages owed',
  'webhooks update':
    'Change an endpoint; --enable re-enables a disabled one, or retries a failing one now (the worker then sends what it is owed)',
  'webhooks delete':
    'Remove an endpoint and its delivery log',
  'webhooks rotate-secret':
    'A new signing secret (printed once); the old one keeps signing alongside for 24 hours (again within them: refused with exit 2 and the time it is possible, unless --force)',
  'webhooks retire-previous-secret':
    'End the last rotation\'s 24-hour overlap now: the secret it replaced stops signing at once (once every receiver verifies with the new one)',
  'webhooks test':
    'Send a signed webhook.test message now; exit 1 when the endpoint does not answer 2xx (410 Gone disables it, as a delivery does)',
  'webhooks deliveries':
    'Delivery log of an endpoint, newest first: attempts, status, latency, next retry',
  'webhooks replay':
    'Send again every message since a time (receivers dedupe by webhook-id); re-enables the endpoint',
  'channels list':
    'Push channels: provider, calendar, expiry, last notification, last pull, lag and state (active, renew, silent, polling, …), soonest expiry first. Google calendar lists have a channel; Microsoft ones none (read every CALENDAR_LIST_INTERVAL_MS, or now with resync <account>)',
  'channels renew':
    "Renew (Graph) or replace (Google) push channels now: one calendar's, or every channel expiring within a duration such as 1h. Exits 1 if a renewal failed",
  'emulator google':
    'Run the local Google Calendar API emulator (control API and quirks: emulators/google/README.md)',
  'emulator microsoft':
    'Run the local Microsoft Graph emulator (control API and quirks: emulators/microsoft/README.md)',
} as const;

export type CommandName = keyof typeof SUMMARIES;

export const summaryOf = (name: CommandName): string => SUMMARIES[name];
