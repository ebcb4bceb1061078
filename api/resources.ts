import type { FastifyInstance } from 'fastify';
import { calendarPolicy, CONFLICT_POLICIES, createCalendar, deleteCalendar, getAccount, updateCalendar, getCalendar, pageAccounts, pageCalendars, pagePendingWrites, pageQuarantine, publicCalendar, QUARANTINE_REASONS, WRITE_STATES, type Hub } from '../hub/index.ts';
import { SEND_UPDATES } from '../shared/model/index.ts';
import { listQueryProperties, nextCursor, pageOf, parseList, type ListQuery } from './paging.ts';
import { errorResponses, id, idParams, security } from './schemas.ts';
import type { ConflictPolicy } from '../hub/index.ts';

/** The calendar's conflict policy, as its GET and PATCH answer it. */
const policyOf = async (hub: Hub, tenantId: string, calendarId: string) => ({ conflictPolicy: (await calendarPolicy(hub, tenantId, calendarId)).conflictPolicy });

const nullableString = { type: ['string', 'null'] } as const;

export const accountSchema = {
  type: 'object',
  required: ['id', 'provider', 'externalId', 'status', 'createdAt', 'updatedAt'],
  properties: {
    id,
    provider: { type: 'string', enum: ['google', 'microsoft', 'caldav', 'memory'] },
    externalId: { type: 'string' },
    displayName: nullableString,
    email: {
      ...nullableString,
      description: "The account's email address as its provider tells it (read-only): Google, the primary calendar's id; Microsoft 365, Graph /me mail, else userPrincipalName; CalDAV, the email given at connect, else the server's calendar-user-address-set mailto: address. Null when none is known (a CalDAV login without either; an account connected before calhub kept it, until its next connect or calendar-list reading)",
    },
    status: { type: 'string', enum: ['active', 'needs_reauth', 'disabled', 'error'] },
    statusReason: { ...nullableString, description: "Why the account is in its status, as text: the provider's own word for a refused grant (invalid_grant, interaction_required…), calhub's message, or an operator's for disabled. Not stable: read statusReasonCode" },
    statusReasonCode: { ...nullableString, description: 'The stable code of why the account needs its user (docs/errors.md): AUTH_GRANT_REVOKED while needs_reauth (the user reconnects it); null in every other status' },
    access: {
      type: ['string', 'null'], enum: ['freebusy', 'read', 'readwrite', null],
      description: "What the account was connected to do: freebusy (calhub keeps only when it is busy), read (no writes: 409 ACCOUNT_READ_ONLY), readwrite. Connecting it again with other access changes it (webhook account.updated). Null only while the grant's encryption key is missing from the key ring",
    },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const calendarSchema = {
  type: 'object',
  required: ['id', 'accountId', 'name', 'timeZone', 'accessRole', 'syncStage'],
  properties: {
    id,
    accountId: id,
    providerCalendarId: { type: 'string' },
    name: { type: 'string' },
    timeZone: {
      type: 'string',
      description: "IANA zone; all-day and floating times resolve in it (the busy index, free/busy, availability, expansion, the event listing's timeZone). The zone chosen through PATCH when timeZoneChosen, else the provider's",
    },
    timeZoneChosen: { type: 'boolean', description: "timeZone was chosen through PATCH and is kept over the provider's through every calendar listing (false: it is the provider's)" },
    providerTimeZone: {
      type: 'string',
      description: "The zone the provider states for the calendar, kept up to date under a chosen one; UTC where it states none (a CalDAV collection without calendar-timezone, every Xandikos collection)",
    },
    color: nullableString,
    accessRole: { type: 'string', enum: ['owner', 'writer', 'reader', 'freeBusyReader'] },
    syncStage: { type: 'string', enum: ['idle', 'scheduled', 'running', 'failed'] },
    failureCount: { type: 'integer' },
    lastSuccessAt: nullableString,
    lastError: { ...nullableString, description: 'The last sync failure as recorded (`CODE: message`, never a credential), for people; null once a sync succeeds' },
    lastErrorCode: { ...nullableString, description: "The last sync failure's stable code (docs/errors.md); null when none failed since the last success, or the failure was not one of calhub's coded errors (a run reaped as stale)" },
    countsForBusy: { type: 'boolean', description: "Whether its busy time counts when free/busy or availability names its account (a calendar named by id always counts). By default the account's own and writable calendars count and calendars shared with it to read (a colleague's, holidays, birthdays) do not; PATCH sets it" },
    countsForBusyChosen: { type: 'boolean', description: 'countsForBusy was set through PATCH (false: it follows the access)' },
    primary: {
      type: 'boolean',
      description: "Read-only: the provider's primary/default calendar of the account (Google calendarList primary, Microsoft 365 isDefaultCalendar, CalDAV the calendar the server's schedule-default-calendar-URL names; false for every CalDAV calendar when the server names none, as Radicale and Xandikos). Updated on every calendar-list reading",
    },
    syncEnabled: { type: 'boolean', description: 'Whether calhub syncs the calendar and keeps a copy of it (default true). Off: not polled, no push channel, no events held (reading or writing them is 409 CALENDAR_NOT_SYNCED), counting for no busy time; PATCH switches it' },
    conflictPolicy: { type: 'string', enum: [...CONFLICT_POLICIES], description: 'How a field changed on both sides is settled (GET /v1/calendars/:id, the GET /v1/calendars items and PATCH answer it; PATCH sets it, as `calhub calendars policy --conflict`)' },
    missingSince: { ...nullableString, format: 'date-time', description: "Since when the provider's calendar list leaves this calendar out; it is removed (calendar.deleted) when a listing CALENDAR_GONE_AFTER_MS later still does. Null while listed" },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** A calendar of the list: its conflict policy always stated (a create's answer leaves it out). */
const listedCalendarSchema = { ...calendarSchema, required: [...calendarSchema.required, 'conflictPolicy'] } as const;

/** A PATCH's answer: the calendar, and with a rename the name the provider's calendar now has. */
const renamedSchema = {
  ...calendarSchema,
  properties: {
    ...calendarSchema.properties,
    nameAtProvider: {
      type: 'string',
      description: "With name: the name the provider's calendar now has. It differs from name where the user's own label for the calendar (Google summaryOverride) keeps showing, in their Google Calendar and in calhub: the rename leaves that label alone",
    },
  },
} as const;

export const quarantineItemSchema = {
  type: 'object',
  required: ['remoteId', 'eventId', 'reason', 'message', 'firstSeen', 'lastSeen'],
  properties: {
    remoteId: { type: 'string', description: "The provider's id of the item (a Google or Graph event id, a CalDAV href)" },
    eventId: { type: ['string', 'null'], description: 'The event kept as the last good copy of an item calhub had read (answered with "quarantined": true; its master when the item holds a series); null for an item never read' },
    reason: { type: 'string', enum: [...QUARANTINE_REASONS], description: 'UNSTORABLE_TEXT (a NUL or lone surrogate), UID_CLASH (another object holds the same UID and instance), RECURRENCE_UNEXPANDABLE, INVALID_DATA (the item cannot be mapped or breaks an event rule)' },
    message: { type: 'string', description: 'What is wrong with it, naming the field or the clashing object; never the item content' },
    firstSeen: { type: 'string', format: 'date-time' },
    lastSeen: { type: 'string', format: 'date-time' },
  },
} as const;

export const pendingWriteSchema = {
  type: 'object',
  required: ['uid', 'op', 'state', 'refusals', 'message', 'sendUpdates', 'sendUpdatesByOccurrence', 'conference', 'queuedAt', 'updatedAt', 'lastAttempt', 'lastAttemptCode', 'nextTryAt'],
  properties: {
    uid: { type: 'string', description: 'The event (series) UID the change is for' },
    op: { type: 'string', enum: ['put', 'delete'], description: 'put: create or update at the provider; delete: remove it there' },
    state: { type: 'string', enum: [...WRITE_STATES], description: 'pending: not tried yet; failing: the last try failed (message says why) and it is tried again on the next push; parked: the provider refused its content 3 times, so it is not tried again until the event changes; a parked delete (the event is gone and never changes again) is offered again at nextTryAt: 1 hour after its 3rd refusal, the wait doubling with each further refusal, at most a day' },
    refusals: { type: 'integer', description: 'Times the provider refused this content' },
    message: { ...nullableString, description: "The provider's last answer when the write failed; for a pending write that waits because the event's item at the provider is quarantined, 'waits: …' naming the item" },
    sendUpdates: { type: ['string', 'null'], enum: [...SEND_UPDATES, null], description: 'Who the write will tell the attendees (the widest its changes asked for; what a CalDAV server, which holds the series as one object, is written with); null: a change calhub made on its own, the provider default' },
    sendUpdatesByOccurrence: {
      type: 'array',
      description: 'Who the write of each changed occurrence will tell, where its changes said (Google and Graph write each occurrence apart, so a quiet change of one is not sent with a wider one of another); empty for a change calhub made on its own or queued before they were kept apart',
      items: {
        type: 'object',
        required: ['occurrence', 'sendUpdates'],
        properties: {
          occurrence: { ...nullableString, description: 'The occurrence, by the start it replaces (as in /v1/events/{id}/occurrences/{key}); null: the series itself or a single event' },
          sendUpdates: { type: 'string', enum: [...SEND_UPDATES] },
        },
      },
    },
    conference: { type: 'boolean', description: "The write asks the provider for a video conference (conference=auto); dropped from the next edit once the provider refused it" },
    queuedAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    lastAttempt: { ...nullableString, description: "Why the calendar's last push did not write its changes (e.g. 'CONNECTOR_RATE_LIMITED: …' while the provider throttles it); null: no push has been held back since its last success, or the change was made after that push (it did not try it: a delete that replaced a waiting create shows no answer until it fails itself)" },
    lastAttemptCode: { ...nullableString, description: "lastAttempt's stable code (docs/errors.md, e.g. CONNECTOR_RATE_LIMITED); null with lastAttempt, or when it was not one of calhub's coded errors" },
    nextTryAt: { type: ['string', 'null'], format: 'date-time', description: 'For a parked delete, when it is offered to the provider again; otherwise when the held-back push is tried next; null: not held back, or the queue backoff after a failure decides' },
  },
} as const;

// Credentials and config never leave the server: hub/ leaves them out, and the response schemas would drop them anyway.

export function registerResources(app: FastifyInstance, hub: Hub): void {
  const accountQuery = { type: 'object', additionalProperties: false, properties: listQueryProperties(accountSchema.properties.status.enum, 'account status') } as const;
  app.get<{ Querystring: ListQuery }>(
    '/v1/accounts',
    { schema: { tags: ['accounts'], summary: 'Connected accounts, by id; q matches the external id and display name', security, querystring: accountQuery, response: { 200: pageOf(accountSchema), ...errorResponses } } },
    async (req) => {
      const { page, filter } = parseList(req.query);
      const r = await pageAccounts(hub, req.tenant.tenantId, page, filter);
      return { items: r.items, nextCursor: nextCursor(r.next) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/accounts/:id',
    { schema: { tags: ['accounts'], summary: 'One account', security, params: idParams, response: { 200: accountSchema, ...errorResponses } } },
    async (req) => getAccount(hub, req.tenant.tenantId, req.params.id),
  );

  app.get<{ Querystring: ListQuery & { accountId?: string } }>(
    '/v1/calendars',
    {
      schema: {
        tags: ['calendars'],
        summary: 'Calendars, optionally of one account, by id; q matches the name',
        security,
        querystring: { type: 'object', additionalProperties: false, properties: { accountId: id, ...listQueryProperties(calendarSchema.properties.syncStage.enum, 'sync stage') } },
        response: { 200: pageOf(listedCalendarSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { page, filter } = parseList(req.query);
      const r = await pageCalendars(hub, req.tenant.tenantId, req.query.accountId, page, filter);
      return { items: r.items, nextCursor: nextCursor(r.next) };
    },
  );

  app.post<{ Params: { id: string }; Body: { name: string; timeZone?: string } }>(
    '/v1/accounts/:id/calendars',
    {
      schema: {
        tags: ['calendars'],
        summary: "Create a calendar in the account at its provider (Google, Microsoft 365, CalDAV); it is synced like the account's others",
        description:
          'Google needs the calendar.app.created scope, asked for on every readwrite connection (an account connected before it answers 403 INSUFFICIENT_SCOPE: connect it again). ' +
          "timeZone (IANA or Windows) is the calendar's own on Google and CalDAV (CalDAV: sent as calendar-timezone; a server that does not keep it, such as Xandikos, is 400 VALIDATION_FAILED naming both zones and nothing is left: leave timeZone out there, the calendar is in UTC). " +
          "A Microsoft 365 calendar has no zone of its own and takes the mailbox's: leave timeZone out, or a zone other than the mailbox's is 400 VALIDATION_FAILED naming both (nothing is made). " +
          'A name with a control character other than tab, line feed and carriage return is 400 INVALID_TEXT (nothing is sent). ' +
          'A name Microsoft 365 has already is 409 CALENDAR_EXISTS; 409 ACCOUNT_NEEDS_REAUTH, 502 PROVIDER_REFUSED and 503 PROVIDER_UNAVAILABLE carry the provider\'s answer.',
        security,
        params: idParams,
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string', minLength: 1, maxLength: 255 }, timeZone: { type: 'string', minLength: 1, maxLength: 64 } },
        },
        response: { 201: calendarSchema, ...errorResponses, 403: { $ref: 'Error#' }, 409: { $ref: 'Error#' }, 502: { $ref: 'Error#' }, 503: { $ref: 'Error#' } },
      },
    },
    async (req, reply) => {
      const cal = await createCalendar(hub, req.tenant.tenantId, req.params.id, req.body);
      return reply.code(201).header('location', `/v1/calendars/${cal.id}`).send(publicCalendar(cal));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/calendars/:id',
    { schema: { tags: ['calendars'], summary: 'One calendar', security, params: idParams, response: { 200: calendarSchema, ...errorResponses } } },
    async (req) => ({ ...(await getCalendar(hub, req.tenant.tenantId, req.params.id)), ...(await policyOf(hub, req.tenant.tenantId, req.params.id)) }),
  );

  app.patch<{ Params: { id: string }; Body: { name?: string; countsForBusy?: boolean | null; syncEnabled?: boolean; timeZone?: string | null; dropParkedDeletes?: boolean; conflictPolicy?: ConflictPolicy } }>(
    '/v1/calendars/:id',
    {
      schema: {
        tags: ['calendars'],
        summary: "Rename a calendar at its provider, choose whether it counts for its account's busy time or the zone calhub reads it in, or switch its sync off or on",
        description:
          'name: renamed at the provider (Google calendars.patch, Microsoft 365 PATCH /me/calendars/{id}, CalDAV PROPPATCH displayname), then here; a control character other than tab, line feed and carriage return is 400 INVALID_TEXT (nothing is sent). ' +
          '409 CALENDAR_EXISTS: Microsoft 365 has a calendar of that name; 409 CALENDAR_READ_ONLY: a calendar shared with the account (only its owner renames it); 403 INSUFFICIENT_SCOPE: a Google grant with calendar.app.created only, for a calendar calhub did not create. ' +
          "countsForBusy true or false: whether free/busy and availability naming the account include this calendar (naming the calendar by id always does); null: back to the default by access. calhub's own setting, kept when the calendar list is read again. " +
          "timeZone (an IANA name, or a Windows one as Microsoft 365 gives it; 400 ZONE_UNKNOWN otherwise): the zone calhub reads the calendar's all-day and floating times in, for a provider that states none or the wrong one (a CalDAV collection without calendar-timezone is read as UTC, and Xandikos keeps none); nothing is written to the provider, and free/busy and availability answer in it from the next request on. null: the provider's zone again. calhub's own setting, kept when the calendar list is read again. " +
          'syncEnabled false: calhub stops syncing the calendar and removes its copy (events, with event.deleted for each; busy time; sync state; its push channel); the calendar stays listed. ' +
          'true: synced again from the start, as a new calendar is (event.created for each). 409 CALENDAR_MIRRORED: mirror rules name the calendar (delete them first); 409 WRITES_PENDING: local changes wait to be written to it, deletes the provider refused 3 times and parked (offered again after a wait) included. ' +
          "conflictPolicy (hub-wins | provider-wins | latest-wins | manual, as `calhub calendars policy --conflict`): how a field both sides changed is settled from the next sync on; calhub's own setting, nothing written to the provider, no calendar.updated. " +
          'dropParkedDeletes true (with syncEnabled false only, 400 otherwise): switch off though parked deletes wait; their events stay at the provider for good (changes still tried refuse the switch all the same). ' +
          'Several fields at once: those refusals are checked before anything changes, then the provider rename, then calhub\'s own settings in one step, so a refused request changes nothing and the tenant gets one calendar.updated naming every field that changed (data.changed).',
        security,
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 255 },
            countsForBusy: { type: ['boolean', 'null'] },
            syncEnabled: { type: 'boolean' },
            timeZone: { type: ['string', 'null'], minLength: 1, maxLength: 100 },
            dropParkedDeletes: { type: 'boolean' },
            conflictPolicy: { type: 'string', enum: [...CONFLICT_POLICIES] },
          },
        },
        response: { 200: renamedSchema, ...errorResponses, 403: { $ref: 'Error#' }, 409: { $ref: 'Error#' }, 502: { $ref: 'Error#' }, 503: { $ref: 'Error#' } },
      },
    },
    async (req) => {
      const cal = { ...publicCalendar(await updateCalendar(hub, req.tenant.tenantId, req.params.id, req.body)), ...(await policyOf(hub, req.tenant.tenantId, req.params.id)) };
      return req.body.name === undefined ? cal : { ...cal, nameAtProvider: req.body.name.trim() };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/calendars/:id',
    {
      schema: {
        tags: ['calendars'],
        summary: 'Delete a calendar at its provider and in calhub, with its events and the mirror rules naming it, their copies in other calendars deleted as a rule DELETE deletes them (calendar.deleted)',
        description:
          'Google calendars.delete, Microsoft 365 DELETE /me/calendars/{id}, CalDAV DELETE of the collection. A calendar the provider no longer has is only removed here (deletedAtProvider false). ' +
          '409 CALENDAR_NOT_DELETABLE: the primary or default calendar, or one shared with the account (only its owner deletes it). ' +
          "403 INSUFFICIENT_SCOPE: a Google grant with calendar.app.created only, for a calendar calhub did not create. 409 ACCOUNT_NEEDS_REAUTH, 502 PROVIDER_REFUSED and 503 PROVIDER_UNAVAILABLE carry the provider's answer; nothing is removed then.",
        security,
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['id', 'deletedAtProvider', 'mirrorRulesRemoved'],
            properties: { id, deletedAtProvider: { type: 'boolean' }, mirrorRulesRemoved: { type: 'integer' } },
          },
          ...errorResponses,
          403: { $ref: 'Error#' },
          409: { $ref: 'Error#' },
          502: { $ref: 'Error#' },
          503: { $ref: 'Error#' },
        },
      },
    },
    async (req) => deleteCalendar(hub, req.tenant.tenantId, req.params.id),
  );

  app.get<{ Params: { id: string }; Querystring: ListQuery }>(
    '/v1/calendars/:id/quarantine',
    {
      schema: {
        tags: ['calendars'],
        summary: 'Items of a calendar set aside because they cannot be stored (ITEMS_QUARANTINED), by remote id; q matches the remote id and message',
        security,
        params: idParams,
        querystring: { type: 'object', additionalProperties: false, properties: listQueryProperties([...QUARANTINE_REASONS], 'reason code') },
        response: { 200: pageOf(quarantineItemSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { page, filter } = parseList(req.query);
      const r = await pageQuarantine(hub, req.tenant.tenantId, req.params.id, page, filter);
      return { items: r.items, nextCursor: nextCursor(r.next) };
    },
  );

  app.get<{ Params: { id: string }; Querystring: ListQuery }>(
    '/v1/calendars/:id/writes',
    {
      schema: {
        tags: ['calendars'],
        summary: 'Local changes of a calendar not yet written to its provider (API writes, mirror copies), by UID, with the provider\'s answer when it refused one; q matches the UID and message',
        security,
        params: idParams,
        querystring: { type: 'object', additionalProperties: false, properties: listQueryProperties([...WRITE_STATES], 'write state') },
        response: { 200: pageOf(pendingWriteSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { page, filter } = parseList(req.query);
      const r = await pagePendingWrites(hub, req.tenant.tenantId, req.params.id, page, filter);
      return { items: r.items, nextCursor: nextCursor(r.next) };
    },
  );
}
