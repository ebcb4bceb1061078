/**
 * Bulk work yields to lighter tenants (issue 12). On a machine whose cores the hub fills, every
 * step of a small sync (a store query, a Redis reply, its server's answer) waits for a core behind
 * a big one: beside one tenant's 30,000-event listing, another's 300-event sync took 2-3x its solo
 * time, however the database and the event loop ordered their turns. So while a tenant that used
 * the hub less lately has a run going, a heavier tenant's run rests after each piece it applies
 * (pull.ts EMBEDDED_APPLY_CHUNK objects, or a page) for `ratio` times as long as that piece took,
 * leaving the lighter one idle cores. With no lighter tenant running, nothing waits.
 *
 * Measured in test/integration/hostile-neighbour.int.test.ts on a quiet 2-core machine: B's
 * 300-event syncs beside A's attack took 2.60-2.97x their solo median without rests, 1.54-2.06x
 * resting as long as each piece took, 0.99x resting three times as long. The cost falls on the
 * heavy tenant alone, and only while a lighter one is running: its bulk sync slows up to 4x then.
 */
export interface TenantPaceOptions {
  /** Rest per ms of work while a lighter tenant runs (default 3: at most a quarter of the time working). */
  ratio?: number;
  /** The longest one rest (default 500 ms). */
  maxRestMs?: number;
  /** How fast past use is forgotten (default 5,000 ms). */
  halfLifeMs?: number;
  /** Recent work below which a tenant never rests (default 500 ms). */
  floorMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class TenantPace {
  private readonly running = new Map<string, number>();
  private readonly used = new Map<string, { ms: number; at: number }>();
  private readonly ratio: number;
  private readonly maxRestMs: number;
  private readonly halfLifeMs: number;
  private readonly floorMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Rests taken and their total ms (for tests and metrics). */
  rests = 0;
  restedMs = 0;

  constructor(opts: TenantPaceOptions = {}) {
    this.ratio = opts.ratio ?? 3;
    this.maxRestMs = opts.maxRestMs ?? 500;
    this.halfLifeMs = opts.halfLifeMs ?? 5000;
    this.floorMs = opts.floorMs ?? 500;
    this.now = opts.now ?? (() => performance.now());
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** A run of the tenant starts; `end` says it is over. */
  begin(tenantId: string): () => void {
    this.running.set(tenantId, (this.running.get(tenantId) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const n = (this.running.get(tenantId) ?? 1) - 1;
      if (n > 0) this.running.set(tenantId, n);
      else this.running.delete(tenantId);
    };
  }

  /** Another tenant has a run going. */
  othersRunning(tenantId: string): boolean {
    for (const id of this.running.keys()) if (id !== tenantId) return true;
    return false;
  }

  /** The tenant's recent work in ms, decayed to now. */
  usage(tenantId: string): number {
    const u = this.used.get(tenantId);
    return u ? u.ms * 2 ** (-(this.now() - u.at) / this.halfLifeMs) : 0;
  }

  /**
   * `other` has a run going and is lighter than `tenantId`, whose work then goes after its own:
   * lighter by half at least, and only past a floor, so tenants of like size never yield to each
   * other. A tenant with fewer runs going is lighter once it has worked no more lately: by half
   * alone, a tenant's own syncs a few seconds before kept it "heavier" through the whole first
   * sync of another's three-run burst (hostile-neighbour: that sync was the slowest, 2-2.5x solo).
   */
  yieldsTo(tenantId: string, other: string): boolean {
    const theirRuns = other === tenantId ? 0 : (this.running.get(other) ?? 0);
    if (theirRuns === 0) return false;
    const mine = this.usage(tenantId);
    if (mine < this.floorMs) return false;
    const theirs = this.usage(other);
    return theirs < mine / 2 || (theirRuns < (this.running.get(tenantId) ?? 0) && theirs <= mine);
  }

  /** Some tenant with a run going is lighter than this one (yieldsTo). */
  yieldsToAny(tenantId: string): boolean {
    for (const id of this.running.keys()) if (this.yieldsTo(tenantId, id)) return true;
    return false;
  }

  /** After `ms` of the tenant's work: rests while a tenant that worked less lately is running. */
  async after(tenantId: string, ms: number): Promise<void> {
    this.used.set(tenantId, { ms: this.usage(tenantId) + ms, at: this.now() });
    for (const id of this.used.keys()) if (!this.running.has(id) && this.usage(id) < 1) this.used.delete(id);
    if (!this.yieldsToAny(tenantId)) return;
    const rest = Math.min(this.maxRestMs, ms * this.ratio);
    this.rests++;
    this.restedMs += rest;
    await this.sleep(rest);
  }
}
