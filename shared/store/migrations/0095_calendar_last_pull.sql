-- When the last completed pull of a calendar began to list (the database's clock): the polling
-- backstop counts from it. It counted from last_success_at, which any successful run sets, a push
-- too: a busy block written into a CalDAV calendar just after a change there stood for its poll,
-- its next slot was skipped, and the change reached the copies after up to two intervals.
-- Calendars pulled before take their last success, so an upgrade does not poll them all at once.
ALTER TABLE calendars ADD COLUMN last_pull_at timestamptz;
UPDATE calendars SET last_pull_at = last_success_at;
