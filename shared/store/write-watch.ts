/**
 * Tells, after the fact, which calendars' free/busy inputs a store write may have changed: the
 * calendar row (ownership, time zone, busy_version, sync stage and errors), its account's status,
 * its quarantine. `calhub start`'s API thread keeps those in memory (freebusy/calendar-memo.ts)
 * and drops what this reports, so it need not read the store on every request.
 *
 * Every statement is classified, so no writer can forget to report: one that touches none of the
 * watched tables changes nothing free/busy reads; one that does is narrowed to a calendar only
 * inside a sync run's scope (the engine sets it per job) and only when its parameters name no
 * other calendar, to the tenant inside any other scope, and otherwise to everything. Wrong
 * guesses only cost a store read. A change is reported once its transaction has ended, so a read
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

/** The change a statement may have made, or null when it cannot affect free/busy's inputs. */
export function changeOf(sql: string, params: unknown[] | undefined): StoreChange | null {
  if (!WATCHED.test(sql) || !WRITE.test(sql)) return null;
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
    async query<R>(sql: string, params?: unknown[]): Promise<R[]> {
      const change = changeOf(sql, params);
      try {
        return await db.query<R>(sql, params);
      } finally {
        if (change) send([change]);
      }
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const changes = new Map<string, StoreChange>();
      try {
        return await db.transaction((tx) =>
          fn({
            query<R>(sql: string, params?: unknown[]): Promise<R[]> {
              const change = changeOf(sql, params);
              if (change) changes.set(keyOf(change), change);
              return tx.query<R>(sql, params);
            },
          }),
        );
      } finally {
        send(changes.values());
      }
    },
    close: () => db.close(),
  };
}
