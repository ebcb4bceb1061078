/**
 * The CalDAV CalendarConnector: one instance per account (the server URL is in the config).
 * providerCalendarId = the collection's absolute URL; remoteId = the resource's canonical path.
 */
import type {
  CalendarConnector,
  ChangePage,
  ConnectorCapabilities,
  ConnectorContext,
  RemoteCalendar,
  RemoteCalendarRef,
  RemoteObject,
  RemoteObjectWrite,
  WritePrecondition,
} from '../connector.ts';
import { RemoteNotFoundError, UnsupportedError } from '../errors.ts';
import { eventTimeKey, type CanonicalEvent } from '../../shared/model/index.ts';
import { DavClient } from './dav-client.ts';
import { discover, findHomes, findPrincipal, listCalendarsIn, type CaldavDiscovery, type CaldavHomes } from './discovery.ts';
import { deleteCalendarCollection } from './delete-calendar.ts';
import { makeCalendar } from './make-calendar.ts';
import { renameCalendarCollection } from './rename-calendar.ts';
import { collectionPath, normalizeHref, resourceNameFor } from './hrefs.ts';
import { mergeIntoStored, serializeCalendarObject, withRaisedSequences } from './ical/index.ts';
import { DEFAULT_CALDAV_LIMITS, type CaldavLimits } from './limits.ts';
import { listChanges, type Listing } from './list-changes.ts';
import { deleteRaw, findObjectByUid, getObject, getRaw, mayAutoSchedule, putAndRead, quietBeforeDelete, type ObjectContext } from './objects.ts';
import { createGuardedFetch, DEFAULT_IDLE_TIMEOUT_MS } from './transport.ts';

/**
 * Resources per calendar-multiget and per page. 500 (was 100): a 10,000-item initial sync is 20
 * pages instead of 100 (Radicale: 2.89 s against 3.53 s for the listing alone, README), and a
 * page stays well under maxResponseBytes (~1.5 KB per typical item; a larger answer is split).
 */
export const DEFAULT_PAGE_SIZE = 500;

/** The part of registry.ts's ConnectorConfig this connector reads (a provider folder does not import the registry). */
export interface ConnectorConfig {
  /** The account's server, principal, calendar-home or calendar URL. */
  serverUrl?: string;
  /** CALDAV_ALLOW_PRIVATE_NETWORKS: turns the SSRF guard off. */
  allowPrivateNetworks?: boolean;
  /** Used as is (no SSRF guard); tests and proxies. */
  fetch?: typeof fetch;
  /** Deadlines and size caps (defaults: limits.ts). */
  limits?: Partial<CaldavLimits>;
  /** The account's email address, given (or found) at connect: ORGANIZER when the server names none. */
  email?: string | null;
}

export interface CaldavOptions {
  /** Resources fetched per calendar-multiget / per page. */
  pageSize?: number;
}

export const CALDAV_CAPABILITIES: ConnectorCapabilities = {
  incrementalSync: 'sync-collection',
  push: false,
  freeBusy: 'derive-from-events',
  overridesInMasterObject: true,
  unsupportedRecurrence: [],
  conditionalWrites: true,
  cancelledInstancesAsExdates: false,
  // Overrides are components of the master's own resource, written whole with it (RFC 5545
  // RECURRENCE-ID: an override replaces its instance); the server copies nothing into them.
  fieldsCarriedToOverrides: [],
  // Xandikos' sync token and ctag are the collection's git tree id: they repeat (README, Sync).
  listingMayMissOwnWrites: true,
};

function fetchFor(config: ConnectorConfig, limits: CaldavLimits): typeof fetch {
  // An injected fetch (tests, a proxy) is used as is; otherwise every connection is SSRF-guarded.
  // The transport's cap is a backstop at the largest body the client may read (a streamed listing);
  // its idle timeout never cuts a request the client's deadline still allows.
  return config.fetch ?? createGuardedFetch({
    allowPrivateNetworks: config.allowPrivateNetworks ?? false,
    maxBodyBytes: Math.max(limits.maxResponseBytes, limits.maxListingBytes),
    idleTimeoutMs: Math.max(DEFAULT_IDLE_TIMEOUT_MS, limits.requestDeadlineMs),
  });
}

const limitsOf = (config: ConnectorConfig): CaldavLimits => ({ ...DEFAULT_CALDAV_LIMITS, ...config.limits });

function selfAddresses(ctx: ConnectorContext, discovered: string[]): string[] {
  const own = ctx.credentials.kind === 'basic' && ctx.credentials.username.includes('@') ? [ctx.credentials.username] : [];
  return [...own, ...discovered];
}

const isEmail = (a: string) => /^[^\s@/:]+@[^\s@/]+$/.test(a);

/**
 * The account's own calendar user address (RFC 5545 §3.8.4.3: ORGANIZER is required once there
 * are attendees): the first email of calendar-user-address-set, else the email given at connect,
 * else the Basic username when it is an email. Null when none is known: Radicale 3.1 answers the
 * principal path there and Xandikos 0.2 nothing, so a login like `alice` knows no address.
 */
export function ownAddress(ctx: ConnectorContext, discovered: string[], given: string | null = null): string | null {
  const email = discovered.find(isEmail) ?? (given && isEmail(given) ? given : undefined);
  if (email) return email;
  return ctx.credentials.kind === 'basic' && isEmail(ctx.credentials.username) ? ctx.credentials.username : null;
}

const key = (e: CanonicalEvent) => `${e.uid}\u0000${e.originalStart ? eventTimeKey(e.originalStart) : ''}`;

/**
 * A meeting calhub creates (or one an update gives its first attendees, where it had no organizer)
 * is organized by the account: ORGANIZER is filled with its address, as Google and Graph name the
 * calendar's owner organizer on insert (provider-facts A.4). Anyone else's meeting is left as it is.
 */
export function withOrganizer(events: CanonicalEvent[], current: CanonicalEvent[] | null | undefined, address: string | null): CanonicalEvent[] {
  const needs = needsOrganizer(events, current);
  if (!address || needs.size === 0) return events;
  return events.map((e) => (needs.has(e) ? { ...e, organizer: { email: address, name: null } } : e));
}

/**
 * The events calhub makes meetings of: attendees and no organizer, created so or given their first
 * attendees by this write (the server's version had neither).
 */
export function needsOrganizer(events: CanonicalEvent[], current: CanonicalEvent[] | null | undefined): Set<CanonicalEvent> {
  const before = new Map((current ?? []).map((e) => [key(e), e]));
  const master = current?.find((e) => e.originalStart === null);
  const updating = (current?.length ?? 0) > 0;
  return new Set(events.filter((e) => {
    if (e.attendees.length === 0 || e.organizer !== null) return false;
    if (!updating) return true;
    const was = before.get(key(e)) ?? master;
    return Boolean(was && was.attendees.length === 0 && was.organizer === null);
  }));
}

/**
 * Discovery for the CLI's `accounts connect`: principal, calendar homes, the user's addresses and
 * the calendars. `serverUrl` may be a server root, a principal, a calendar home or a calendar.
 */
export async function discoverCaldav(ctx: ConnectorContext, serverUrl: string, config: ConnectorConfig = {}): Promise<CaldavDiscovery> {
  const limits = limitsOf(config);
  return discover(new DavClient(fetchFor(config, limits), ctx, limits, serverUrl), ctx, serverUrl);
}

export function createCaldavConnector(config: ConnectorConfig, opts: CaldavOptions = {}): CalendarConnector {
  const serverUrl = config.serverUrl;
  const limits = limitsOf(config);
  const fetchFn = fetchFor(config, limits);
  const pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  const listings = new Map<string, Listing>();
  let homes: Promise<CaldavHomes> | null = null;
  const schedules = new Map<string, Promise<boolean>>();

  const account = (ctx: ConnectorContext, dav: DavClient) => {
    if (!serverUrl) throw new UnsupportedError('CalDAV connector needs config.serverUrl', { provider: 'caldav' });
    homes ??= findPrincipal(dav, serverUrl).then((p) => findHomes(dav, p, serverUrl));
    // A failed discovery is not cached: the next call tries again.
    return homes.catch((e: unknown) => {
      homes = null;
      throw e;
    });
  };

  const objects = async (ctx: ConnectorContext, cal: RemoteCalendarRef): Promise<ObjectContext> => {
    const dav = new DavClient(fetchFn, ctx, limits, serverUrl);
    // The user's addresses decide which attendee is `self` (busy policy: declined → free); they
    // come from the principal, looked up once per connector. Without them the username is used.
    const addresses = serverUrl ? await account(ctx, dav).then((h) => h.addresses, () => []) : [];
    const calendarUrl = cal.providerCalendarId;
    const autoSchedules = () => {
      let known = schedules.get(calendarUrl);
      if (!known) {
        known = mayAutoSchedule({ dav, calendarUrl });
        schedules.set(calendarUrl, known);
        // A failed OPTIONS is not kept: the next quiet delete asks again.
        known.catch(() => schedules.delete(calendarUrl));
      }
      return known;
    };
    return { dav, calendarUrl, selfAddresses: selfAddresses(ctx, config.email ? [...addresses, config.email] : addresses), ownAddress: ownAddress(ctx, addresses, config.email ?? null), autoSchedules };
  };

  return {
    provider: 'caldav',
    capabilities: CALDAV_CAPABILITIES,

    async listCalendars(ctx): Promise<RemoteCalendar[]> {
      const dav = new DavClient(fetchFn, ctx, limits, serverUrl);
      const { homes: urls, defaultCalendar } = await account(ctx, dav);
      return listCalendarsIn(dav, urls, defaultCalendar);
    },

    async listChanges(ctx, cal, cursor, written): Promise<ChangePage> {
      return listChanges({ ...(await objects(ctx, cal)), pageSize, listings, log: ctx.log, ...(written?.length ? { written } : {}) }, cursor);
    },

    async getObject(ctx, cal, remoteId): Promise<RemoteObject> {
      return getObject(await objects(ctx, cal), remoteId);
    },

    async findObjectByUid(ctx, cal, uid): Promise<RemoteObject | null> {
      return findObjectByUid(await objects(ctx, cal), uid);
    },

    async putObject(ctx, cal, write: RemoteObjectWrite, pre: WritePrecondition): Promise<RemoteObject> {
      const o = await objects(ctx, cal);
      if (write.events.length === 0) throw new UnsupportedError('a CalDAV object needs at least one event', { provider: 'caldav' });
      const path = write.remoteId ? normalizeHref(write.remoteId, cal.providerCalendarId) : collectionPath(cal.providerCalendarId) + resourceNameFor(write.events[0]!.uid);
      // CalDAV has no "external only": the server (if it schedules at all) tells every attendee.
      // An update raises SEQUENCE above the server's where it revises a component significantly.
      const current = 'ifMatch' in pre ? write.current : null;
      // A meeting without ORGANIZER is no valid iCalendar object (RFC 5545 §3.8.4.3): not written.
      // The API refuses it before it is queued (ORGANIZER_UNKNOWN); this holds for accounts connected
      // before that. A mirror copy is written as its source is (it is not the account's meeting).
      if (!o.ownAddress && [...needsOrganizer(write.events, current)].some((e) => e.provenance === null)) {
        throw new UnsupportedError('a meeting (an event with attendees) needs an organizer, and this CalDAV account has no known email address: give the event an organizer, or connect the account again with its email', { provider: 'caldav' });
      }
      const events = withOrganizer(withRaisedSequences(write.events, write.current), current, o.ownAddress ?? null);
      const opts = { quiet: write.sendUpdates === 'none' };
      // An update is written into the object the server holds (ical/merge.ts), so what calhub does
      // not model (alarms, attachments, X-properties, attendees' parameters) survives: one GET more.
      // If-Match still guards the PUT: a GET of a newer version than the precondition's is answered
      // 412 by the PUT, as without the GET. A wildcard is narrowed to the version merged into.
      let stored: { raw: string; etag: string | null } | null = null;
      if ('ifMatch' in pre) {
        try {
          stored = await getRaw(o, path);
        } catch (e) {
          // Gone: the PUT answers as it did before (the engine decides what a vanished object means).
          if (!(e instanceof RemoteNotFoundError)) throw e;
        }
      }
      const merged = stored ? mergeIntoStored(stored.raw, events, ctx.now(), { ...opts, selfAddresses: o.selfAddresses }) : null;
      if (stored && !merged) ctx.log.warn({ remoteId: path }, 'the stored calendar object could not be merged into; it is written whole from the hub\'s events');
      const body = merged ?? serializeCalendarObject(events, ctx.now(), opts);
      if (merged && 'ifMatch' in pre && pre.ifMatch === '*' && stored?.etag && !stored.etag.startsWith('W/')) pre = { ifMatch: stored.etag };
      return putAndRead(o, path, body, pre);
    },

    async deleteObject(ctx, cal, remoteId, pre, opts = {}): Promise<void> {
      const o = await objects(ctx, cal);
      await deleteRaw(o, remoteId, opts.sendUpdates === 'none' ? await quietBeforeDelete(o, remoteId, pre, ctx.now()) : pre);
    },

    async createCalendar(ctx, req): Promise<RemoteCalendar> {
      const dav = new DavClient(fetchFn, ctx, limits, serverUrl);
      return makeCalendar(dav, (await account(ctx, dav)).homes, req, ctx.now());
    },

    async renameCalendar(ctx, cal, name): Promise<RemoteCalendar> {
      const dav = new DavClient(fetchFn, ctx, limits, serverUrl);
      await renameCalendarCollection(dav, cal.providerCalendarId, name);
      // As listCalendars shows it: `primary` is decided over the whole listing.
      const found = await account(ctx, dav);
      const listed = (await listCalendarsIn(dav, found.homes, found.defaultCalendar)).find((c) => c.providerCalendarId === cal.providerCalendarId);
      return listed ?? { providerCalendarId: cal.providerCalendarId, name, timeZone: null, color: null, readOnly: false, supportsEvents: true, primary: false };
    },

    async deleteCalendar(ctx, cal): Promise<void> {
      await deleteCalendarCollection(new DavClient(fetchFn, ctx, limits, serverUrl), cal.providerCalendarId);
      listings.delete(cal.providerCalendarId);
    },
  };
}
