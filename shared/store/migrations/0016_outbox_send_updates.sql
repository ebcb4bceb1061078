-- Who a local change tells (the API's sendUpdates): its rank in SEND_UPDATES (0 none,
-- 1 externalOnly, 2 all), NULL for a change made with no preference (mirror copies, reverts,
-- conflict resolutions), which the provider's own default decides. Writes coalesced into one entry
-- keep the highest rank: an invitation one write asked for is not lost to a later quiet edit.
ALTER TABLE outbox ADD COLUMN send_updates smallint CHECK (send_updates BETWEEN 0 AND 2);
