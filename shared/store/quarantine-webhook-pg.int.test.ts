/** The quarantine webhook triggers (migration 0057) on a PostgreSQL server, in a schema of their own. */
import { after } from 'node:test';
import pg from 'pg';
import { runQuarantineWebhookContract } from './quarantine-webhook.contract.ts';
import { Store } from './store.ts';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `t_quarantine_${process.pid}_${Date.now().toString(36)}`;

runQuarantineWebhookContract('PostgreSQL server', () => Store.open({ databaseUrl: url, schema }));

after(async () => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});
