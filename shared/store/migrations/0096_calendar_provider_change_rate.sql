-- How often a calendar changes at the provider, for the "quiet too long" check (hub/channels/
-- channel-silence.ts): a count of the pulls that stored a provider change, decayed with a 30-day
-- time constant, as it stood at provider_changed_at (migration 0093). Each such pull, in the same
-- commit that sets provider_changed_at, decays it to now and adds one; a reader decays it to its
-- own now. It counted events.updated_at in the last 30 days instead: every row the hub wrote or
-- rewrote (copies it pushed, access scrubs, re-expansions, repairs) shortened the allowance, so
-- quiet channels were called silent, and it scanned each channel's events on every check.
-- Starts at 0 (no usual rate, never silent: polling backs the channel up), 1 for a calendar with
-- a provider change recorded since 0093: nothing else tells provider changes from the hub's.
ALTER TABLE calendars ADD COLUMN provider_change_rate double precision NOT NULL DEFAULT 0;
UPDATE calendars SET provider_change_rate = 1 WHERE provider_changed_at IS NOT NULL;
