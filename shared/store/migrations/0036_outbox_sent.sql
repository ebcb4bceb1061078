-- What the last create of a UID the provider had not agreed on yet sent (sync-engine/push.ts), as
-- canonical events. When that create's answer is lost (a timeout or a reset after the provider
-- stored it), the next pull finds the object by UID with no ledger entry; this is what tells it
-- that the object is calhub's own write (only the fields the provider fills in differ) and is the
-- base of the merge when the hub or the provider changed it since. It does not change the entry's
-- token (updated_at): recording it is no local edit. The entry's deletion ends it.
ALTER TABLE outbox ADD COLUMN sent jsonb;
