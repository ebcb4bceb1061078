/**
 * Sends owed webhooks. The database is the record of what is owed (shared/store webhook-*);
 * BullMQ jobs only say "look at this endpoint's stream", so a lost job (a killed worker, a Redis
 * that came back empty) costs latency, never a webhook: the sweep finds due streams again.
 *
 *   compose loop (every composeIntervalMs): outbox rows -> messages + deliveries -> one job per touched stream
 *   job `drain` {endpointId, stream}: take the stream's lease, send head first until empty or a failure
 *   sweep (every sweepIntervalMs): a job for every due stream whose lease is free; old messages pruned
 *
 * At-least-once: a delivery is marked after the receiver's 2xx, so a crash in between sends it
 * again with the same webhook-id. Order: one lease holder per (endpoint, stream), head first;
 * a failing head holds back its stream until it succeeds or the endpoint is disabled at the end
 * of the retry window.
 *
 * Failure is the endpoint's, not the stream's: a failed attempt puts the endpoint in backoff
 * (webhook-endpoint-health.ts) and all its streams wait; when its time comes one attempt (the
 * probe) goes to it at a time, and the probe's success sends every stream again. Per process, an
 * endpoint and a tenant each get a bounded share of the job slots (slots.ts), so hanging
 * receivers cannot hold all of them. An account's stream also comes before its calendars' later messages
 * (account.connected before calendar.created), so its failing head holds those back too.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue, Worker, type Job } from 'bullmq';
import { assertClusterSafe, DEFAULT_REDIS_PREFIX, type RedisConnection } from '../../shared/redis-keys.ts';
import { outageLog, quietInStoreOutage } from '../../shared/outage-log.ts';
import type { KeyRing } from '../../oauth/index.ts';
import { isHubError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Metrics, OutboundWebhookOutcome } from '../../shared/metrics.ts';
import { composeWebhooks, webhookDeliveries as wd, type DeliveryStream, type PendingDelivery, type Store } from '../../shared/store/index.ts';
import { RETRY_WINDOW_MS, retryDelayMs } from './backoff.ts';
import { sendWebhook, type SendOptions, type SendResult } from './send.ts';
import { disableGone } from './gone.ts';
import { signWebhook } from './sign.ts';
import { Slots } from './slots.ts';
import { errorWithoutBody } from './view.ts';

export const WEBHOOK_QUEUE = 'webhooks-out';
const LEASE_MS = 15_000;
const RETENTION_MS = 7 * 86_400_000;
const SEND_BATCH = 50;

export interface DispatcherOptions {
  connection: RedisConnection;
  store: Store;
  keyring: KeyRing;
  log: Logger;
  allowPrivateNetworks: boolean;
  now?: () => Date;
  random?: () => number;
  composeIntervalMs?: number;
  sweepIntervalMs?: number;
  concurrency?: number;
  /** Attempts in flight per endpoint in this process (default 4). */
  perEndpointConcurrency?: number;
  /** Attempts in flight per tenant in this process (default half of `concurrency`). */
  perTenantConcurrency?: number;
  /** How long a receiver has to answer (default send.ts SEND_TIMEOUT_MS). */
  sendTimeoutMs?: number;
  /** BullMQ key prefix (REDIS_PREFIX; tests isolate themselves with one); a cluster needs a hash tag in it. */
  prefix?: string;
  resolver?: SendOptions['resolver'];
  /** Counts attempts by outcome (calhub_outbound_webhook_attempts_total); the backlog gauges are read from the store. */
  metrics?: Pick<Metrics, 'outboundWebhookAttempts'>;
}

/** An attempt's outcome as the metric labels it: a closed set, never an endpoint or a status code. */
export function attemptOutcome(r: SendResult & { unreadable?: boolean }): OutboundWebhookOutcome {
  if (r.ok) return 'delivered';
  if (r.unreadable) return 'secret_unreadable';
  if (r.status === null) return 'no_answer';
  return r.status >= 500 ? 'http_5xx' : r.status >= 400 ? 'http_4xx' : 'http_other';
}

export type DrainJobData = DeliveryStream;

export class WebhookDispatcher {
  readonly queue: Queue<DrainJobData>;
  private worker: Worker<DrainJobData> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly now: () => Date;
  private composing: Promise<unknown> | null = null;
  private closed = false;
  readonly slots: Slots;

  constructor(private readonly opts: DispatcherOptions) {
    this.now = opts.now ?? (() => new Date());
    const concurrency = opts.concurrency ?? 16;
    this.slots = new Slots(opts.perEndpointConcurrency ?? 4, opts.perTenantConcurrency ?? Math.max(1, Math.floor(concurrency / 2)), (streams) =>
      void this.kick(streams).catch((err: unknown) => this.opts.log.warn({ err }, 'webhook wake failed; the sweep sends those streams')),
    );
    assertClusterSafe(opts.connection, opts.prefix ?? DEFAULT_REDIS_PREFIX);
    this.queue = new Queue<DrainJobData>(WEBHOOK_QUEUE, { connection: opts.connection, prefix: opts.prefix ?? DEFAULT_REDIS_PREFIX });
    this.queue.on('error', () => {});
  }

  /** Runs the delivery worker, the compose loop and the sweep in this process. */
  startWorker(): void {
    const connection = this.opts.connection.duplicate();
    this.worker = new Worker<DrainJobData>(WEBHOOK_QUEUE, (job: Job<DrainJobData>) => this.drain(job.data), {
      connection,
      prefix: this.opts.prefix ?? DEFAULT_REDIS_PREFIX,
      concurrency: this.opts.concurrency ?? 16,
    });
    this.worker.on('error', outageLog(this.opts.log, 'webhook worker', connection));
    this.worker.on('failed', (job, err) => this.opts.log.error({ err, endpointId: job?.data.endpointId, stream: job?.data.stream }, 'webhook drain failed'));
    const loop = (ms: number, fn: () => Promise<unknown>, what: string) => {
      // The store being down is the store outage's lines (shared/outage-log.ts), not one a round.
      const t = setInterval(() => void fn().catch((err: unknown) => quietInStoreOutage(err, `webhook ${what}`) || this.opts.log.warn({ err }, `webhook ${what} failed; next round retries`)), ms);
      t.unref();
      this.timers.push(t);
    };
    loop(this.opts.composeIntervalMs ?? 100, () => this.composeOnce(), 'compose');
    loop(this.opts.sweepIntervalMs ?? 2_000, () => this.sweep(), 'sweep');
  }

  /** Outbox -> messages and deliveries, then a job per touched stream. Overlapping calls share one run. */
  async composeOnce(): Promise<number> {
    if (this.composing) {
      await this.composing;
      return 0;
    }
    const run = (async () => {
      let total = 0;
      for (;;) {
        const { streams, consumed } = await composeWebhooks(this.opts.store.db, { now: this.now() });
        total += consumed;
        if (streams.length) await this.kick(streams);
        if (consumed === 0) return total;
      }
    })();
    this.composing = run;
    try {
      return await run;
    } finally {
      this.composing = null;
    }
  }

  /** Jobs for due streams whose lease is free (lost jobs, retries whose time came), and pruning. */
  async sweep(): Promise<number> {
    const due = await wd.dueStreams(this.opts.store.db, this.now());
    if (due.length) await this.kick(due);
    await wd.pruneMessages(this.opts.store.db, new Date(this.now().getTime() - RETENTION_MS));
    return due.length;
  }

  /**
   * One job per stream, no deduplication: a job that cannot take the lease ends at once, and the
   * holder looks at its stream again after releasing the lease, so nothing composed is missed.
   */
  async kick(streams: DeliveryStream[]): Promise<void> {
    await this.queue.addBulk(streams.map((s) => ({ name: 'drain', data: s, opts: { removeOnComplete: true, removeOnFail: 1000 } })));
  }

  /** Sends one endpoint's stream head first while the lease is ours. */
  async drain(s: DeliveryStream): Promise<void> {
    // Per drain, not per process: concurrent jobs of one worker must exclude each other too.
    const owner = `${this.owner}:${randomBytes(4).toString('hex')}`;
    for (let round = 0; round < 5; round++) {
      if (!(await wd.acquireStreamLease(this.opts.store.db, s, owner, this.now(), LEASE_MS))) return;
      let retryAt: Date | null | 'waits';
      try {
        retryAt = await this.sendHeads(s, owner);
      } finally {
        await wd.releaseStreamLease(this.opts.store.db, s, owner);
      }
      // Its endpoint backs off or another stream probes it, or no slot was free: woken by the
      // probe's success, the slot's release or the sweep, never by a retry job of its own.
      if (retryAt === 'waits') return;
      if (retryAt) {
        await this.scheduleRetry(s, retryAt);
        return;
      }
      // An account's stream holds back its calendars' streams (pendingOfStream): their jobs found nothing to send.
      if (s.stream.startsWith('acc_')) {
        const held = await wd.streamsHeldBy(this.opts.store.db, s);
        if (held.length) await this.kick(held);
      }
      // A job for a message composed while we held the lease found it taken and ended: look again.
      const head = await wd.headOfStream(this.opts.store.db, s);
      if (!head || head.endpointStatus !== 'active' || head.nextAttemptAt > this.now()) return;
    }
    await this.kick([s]);
  }

  /**
   * Returns when the head is due again after a failure, null when nothing more can be sent now, or
   * 'waits' when the endpoint's state or the slots hold the stream back (someone else wakes it).
   * Messages are read a batch at a time and marked delivered a batch at a time: a crash between a
   * receiver's 2xx and its mark resends at most one batch, under the same webhook-ids.
   */
  private async sendHeads(s: DeliveryStream, owner: string): Promise<Date | null | 'waits'> {
    const db = this.opts.store.db;
    let leaseRenewedAt = this.now().getTime();
    let probing = false;
    for (;;) {
      const batch = await wd.pendingOfStream(db, s, SEND_BATCH);
      const delivered: wd.DeliveredMark[] = [];
      let healthy = (batch[0]?.endpointFailures ?? 0) === 0;
      try {
        for (const head of batch) {
          if (this.closed || head.endpointStatus !== 'active') return null;
          const now = this.now();
          if (!healthy && head.endpointRetryAt && head.endpointRetryAt > now) return 'waits';
          if (head.nextAttemptAt > now) return head.nextAttemptAt;
          if (!healthy && !probing) {
            if (!(await wd.claimProbe(db, s.endpointId, owner, now, LEASE_MS))) return 'waits';
            probing = true;
          }
          if (now.getTime() - leaseRenewedAt > LEASE_MS / 3) {
            if (!(await wd.acquireStreamLease(db, s, owner, now, LEASE_MS))) return null;
            leaseRenewedAt = now.getTime();
          }
          if (!this.slots.take(s, head.tenantId)) return 'waits';
          let result: SendResult & { unreadable?: boolean };
          try {
            result = await this.send(head, now);
          } finally {
            this.slots.give(s, head.tenantId);
          }
          this.opts.metrics?.outboundWebhookAttempts.inc({ outcome: attemptOutcome(result) });
          const outcome = { status: result.status, error: result.error, latencyMs: result.latencyMs };
          if (result.ok) {
            delivered.push({ messageSeq: head.messageSeq, at: now, outcome });
            if (probing) {
              probing = false;
              healthy = true;
              await wd.markDelivered(db, s.endpointId, delivered.splice(0));
              if (await wd.endpointRecovered(db, s.endpointId)) await this.recovered(s, head.tenantId);
            }
            continue;
          }
          probing = false;
          const next = await this.failed(s, head, now, outcome, result.error);
          // Once per failed attempt, so once per backoff step: the operator must see it, and it
          // heals only by putting the secret's key back into CALHUB_ENCRYPTION_KEYS.
          if (result.unreadable) this.opts.log.warn({ endpointId: s.endpointId, tenantId: head.tenantId, code: 'SECRET_UNREADABLE', error: result.error, retryAt: next?.toISOString() ?? null }, 'webhook endpoint signing secret cannot be read with the key ring; delivery retries with backoff');
          return next;
        }
      } finally {
        if (probing) await wd.releaseProbe(db, s.endpointId, owner);
        await wd.markDelivered(db, s.endpointId, delivered);
      }
      if (batch.length < SEND_BATCH) return null;
    }
  }

  /**
   * Records a failed attempt: the next try's time, or the endpoint disabled — at once when the
   * receiver answers 410 Gone (it says the URL is gone for good: 3 days of retries would only load
   * it; REST Hooks senders such as Smartsheet and Keap disable on it, while Svix retries every non-2xx), or at the end of the retry window. Either way its
   * messages stay owed, and `enable` or `replay` sends them.
   */
  private async failed(s: DeliveryStream, head: PendingDelivery, now: Date, outcome: wd.AttemptOutcome, error: string | null): Promise<Date | null> {
    const db = this.opts.store.db;
    if (outcome.status === 410) {
      await wd.markFailed(db, s.endpointId, head.messageSeq, now, outcome, now);
      await disableGone(db, s.endpointId, now);
      this.opts.log.warn({ endpointId: s.endpointId, tenantId: head.tenantId, status: 410 }, 'webhook endpoint disabled: its receiver answered 410 Gone');
      return null;
    }
    const firstFailed = head.firstFailedAt ?? now;
    if (now.getTime() - firstFailed.getTime() >= RETRY_WINDOW_MS) {
      await wd.markFailed(db, s.endpointId, head.messageSeq, now, outcome, now);
      const reason = `deliveries failed for ${Math.round(RETRY_WINDOW_MS / 86_400_000)} days since ${firstFailed.toISOString()}; last error: ${error ?? 'unknown'}`;
      await wd.disableEndpoint(db, s.endpointId, reason, now);
      this.opts.log.warn({ endpointId: s.endpointId, tenantId: head.tenantId }, 'webhook endpoint disabled after the retry window');
      return null;
    }
    const health = await wd.endpointFailed(db, s.endpointId, now, this.now(), { status: outcome.status, error: errorWithoutBody(outcome.error) }, (n) => retryDelayMs(n, this.opts.random));
    // The message's own backoff too: one the receiver keeps refusing while it takes others (it
    // cannot parse it) is retried less and less often, each time pausing the endpoint one short step.
    const own = now.getTime() + retryDelayMs(head.attempts + 1, this.opts.random);
    const next = new Date(Math.max(own, health.retryAt?.getTime() ?? 0));
    await wd.markFailed(db, s.endpointId, head.messageSeq, now, outcome, next);
    // Once per backoff step of the endpoint (attempts overlapping one outage count once), not per attempt or stream.
    if (health.stepped) {
      this.opts.log.warn(
        { endpointId: s.endpointId, tenantId: head.tenantId, failures: health.failures, status: outcome.status, error: error ?? null, retryAt: next.toISOString() },
        'webhook endpoint failing; its deliveries back off',
      );
    }
    return next;
  }

  /** A probe succeeded: the endpoint's other streams were waiting for it. */
  private async recovered(s: DeliveryStream, tenantId: string): Promise<void> {
    this.opts.log.info({ endpointId: s.endpointId, tenantId }, 'webhook endpoint answers again; its deliveries resume');
    const due = (await wd.dueStreams(this.opts.store.db, this.now(), 1000, s.endpointId)).filter((d) => d.stream !== s.stream);
    if (due.length) await this.kick(due);
  }

  /**
   * A secret no key of the ring can read (its key was dropped before `calhub keys rotate` moved it)
   * is a failed attempt like a receiver's 5xx: it backs off, shows in the delivery log, and ends
   * with the endpoint disabled after the retry window. Thrown instead, the drain job failed, its
   * stream stayed due, and every sweep tried again at once (~6 failures a second per endpoint).
   */
  private async send(head: PendingDelivery, now: Date): Promise<SendResult & { unreadable?: boolean }> {
    let secrets: string[];
    try {
      secrets = [this.opts.keyring.decrypt(head.secret)];
      if (head.previousSecret && head.previousSecretUntil && head.previousSecretUntil > now) secrets.push(this.opts.keyring.decrypt(head.previousSecret));
    } catch (e) {
      if (!isHubError(e) || e.code !== 'SECRET_UNREADABLE') throw e;
      return { ok: false, status: null, error: `SECRET_UNREADABLE: the endpoint's signing secret cannot be read (${e.message})`, latencyMs: 0, unreadable: true };
    }
    const body = JSON.stringify(head.payload);
    // The timestamp is the time of sending: receivers refuse stale ones (replay protection).
    const headers = signWebhook(head.messageId, new Date(), body, secrets);
    return sendWebhook(head.url, { ...headers }, body, { allowPrivateNetworks: this.opts.allowPrivateNetworks, resolver: this.opts.resolver, timeoutMs: this.opts.sendTimeoutMs });
  }

  private async scheduleRetry(s: DeliveryStream, at: Date): Promise<void> {
    const delay = Math.max(0, at.getTime() - this.now().getTime());
    const jobId = `retry.${s.endpointId}.${s.stream}.${at.getTime()}`;
    await this.queue.add('drain', s, { jobId, delay, removeOnComplete: true, removeOnFail: 1000 });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    await this.composing?.catch(() => {});
    if (this.worker) {
      const conn = this.worker.opts.connection as RedisConnection;
      await this.worker.close();
      conn.disconnect();
    }
    await this.queue.close();
  }
}
