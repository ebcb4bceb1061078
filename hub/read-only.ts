/**
 * An account connected with `read` or `freebusy` access: calhub writes nothing to it. writable()
 * refuses the hub's own writes up front; this covers what reaches the connector anyway — a mirror
 * rule's copy queued before the access went down, a calendar created, renamed or deleted — so the
 * provider is never asked (a CalDAV server would take the write; Google and Graph answer 403,
 * which the push retries as a permission an operator may grant).
 */
import { UnsupportedError } from '../connectors/errors.ts';
import type { CalendarConnector } from '../connectors/connector.ts';
import { HubError } from '../shared/errors.ts';

export function readOnly(connector: CalendarConnector, accountId: string, access: string): CalendarConnector {
  const why = `account ${accountId} was connected with ${access} access, which cannot write; connect it again with readwrite access`;
  // Object writes: refused content to the push, which parks the entry with this reason after its tries.
  const refuseWrite = async (): Promise<never> => {
    throw new UnsupportedError(`ACCOUNT_READ_ONLY: ${why}`);
  };
  const refuse = async (): Promise<never> => {
    throw new HubError('ACCOUNT_READ_ONLY', 'never', why);
  };
  const wrapped: CalendarConnector = Object.create(connector) as CalendarConnector;
  return Object.assign(wrapped, { putObject: refuseWrite, deleteObject: refuseWrite, createCalendar: refuse, deleteCalendar: refuse, renameCalendar: refuse });
}
