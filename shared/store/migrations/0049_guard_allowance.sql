-- The mass-change guard's counts when it flagged a calendar, and what `calendars unflag` approved
-- from them. Unflagging only cleared flagged_reason, so the next run met the same deletions and
-- was flagged again: a real mass deletion could never be let through. The approval lets the next
-- run remove (and rewrite) up to the flagged counts, the guard's usual rules applying to the rest,
-- and is spent when a run's pull completes. JSON {"removed": n, "rewritten": n}; NULL: none.
ALTER TABLE calendars ADD COLUMN guard_tripped jsonb;
ALTER TABLE calendars ADD COLUMN guard_allowance jsonb;
