/**
 * CALDAV_REQUEST_DEADLINE_MS reaches the CalDAV connector the engine gets for an account: from
 * the configuration through makeConnect and the registry (the deadline itself:
 * connectors/caldav/deadline.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Writable } from 'node:stream';
import { TransientError } from '../connectors/errors.ts';
import type { KeyRing } from '../oauth/index.ts';
import { loadConfig } from '../shared/config/index.ts';
import { createLogger } from '../shared/logger.ts';
import type { AccountRow, Store } from '../shared/store/index.ts';
import { startHostileDav, type HostileDav } from '../test/support/hostile-dav.ts';
import { makeConnect } from './connect.ts';

let dav: HostileDav;
before(async () => {
  dav = await startHostileDav({ late: { kind: 'slow-start', count: 3, delayMs: 1500 } });
});
after(() => dav.stop());

const log = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const account = { id: 'a1', provider: 'caldav', config: { serverUrl: '' }, credentials: null } as unknown as AccountRow;

async function listWith(env: Record<string, string>) {
  const config = loadConfig({ CALDAV_ALLOW_PRIVATE_NETWORKS: 'true', ...env });
  // Neither is touched for a CalDAV account without stored credentials.
  const connect = makeConnect({ store: {} as Store, keyring: {} as KeyRing, config, log });
  const { connector, ctx } = await connect({ ...account, config: { serverUrl: dav.homeUrl } } as AccountRow);
  return connector.listChanges(ctx, { providerCalendarId: dav.calendarUrl('late'), timeZone: 'UTC' }, null);
}

it('CALDAV_REQUEST_DEADLINE_MS sets how long a CalDAV request may wait for its first byte', async () => {
  await assert.rejects(listWith({ CALDAV_REQUEST_DEADLINE_MS: '1000' }), (e: unknown) => e instanceof TransientError && e.reason === 'deadline' && /no byte of an answer within 1000 ms/.test(e.message));
  assert.equal((await listWith({ CALDAV_REQUEST_DEADLINE_MS: '5000' })).changes.length, 3);
});
