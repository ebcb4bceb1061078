-- A calendar-list notification (Google calendarList.watch) is a durable request to read the
-- account's list again: the receiver reads it at once in the background, and if that reading
-- fails or the process dies first, the maintenance tick reads it (once a minute while it fails)
-- instead of leaving the change to the hourly listing. A successful reading that began after the
-- request clears it.
ALTER TABLE accounts ADD COLUMN calendars_list_requested_at timestamptz;
