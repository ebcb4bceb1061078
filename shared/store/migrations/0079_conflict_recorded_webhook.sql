-- conflict.recorded: a conflict settled against a change made in the hub (by the app through the
-- API, or a mirror rule) — the provider's version or deletion was kept (outcome remote or deleted,
-- with the hub's side recorded). Before, only parked conflicts sent a webhook, so an app whose
-- write had been answered 200 never heard that it was lost (a pending occurrence change of a
-- series Outlook moved meanwhile, dropping its exceptions: provider-reset-exceptions).
-- The event is the series' master (or the single event) the conflict belongs to, when it still
-- exists; the occurrence is the lone local event's originalStart, when the conflict is about one.
CREATE OR REPLACE FUNCTION calhub_webhook_conflict() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  acc text;
  op text;
  ev text;
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
  IF op = 'parked' THEN
    INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, data)
    VALUES (NEW.tenant_id, 'conflict', 'parked', acc, NEW.calendar_id, NEW.id, NEW.uid, jsonb_build_object(
      'remoteId', NEW.remote_id, 'policy', NEW.policy, 'fields', NEW.fields));
    RETURN NULL;
  END IF;
  SELECT e.id INTO ev FROM events e WHERE e.calendar_id = NEW.calendar_id AND e.uid = NEW.uid ORDER BY e.original_start_key LIMIT 1;
  INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, calendar_id, subject_id, uid, data)
  VALUES (NEW.tenant_id, 'conflict', 'recorded', acc, NEW.calendar_id, NEW.id, NEW.uid, jsonb_build_object(
    'remoteId', NEW.remote_id, 'policy', NEW.policy, 'fields', NEW.fields, 'outcome', NEW.outcome, 'eventId', ev,
    'occurrence', CASE WHEN jsonb_array_length(NEW.local) = 1 THEN NEW.local->0->'originalStart' ELSE NULL END));
  RETURN NULL;
END
$$;
