-- events.data as `json` (the text as written, checked to be JSON) instead of `jsonb` (issue 15).
-- Converting each ~1 KB event to jsonb was about a sixth of the server's work on an initial
-- sync, and the write path never needs it: rows are written whole and read whole. The fields that
-- reads filter or pick rows by move to columns of their own, filled by the write path
-- (event-write.ts, rowParams):
--   status      data->>'status' (the listing's status filter)
--   start_text  the start as text: dateTime, date or local, whichever it has (the window's candidates)
--   end_text    the same for the end
--   recurring   whether recurrence is an object: a series master (the window, the daily horizon move)
-- Reads of a few named rows (labels, zone changes, the text filter) still pick fields out of data;
-- the drivers parse json columns as they did jsonb ones.
--
-- One rewrite of the table: ALTER ... TYPE ... USING may read the row's other (old) columns, so
-- the new columns are filled in the same pass that converts data, and no trigger fires. The
-- table is locked for that pass (about as long as a copy of it; its indexes are rebuilt).
ALTER TABLE events ADD COLUMN status text, ADD COLUMN start_text text, ADD COLUMN end_text text, ADD COLUMN recurring boolean;

ALTER TABLE events
  ALTER COLUMN status TYPE text USING data->>'status',
  ALTER COLUMN start_text TYPE text USING coalesce(data->'start'->>'dateTime', data->'start'->>'date', data->'start'->>'local'),
  ALTER COLUMN end_text TYPE text USING coalesce(data->'end'->>'dateTime', data->'end'->>'date', data->'end'->>'local'),
  ALTER COLUMN recurring TYPE boolean USING coalesce(jsonb_typeof(data->'recurrence') = 'object', false),
  ALTER COLUMN data TYPE json USING data::json;
