/**
 * Turns at the embedded database's one session (issue 12). Every client of the embedded PGlite
 * shares one session, and a transaction holds it to its end, so each statement of a small sync
 * waited for whichever transaction of a heavy tenant was under way: traced in the hostile-neighbour
 * test, the victim's first sync beside the attacker's first pages made ~20 store round trips
 * before, around and after its one page, and most of them waited 90-230 ms behind an attacker's
 * page transaction (1.5 s against ~0.5 s solo).
 *
 * So a transaction of a tenant that yields to another (the policy: the sync engine's TenantPace,
 * "a lighter tenant has a run going") begins only once that tenant has had no statement in flight
 * for `graceMs`: the lighter one's statements, which come back to back with a little work between
 * them, then meet at most the one transaction that was already under way. The wait is capped at
 * `maxWaitMs` per transaction, so a heavy tenant is slowed, never stopped. Statements outside a
 * transaction are short and go as they come. Which tenant a statement is for comes from the
 * change scope the engine sets per job (write-watch.ts); statements outside one never wait and
 * are not counted.
 */
import type { Db, Queryable } from './db.ts';
import { currentChangeScope } from './write-watch.ts';

/** True when `tenantId`'s transactions should wait for `other`'s store work. */
export type YieldPolicy = (tenantId: string, other: string) => boolean;

export interface SessionTurnsOptions {
  /** How long after a lighter tenant's last statement its next one is still expected (default 60 ms). */
  graceMs?: number;
  /** The longest one transaction waits (default 300 ms). */
  maxWaitMs?: number;
  now?: () => number;
}

export class SessionTurns {
  /** Set by the sync engine; none: nothing waits. */
  policy: YieldPolicy | null = null;
  /** Transactions that waited and their total ms (tests, diagnostics). */
  waits = 0;
  waitedMs = 0;
  private readonly activity = new Map<string, { inFlight: number; lastDone: number }>();
  private wakers: Array<() => void> = [];
  private readonly graceMs: number;
  private readonly maxWaitMs: number;
  private readonly now: () => number;

  constructor(opts: SessionTurnsOptions = {}) {
    this.graceMs = opts.graceMs ?? 60;
    this.maxWaitMs = opts.maxWaitMs ?? 300;
    this.now = opts.now ?? (() => performance.now());
  }

  /** `db` with its statements counted per tenant and its transactions taking their turn. */
  wrap(db: Db): Db {
    const counted = <T>(run: () => Promise<T>): Promise<T> => {
      const tenantId = this.policy ? currentChangeScope()?.tenantId : undefined;
      if (!tenantId) return run();
      this.started(tenantId);
      return run().finally(() => this.done(tenantId));
    };
    return {
      get driver() {
        return db.driver;
      },
      get embedded() {
        return db.embedded;
      },
      query: <R>(sql: string, params?: unknown[]) => counted(() => db.query<R>(sql, params)),
      transaction: async <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => {
        const tenantId = currentChangeScope()?.tenantId;
        if (tenantId) await this.turn(tenantId);
        return counted(() => db.transaction(fn));
      },
      close: () => db.close(),
    };
  }

  /** Waits while a tenant `tenantId` yields to has store work in flight or just done, up to maxWaitMs. */
  async turn(tenantId: string): Promise<void> {
    const policy = this.policy;
    if (!policy) return;
    const start = this.now();
    for (;;) {
      const now = this.now();
      let inFlight = false;
      let quietAt = -Infinity;
      for (const [other, a] of this.activity) {
        if (a.inFlight === 0 && now - a.lastDone >= this.graceMs) {
          this.activity.delete(other);
          continue;
        }
        if (other === tenantId || !policy(tenantId, other)) continue;
        if (a.inFlight > 0) inFlight = true;
        else quietAt = Math.max(quietAt, a.lastDone + this.graceMs);
      }
      const left = start + this.maxWaitMs - now;
      if ((!inFlight && quietAt <= now) || left <= 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, inFlight ? left : Math.min(left, quietAt - now));
        if (inFlight) this.wakers.push(() => (clearTimeout(timer), resolve()));
      });
    }
    const waited = this.now() - start;
    if (waited > 0.5) {
      this.waits++;
      this.waitedMs += waited;
    }
  }

  private started(tenantId: string): void {
    const a = this.activity.get(tenantId);
    if (a) a.inFlight++;
    else this.activity.set(tenantId, { inFlight: 1, lastDone: -Infinity });
  }

  private done(tenantId: string): void {
    const a = this.activity.get(tenantId);
    if (a) {
      a.inFlight = Math.max(0, a.inFlight - 1);
      a.lastDone = this.now();
    }
    const wake = this.wakers;
    this.wakers = [];
    for (const w of wake) w();
  }
}
