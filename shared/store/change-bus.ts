/**
 * Store writes told across processes on PostgreSQL: every hub that writes sends what the write
 * watch (write-watch.ts) classified as a NOTIFY on a channel named after its schema, and a hub that
 * keeps free/busy's calendar memo, or waits on other processes' writes (`resync --wait`), LISTENs.
 * The production shape (`calhub serve` beside `calhub worker`, CLI commands, other API processes)
 * then drops a memo entry within milliseconds of another process's commit, as `calhub start`'s
 * threads do over their BroadcastChannel.
 *
 * Sent after the write's transaction ended (a listener that reads on receipt sees it), batched per
 * turn of the event loop into one statement on the pool. A lost send is not retried: the memo's
 * own recheck (1-5 s) is the fallback. A lost listening connection is reported as a change of
 * everything (what it missed is unknown), and again once it listens anew.
 *
 * A listening connection only reads, so one lost without a word (the server hung, or restarted
 * while the path to it was hung, its goodbye lost) stayed open and silent for good: no error, no
 * notification, the memo and `resync --wait` deaf to other processes. So it is checked: a round
 * trip every CHECK.everyMs, unanswered within its deadline, is a lost connection like any other.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Queryable } from './db.ts';
import type { StoreChange } from './write-watch.ts';

export interface ChangeBus {
  publish(c: StoreChange): void;
  /**
   * Listens (once per bus): `fn` gets the changes buses of other origins on the schema send.
   * Resolves once listening, or once the first try failed (it tries again, and tells `fn` of
   * everything when it listens).
   */
  listen(fn: (c: StoreChange) => void): Promise<void>;
  /** Sends what is pending, stops listening. */
  close(): Promise<void>;
}

export interface ChangeBusOptions {
  /** The pool's connection settings, for the listening connection. */
  connection: pg.ClientConfig;
  /** Sends the notifications (the pool). */
  db: Queryable;
  /**
   * Who sends (default: this bus alone). Its own sends do not come back to a bus; `calhub start`'s
   * threads share one origin, because they already hear each other over their BroadcastChannel.
   */
  origin?: string;
  /** The deadline (ms) of the listening connection's check and of its LISTEN; default CHECK.deadlineMs. */
  checkDeadlineMs?: number;
}

/** The listening connection's check: how often, and how long an answer may take (ms). */
export const CHECK = { everyMs: 5000, deadlineMs: 10_000 };

/** Reconnect delays of the listening connection (ms): the first, doubled up to the cap. */
const RETRY = { first: 100, max: 5000 };

type Wire = { o: string; s: 'a' } | { o: string; s: 't'; t: string } | { o: string; s: 'c'; t: string; c: string };

const toWire = (origin: string, c: StoreChange): Wire =>
  c.scope === 'all' ? { o: origin, s: 'a' } : c.scope === 'tenant' ? { o: origin, s: 't', t: c.tenantId } : { o: origin, s: 'c', t: c.tenantId, c: c.calendarId };

function fromWire(payload: string): { origin: string; change: StoreChange } | null {
  try {
    const w = JSON.parse(payload) as Wire;
    if (typeof w.o !== 'string') return null;
    if (w.s === 'a') return { origin: w.o, change: { scope: 'all' } };
    if (w.s === 't' && typeof w.t === 'string') return { origin: w.o, change: { scope: 'tenant', tenantId: w.t } };
    if (w.s === 'c' && typeof w.t === 'string' && typeof w.c === 'string') return { origin: w.o, change: { scope: 'calendar', tenantId: w.t, calendarId: w.c } };
  } catch {
    // not ours: another program's notification on the channel
  }
  return null;
}

/** The channel of a schema: its name where that is a plain identifier short enough, else a hash of it. */
export function channelOf(schema: string): string {
  return /^[a-z0-9_]{1,40}$/.test(schema) ? `calhub_changes_${schema}` : `calhub_changes_${createHash('sha256').update(schema).digest('hex').slice(0, 20)}`;
}

export async function openChangeBus(opts: ChangeBusOptions): Promise<ChangeBus> {
  const [row] = await opts.db.query<{ schema: string | null }>('SELECT current_schema() AS schema');
  const channel = channelOf(row?.schema ?? 'public');
  // Its own sends come back to it: the hub reported them at once, so they are skipped.
  const origin = opts.origin ?? randomBytes(8).toString('hex');
  const pending = new Set<string>();
  let flushing: Promise<void> | null = null;
  let closed = false;
  let client: pg.Client | null = null;
  let listener: ((c: StoreChange) => void) | null = null;
  let reconnect: NodeJS.Timeout | null = null;
  let checker: NodeJS.Timeout | null = null;
  const deadlineMs = opts.checkDeadlineMs ?? CHECK.deadlineMs;

  const flush = (): Promise<void> => {
    const payloads = [...pending.values()];
    pending.clear();
    if (!payloads.length) return Promise.resolve();
    return opts.db.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [channel, payloads]).then(
      () => undefined,
      () => undefined, // the listeners' memo rechecks on its own (see above)
    );
  };
  // One send at a time; what is published meanwhile goes in the next.
  const schedule = () => {
    flushing ??= (async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (pending.size) await flush();
      flushing = null;
    })();
  };

  let failures = 0;
  const connect = async (): Promise<void> => {
    if (closed || !listener) return;
    // A server that does not answer (not one that refuses) must not hold a try forever.
    const c = new pg.Client({ ...opts.connection, keepAlive: true, connectionTimeoutMillis: 10_000, query_timeout: deadlineMs, application_name: 'calhub-change-bus' });
    const lost = () => {
      if (client !== c) return;
      client = null;
      if (checker) clearInterval(checker);
      checker = null;
      c.removeAllListeners('notification');
      // With the check unanswered, pg drops the connection instead of saying goodbye on it.
      void c.end().catch(() => undefined);
      if (closed) return;
      listener?.({ scope: 'all' });
      reconnect = setTimeout(() => void connect(), Math.min(RETRY.first * 2 ** failures++, RETRY.max));
      reconnect.unref();
    };
    c.on('error', lost);
    c.on('end', lost);
    c.on('notification', (m) => {
      if (m.channel !== channel || !m.payload) return;
      const got = fromWire(m.payload);
      if (got && got.origin !== origin) listener?.(got.change);
    });
    client = c;
    try {
      await c.connect();
      await c.query(`LISTEN "${channel}"`);
    } catch {
      lost(); // tried again after a pause
      return;
    }
    // The same LISTEN again: a no-op for the server, and the query a pg_stat_activity row shows stays this one.
    let checking = false;
    checker = setInterval(() => {
      if (checking || client !== c) return;
      checking = true;
      c.query(`LISTEN "${channel}"`).then(
        () => void (checking = false),
        () => lost(),
      );
    }, CHECK.everyMs);
    checker.unref();
    // Listening anew: what was sent while it was not is unknown.
    if (failures > 0) listener({ scope: 'all' });
    failures = 0;
  };

  return {
    publish(c) {
      if (closed) return;
      pending.add(JSON.stringify(toWire(origin, c)));
      schedule();
    },
    async listen(fn) {
      if (listener) throw new Error('this change bus already has a listener');
      listener = fn;
      await connect();
    },
    async close() {
      // What is pending goes out, unless the server does not answer: shutting down must not wait on it.
      const sent = flushing ?? Promise.resolve();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([sent, new Promise<void>((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
      closed = true;
      if (reconnect) clearTimeout(reconnect);
      if (checker) clearInterval(checker);
      const c = client;
      client = null;
      // A hung server would not answer the goodbye either.
      await Promise.race([c?.end().catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
    },
  };
}
