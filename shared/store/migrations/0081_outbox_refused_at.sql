-- When the provider last refused an outbox entry's content. A delete refused
-- REFUSALS_BEFORE_PARKING times was parked like an edit, "until the event is edited again"; but a
-- deleted event (a mirror copy whose source went, an event deleted through the API) is never edited
-- again, so the delete was never sent and the copy blocked time at the provider for good. A parked
-- delete is now offered again once a wait after its last refusal is over (sync-repo.ts
-- parkedDeleteRetryAt), and the wait counts from here. Deletes parked before this migration are
-- offered again from now on; writes parked because the account cannot write (ACCOUNT_READ_ONLY:)
-- keep null and wait for a reconnect, as before.
ALTER TABLE outbox ADD COLUMN refused_at timestamptz;
UPDATE outbox SET refused_at = now() - interval '1 day'
 WHERE op = 'delete' AND attempts >= 3 AND last_error IS NOT NULL AND last_error NOT LIKE 'ACCOUNT_READ_ONLY:%';
