import { z } from 'zod';

export const ACCESS_ROLES = ['owner', 'writer', 'reader', 'freeBusyReader'] as const;
export type AccessRole = (typeof ACCESS_ROLES)[number];

export const SYNC_STAGES = ['idle', 'scheduled', 'running', 'failed'] as const;
export type SyncStage = (typeof SYNC_STAGES)[number];

export const calendarSchema = z.strictObject({
  id: z.string().min(1),
  tenantId: z.string().min(1),
  accountId: z.string().min(1),
  providerCalendarId: z.string().min(1),
  name: z.string(),
  /** IANA zone; all-day and floating times resolve in it. */
  timeZone: z.string().min(1).default('UTC'),
  /** The zone the provider states (UTC when it states none); timeZone unless the tenant chose another. */
  providerTimeZone: z.string().min(1).default('UTC'),
  /** timeZone is the tenant's choice (PATCH), kept over the provider's through every listing. */
  timeZoneChosen: z.boolean().default(false),
  color: z.string().nullable().default(null),
  accessRole: z.enum(ACCESS_ROLES).default('owner'),
  /** Opaque, per provider: Google nextSyncToken, Graph deltaLink, CalDAV sync-token or ctag+etags. */
  syncCursor: z.string().nullable().default(null),
  syncStage: z.enum(SYNC_STAGES).default('idle'),
  stageStartedAt: z.string().nullable().default(null),
  failureCount: z.number().int().min(0).default(0),
  lastSuccessAt: z.string().nullable().default(null),
  lastError: z.string().nullable().default(null),
  /** Since when the provider's calendar list has left it out; null while listed (calendar-lists refresh). */
  missingSince: z.string().nullable().default(null),
  /** Counts when free/busy names its account: null follows the access (owner and writer count, readers not); true/false the tenant's choice. */
  countsForBusy: z.boolean().nullable().default(null),
  /** Whether calhub keeps a copy of it at all: off, it is not synced, holds no events and counts for no one's busy time. */
  syncEnabled: z.boolean().default(true),
  /** The provider's own primary/default calendar of the account (read-only; migration 0091). */
  primary: z.boolean().default(false),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Calendar = z.infer<typeof calendarSchema>;
