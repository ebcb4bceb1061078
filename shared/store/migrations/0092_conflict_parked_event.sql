-- conflict.parked names the event (and the occurrence) as conflict.recorded does (migration 0079):
-- an app had only the UID to find which of its events the manual policy had reverted. The event is
-- the series' master (or the single event) of the UID; the occurrence is the lone local event's
-- originalStart, when the parked change was of one occurrence. Rows already queued do not carry them.
CREATE OR REPLACE FUNCTION calhub_webhook_conflict() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  acc text;
  op text;
  ev text;
  occ jsonb;
BEGIN
  IF NEW.outcome = 'parked' AND NOT (TG_OP = 'UPDATE' AND OLD.outcome = 'parked') THEN
    op := 'parked';
  ELSIF TG_OP = 'INSERT' AND NEW.outcome IN ('remote', 'deleted') AND jsonb_typeof(NEW.local) = 'array' AND jsonb_array_length(NEW.local) > 0 THEN
    op := 'recorded';
  ELSE
    RETURN NULL;
  END IF;
  IF NOT calhub_webhooks_wanted(NEW.tenant_id) THEN RETURN NULL; END IF;
  SELECT c.account_id INTO acc FROM calendars c WHERE c.id = NEW.calendar_id;
  SELECT e.id INTO ev FROM events e WHERE e.calendar_id = NEW.calendar_id AND e.uid = NEW.uid ORDER BY e.original_start_key LIMIT 1;
  occ := CASE WHEN jsonb_typeof(NEW.local) = 'array' AND jsonb_array_length(NEW.local) = 1 THEN NEW.local->0->'originalStart' ELSE NULL END;
  IF op = 'parked' THEN
    INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, data)
    VALUES (NEW.tenant_id, 'conflict', 'parked', acc, NEW.calendar_id, NEW.id, NEW.uid, jsonb_build_object(
      'remoteId', NEW.remote_id, 'policy', NEW.policy, 'fields', NEW.fields, 'eventId', ev, 'occurrence', occ));
    RETURN NULL;
  END IF;
  INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, data)
  VALUES (NEW.tenant_id, 'conflict', 'recorded', acc, NEW.calendar_id, NEW.id, NEW.uid, jsonb_build_object(
    'remoteId', NEW.remote_id, 'policy', NEW.policy, 'fields', NEW.fields, 'outcome', NEW.outcome, 'eventId', ev, 'occurrence', occ));
  RETURN NULL;
END
$$;
