-- The free-slot condition (ifFree) of the local change an outbox entry holds, and of the hub's side
-- a parked conflict keeps: the calendars besides the event's own whose busy time the write was
-- checked against (a JSON array of calendar ids; [] its own calendar only). Null: the write did not
-- ask. Resolving a parked conflict with take=local writes the hub's side again; without this it did
-- so unchecked, and a slot booked meanwhile (the reverted reschedule's time, free again while the
-- conflict was parked) was double-booked silently. Rows from before keep null: not checked unless
-- the resolve asks (ifFree on POST /v1/conflicts/:id/resolve).
ALTER TABLE outbox ADD COLUMN if_free jsonb;
ALTER TABLE conflicts ADD COLUMN if_free jsonb;
