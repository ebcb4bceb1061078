-- Bumped in the same transaction as every change to a calendar's busy_intervals, so a reader that
-- caches a calendar's busy spans can tell with one indexed read whether its copy is still current.
ALTER TABLE calendars ADD COLUMN busy_version bigint NOT NULL DEFAULT 0;
