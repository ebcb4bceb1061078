/**
 * The clash screen (screen.ts) bound to one calendar's store and provider, shared by the pull and
 * by `resync --dry-run` so that a plan sets aside what the run would set aside.
 */
import { RemoteNotFoundError, type CalendarConnector, type ConnectorContext, type RemoteCalendarRef, type RemoteChange } from '../connectors/index.ts';
import type { TenantStore } from '../shared/store/index.ts';
import { instanceKey, type InstanceOwners, screenPage, type StillHeld, type StoredHolder } from './screen.ts';

/**
 * Where one object holds a whole UID (CalDAV, RFC 4791), a second object with the UID of one the
 * listing did not return (unchanged, or outside an incremental listing) clashes if that one still
 * exists. Where each instance is an object of its own, objects sharing a UID are the series' parts.
 */
export function stillHeldAt(connector: Pick<CalendarConnector, 'capabilities' | 'getObject'>, ctx: ConnectorContext, ref: RemoteCalendarRef): StillHeld | undefined {
  if (!connector.capabilities.overridesInMasterObject) return undefined;
  return (remoteId) => connector.getObject(ctx, ref, remoteId).then(() => true, (e: unknown) => (e instanceof RemoteNotFoundError ? false : Promise.reject(e)));
}

/**
 * Who the store holds an instance under. Asked of every new object when the provider's objects are
 * checked against the store (CalDAV): then the page's UIDs are read in one statement, not one per object.
 */
async function storedHolders(t: TenantStore, calendarId: string, changes: RemoteChange[], eachObject: boolean): Promise<StoredHolder> {
  if (!eachObject) return async (uid, key) => (await t.events.byUid(calendarId, uid)).find((r) => instanceKey(r.event) === key)?.remoteId ?? null;
  const uids = [...new Set(changes.flatMap((c) => (c.kind === 'upsert' ? c.events.map((e) => e.uid) : [])))];
  const held = await t.events.instanceHolders(calendarId, uids);
  return async (_uid, key) => held.get(key) ?? null;
}

export async function screenAgainstStore(t: TenantStore, calendarId: string, changes: RemoteChange[], owners: InstanceOwners, stillHeld: StillHeld | undefined): Promise<RemoteChange[]> {
  return screenPage(changes, owners, await storedHolders(t, calendarId, changes, stillHeld !== undefined), stillHeld);
}
