/**
 * Tells, after the fact, which calendars' free/busy inputs a store write may have changed: the
 * calendar row (ownership, time zone, busy_version, sync stage and errors), its account's status,
 * its quarantine. `calhub start`'s API thread and `calhub serve` on PostgreSQL keep those in memory
 * (freebusy/calendar-memo.ts) and drop what this reports, here or in another process
 * (change-bus.ts), so they need not read the store on every request.
 *
 * Every statement is classified, so no writer can forget to report: one that touches none of the
 * watched tables changes nothing free/busy reads; one that does is narrowed to a calendar only
 * inside a sync run's scope (the engine sets it per job) and only when its parameters name no
 * other calendar, to the tenant inside any other scope, and otherwise to everything; a statement
 * that writes the calendars table alone and returns its rows is narrowed to those calendars, and
 * making a tenant changes nothing. Wrong guesses only cost a store read. A change is reported once its transaction has ended, so a read
 * made after the report sees it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, Queryable } from './db.ts';

export type StoreChange = { scope: 'all' } | { scope: 'tenant'; tenantId: string } | { scope: 'calendar'; tenantId: string; calendarId: string };

export interface ChangeScope {
  tenantId: string;
  /** The calendar a sync job runs for; absent for tenant-wide work (mirror passes). */
  calendarId?: string;
}

const scopes = new AsyncLocalStorage<ChangeScope>();

/** The scope set by inChangeScope or tenantScoped around the caller, if any. */
export function currentChangeScope(): ChangeScope | undefined {
  return scopes.getStore();
}

/** Runs fn with its store writes attributed to one tenant (and calendar): the engine wraps each job in it. */
export function inChangeScope<T>(scope: ChangeScope, fn: () => T): T {
  return scopes.run(scope, fn);
}

/**
 * `db` whose statements count as the tenant's when no narrower scope is set: `store.tenant(id)`'s
 * repositories run on it, so an API request's write drops that tenant's memo entries, not every
 * tenant's.
 */
export function tenantScoped(db: Db, tenantId: string): Db {
  const within = <T>(fn: () => T): T => (scopes.getStore() ? fn() : scopes.run({ tenantId }, fn));
  return {
    get driver() {
      return db.driver;
    },
    get embedded() {
      return db.embedded;
    },
    query: (sql, params) => within(() => db.query(sql, params)),
    transaction: (fn) => within(() => db.transaction(fn)),
    close: () => db.close(),
  };
}

const WRITE = /\b(insert|update|delete|truncate|drop|alter|merge)\b/i;
const WATCHED = /\b(calendars|accounts|quarantine|tenants)\b/i;
const WIDE = /\b(accounts|tenants)\b/i;
/** A tenant made: it has no calendars yet (tenants.create), so no one's free/busy changed; it dropped every memo entry. */
const NEW_TENANT = /^\s*insert\s+into\s+tenants\s*\([^)]*\)\s*values\s*\([^)]*\)\s*(returning\b[^;]*)?$/i;

/** The change a statement may have made, or null when it cannot affect free/busy's inputs. */
export function changeOf(sql: string, params: unknown[] | undefined): StoreChange | null {
  if (!WATCHED.test(sql) || !WRITE.test(sql) || NEW_TENANT.test(sql)) return null;
  const s = scopes.getStore();
  if (!s || /\btenants\b/i.test(sql)) return { scope: 'all' };
  if (s.calendarId && !WIDE.test(sql) && onlyCalendar(params ?? [], s.calendarId)) return { scope: 'calendar', tenantId: s.tenantId, calendarId: s.calendarId };
  return { scope: 'tenant', tenantId: s.tenantId };
}

/** The parameters name `calendarId` and no other calendar id (ids are `cal_…`). */
function onlyCalendar(params: unknown[], calendarId: string): boolean {
  let named = false;
  const check = (v: unknown): boolean => {
    if (typeof v !== 'string' || !v.startsWith('cal_')) return true;
    if (v !== calendarId) return false;
    named = true;
    return true;
  };
  for (const p of params) {
    if (Array.isArray(p) ? !p.every(check) : !check(p)) return false;
  }
  return named;
}

/**
 * A single statement whose target is the calendars table (no CTE: it writes nothing else) and
 * that returns its rows: it changed exactly the calendars it returned. Connecting a calendar
 * (upsertMany) was the tenant's change before, and every free/busy request of the tenant's other
 * calendars then waited for the store, behind the sync transactions, to read them again.
 */
const CALENDARS_ONLY = /^\s*(insert\s+into|update|delete\s+from)\s+calendars\b[\s\S]*\breturning\b/i;

/** The calendars a CALENDARS_ONLY statement changed, from its rows; null when they do not say (the broad change stands). */
export function changesOfRows(sql: string, rows: unknown[], broad: StoreChange): StoreChange[] | null {
  if (broad.scope === 'calendar' || !CALENDARS_ONLY.test(sql)) return null;
  const out: StoreChange[] = [];
  for (const r of rows) {
    const { id, tenant_id } = (r ?? {}) as { id?: unknown; tenant_id?: unknown };
    const tenantId = typeof tenant_id === 'string' ? tenant_id : broad.scope === 'tenant' ? broad.tenantId : null;
    if (typeof id !== 'string' || !id.startsWith('cal_') || tenantId === null) return null;
    out.push({ scope: 'calendar', tenantId, calendarId: id });
  }
  return out;
}

/** Runs a statement and adds what it changed to `add`: narrowed by its rows where they tell, else as classified before it ran. */
async function watched<R>(sql: string, params: unknown[] | undefined, run: () => Promise<R[]>, add: (c: StoreChange) => void): Promise<R[]> {
  const change = changeOf(sql, params);
  if (!change) return run();
  let rows: R[] | null = null;
  try {
    rows = await run();
    return rows;
  } finally {
    for (const c of (rows && changesOfRows(sql, rows, change)) ?? [change]) add(c);
  }
}

const keyOf = (c: StoreChange) => (c.scope === 'all' ? 'all' : c.scope === 'tenant' ? `t\u0000${c.tenantId}` : `c\u0000${c.calendarId}`);

/** `db`, reporting the changes of its writes to `report` (after each statement, or after its transaction). */
export function watchWrites(db: Db, report: (c: StoreChange) => void): Db {
  const send = (changes: Iterable<StoreChange>) => {
    for (const c of changes) report(c);
  };
  return {
    get driver() {
      return db.driver;
    },
    get embedded() {
      return db.embedded;
    },
    query: <R>(sql: string, params?: unknown[]): Promise<R[]> => watched(sql, params, () => db.query<R>(sql, params), (c) => send([c])),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const changes = new Map<string, StoreChange>();
      // A statement that settles after the transaction ended (never awaited) still reports.
      let ended = false;
      try {
        return await db.transaction((tx) =>
          fn({
            query: <R>(sql: string, params?: unknown[]): Promise<R[]> => watched(sql, params, () => tx.query<R>(sql, params), (c) => (ended ? send([c]) : changes.set(keyOf(c), c))),
          }),
        );
      } finally {
        ended = true;
        send(changes.values());
      }
    },
    close: () => db.close(),
  };
}
