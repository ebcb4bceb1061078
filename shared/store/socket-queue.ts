/**
 * pglite-socket runs every connection's protocol messages on PGlite's one session, one message at
 * a time, and keeps a connection's messages together only inside an explicit transaction. The
 * extended query protocol sends one query as several messages (Parse, Bind, Describe, Execute,
 * Sync) that share the session's unnamed statement and portal; another connection's message
 * between them replaces those, and a query fails (`portal "" does not exist`) or, worse, returns
 * another query's rows. This replaces the server's queue loop with one that also holds a
 * connection's turn from its first extended-protocol message until its Sync.
 */
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

interface Queued {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(e: unknown): void;
  onData(data: Uint8Array): void;
}

interface QueueInternals {
  queue: Queued[];
  processing: boolean;
  lastHandlerId: number | null;
  db: { isInTransaction(): boolean; runExclusive<T>(fn: () => Promise<T>): Promise<T>; execProtocolRawStream(m: Uint8Array, o: { onRawData(d: Uint8Array): void }): Promise<unknown> };
  processQueue(): Promise<void>;
  clearQueueForHandler(id: number): void;
}

/** Parse, Bind, Describe, Execute, Close, Flush: a sequence that only Sync ends. */
const OPENS_SEQUENCE = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);

export function keepQueriesWhole(server: PGLiteSocketServer): void {
  const q = (server as unknown as { queryQueue?: QueueInternals }).queryQueue;
  if (!q || !Array.isArray(q.queue) || typeof q.processQueue !== 'function') {
    throw new Error('pglite-socket internals changed: the embedded database cannot be shared safely; pin the version in package.json');
  }
  let open = false;
  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (id) => {
    if (q.lastHandlerId === id) open = false; // a connection gone mid-sequence must not hold the turn
    clear(id);
  };
  q.processQueue = async function processQueue(this: QueueInternals) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const pinned = this.lastHandlerId !== null && (open || this.db.isInTransaction());
        const at = pinned ? this.queue.findIndex((x) => x.handlerId === this.lastHandlerId) : 0;
        if (at < 0) break; // the turn's holder has not sent its next message yet
        const item = this.queue.splice(at, 1)[0]!;
        let bytes = 0;
        try {
          await this.db.runExclusive(() => this.db.execProtocolRawStream(item.message, { onRawData: (d) => ((bytes += d.length), item.onData(d)) }));
        } catch (e) {
          open = false;
          this.lastHandlerId = item.handlerId;
          item.reject(e);
          continue;
        }
        open = OPENS_SEQUENCE.has(item.message[0]!);
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }.bind(q);
}
