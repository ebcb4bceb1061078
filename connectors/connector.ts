/**
 * The contract every provider implements (house style #4). The sync engine sees only this file and
 * connectors/errors.ts; provider folders are reached through connectors/registry.ts alone.
 *
 * Unit of change: a *remote object* — one provider item addressed by `remoteId` (a Google or Graph
 * event id, a CalDAV resource href). It holds one or more canonical events: a CalDAV resource holds
 * a master and its overrides under one UID; a Google/Graph item holds exactly one event (a master,
 * a single event or one exception). An upsert replaces everything stored for that remoteId.
 *
 * Every method may throw the errors of connectors/errors.ts and nothing else: TransientError,
 * RateLimitedError, AccessTokenExpiredError (only when the inline refresh also failed),
 * GrantRevokedError, InsufficientScopeError, SyncCursorInvalidError (listChanges),
 * PreconditionFailedError (writes), RemoteNotFoundError, UnsupportedError (writes).
 */
import type { AccessRole, Availability, CanonicalEvent, EventStatus, ProviderId, SendUpdates, Visibility } from '../shared/model/index.ts';

export interface ConnectorLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export type AccessCredentials =
  | {
      kind: 'oauth';
      /** Returns a valid access token; `forceRefresh` after a 401 refreshes once (single-flight). */
      getAccessToken(forceRefresh?: boolean): Promise<string>;
    }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'none' };

export interface ConnectorContext {
  credentials: AccessCredentials;
  signal: AbortSignal;
  log: ConnectorLogger;
  now: () => Date;
}

export interface ConnectorCapabilities {
  incrementalSync: 'sync-token' | 'delta-link' | 'ctag-etag' | 'sync-collection';
  push: boolean;
  freeBusy: 'native' | 'derive-from-events';
  maxFreeBusyWindowDays?: number;
  /** Overrides are written as part of their master's object (CalDAV) or as items of their own. */
  overridesInMasterObject: boolean;
  /** Recurrence forms the provider cannot store, e.g. Graph cannot store RDATE. */
  unsupportedRecurrence: Array<'rdate' | 'multiple-rrules' | 'byhour' | 'bysetpos' | 'secondly-minutely-hourly'>;
  /** Writes accept If-Match / If-None-Match preconditions. */
  conditionalWrites: boolean;
  /**
   * A cancelled instance is only its occurrence's absence, read back as an EXDATE of the master
   * (Graph's cancelledOccurrences): the engine writes cancelled overrides as EXDATEs before pushing,
   * so the store holds what the provider will list.
   */
  cancelledInstancesAsExdates: boolean;
  /**
   * One occurrence cannot be moved onto or past the start of its neighbours in the series
   * (Exchange/Graph: 400 ErrorOccurrenceCrossingBoundary); the hub refuses such a write up front.
   */
  keepsOccurrenceOrder?: boolean;
  /**
   * What the provider stores an availability as, where it cannot hold it (Google has transparency
   * only); absent values are held as given. A mirror writes copies as they will read back.
   */
  availabilityHeldAs?: Partial<Record<Availability, Availability>>;
  /** The same for visibility (Graph has no `public`: its `normal` reads back as `default`). */
  visibilityHeldAs?: Partial<Record<Visibility, Visibility>>;
  /** The same for status (Graph has no tentative status: a tentative copy is `showAs: tentative`, read back confirmed). */
  statusHeldAs?: Partial<Record<EventStatus, EventStatus>>;
  /**
   * Fields the provider itself copies from a series master's new content into the overrides that
   * still held the master's old value (Google: provider-facts A.8, emulators/google/series-fields.ts),
   * giving each a new version. The push tells that echo of its own master write from a change made
   * elsewhere by these alone. Absent: none; a provider not known to carry any declares none, so
   * every other difference counts as someone else's change, which is never written over unseen.
   */
  fieldsCarriedToOverrides?: readonly CarriedField[];
  /**
   * An incremental listing may say nothing of an object calhub wrote since its token: a sync token
   * that is a hash of the collection's content (Xandikos) comes back to its old value when the
   * object is deleted again before the next poll. The engine then records calhub's writes and hands
   * them to listChanges (`written`) until a completed pull has covered them.
   */
  listingMayMissOwnWrites?: boolean;
}

/** The event's fields of one plain value (text, enum), the only ones a provider is known to carry into overrides. */
export type CarriedField = { [K in keyof CanonicalEvent]-?: CanonicalEvent[K] extends string | null ? K : never }[keyof CanonicalEvent];

export interface RemoteCalendar {
  providerCalendarId: string;
  name: string;
  timeZone: string | null;
  color: string | null;
  readOnly: boolean;
  /**
   * The account's access where the provider states it (Google's calendarList accessRole); absent:
   * calhub derives it from readOnly (owner when writable, reader when not).
   */
  accessRole?: AccessRole;
  /** CalDAV: the collection supports VEVENT; always true elsewhere. */
  supportsEvents: boolean;
  primary: boolean;
}

export interface RemoteCalendarRef {
  providerCalendarId: string;
  /**
   * IANA zone the hub reads the calendar's floating and all-day times in: the tenant's choice
   * where there is one (calendars.time_zone). A floating time written to the provider is resolved
   * in it, so the provider holds the instant the hub already counts as busy.
   */
  timeZone: string;
  /**
   * The provider's own zone where it differs from timeZone (the tenant chose another); absent: timeZone.
   * What the provider itself resolves in: a zone-less time it sends, an all-day event it stores
   * (Graph keeps one in the mailbox's zone, and Outlook shows one in another zone across two days).
   */
  providerTimeZone?: string;
}

/** The zone the provider itself reads the calendar in (RemoteCalendarRef.providerTimeZone). */
export const providerZoneOf = (cal: RemoteCalendarRef): string => cal.providerTimeZone ?? cal.timeZone;

/** Opaque to the engine; each connector encodes page tokens and sync tokens as it likes. */
export type SyncCursor = string;

export type RemoteChange =
  /** `warnings`: fallbacks the mapper took to keep the item (logged with the run, the item is kept). */
  | { kind: 'upsert'; remoteId: string; version: string | null; events: CanonicalEvent[]; warnings?: string[] }
  | { kind: 'delete'; remoteId: string }
  /** The item could not be mapped; the engine quarantines it and keeps syncing the rest. */
  | { kind: 'invalid'; remoteId: string; version: string | null; error: string; raw: string | null };

export interface ChangePage {
  changes: RemoteChange[];
  /**
   * `full`: this page belongs to a complete listing started from a null cursor; after the last
   * page, remote objects the engine knows but the listing did not return are gone.
   */
  mode: 'full' | 'incremental';
  /** Where to continue: the next page while hasMore, else the cursor for the next incremental sync. */
  nextCursor: SyncCursor;
  hasMore: boolean;
}

export type WritePrecondition = { ifMatch: string } | { ifNoneMatch: '*' };

export interface RemoteObjectWrite {
  /** null on create: the connector chooses the id (CalDAV: `<uid>.ics`). */
  remoteId: string | null;
  /** A master or single event first, then its overrides (only where overridesInMasterObject). */
  events: CanonicalEvent[];
  /**
   * Who the write tells its attendees about it; absent or null: the provider's default (Google
   * tells no one, Graph and a scheduling CalDAV server tell every attendee). Graph cannot be told
   * otherwise; CalDAV has no "external only" and tells all.
   */
  sendUpdates?: SendUpdates | null;
  /**
   * Add the provider's own video conference to the master or single event if it has none (Google
   * Meet, Microsoft Teams); its link comes back as conferenceUrl, at once or with a later read.
   * CalDAV has none and ignores it; so does a write to an invitation (the organizer's to add).
   */
  conference?: boolean;
  /**
   * What the provider holds at the version an update's If-Match names (the ledger's base, or what
   * a 412 showed), so a connector that numbers revisions itself can number this one above it
   * (CalDAV: SEQUENCE, RFC 5545 §3.8.7.4). Absent or null: not known (a create); written as given.
   */
  current?: CanonicalEvent[] | null;
  /**
   * Where the provider holds overrides apart (Graph): the version the hub last agreed on of each
   * override of the series it knows, by eventTimeKey of its original start. A master's new EXDATE
   * deletes the occurrence on that version; an override the hub has never seen is not deleted
   * (412). Absent or null: not known; written on the version the occurrence is found with.
   */
  occurrenceVersions?: Record<string, string | null> | null;
}

/** How a delete tells the attendees (RemoteObjectWrite.sendUpdates). */
export interface DeleteOptions {
  sendUpdates?: SendUpdates | null;
}

export interface RemoteObject {
  remoteId: string;
  version: string | null;
  events: CanonicalEvent[];
  /**
   * Set by a write of a series master that made the provider discard the series' overrides (Graph
   * drops a series' exceptions when its pattern changes): the engine writes the UID's overrides again.
   */
  overridesDropped?: boolean;
}

export interface CalendarConnector {
  readonly provider: ProviderId;
  readonly capabilities: ConnectorCapabilities;

  listCalendars(ctx: ConnectorContext): Promise<RemoteCalendar[]>;

  /**
   * Why the provider could not hold `after` (replacing `before`, null for a create), or null: asked
   * before a write is accepted, so that what the provider would refuse at push time is a 400 now
   * instead of an accepted write that counts as busy, is mirrored, then parks. Pure, no I/O.
   */
  cannotHold?(before: CanonicalEvent | null, after: CanonicalEvent, cal: Pick<RemoteCalendarRef, 'timeZone' | 'providerTimeZone'>): string | null;

  /**
   * A null cursor starts a full listing. Throws SyncCursorInvalidError for an expired cursor.
   * `written` (connectors that declare listingMayMissOwnWrites): objects calhub wrote or deleted
   * since the pull that last covered them; an incremental listing that says nothing of one reports
   * it as it is now (an upsert, or a delete where it is gone).
   */
  listChanges(ctx: ConnectorContext, cal: RemoteCalendarRef, cursor: SyncCursor | null, written?: string[]): Promise<ChangePage>;

  /** Throws RemoteNotFoundError when the object does not exist. */
  getObject(ctx: ConnectorContext, cal: RemoteCalendarRef, remoteId: string): Promise<RemoteObject>;

  /**
   * Finds an object by iCalendar UID (or provenance stamp) so a create that timed out after
   * succeeding is never repeated as a duplicate. null when absent.
   */
  findObjectByUid(ctx: ConnectorContext, cal: RemoteCalendarRef, uid: string): Promise<RemoteObject | null>;

  /** Create (`ifNoneMatch: '*'`) or update (`ifMatch: version`); returns the stored object. */
  putObject(ctx: ConnectorContext, cal: RemoteCalendarRef, write: RemoteObjectWrite, pre: WritePrecondition): Promise<RemoteObject>;

  deleteObject(ctx: ConnectorContext, cal: RemoteCalendarRef, remoteId: string, pre: { ifMatch: string } | null, opts?: DeleteOptions): Promise<void>;

  /**
   * Creates an empty calendar for events in the account and returns it as listCalendars shows it.
   * `timeZone` (IANA) where the provider keeps one per calendar (Google, CalDAV); Graph's calendars
   * take the mailbox's. PreconditionFailedError when the provider has one of that name or address.
   */
  createCalendar(ctx: ConnectorContext, req: NewCalendar): Promise<RemoteCalendar>;

  /**
   * Deletes a calendar of the account at the provider, with every event in it. The account's
   * primary/default calendar is refused (UnsupportedError, reason 'primary-calendar') — the provider refuses it too.
   * A calendar already gone is RemoteNotFoundError.
   */
  deleteCalendar(ctx: ConnectorContext, cal: RemoteCalendarRef): Promise<void>;

  /**
   * Renames a calendar of the account at the provider and returns it as listCalendars shows it.
   * A calendar the account does not own is refused (UnsupportedError, reason 'not-calendar-owner');
   * one already gone is RemoteNotFoundError; a name the provider already has (Graph) PreconditionFailedError.
   */
  renameCalendar(ctx: ConnectorContext, cal: RemoteCalendarRef, name: string): Promise<RemoteCalendar>;
}

export interface NewCalendar {
  name: string;
  timeZone: string | null;
}

/**
 * The UnsupportedError reason for "this calendar cannot have a push channel" (Graph refusing a
 * per-calendar resource, Google's pushNotSupportedForRequestedResource): the only refusal the
 * supervisor leaves to polling for a day. Any other failed create (a failed validation handshake,
 * an unreachable or unauthorized webhook URL) is retried with the normal backoff.
 */
export const NO_PUSH_FOR_CALENDAR = 'calendarSubscriptionRefused';

/** Push subscriptions, only where capabilities.push is true (Google channels, Graph subscriptions). */
export interface PushSubscription {
  id: string;
  resourceId: string | null;
  /** Secret the receiver checks (Google channel token, Graph clientState). */
  secret: string;
  expiresAt: string;
}

/** The longest channel a provider grants, and where that is written down. */
export interface PushLifetime {
  seconds: number;
  source: string;
}

/**
 * What opening a channel asks for. `channelId`: where the caller names new channels (Google; see
 * PushSubscriber.namesChannels), the id to open it under, so a channel whose answer is lost can
 * still be recognized by its notifications; without it, one is made up.
 */
export interface SubscribeRequest { address: string; secret: string; ttlSeconds: number; channelId?: string }
export interface RenewRequest { address: string; ttlSeconds: number; channelId?: string }

export interface PushSubscriber {
  /** The one lifetime constant per provider: the supervisor asks for it and renews from what was granted. */
  readonly lifetime: PushLifetime;
  /** The caller chooses a new channel's id (Google's watch body `id`); Graph assigns subscription ids itself. */
  readonly namesChannels?: boolean;
  subscribe(ctx: ConnectorContext, cal: RemoteCalendarRef, req: SubscribeRequest): Promise<PushSubscription>;
  /** Graph renews in place; Google replaces (creates a new channel and stops the old one). */
  renew(ctx: ConnectorContext, cal: RemoteCalendarRef, sub: PushSubscription, req: RenewRequest): Promise<PushSubscription>;
  unsubscribe(ctx: ConnectorContext, sub: PushSubscription): Promise<void>;
  /**
   * Whether the provider still holds this channel (Graph: GET /subscriptions/{id}, 404 when gone).
   * Absent where the provider has no such read (Google): a renewal, which replaces, is the check there.
   */
  exists?(ctx: ConnectorContext, sub: PushSubscription): Promise<boolean>;
  /**
   * Graph only: deletes this calendar's subscriptions to `address` that calhub holds no record of
   * (`recorded` answers which ids it holds), left by a create whose answer was lost. Returns the
   * ids deleted.
   */
  sweepOrphans?(ctx: ConnectorContext, cal: RemoteCalendarRef, req: { address: string; recorded: (ids: string[]) => Promise<Set<string>> }): Promise<string[]>;
  /**
   * Google only: a channel on the account's calendar list (calendarList.watch), notified when a
   * calendar is added to, removed from or changed in the user's list. Stopped with `unsubscribe`.
   */
  readonly calendarList?: {
    subscribe(ctx: ConnectorContext, req: SubscribeRequest): Promise<PushSubscription>;
    /** Google has no renewal: a new channel, then the old one stopped. */
    renew(ctx: ConnectorContext, sub: PushSubscription, req: RenewRequest): Promise<PushSubscription>;
  };
}

export interface ConnectorWithPush extends CalendarConnector {
  readonly push: PushSubscriber;
}
