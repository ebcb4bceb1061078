/**
 * A database that cannot be reached says why, without the password or the URL: every connection
 * problem used to read `database query failed [STORE_FAILED]`, a typo in DATABASE_URL included.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { it } from 'node:test';
import { freePort } from '../../test/support/free-port.ts';
import { openPg } from './pg-driver.ts';

const PG = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const password = `pw-${randomBytes(8).toString('hex')}`;

async function messageOf(connectionString: string, code = 'STORE_FAILED'): Promise<string> {
  const db = await openPg({ connectionString, max: 1 });
  try {
    await db.query('SELECT 1');
  } catch (e) {
    assert.equal((e as { code?: string }).code, code);
    return (e as Error).message;
  } finally {
    await db.close();
  }
  throw new Error(`${connectionString.replace(password, '…')} connected`);
}

const url = (over: { port?: string; database?: string; user?: string }) => {
  const u = new URL(PG);
  if (over.port) u.port = over.port;
  if (over.database) u.pathname = `/${over.database}`;
  if (over.user) u.username = over.user;
  u.password = password;
  return u.toString();
};

it('names the refused address, the missing database, the missing role; never the password or the URL', async () => {
  const port = String(await freePort());
  const database = `calhub_missing_${randomBytes(3).toString('hex')}`;
  const user = `calhub_norole_${randomBytes(3).toString('hex')}`;
  const cases: Array<[string, RegExp]> = [
    // A server that cannot be reached is an outage (503 in the API); a missing database or role is a setting to fix.
    [await messageOf(url({ port }), 'STORE_UNAVAILABLE'), new RegExp(`^database query failed: connection refused at ${PG.hostname.replace(/\./g, '\\.')}:${port}$`)],
    [await messageOf(url({ database })), new RegExp(`^database query failed: database "${database}" does not exist$`)],
    [await messageOf(url({ user })), new RegExp(`^database query failed: (role "${user}" does not exist|password authentication failed for user "${user}")$`)],
  ];
  for (const [message, expected] of cases) {
    assert.match(message, expected);
    assert.ok(!message.includes(password) && !message.includes('postgres://'), message);
  }
});
