/**
 * The Google Calendar connector over @googleapis/calendar. Real Google by default; `baseUrl`
 * points it at the emulator (emulators/google) or any other origin with Google's paths.
 */
import type { ConnectorCapabilities, ConnectorContext, ConnectorWithPush, NewCalendar, RemoteCalendar, RemoteCalendarRef, RemoteObject } from '../connector.ts';
import { RemoteNotFoundError, UnsupportedError } from '../errors.ts';
import { toRemoteCalendar } from './calendar-entry.ts';
import { GoogleClient, GOOGLE_API_ROOT } from './client.ts';
import { listChanges } from './list-changes.ts';
import { createGooglePush } from './push.ts';
import { renameCalendar } from './rename-calendar.ts';
import { deleteObject, findByUid, getRaw, putObject, toRemoteObject } from './write-object.ts';

export const GOOGLE_CAPABILITIES: ConnectorCapabilities = {
  incrementalSync: 'sync-token',
  push: true,
  freeBusy: 'native',
  maxFreeBusyWindowDays: 90,
  overridesInMasterObject: false,
  unsupportedRecurrence: [],
  conditionalWrites: true,
  cancelledInstancesAsExdates: false,
  // provider-facts A.4: `transparency` is opaque or transparent, nothing between.
  availabilityHeldAs: { tentative: 'busy', oof: 'busy', workingElsewhere: 'free' },
  // A series' new title, description, location or transparency reaches the exceptions that had
  // its old one, each with a new etag (Google Calendar shows it so; the 2011 v3 recurring-events
  // post says only that an exception's own changes are kept: emulators/google/series-fields.ts).
  fieldsCarriedToOverrides: ['title', 'description', 'location', 'availability'],
};

/**
 * calendarList.list with hidden entries: hiding a calendar in Google Calendar is a display choice,
 * not leaving it, and the list calhub reads again must not take it for deleted.
 */
async function listCalendars(client: GoogleClient, ctx: ConnectorContext): Promise<RemoteCalendar[]> {
  const out: RemoteCalendar[] = [];
  let pageToken: string | undefined;
  do {
    const token = pageToken;
    const data = await client.call(ctx, (o) => client.api.calendarList.list({ maxResults: 250, minAccessRole: 'reader', showHidden: true, ...(token ? { pageToken: token } : {}) }, o));
    for (const c of data.items ?? []) {
      if (c.id && !c.deleted) out.push(toRemoteCalendar({ ...c, id: c.id }));
    }
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  return out;
}

/** calendars.insert (A.5): a secondary calendar the user owns, which Google adds to their calendar list. */
async function createCalendar(client: GoogleClient, ctx: ConnectorContext, req: NewCalendar): Promise<RemoteCalendar> {
  const made = await client.call(ctx, (o) => client.api.calendars.insert({ requestBody: { summary: req.name, ...(req.timeZone ? { timeZone: req.timeZone } : {}) } }, o));
  const listed = (await listCalendars(client, ctx)).find((c) => c.providerCalendarId === made.id);
  return listed ?? { providerCalendarId: made.id!, name: made.summary ?? req.name, timeZone: made.timeZone ?? null, color: null, readOnly: false, accessRole: 'owner', supportsEvents: true, primary: false };
}

/**
 * calendars.delete, after a look at the caller's calendar-list entry: the primary calendar and a
 * calendar someone else owns are refused here, so the refusal does not hang on Google's wording for
 * them (UNCONFIRMED, README). A calendar no longer in the list is asked about anyway: Google says
 * whether it is gone (404) or kept from us.
 */
async function deleteCalendar(client: GoogleClient, ctx: ConnectorContext, cal: RemoteCalendarRef): Promise<void> {
  const calendarId = cal.providerCalendarId;
  const entry = await client.call(ctx, (o) => client.api.calendarList.get({ calendarId }, o)).catch((e: unknown) => {
    if (e instanceof RemoteNotFoundError) return null;
    throw e;
  });
  if (entry?.primary) throw new UnsupportedError(`google: ${calendarId} is the account's primary calendar, which Google does not delete`, { provider: 'google', reason: 'primary-calendar' });
  // Deleting it is the owner's to do; a writer or reader only has it in their list.
  if (entry && entry.accessRole !== 'owner') {
    throw new UnsupportedError(`google: ${calendarId} belongs to someone else (access: ${entry.accessRole ?? 'unknown'}); only its owner can delete it`, { provider: 'google', reason: 'not-calendar-owner' });
  }
  await client.call(ctx, (o) => client.api.calendars.delete({ calendarId }, o));
}

async function getObject(client: GoogleClient, ctx: ConnectorContext, cal: RemoteCalendarRef, remoteId: string): Promise<RemoteObject> {
  const ev = await getRaw(client, ctx, cal, remoteId);
  // events.get returns deleted events too (A.2); for the hub they are gone.
  if (ev.status === 'cancelled' && !ev.recurringEventId) throw new RemoteNotFoundError('google: the event was deleted', { provider: 'google', httpStatus: 200 });
  let masterUid: string | undefined;
  if (!ev.iCalUID && ev.recurringEventId) masterUid = (await getRaw(client, ctx, cal, ev.recurringEventId)).iCalUID ?? undefined;
  return toRemoteObject(ev, cal, masterUid);
}

/** The part of connectors/registry.ts's ConnectorConfig this connector reads. */
export interface GoogleConnectorConfig {
  /** API origin; Google's by default, the emulator's in tests and the sandbox. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

export function createGoogleConnector(config: GoogleConnectorConfig = {}): ConnectorWithPush {
  const client = new GoogleClient(config.baseUrl ?? GOOGLE_API_ROOT, config.fetch);
  return {
    provider: 'google',
    capabilities: GOOGLE_CAPABILITIES,
    push: createGooglePush(client),
    listCalendars: (ctx) => listCalendars(client, ctx),
    listChanges: (ctx, cal, cursor) => listChanges(client, ctx, cal, cursor),
    getObject: (ctx, cal, remoteId) => getObject(client, ctx, cal, remoteId),
    async findObjectByUid(ctx, cal, uid) {
      const ev = await findByUid(client, ctx, cal, uid);
      return ev ? toRemoteObject(ev, cal) : null;
    },
    putObject: (ctx, cal, write, pre) => putObject(client, ctx, cal, write, pre),
    deleteObject: (ctx, cal, remoteId, pre, opts) => deleteObject(client, ctx, cal, remoteId, pre, opts),
    createCalendar: (ctx, req) => createCalendar(client, ctx, req),
    deleteCalendar: (ctx, cal) => deleteCalendar(client, ctx, cal),
    renameCalendar: (ctx, cal, name) => renameCalendar(client, ctx, cal, name),
  };
}
