/**
 * The store of an integration test that is not about the embedded database: its own schema on the
 * PostgreSQL server (TEST_DATABASE_URL), dropped when the store is closed. An in-memory PGlite
 * store costs ~2-3 s of CPU to start and migrate even from the saved initdb image; a fresh schema
 * on the server ~0.6 s (its server's share included), and CI runs ~80 such files on 2 cores.
 * `{ embedded: true }` keeps a test on in-memory PGlite: the product's default store, which the
 * unit tests, the cli*.int tests (data dirs) and a representative set of integration paths keep
 * covered (docs/architecture.md, "Tests"). TEST_STORE=pglite puts every one of them back on PGlite
 * (to compare the two, or to run the integration tests where no PostgreSQL server runs).
 */
import { randomBytes } from 'node:crypto';
import { Store, type StoreOptions } from '../../shared/store/index.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestStoreOptions = Omit<StoreOptions, 'databaseUrl' | 'dataDir' | 'schema' | 'shareEmbedded' | 'embeddedClient'> & {
  /** In-memory PGlite instead of a schema on the server. */
  embedded?: boolean;
};

export async function openTestStore(opts: TestStoreOptions = {}): Promise<Store> {
  const { embedded, ...rest } = opts;
  if (embedded || process.env.TEST_STORE === 'pglite') return Store.open({ ...rest, dataDir: null });
  const schema = `t_int_${process.pid}_${randomBytes(4).toString('hex')}`;
  const store = await Store.open({ ...rest, databaseUrl: TEST_DATABASE_URL, schema });
  const close = store.close.bind(store);
  let dropped = false;
  store.close = async () => {
    if (!dropped) {
      dropped = true;
      // A connection still inside a transaction would hold the drop for ever: wait 5 s at most, and
      // leave the schema behind rather than the test hanging (names are unique per process and call).
      await store.db
        .transaction(async (tx) => {
          await tx.query(`SET LOCAL lock_timeout = '5s'`);
          await tx.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        })
        .catch(() => undefined);
    }
    return close();
  };
  return store;
}
