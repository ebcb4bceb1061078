/**
 * JSON schemas of outbound webhooks: the endpoint resources, and the payload of every event type
 * (registered as OpenAPI components `Webhook_<type>`, so a tenant app can generate its types).
 */
import { QUARANTINE_REASONS, WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../hub/index.ts';
import { eventTime, storedEventSchema } from './event-schemas.ts';
import { id } from './schemas.ts';

const nullableId = { type: ['string', 'null'] } as const;
const instant = { type: 'string', format: 'date-time' } as const;

const dateOrNull = { type: ['string', 'null'], format: 'date-time' } as const;

export const endpointSchema = {
  type: 'object',
  required: ['id', 'url', 'events', 'allEvents', 'status', 'health', 'pendingMessages', 'pendingMessagesCapped', 'previousSecretValidUntil', 'createdAt', 'updatedAt'],
  properties: {
    id,
    url: { type: 'string' },
    description: { type: ['string', 'null'] },
    events: { type: 'array', items: { type: 'string' }, description: 'The event types it receives, as registered; `["*"]` is every type, including ones a later calhub adds' },
    allEvents: { type: 'boolean', description: 'true when `events` holds `*`: it receives every event type' },
    status: { type: 'string', enum: ['active', 'disabled'] },
    disabledReason: { type: ['string', 'null'], description: 'Why deliveries stopped: disabled by the tenant, the receiver answered 410 Gone, or the 3-day retry window ran out; cleared by PATCH enabled=true or a replay' },
    disabledAt: dateOrNull,
    health: {
      type: 'object',
      required: ['state', 'failingSince', 'consecutiveFailures', 'nextRetryAt', 'lastErrorAt', 'lastErrorStatus', 'lastError'],
      description: "Delivery health, kept per endpoint: while `failing`, nothing goes to it before `nextRetryAt`, then one attempt (a probe) at a time; the probe's success makes it healthy and sends every calendar's messages again",
      properties: {
        state: { type: 'string', enum: ['healthy', 'failing'] },
        failingSince: { ...dateOrNull, description: 'the first failure of the current outage; null when healthy' },
        consecutiveFailures: { type: 'integer', description: 'backoff steps since the last success (attempts overlapping one outage count once); 0 when healthy' },
        nextRetryAt: { ...dateOrNull, description: 'while failing: when the next probe may go' },
        lastErrorAt: { ...dateOrNull, description: 'the last failed attempt, kept after recovery' },
        lastErrorStatus: { type: ['integer', 'null'], description: 'its HTTP status (null: no answer, a redirect refused, an unreadable secret)' },
        lastError: { type: ['string', 'null'], description: 'its error: `HTTP <status>` (never the answer body), or what failed (timeout, connection, DNS, SSRF guard, redirect)' },
      },
    },
    pendingMessages: { type: 'integer', description: 'messages owed to it (pending deliveries), counted up to 10000' },
    pendingMessagesCapped: { type: 'boolean', description: 'true: it owes at least 10000 (the count stops there)' },
    previousSecretValidUntil: { ...dateOrNull, description: "during a secret rotation's overlap (POST /v1/webhooks/{id}/rotate-secret): until when the replaced secret still signs deliveries beside the new one; null when only the current secret signs (no rotation, its overlap over, or retired early)" },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

export const deliverySchema = {
  type: 'object',
  required: ['messageId', 'type', 'status', 'attempts'],
  properties: {
    messageId: { type: 'string', description: 'the webhook-id header; receivers dedupe by it' },
    type: { type: 'string' },
    stream: { type: 'string', description: 'calendar or account id: order is kept within one stream' },
    status: { type: 'string', enum: ['pending', 'delivered'] },
    attempts: { type: 'integer' },
    lastAttemptAt: { type: ['string', 'null'] },
    lastStatus: { type: ['integer', 'null'], description: 'HTTP status of the last attempt (null: no answer)' },
    lastError: { type: ['string', 'null'], description: 'why the last attempt failed: `HTTP 503: text/html, 1234 bytes` (the status, the answer\'s media type and size; never its text), a timeout, a refused connection, a redirect not followed' },
    latencyMs: { type: ['integer', 'null'] },
    nextAttemptAt: { type: ['string', 'null'], description: 'pending: when it is tried next — for a message queued behind its stream\'s head, no earlier than the head\'s next attempt (a head in backoff holds the stream), and while the endpoint is failing no earlier than its next retry (`health.nextRetryAt`); null once delivered' },
    deliveredAt: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
  },
} as const;

/**
 * GET /v1/events/:id's event (its etag included); timeNotes belong to write answers only, and
 * `quarantined` to answers: a message is sent for a change, and a quarantined event does not change.
 */
const { timeNotes: _timeNotes, quarantined: _quarantined, ...shownFields } = storedEventSchema.properties;
const webhookEvent = {
  ...storedEventSchema,
  required: storedEventSchema.required.filter((r) => r !== 'quarantined'),
  properties: shownFields,
  description: 'As GET /v1/events/{id} answers it at this version: the same fields (but quarantined), times (wall clock with offset plus zone) and etag; the etag works as If-Match until the event changes again.',
} as const;

const eventData = {
  type: 'object',
  required: ['tenantId', 'accountId', 'calendarId', 'eventId', 'uid', 'writtenByCalhub', 'event', 'series'],
  properties: {
    tenantId: id,
    accountId: nullableId,
    calendarId: id,
    eventId: nullableId,
    uid: { type: 'string' },
    writtenByCalhub: { type: 'boolean', description: "true for changes calhub wrote itself (mirror copies, writes through its API and outbox) and for the provider's answer to such a write (the event.updated that brings its providerEventId, its new etag and the fields the provider filled in): an app ignores these to avoid loops" },
    event: { ...webhookEvent, type: ['object', 'null'], description: `The master or single event (for event.deleted, as it was last). ${webhookEvent.description}` },
    series: {
      type: ['object', 'null'],
      description: 'for a recurring series: the master and the instances (overrides) this change touched',
      properties: {
        masterId: nullableId,
        instances: {
          type: 'array',
          items: {
            type: 'object',
            required: ['eventId', 'originalStart', 'change', 'event'],
            properties: {
              eventId: id,
              originalStart: { ...eventTime, type: ['object', 'null'], description: "the occurrence's original start, as event.originalStart" },
              change: {
                type: 'string',
                enum: ['created', 'updated', 'deleted'],
                description: "an override its series' move carried to a new original start is `updated`: the same eventId, with its new originalStart and etag",
              },
              event: { ...webhookEvent, description: `The override. ${webhookEvent.description}` },
            },
          },
        },
      },
    },
  },
} as const;

const quarantineData = {
  type: 'object',
  required: ['tenantId', 'accountId', 'calendarId', 'eventId', 'uid', 'remoteId', 'reason', 'message', 'event'],
  description:
    "event.quarantined: the provider's item of an event calhub had read became unreadable; the event keeps its last good copy (same id, busy time, mirror copies) and is stale until event.restored. " +
    'event.restored: a readable version healed it (the event as it now stands; an event.updated in the same transaction carries a content change). One message per transition, not per retry. ' +
    'An item never read has no event, so none is sent for it (it arrives as event.created once readable); one deleted at the provider while set aside gets event.deleted.',
  properties: {
    tenantId: id,
    accountId: nullableId,
    calendarId: id,
    eventId: id,
    uid: { type: 'string' },
    remoteId: { type: 'string', description: "the provider's id of the item (CalDAV: its href), as GET /v1/calendars/{id}/quarantine lists it" },
    reason: { type: 'string', enum: [...QUARANTINE_REASONS], description: 'why it was set aside (for event.restored: why it had been)' },
    message: { type: 'string', description: 'what is wrong with the item, never its content' },
    event: { ...webhookEvent, description: `The event: for event.quarantined the last good copy kept, for event.restored the version read now. ${webhookEvent.description}` },
  },
} as const;

const calendarData = {
  type: 'object',
  required: ['tenantId', 'accountId', 'calendarId', 'calendar'],
  properties: {
    tenantId: id,
    accountId: id,
    calendarId: id,
    changed: {
      type: 'array',
      items: { type: 'string', enum: ['name', 'color', 'timeZone', 'accessRole', 'countsForBusy', 'missingSince', 'syncEnabled', 'timeZoneChosen', 'providerTimeZone', 'primary'] },
      description: 'calendar.updated: every field the change (one PATCH, one calendar list read) changed, in this order',
    },
    calendar: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        timeZone: { type: 'string', description: "The zone calhub reads the calendar in: the tenant's choice when timeZoneChosen, else the provider's" },
        timeZoneChosen: { type: 'boolean', description: 'The tenant chose timeZone (PATCH /v1/calendars/{id} timeZone); a choice made or dropped names timeZoneChosen in changed, and timeZone too when the zone moved' },
        providerTimeZone: { type: 'string', description: "The provider's own zone (UTC where it states none); named in changed whenever it moves, under a chosen zone too (timeZone then stays)" },
        providerCalendarId: { type: 'string' },
        color: { type: ['string', 'null'] },
        accessRole: { type: 'string' },
        countsForBusy: { type: 'boolean' },
        missingSince: { type: ['string', 'null'], description: "calendar.updated: set when the provider's calendar list left the calendar out (it is removed with calendar.deleted if a later listing still does), null when listed" },
        syncEnabled: { type: 'boolean', description: 'calendar.updated: false once the calendar\'s sync is switched off (its events went, each with event.deleted), true again once switched on' },
        primary: { type: 'boolean', description: "The provider's primary/default calendar of the account (as GET /v1/calendars/{id} primary); a calendar-list reading that moves it names primary in changed" },
      },
    },
  },
} as const;

const accountData = {
  type: 'object',
  required: ['tenantId', 'accountId', 'provider', 'status', 'reasonCode', 'email'],
  properties: { tenantId: id, accountId: id, provider: { type: 'string' }, externalId: { type: 'string' }, status: { type: 'string', description: 'active | needs_reauth | disabled | removed' },
    reason: { type: ['string', 'null'], description: "Why the account is in its status, as text: the provider's own word for a refused grant (invalid_grant, interaction_required, invalid_grant (AADSTS70008)…), calhub's message, or an operator's for disabled. Not stable: read reasonCode" },
    reasonCode: { type: ['string', 'null'], description: 'The stable code of why the account needs its user (docs/errors.md): AUTH_GRANT_REVOKED while needs_reauth (the grant was revoked, expired or refused at refresh; the user reconnects); null in every other status' },
    email: { type: ['string', 'null'], description: "The account's address, as GET /v1/accounts/{id} email shows it when the message was composed (account.disconnected: the removed account's); null when calhub does not know it" },
    access: { type: ['string', 'null'], enum: ['freebusy', 'read', 'readwrite', null], description: 'What the account is connected to do; null in messages from before access was recorded' },
    oldAccess: { type: ['string', 'null'], enum: ['freebusy', 'read', 'readwrite', null], description: 'account.updated only: the access before the reconnect' },
    oldStatus: { type: 'string', description: 'account.updated only: the status before the change (an account disabled or enabled again is updated, not disconnected or connected: its data stays)' },
    oldEmail: { type: ['string', 'null'], description: 'account.updated only: the address before the change (the same as email unless changed names email; null when calhub did not know one)' },
    changed: { type: 'array', items: { type: 'string', enum: ['status', 'access', 'email'] }, description: 'account.updated only: what changed (email: the account\'s address was learnt from its calendar list, or a reconnect named another)' },
  },
} as const;

/** account.connected: also sent when a connect finds the account connected already (alreadyConnected). */
const accountConnectedData = {
  ...accountData,
  required: [...accountData.required, 'alreadyConnected'],
  properties: {
    ...accountData.properties,
    alreadyConnected: { type: 'boolean', description: 'true: the user connected an account that was connected already (same provider account, same tenant; the account id is the existing one, nothing else changed but its grant or password); false: a new account, or one reconnected after needs_reauth' },
  },
} as const;

const syncData = {
  type: 'object',
  required: ['tenantId', 'accountId', 'calendarId', 'error', 'errorCode', 'failureCount'],
  properties: {
    tenantId: id, accountId: id, calendarId: id,
    error: { type: ['string', 'null'], description: 'sync.failed: the failure as the calendar recorded it (`AUTH_GRANT_REVOKED: account … needs to be reconnected …`; never a credential), for people: read errorCode for the code. null in sync.recovered' },
    errorCode: { type: ['string', 'null'], description: "sync.failed: the failure's stable code (docs/errors.md, e.g. AUTH_GRANT_REVOKED, CONNECTOR_TRANSIENT, MASS_CHANGE_GUARD); null when the failure was not one of calhub's coded errors (a run reaped as stale), and in sync.recovered" },
    failureCount: { type: 'integer' }, lastSuccessAt: { type: ['string', 'null'] },
  },
} as const;

const conflictData = {
  type: 'object',
  required: ['tenantId', 'calendarId', 'conflictId', 'uid', 'fields', 'policy'],
  properties: { tenantId: id, accountId: nullableId, calendarId: id, conflictId: id, uid: { type: 'string' }, fields: { type: 'array', items: { type: 'string' } }, policy: { type: 'string' } },
} as const;

/**
 * conflict.recorded: every settled conflict (migration 0099; before, only those that lost a hub
 * change, 0079, and delete conflicts, 0087), naming the side whose change was discarded and the two
 * times latest-wins compares.
 */
const conflictRecordedData = {
  type: 'object',
  required: [...conflictData.required, 'outcome', 'eventId', 'occurrence', 'remoteId', 'lost', 'localChangedAt', 'remoteChangedAt'],
  properties: {
    ...conflictData.properties,
    policy: { type: 'string', description: 'What settled it, as GET /v1/conflicts: a conflict or delete policy, or provider-cannot-restore (Graph: the occurrence was cancelled there), provider-reset-exceptions (Graph: the series changed there and its exceptions went with it)' },
    fields: { type: 'array', items: { type: 'string' }, description: 'As GET /v1/conflicts: the fields, `<occurrence key>:<field>` for one occurrence (`:deleted`, `:series-changed`); `deleted` (or `:deleted`) for a delete conflict of the whole event: one side deleted what the other changed' },
    outcome: { type: 'string', enum: ['local', 'merged', 'remote', 'deleted', 'recreated'], description: "local: the hub's version was kept (written to the provider); merged: the hub's side of each field in conflict was kept, fields only one side changed taken from both; remote: the provider's version was kept; deleted: the deletion stood (the provider's, or the hub's over a change made at the provider: delete-wins); recreated: the change stood over the deletion (modify-wins), made again where it was deleted" },
    lost: {
      type: ['string', 'null'],
      enum: ['hub', 'provider', null],
      description: "Whose change was discarded: hub (the app's or a mirror's write through calhub; redo it if it still matters) or provider (an edit made at Google, Microsoft 365 or the CalDAV server, e.g. by the user, that calhub wrote over). null only on messages queued before the field existed.",
    },
    localChangedAt: { type: ['string', 'null'], description: 'When the hub-side change was made in calhub (ISO); what latest-wins compared. null: not recorded (a delete conflict, or recorded before the field existed)' },
    remoteChangedAt: { type: ['string', 'null'], description: "The provider's own modification time of its version (Google updated, Microsoft 365 lastModifiedDateTime, CalDAV LAST-MODIFIED or DTSTAMP), ISO; null: the provider gave none (latest-wins then took the provider's side as the later) or not recorded" },
    eventId: { ...nullableId, description: 'The series master or single event the conflict belongs to; null when it is gone' },
    occurrence: { ...eventTime, type: ['object', 'null'], description: "The occurrence's original start, as event.originalStart, when the lost change was of one occurrence" },
    remoteId: { type: ['string', 'null'] },
  },
} as const;

/** conflict.parked: a conflict kept aside under the manual policy; the event and occurrence as conflict.recorded names them (migration 0092). */
const conflictParkedData = {
  type: 'object',
  required: [...conflictData.required, 'eventId', 'occurrence', 'remoteId'],
  properties: {
    ...conflictData.properties,
    eventId: { ...nullableId, description: 'The series master or single event the conflict belongs to; null when it is gone (or the message was queued before migration 0092)' },
    occurrence: { ...eventTime, type: ['object', 'null'], description: "The occurrence's original start, as event.originalStart, when the parked change was of one occurrence" },
    remoteId: { type: ['string', 'null'] },
  },
} as const;

const dataOf = (type: WebhookEventType) =>
  type === 'event.quarantined' || type === 'event.restored' ? quarantineData : type.startsWith('event.') ? eventData : type.startsWith('calendar.') ? calendarData : type === 'account.connected' ? accountConnectedData : type.startsWith('account.') ? accountData : type.startsWith('sync.') ? syncData : type === 'conflict.recorded' ? conflictRecordedData : type === 'conflict.parked' ? conflictParkedData : conflictData;

export const webhookPayloadId = (type: string) => `Webhook_${type.replace('.', '_')}`;

/** What POST /v1/webhooks/{id}/test sends (hub/webhooks-out/endpoints.ts): not an event, so no endpoint subscribes to it; every endpoint may get it. */
const testData = {
  type: 'object',
  required: ['tenantId', 'endpointId'],
  description: 'webhook.test: sent only by POST /v1/webhooks/{id}/test (and `calhub webhooks test`), to the endpoint named, whatever event types it receives; never logged as a delivery.',
  properties: { tenantId: id, endpointId: id },
} as const;

/** Every `type` a receiver may be sent: the event types, and the test message. */
export const WEBHOOK_PAYLOAD_TYPES = [...WEBHOOK_EVENT_TYPES, 'webhook.test'] as const;

/** One component per payload type: `{id, type, timestamp, data}`, as POSTed with Standard Webhooks headers. */
export const webhookPayloadSchemas = WEBHOOK_PAYLOAD_TYPES.map((type) => ({
  $id: webhookPayloadId(type),
  type: 'object',
  description: `The body of a \`${type}\` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256).`,
  required: ['id', 'type', 'timestamp', 'data'],
  properties: { id: { type: 'string' }, type: { type: 'string', const: type }, timestamp: instant, data: type === 'webhook.test' ? testData : dataOf(type) },
}));
