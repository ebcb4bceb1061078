-- What an endpoint enabled again is owed: the messages composed while it was disabled that its
-- subscription covered when each was composed, as an active endpoint would have had them (a
-- delivery is made at compose time from the types it has then). Its types can change while it is
-- disabled, so the types in force over that time are kept here: each row says which types were in
-- force for the messages up to `through_seq` (after the previous row's, or after the endpoint's
-- `disabled_after_seq`, migration 0043); messages after the last row are under the endpoint's
-- current types. Without it, enabling judged every message by the types at enable time: a type
-- added while disabled was owed messages composed before it was added, and a type removed lost
-- the ones composed while it was still subscribed.
CREATE TABLE webhook_endpoint_disabled_types (
  endpoint_id text NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  through_seq bigint NOT NULL,
  event_types text[] NOT NULL,
  PRIMARY KEY (endpoint_id, through_seq)
);

-- A trigger, as for disabled_after_seq: every path that changes types or status is covered.
-- Types changed while disabled (in the same statement as an enable too): the old types covered
-- every message allocated so far. Two changes with no message between: the first row stands (the
-- types in between covered no message). Going from active to disabled starts a new history.
CREATE FUNCTION webhook_endpoint_disabled_types() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'disabled' AND OLD.status IS DISTINCT FROM 'disabled' THEN
    DELETE FROM webhook_endpoint_disabled_types WHERE endpoint_id = NEW.id;
  ELSIF OLD.status = 'disabled' AND NEW.event_types IS DISTINCT FROM OLD.event_types THEN
    INSERT INTO webhook_endpoint_disabled_types (endpoint_id, through_seq, event_types)
      VALUES (NEW.id, (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM webhook_messages_seq_seq), OLD.event_types)
      ON CONFLICT (endpoint_id, through_seq) DO NOTHING;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER webhook_endpoint_disabled_types AFTER UPDATE OF status, event_types ON webhook_endpoints
  FOR EACH ROW EXECUTE FUNCTION webhook_endpoint_disabled_types();
