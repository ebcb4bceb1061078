/**
 * The channel supervisor (architecture §6) owns every push channel: each calendar whose connector
 * supports push gets one, renewed or replaced well before it expires, stopped when its calendar
 * goes, and polling stays on for the rest (and as the backstop for all: push is a hint). It runs
 * as a step of the maintenance tick, when an account is connected, and when a lifecycle
 * notification asks for it. Rows are claimed under a lease, so overlapping runs never work on
 * the same calendar at once.
 */
import type { Logger } from '../../shared/logger.ts';
import type { Metrics } from '../../shared/metrics.ts';
import { CHANNEL_LEASE_MS, claimDueChannels, listChannelKey, trackAllCalendars, type PushChannel, type Store } from '../../shared/store/index.ts';
import type { EngineDeps } from '../../sync-engine/index.ts';
import { runPass, type PassDeps, type PassOutcome } from './channel-pass.ts';
import { asError, type RequestPull } from './channel-pass.ts';
import { runStops, type StopDeps, type StopOutcome } from './stop-queue.ts';
import { quietInStoreOutage } from '../../shared/outage-log.ts';

export interface SupervisorOptions {
  store: Store;
  /** A connector that keeps its `push` subscriber (the sync engine's `deps.connect` does). */
  connect: EngineDeps['connect'];
  /** CALHUB_PUBLIC_URL; null: no channels at all, polling only. */
  publicUrl: string | null;
  log: Logger;
  metrics?: Metrics;
  requestPull: RequestPull;
  now?: () => Date;
  /** Lifetime asked for per provider (tests); default: the connector's own `push.lifetime`. */
  ttlSeconds?: Partial<Record<string, number>>;
  /** A deleted account's connector and grant revocation, for the stops its disconnect queued (stop-queue.ts). */
  connectStored?: StopDeps['connectStored'];
  revokeStored?: StopDeps['revokeStored'];
  /** Rows looked at per sweep, and how many at a time. */
  batch?: number;
  concurrency?: number;
}

/** `stops`: queued channel stops worked through (only when there were any). */
export type SweepResult = Partial<Record<PassOutcome, number>> & { skipped?: 'no public url'; stops?: Partial<Record<StopOutcome, number>> };

/** How long a claimed row stays off other runs; a pass that dies is retried after it. */
const LEASE_MS = CHANNEL_LEASE_MS;

export class ChannelSupervisor {
  private saidNoUrl = false;
  private readonly pass: PassDeps;
  private readonly stops: StopDeps;

  constructor(private readonly o: SupervisorOptions) {
    const now = o.now ?? (() => new Date());
    this.pass = {
      store: o.store,
      connect: o.connect,
      log: o.log,
      ...(o.metrics ? { metrics: o.metrics } : {}),
      requestPull: o.requestPull,
      now,
      addressFor: (provider) => `${o.publicUrl}/webhooks/${provider}`,
      ttlSecondsFor: (provider, push) => o.ttlSeconds?.[provider] ?? push.lifetime.seconds,
    };
    this.stops = { store: o.store, connect: o.connect, connectStored: o.connectStored, revokeStored: o.revokeStored, log: o.log, now };
  }

  /** The maintenance step: every calendar tracked, due rows worked through. */
  async sweep(): Promise<SweepResult> {
    // After the passes: a watch they abandoned may be stoppable at once. Stops queued while push
    // was on still run when it is off.
    const withStops = async (r: SweepResult): Promise<SweepResult> => {
      const stops = await this.runStops();
      return Object.keys(stops).length ? { ...r, stops } : r;
    };
    if (!this.enabled()) return withStops({ skipped: 'no public url' });
    const now = this.pass.now();
    await trackAllCalendars(this.o.store.db, now);
    const rows = await claimDueChannels(this.o.store.db, now, this.leaseUntil(now), this.o.batch ?? 200);
    return withStops(await this.runAll(rows));
  }

  /** The queued channel stops that are due (also run when a notification names a lost watch's channel). */
  runStops(): Promise<Partial<Record<StopOutcome, number>>> {
    return runStops(this.stops, this.o.batch ?? 200);
  }

  /** A newly connected (or reconnected) account: its calendars get channels now, not at the next tick. */
  async connectAccount(tenantId: string, accountId: string): Promise<SweepResult> {
    if (!this.enabled()) return { skipped: 'no public url' };
    const t = this.o.store.tenant(tenantId);
    const now = this.pass.now();
    await t.channels.trackAccount(accountId, now);
    const rows: PushChannel[] = [];
    for (const key of [...(await t.calendars.list({ accountId, synced: true })).map((c) => c.id), listChannelKey(accountId)]) {
      const row = await t.channels.claim(key, now, this.leaseUntil(now));
      if (row) rows.push(row);
    }
    return this.runAll(rows);
  }

  /** One calendar, if its row is due (a lifecycle notification made it so). */
  async checkCalendar(tenantId: string, calendarId: string): Promise<PassOutcome | null> {
    if (!this.enabled()) return null;
    const now = this.pass.now();
    const row = await this.o.store.tenant(tenantId).channels.claim(calendarId, now, this.leaseUntil(now));
    return row ? runPass(this.pass, row) : null;
  }

  private enabled(): boolean {
    if (this.o.publicUrl) return true;
    if (!this.saidNoUrl) {
      this.saidNoUrl = true;
      this.o.log.info('CALHUB_PUBLIC_URL is not set: no push channels are created; calendars are polled (SYNC_POLL_INTERVAL_MS)');
    }
    return false;
  }

  private leaseUntil(now: Date): Date {
    return new Date(now.getTime() + LEASE_MS);
  }

  private async runAll(rows: PushChannel[]): Promise<SweepResult> {
    const out: SweepResult = {};
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        // A store failure here leaves the row leased; it is retried when the lease runs out.
        const outcome = await runPass(this.pass, row).catch((e: unknown): PassOutcome => {
          if (!quietInStoreOutage(e, 'channel supervisor')) this.o.log.error({ err: asError(e), calendarId: row.calendarId }, 'channel supervisor pass failed');
          return 'failed';
        });
        out[outcome] = (out[outcome] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency ?? 4, rows.length) }, worker));
    return out;
  }
}
