/** The one interface both drivers implement: SQL in, rows out, transactions. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface Db extends Queryable {
  /** How this process reaches the database: PGlite in this thread, or a connection (a server, or the embedded socket). */
  readonly driver: 'postgres' | 'pglite';
  /**
   * The database is the embedded PGlite, in this thread or served on its socket: one session for
   * every client, so a transaction holds it for all of them.
   */
  readonly embedded?: boolean;
  /** Runs fn in one transaction; it commits when fn resolves and rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
