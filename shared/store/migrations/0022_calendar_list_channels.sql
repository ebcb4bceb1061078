-- A Google account's calendar list has a push channel of its own (calendarList.watch): a calendar
-- added, removed or renamed in Google Calendar is read within seconds instead of at the next
-- hourly listing. Its row lives beside the calendars' channels, owned by the same supervisor, with
-- `calendar_id` = 'list:' || account id (the table has no foreign key to calendars).
ALTER TABLE push_channels ADD COLUMN kind text NOT NULL DEFAULT 'events';
