import { AccessChangeRepo } from './access-change.ts';
import { AccountRepo } from './accounts.ts';
import { bumpBusyVersion, type BusySpan, type Horizon } from './busy.ts';
import { rebuildBusy, spansLayout, type BusyLayout } from './busy-layout.ts';
import { CalendarRepo, CalendarSyncRepo, reapStaleSyncs } from './calendars.ts';
import { CalendarCursorRepo } from './calendar-cursor.ts';
import { ChannelRepo } from './channels.ts';
import type { Db, Queryable } from './db.ts';
import { openEmbedded } from './embedded.ts';
import { EventRepo, type EventScope } from './events.ts';
import { IdempotencyRepo } from './idempotency.ts';
import { migrate } from './migrate.ts';
import { MirrorRepo } from './mirror-repo.ts';
import { CopyRefusalRepo } from './copy-refusals.ts';
import { ConflictRepo, JournalRepo, LedgerRepo, ListingRepo, OutboxRepo, WrittenRepo } from './sync-repo.ts';
import { openPg, pgConnection } from './pg-driver.ts';
import { CHECK, openChangeBus, type ChangeBus } from './change-bus.ts';
import { OAuthRepo } from './oauth-repo.ts';
import { TenantRepo } from './tenants.ts';
import { WebhookEndpointRepo } from './webhook-endpoints.ts';
import { tenantScoped, watchWrites, type StoreChange } from './write-watch.ts';
import { SessionTurns } from './session-turns.ts';
import { SignInRepo } from './sign-ins.ts';
import { applyCalendarSettings, switchSync, syncOffRefusal, type CalendarSettings, type SyncOffOptions, type SyncOffRefusal, type SyncSwitch } from './sync-switch.ts';

export interface StoreOptions {
  /** postgres://… selects the PostgreSQL driver; otherwise PGlite in dataDir. */
  databaseUrl?: string | null;
  /** CALHUB_DATA_DIR; null keeps PGlite in memory (tests, benchmarks). */
  dataDir?: string | null;
  /** PostgreSQL schema to live in (test isolation). */
  schema?: string;
  /** Serve the embedded database to other calhub processes (`calhub start`). */
  shareEmbedded?: boolean;
  /**
   * Another thread of this process serves the embedded database (`calhub start`'s store thread):
   * connect to its socket, and never open the files here, even if the socket does not answer.
   */
  embeddedClient?: boolean;
  /** The busy index covers [now - pastDays, now + futureDays]. */
  horizon?: { pastDays: number; futureDays: number };
  now?: () => Date;
  /** The busy index's table layout: the default is migration 0010's; benchmarks compare the old one. */
  busyLayout?: BusyLayout;
  /** Told, after the write (its transaction), which calendars a write may have changed (write-watch.ts). */
  onChange?: (c: StoreChange) => void;
  /**
   * On PostgreSQL (databaseUrl): tell other processes on the schema what this store's writes may
   * have changed, and let this one be told theirs (`changeBus`, change-bus.ts). Every hub sets it.
   */
  shareChanges?: boolean;
  /** With shareChanges: stores of one origin do not hear each other's changes by NOTIFY (change-bus.ts). */
  changeOrigin?: string;
  /**
   * On PostgreSQL (databaseUrl): DATABASE_QUERY_TIMEOUT_MS and DATABASE_CONNECT_TIMEOUT_MS
   * (pg-driver.ts), so a hung server is an outage, not a wait without end. Migrations are not
   * held to the query timeout: one rewriting a large table may rightly take longer.
   */
  pgTimeouts?: { queryMs: number; connectMs: number };
}

const DAY = 86_400_000;

/**
 * One tenant's repositories, all on the same connection or transaction. Every query carries the
 * tenant id, or a calendar id the caller resolved for this tenant (ledger, listing, mirror links).
 */
export interface TenantRepos {
  readonly tenantId: string;
  accounts: AccountRepo;
  calendars: CalendarRepo;
  sync: CalendarSyncRepo;
  cursor: CalendarCursorRepo;
  events: EventRepo;
  mirror: MirrorRepo;
  /** Mirror copies their target's provider refuses (migration 0073). */
  refusals: CopyRefusalRepo;
  channels: ChannelRepo;
  webhooks: WebhookEndpointRepo;
  ledger: LedgerRepo;
  listing: ListingRepo;
  /** Objects calhub wrote that no completed pull has covered yet (migration 0085). */
  written: WrittenRepo;
  outbox: OutboxRepo;
  conflicts: ConflictRepo;
  journal: JournalRepo;
  /** A reconnect with other access (migration 0027): scrub, park, read again. */
  accessChange: AccessChangeRepo;
  /** What an OAuth sign-in stored, with its account (migration 0083). */
  signIns: SignInRepo;
}

/**
 * The repositories of one unit of work: every call runs on its one transaction. Use only these
 * inside the callback — a repository of `store.tenant(id)` there runs outside the transaction (and
 * on PGlite, or on a locked calendar, waits for it forever).
 */
export type TenantTx = TenantRepos;

/** Scoped views of one tenant's data; each call outside `transaction` is atomic on its own. */
export interface TenantStore extends TenantRepos {
  busy(calendarIds: string[], start: Date, end: Date): Promise<BusySpan[]>;
  /**
   * One unit of work: `fn` gets the tenant's repositories bound to one transaction, which commits
   * when fn resolves and rolls back when it throws (the throw is passed on). How the engine writes
   * a page with its ledger, outbox entries, conflicts, journal entry and slot fence together.
   */
  transaction<T>(fn: (t: TenantTx) => Promise<T>): Promise<T>;
  /**
   * Deletes an account and everything derived from it in one transaction: the cascades take
   * calendars, events, busy index, ledger, outbox, conflicts, mirror rules and links; channel rows
   * the write journal, pending OAuth states and connect sessions (no foreign key) go explicitly; bumping busy versions is moot (rows gone).
   */
  purgeAccount(accountId: string, calendarIds: string[]): Promise<void>;
  /**
   * Deletes calendars of the tenant and everything derived from them in one transaction (the
   * cascades and write journal as purgeAccount; mirror rules naming them go too). Their push
   * channel rows stay, due now: the supervisor's next pass stops each at the provider and forgets it.
   * Returns the ids it deleted.
   */
  purgeCalendars(calendarIds: string[]): Promise<string[]>;
  /** Switches the calendar's sync off (its copy goes) or on (sync-switch.ts); null when the tenant has no such calendar. */
  setSyncEnabled(calendarId: string, enabled: boolean, opts?: SyncOffOptions): Promise<SyncSwitch | null>;
  /** Why switching the calendar's sync off would be refused now; null: it would not (or no such calendar). */
  syncOffRefusal(calendarId: string, opts?: SyncOffOptions): Promise<SyncOffRefusal | null>;
  /** A PATCH's settings (name, countsForBusy, syncEnabled) in one transaction: one calendar.updated (sync-switch.ts). */
  updateCalendarSettings(calendarId: string, settings: CalendarSettings): Promise<SyncSwitch | null>;
}

export class Store {
  readonly tenants: TenantRepo;
  /** Redirect allow-lists, pending authorizations, connect sessions, tenants' own OAuth apps. */
  readonly oauth: OAuthRepo;
  /** Idempotency keys of API writes, per tenant (migration 0009). */
  readonly idempotency: IdempotencyRepo;

  /**
   * On the embedded database (one session for every client): heavy tenants' transactions wait
   * their turn behind lighter tenants' statements, once the sync engine sets the policy
   * (session-turns.ts). Null on PostgreSQL, where each client has a session of its own.
   */
  readonly sessionTurns: SessionTurns | null;

  /** Other processes' writes on this PostgreSQL schema, and this one's told to them (`shareChanges`); null otherwise. */
  readonly changeBus: ChangeBus | null;

  private constructor(
    readonly db: Db,
    private readonly opts: StoreOptions,
    sessionTurns: SessionTurns | null = null,
    changeBus: ChangeBus | null = null,
  ) {
    this.sessionTurns = sessionTurns;
    this.changeBus = changeBus;
    this.tenants = new TenantRepo(db);
    this.oauth = new OAuthRepo(db);
    this.idempotency = new IdempotencyRepo(db);
  }

  static async open(opts: StoreOptions = {}): Promise<Store> {
    let db: Db;
    let bus: ChangeBus | null = null;
    if (opts.databaseUrl) {
      const connection = { connectionString: opts.databaseUrl, schema: opts.schema, queryTimeoutMs: opts.pgTimeouts?.queryMs, connectTimeoutMs: opts.pgTimeouts?.connectMs };
      db = await openPg(connection);
      // Its listening connection's check answers within the query timeout, or 10 s (change-bus.ts).
      const checkDeadlineMs = opts.pgTimeouts?.queryMs ? Math.min(opts.pgTimeouts.queryMs, CHECK.deadlineMs) : undefined;
      if (opts.shareChanges) bus = await openChangeBus({ connection: pgConnection(connection), db, origin: opts.changeOrigin, checkDeadlineMs }).catch(async (e: unknown) => {
        await db.close();
        throw e;
      });
    } else if (opts.dataDir) db = await openEmbedded({ dataDir: opts.dataDir, share: opts.shareEmbedded ?? false, clientOnly: opts.embeddedClient ?? false });
    // In memory (tests): PGlite's module is loaded only then; a hub's threads reach it by socket.
    else db = (await (await import('./pglite-driver.ts')).openPglite(null)).db;
    const local = opts.onChange;
    const report = bus ? (c: StoreChange) => (local?.(c), bus.publish(c)) : local;
    if (report) db = watchWrites(db, report);
    const turns = db.embedded ? new SessionTurns() : null;
    return new Store(turns ? turns.wrap(db) : db, opts, turns, bus);
  }

  get driver(): Db['driver'] {
    return this.db.driver;
  }

  /** `upTo` stops after that migration version (a benchmark comparing an older layout); `onApplied` hears each one applied, with its time. */
  async migrate(opts: { upTo?: number; onApplied?: (name: string, ms: number) => void } = {}): Promise<string[]> {
    const t = this.opts.pgTimeouts;
    if (!this.opts.databaseUrl || !t?.queryMs) return migrate(this.db, opts);
    // A connection of its own without the query timeout (see pgTimeouts).
    const unbounded = await openPg({ connectionString: this.opts.databaseUrl, schema: this.opts.schema, max: 1, connectTimeoutMs: t.connectMs });
    try {
      return await migrate(unbounded, opts);
    } finally {
      await unbounded.close();
    }
  }

  /** The busy index layout in use; free/busy readers load spans through it. */
  get busyLayout(): BusyLayout {
    return this.opts.busyLayout ?? spansLayout;
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  tenant(tenantId: string): TenantStore {
    // Watched writes made through a tenant's repositories are that tenant's (write-watch.ts).
    const db = this.opts.onChange || this.changeBus ? tenantScoped(this.db, tenantId) : this.db;
    return {
      ...this.repos(tenantId, db, (fn) => db.transaction(fn)),
      busy: (calendarIds, start, end) => this.busyLayout.query(db, tenantId, calendarIds, start, end),
      transaction: (fn) => db.transaction((tx) => fn(this.repos(tenantId, tx, (write) => write(tx)))),
      purgeAccount: (accountId, calendarIds) =>
        db.transaction(async (tx) => {
          await tx.query('DELETE FROM push_channels WHERE tenant_id = $1 AND (account_id = $2 OR calendar_id = ANY($3))', [tenantId, accountId, calendarIds]);
          await tx.query('DELETE FROM write_journal WHERE tenant_id = $1 AND calendar_id = ANY($2)', [tenantId, calendarIds]);
          // Pending reconnects naming the account would re-link a deleted id. Connect sessions naming
          // it stay: their page says the account is gone (ACCOUNT_GONE, with the way back to the
          // product) and starts nothing, instead of "this link is no longer valid".
          await tx.query('DELETE FROM oauth_states WHERE tenant_id = $1 AND account_id = $2', [tenantId, accountId]);
          await tx.query('DELETE FROM accounts WHERE id = $1 AND tenant_id = $2', [accountId, tenantId]);
        }),
      purgeCalendars: (calendarIds) =>
        db.transaction(async (tx) => {
          await tx.query('UPDATE push_channels SET next_check_at = now() WHERE tenant_id = $1 AND calendar_id = ANY($2)', [tenantId, calendarIds]);
          await tx.query('DELETE FROM write_journal WHERE tenant_id = $1 AND calendar_id = ANY($2)', [tenantId, calendarIds]);
          const rows = await tx.query<{ id: string }>('DELETE FROM calendars WHERE tenant_id = $1 AND id = ANY($2) RETURNING id', [tenantId, calendarIds]);
          return rows.map((r) => r.id);
        }),
      setSyncEnabled: (calendarId, enabled, opts) => db.transaction((tx) => switchSync(tx, tenantId, calendarId, enabled, opts)),
      syncOffRefusal: (calendarId, opts) => syncOffRefusal(db, tenantId, calendarId, opts),
      updateCalendarSettings: (calendarId, settings) => applyCalendarSettings(db, tenantId, calendarId, settings, this.busyLayout),
    };
  }

  private repos(tenantId: string, q: Queryable, write: EventScope['write']): TenantRepos {
    const horizonOf = (tx: Queryable, calendarId: string) => this.horizonOf(tx, calendarId);
    return {
      tenantId,
      accounts: new AccountRepo(q, tenantId),
      calendars: new CalendarRepo(q, tenantId, write, this.busyLayout),
      sync: new CalendarSyncRepo(q, tenantId),
      cursor: new CalendarCursorRepo(q, tenantId),
      mirror: new MirrorRepo(q, tenantId),
      refusals: new CopyRefusalRepo(q, tenantId),
      channels: new ChannelRepo(q, tenantId),
      webhooks: new WebhookEndpointRepo(q, tenantId),
      events: new EventRepo({ q, write, driver: this.db.driver, horizonOf, busy: this.busyLayout }, tenantId),
      ledger: new LedgerRepo(q),
      listing: new ListingRepo(q),
      written: new WrittenRepo(q),
      outbox: new OutboxRepo(q, tenantId),
      conflicts: new ConflictRepo(q, tenantId),
      journal: new JournalRepo(q, tenantId),
      accessChange: new AccessChangeRepo(q, tenantId),
      signIns: new SignInRepo(q, tenantId),
    };
  }

  reapStaleSyncs(staleMs: number): Promise<string[]> {
    return reapStaleSyncs(this.db, staleMs);
  }

  /**
   * Moves every calendar's busy horizon forward (the daily maintenance job): UIDs with recurrence
   * are re-expanded over the new horizon. Returns how many calendars moved.
   */
  async extendHorizons(): Promise<number> {
    const target = this.targetHorizon();
    const stale = await this.db.query<{ calendar_id: string; tenant_id: string; time_zone: string }>(
      `SELECT h.calendar_id, c.tenant_id, c.time_zone FROM busy_horizons h JOIN calendars c ON c.id = h.calendar_id
        WHERE h.end_at < $1`,
      [new Date(target.end.getTime() - DAY).toISOString()],
    );
    for (const c of stale) {
      await this.db.transaction(async (tx) => {
        await tx.query('UPDATE busy_horizons SET start_at = $2, end_at = $3 WHERE calendar_id = $1', [c.calendar_id, target.start, target.end]);
        const uids = await tx.query<{ uid: string }>(
          `SELECT DISTINCT uid FROM events WHERE calendar_id = $1 AND data->'recurrence' IS NOT NULL AND data->'recurrence' <> 'null'::jsonb`,
          [c.calendar_id],
        );
        await this.busyLayout.trim(tx, c.calendar_id, target.start);
        await bumpBusyVersion(tx, c.calendar_id);
        await rebuildBusy(this.busyLayout, tx, { tenantId: c.tenant_id, calendarId: c.calendar_id, timeZone: c.time_zone, horizon: target }, uids.map((u) => u.uid));
      });
    }
    return stale.length;
  }

  async close(): Promise<void> {
    await this.changeBus?.close();
    return this.db.close();
  }

  /**
   * The time every calendar's busy index surely holds: the horizon a calendar is moved to (see
   * extendHorizons) less the two days it may lag behind it before the daily job moves it.
   */
  busyCoverage(): Horizon {
    const h = this.targetHorizon();
    return { start: h.start, end: new Date(h.end.getTime() - 2 * DAY) };
  }

  /** The store's clock (StoreOptions.now, else the system's): what its horizons move by. */
  now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  private targetHorizon(): Horizon {
    const h = this.opts.horizon ?? { pastDays: 365, futureDays: 730 };
    const today = Math.floor(this.now().getTime() / DAY) * DAY;
    return { start: new Date(today - h.pastDays * DAY), end: new Date(today + h.futureDays * DAY) };
  }

  /** A calendar's horizon is fixed when first written, so all its rows cover the same span. */
  private async horizonOf(tx: Queryable, calendarId: string): Promise<Horizon> {
    const rows = await tx.query<{ start_at: Date; end_at: Date }>('SELECT start_at, end_at FROM busy_horizons WHERE calendar_id = $1', [calendarId]);
    if (rows[0]) return { start: rows[0].start_at, end: rows[0].end_at };
    const h = this.targetHorizon();
    await tx.query('INSERT INTO busy_horizons (calendar_id, start_at, end_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [calendarId, h.start, h.end]);
    return h;
  }
}
