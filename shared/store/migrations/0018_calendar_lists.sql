-- Calendar lists read again after connect: when the account's list was last read, and since when a
-- listing has left a known calendar out (it is removed only when a later listing still does: one
-- partial answer must not delete a calendar and its events).
-- Existing accounts count as listed at the upgrade, so their first re-listing spreads over the interval.
ALTER TABLE accounts ADD COLUMN calendars_listed_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE calendars ADD COLUMN missing_since timestamptz;
