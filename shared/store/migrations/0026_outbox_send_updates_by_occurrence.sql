-- Who each written object's change tells: occurrence key ('' the master or single event, else the
-- override's original start key) -> its rank in SEND_UPDATES, for the keys the entry's writes
-- changed with a preference. Google and Graph write each occurrence by its own request, so a quiet
-- answer to one occurrence is not sent loudly because a loud answer to another one is pending.
-- send_updates stays the widest of them: CalDAV writes the whole UID as one object.
ALTER TABLE outbox ADD COLUMN send_updates_by_key jsonb NOT NULL DEFAULT '{}'::jsonb;
