/**
 * How a calendar settles a field changed on both sides, and an edit against a deletion
 * (sync-engine/merge.ts applies them); here so that `calhub calendars policy --help` can name
 * them without loading the engine.
 */
export const CONFLICT_POLICIES = ['hub-wins', 'provider-wins', 'latest-wins', 'manual'] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];
export const DELETE_POLICIES = ['modify-wins', 'delete-wins'] as const;
export type DeletePolicy = (typeof DELETE_POLICIES)[number];
