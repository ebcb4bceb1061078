/**
 * A Redis that hangs (SIGSTOPped, a full disk stalling it, a network path that drops packets
 * without a reset) keeps its connection open and answers nothing: no client error, so the outage
 * tracker never heard of it and calhub_dependency_up{dependency="redis"} read 1 throughout. A PING
 * with a deadline, every few seconds while the connection is up, makes silence an outage like a
 * refused connection: one `Redis unreachable` line, the gauge at 0, and `Redis reachable again`
 * when a PING is answered.
 */
import type { RedisConnection } from '../shared/redis-keys.ts';
import { redisOutage, type DependencyOutage, type OutageLogger } from '../shared/outage-log.ts';

export interface HeartbeatOptions {
  /** Between PINGs (default 5 s; REDIS_HEARTBEAT_INTERVAL_MS). */
  everyMs?: number;
  /** A PING not answered within this is an outage (default 2 s, the readiness probe's bound; REDIS_HEARTBEAT_DEADLINE_MS). */
  deadlineMs?: number;
  outage?: DependencyOutage;
}

/** Starts the PINGs; the returned function stops them. */
export function redisHeartbeat(redis: RedisConnection, log: OutageLogger, opts: HeartbeatOptions = {}): () => void {
  const everyMs = opts.everyMs ?? 5000;
  const deadlineMs = opts.deadlineMs ?? 2000;
  const outage = opts.outage ?? redisOutage;
  let pending = false;
  let hung = false;
  const beat = () => {
    // Not connected: the connection's own errors say so (outageLog). One PING at a time: a hung
    // Redis must not collect a queue of them.
    if (pending || redis.status !== 'ready') return;
    pending = true;
    let late: NodeJS.Timeout | undefined;
    // Timers run before I/O in each turn of the loop: after a stall (a long synchronous step, a
    // loaded machine) the deadline fired before the answer already in the socket was read, and an
    // up Redis was logged unreachable. The immediate lets that answer be read first.
    const deadline = new Promise<'late'>((resolve) => (late = setTimeout(() => setImmediate(() => resolve('late')), deadlineMs)));
    const ping = redis.ping().then(
      () => 'answered' as const,
      () => 'failed' as const,
    );
    void Promise.race([ping, deadline]).then((first) => {
      clearTimeout(late);
      if (first === 'late') {
        hung = true;
        outage.report(log, 'redis ping', new Error(`Redis did not answer a PING within ${deadlineMs / 1000} s`), true);
      }
      // The PING still in flight decides when the outage ends: Redis answered it.
      void ping.then((r) => {
        pending = false;
        if (r === 'answered' && hung) {
          hung = false;
          outage.back();
        }
      });
    });
  };
  const timer = setInterval(beat, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
