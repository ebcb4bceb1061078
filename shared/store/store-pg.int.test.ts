import { after } from 'node:test';
import pg from 'pg';
import { runStoreContract } from './store.contract.ts';
import { Store } from './store.ts';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `t_store_${process.pid}_${Date.now().toString(36)}`;

runStoreContract('PostgreSQL server', () => Store.open({ databaseUrl: url, schema }));

after(async () => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});
