/** JSON schema fragments shared by the routes (they also become the OpenAPI components). */

export const instant = { type: 'string', format: 'date-time', description: 'ISO-8601 instant; answers are always UTC with Z' } as const;
export const id = { type: 'string', minLength: 1, maxLength: 200 } as const;
/**
 * The longest path parameter the router takes (Fastify's maxParamLength, its default): a longer
 * one is refused before routing with 414 URI_TOO_LONG (app.ts). calhub's ids are ~20 characters
 * (`evt_` and 16), provider client ids under 80; the router keeps the bound so a huge path segment
 * costs nothing. Path schemas declare the same bound, so the OpenAPI document says what is served.
 */
export const MAX_PATH_PARAM_LENGTH = 100;
export const pathId = { type: 'string', minLength: 1, maxLength: MAX_PATH_PARAM_LENGTH } as const;
export const idList = { type: 'array', items: id, maxItems: 200, uniqueItems: true } as const;

export const errorResponses = {
  400: { $ref: 'Error#' },
  401: { $ref: 'Error#' },
  404: { $ref: 'Error#' },
  413: { $ref: 'Error#' },
  429: { $ref: 'Error#' },
  500: { $ref: 'Error#' },
} as const;

export const security = [{ apiKey: [] as string[] }];

export const idParams = { type: 'object', required: ['id'], properties: { id: pathId }, additionalProperties: false } as const;

export const busyStatus = { type: 'string', enum: ['busy', 'tentative', 'oof', 'workingElsewhere'] } as const;

/** A named account or participant that stands for no calendar (hub/partial.ts): its busy time is unknown, not free. */
export const noBusyErrors = {
  type: 'array',
  description: 'present when this stands for no calendar (none listed yet, or none counts for busy time): calhub holds no busy time for it, so it shows free throughout',
  items: {
    type: 'object',
    required: ['code', 'message', 'lastSyncedAt'],
    properties: { code: { type: 'string', enum: ['NO_BUSY_CALENDARS'] }, message: { type: 'string' }, lastSyncedAt: { type: 'null' } },
  },
} as const;

/** A calendar whose busy time may be incomplete (hub/partial.ts): free/busy and availability answers carry these. */
export const calendarErrors = {
  type: 'array',
  description: 'present when this calendar\'s busy time may be incomplete: its account needs reauthorization, is disabled or in error, its last sync failed or was stopped, or its sync is switched off (CALENDAR_NOT_SYNCED: none of its busy time is held); busy time is as of lastSyncedAt',
  items: {
    type: 'object',
    required: ['code', 'message', 'lastSyncedAt'],
    properties: {
      code: { type: 'string', enum: ['ACCOUNT_NEEDS_REAUTH', 'ACCOUNT_DISABLED', 'ACCOUNT_ERROR', 'SYNC_FAILED', 'CALENDAR_FLAGGED', 'CALENDAR_NOT_SYNCED', 'ITEMS_QUARANTINED', 'BEYOND_HORIZON'] },
      message: { type: 'string' },
      lastSyncedAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
} as const;
