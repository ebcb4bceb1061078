/**
 * An account connected with `freebusy` access: calhub keeps only when it is busy. Google and
 * Microsoft have no scope that syncs busy time alone, so the grant reads whole events; this keeps
 * their titles, notes, places, guests and meeting links from ever reaching the store (and with it
 * the API, webhooks and mirror copies), as the connection promised.
 */
import type { CalendarConnector, ChangePage, RemoteObject } from '../connectors/connector.ts';
import { withoutDetails as busyOf } from '../shared/model/index.ts';

const objectOf = (o: RemoteObject): RemoteObject => ({ ...o, events: o.events.map(busyOf) });

export function busyOnly(connector: CalendarConnector): CalendarConnector {
  const wrapped: CalendarConnector = Object.create(connector) as CalendarConnector;
  return Object.assign(wrapped, {
    async listChanges(...args: Parameters<CalendarConnector['listChanges']>): Promise<ChangePage> {
      const page = await connector.listChanges(...args);
      return { ...page, changes: page.changes.map((c) => (c.kind === 'upsert' ? { ...c, events: c.events.map(busyOf) } : c)) };
    },
    async getObject(...args: Parameters<CalendarConnector['getObject']>): Promise<RemoteObject> {
      return objectOf(await connector.getObject(...args));
    },
    async findObjectByUid(...args: Parameters<CalendarConnector['findObjectByUid']>): Promise<RemoteObject | null> {
      const o = await connector.findObjectByUid(...args);
      return o && objectOf(o);
    },
  });
}
