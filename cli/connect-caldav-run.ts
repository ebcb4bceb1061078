/**
 * The part of `calhub accounts connect caldav` that needs the hub: run in the command's own
 * process (no hub running) and by `calhub start` for a command that hands it the work (cli/operations.ts).
 */
import { connectCaldav, type AccessLevel, type Hub } from '../hub/index.ts';
import { HubError } from '../shared/errors.ts';
import { withHub } from './with-hub.ts';

export interface CaldavLoginArgs {
  serverUrl: string;
  username: string;
  password: string;
  /** Absent: readwrite for a new account, the account's own on a reconnect. */
  access?: AccessLevel;
  /** The user's email, ORGANIZER of meetings when the server names none; absent: a reconnect keeps the account's. */
  email?: string;
}

/** What the command prints (--json: as is). */
export interface ConnectedCaldav {
  id: string;
  /** As GET /v1/accounts/{id} email. */
  email: string | null;
  calendars: Array<{ id: string; name: string; timeZone: string; readOnly: boolean; primary: boolean; providerCalendarId: string }>;
}

export async function connectCaldavAccount(hub: Hub, tenantId: string, login: CaldavLoginArgs): Promise<ConnectedCaldav> {
  const { account, calendars } = await connectCaldav(hub, tenantId, login);
  return { id: account.id, email: account.email, calendars: calendars.map((c) => ({ id: c.id, name: c.name, timeZone: c.timeZone, readOnly: c.accessRole !== 'owner' && c.accessRole !== 'writer', primary: c.primary, providerCalendarId: c.providerCalendarId })) };
}

/** In this process. */
export async function connectCaldavHere(tenantId: string, login: CaldavLoginArgs): Promise<ConnectedCaldav> {
  const connect = (hub: Hub) => connectCaldavAccount(hub, tenantId, login);
  // Through the queue when a worker listens, so the first sync starts at once; a queue that does
  // not answer does not stop the connect (the first sync then comes with the next poll or resync).
  try {
    return await withHub({ queue: 'if-worker' }, connect);
  } catch (e) {
    if (!(e instanceof HubError && e.code === 'QUEUE_UNREACHABLE')) throw e;
    process.stderr.write(`calhub: ${e.message}; connecting without starting the first sync\n`);
    return withHub({}, connect);
  }
}
