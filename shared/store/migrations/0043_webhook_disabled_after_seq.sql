-- Where an endpoint's disabled time begins in message order: the highest message seq allocated
-- when it went from active to disabled. Enabling it again owes it every message of its types
-- composed after that (compose makes no delivery for a disabled endpoint), whenever the change
-- was made. By the change's time (created_at >= disabled_at), a change made while it was active
-- but composed after it was disabled (the compose loop runs every 100 ms) had no delivery made
-- then and none owed on enabling: lost. NULL for endpoints disabled before this migration (the
-- backfill falls back to disabled_at for them).
ALTER TABLE webhook_endpoints ADD COLUMN disabled_after_seq bigint;

-- A trigger, so every path that disables (the tenant's PATCH, the dispatcher at the end of the
-- retry window) sets it, and only on the change from active: disabling again moves nothing.
-- The sequence's last value, not max(seq): it counts a composer's seqs not yet committed, whose
-- statement began before this change committed and so made a delivery for the endpoint.
CREATE FUNCTION webhook_endpoint_disabled_after_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'disabled' AND OLD.status IS DISTINCT FROM 'disabled' THEN
    NEW.disabled_after_seq := (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM webhook_messages_seq_seq);
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER webhook_endpoint_disabled_after_seq BEFORE UPDATE OF status ON webhook_endpoints
  FOR EACH ROW EXECUTE FUNCTION webhook_endpoint_disabled_after_seq();
