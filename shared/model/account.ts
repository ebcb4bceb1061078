import { z } from 'zod';

export const PROVIDERS = ['google', 'microsoft', 'caldav', 'memory'] as const;
export type ProviderId = (typeof PROVIDERS)[number];

export const ACCOUNT_STATUSES = ['active', 'needs_reauth', 'disabled', 'error'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const accountSchema = z.strictObject({
  id: z.string().min(1),
  tenantId: z.string().min(1),
  provider: z.enum(PROVIDERS),
  /** Email for Google/Microsoft, principal URL for CalDAV. */
  externalId: z.string().min(1),
  displayName: z.string().nullable().default(null),
  /** The account's email address as its provider tells it (migration 0091); null when none is known. */
  email: z.string().nullable().default(null),
  /** An encrypted envelope (oauth/ key ring); never the plain secret. */
  credentials: z.string().nullable().default(null),
  status: z.enum(ACCOUNT_STATUSES).default('active'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Account = z.infer<typeof accountSchema>;
