-- A digest of everything a row's busy spans depend on (see busyHash in busy.ts): an upsert that
-- leaves every row of a UID with the same digest skips rebuilding that UID's busy spans. NULL
-- means "rebuild on the next write" (rows from before this column, recurrence that failed to expand).
ALTER TABLE events ADD COLUMN busy_hash text;
