-- A local change that asked for the provider's own video conference (the API's conference=auto:
-- Google Meet, Microsoft Teams). Writes coalesced into one entry keep the ask: a create that asked
-- for one still gets it when an edit lands before its push.
ALTER TABLE outbox ADD COLUMN add_conference boolean NOT NULL DEFAULT false;
